/**
 * `plan-tasks mcp`: a Model Context Protocol server over stdio, built on the
 * official SDK (`@modelcontextprotocol/sdk`: McpServer, StdioServerTransport).
 *
 * Each tool runs the same code as its command, in-process, with JSON output
 * captured (`main(argv, io)`), so a tool and its command never disagree:
 * - `lint`: `plan-tasks lint --format json <path>`, or unsaved `text` linted as
 *   `fileName` against the project (src/agent/lint-text.ts);
 * - `next`: `plan-tasks next --format json [story] [--domain d]`;
 * - `graph`: `plan-tasks graph <story|all> --format json`;
 * - `set_task_status`: `plan-tasks status <task> <status> --format json [--story] [--dry-run]`;
 * - `scaffold`: `plan-tasks scaffold <story> --dry-run [--force]` (never writes).
 *
 * Inputs are validated with zod (the SDK turns a bad argument into a tool
 * error). A result carries text (for the model) and `structuredContent` (the
 * JSON object). A refusal, lint errors, a usage error or an internal error is
 * a tool result with `isError: true`; the server itself never exits on one.
 * Paths are resolved against the server's working directory (the project).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { IO } from './io.js';

declare const PLAN_TASKS_VERSION: string;

export const MCP_HELP = `Usage: plan-tasks mcp

Run a Model Context Protocol server on stdin/stdout for AI agents, with the
tools lint, next, graph, set_task_status and scaffold (dry run). Start it from
the project folder; paths are resolved against it.

  claude mcp add plan-tasks -- npx plan-tasks mcp

Exit codes: 0 when the client closes the connection, 2 usage error.
`;

/**
 * Runs one `plan-tasks ARGV` command line in-process and resolves to its exit
 * code: the CLI's `main` (src/cli.ts), handed in by the CLI so that this module
 * does not import the module that loads it.
 */
export type RunCommand = (argv: string[], io: IO) => Promise<number>;

/** What one in-process command run printed. */
interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `plan-tasks ARGV` in-process in `cwd`, output captured (never to the protocol's stdout). */
async function runCli(run: RunCommand, argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Captured> {
  const out: Captured = { code: 0, stdout: '', stderr: '' };
  const io: IO = {
    cwd,
    env,
    isTTY: false,
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    // stdin carries the protocol: no command may read it.
    stdin: () => Promise.reject(new UsageError('Unexpected read of standard input in the MCP server, expected the text as a tool argument')),
  };
  out.code = await run(argv, io);
  return out;
}

const text = (t: string) => ({ type: 'text' as const, text: t });

/** A tool error: the command's own message (usage, config, refusal, internal). */
function toolError(message: string, structured?: Record<string, unknown>): CallToolResult {
  return { content: [text(message.trim() || 'plan-tasks: failed with no message')], isError: true, ...(structured ? { structuredContent: structured } : {}) };
}

/** A command's JSON output, or a tool error when it printed none (exit 2: usage, config, I/O). */
function jsonResult(run: Captured, wrap: (value: unknown) => Record<string, unknown>, isError: (value: unknown) => boolean = () => run.code !== 0): CallToolResult {
  let value: unknown;
  try {
    value = JSON.parse(run.stdout);
  } catch {
    return toolError(run.stderr || run.stdout);
  }
  const structured = wrap(value);
  const summary = run.stderr.trim() ? `${run.stderr.trim()}\n\n` : '';
  return { content: [text(`${summary}${JSON.stringify(structured, null, 2)}`)], structuredContent: structured, ...(isError(value) ? { isError: true } : {}) };
}

// The shapes of `structuredContent`, declared as each tool's outputSchema (the
// SDK checks a successful result against it; a client can rely on it).
const MESSAGE = z.looseObject({ ruleId: z.string().nullable(), severity: z.number(), message: z.string(), line: z.number(), column: z.number(), fixable: z.boolean() });
const LINT_OUTPUT = {
  results: z.array(z.looseObject({ filePath: z.string(), messages: z.array(MESSAGE), errorCount: z.number(), warningCount: z.number() })),
  errorCount: z.number(),
  warningCount: z.number(),
};
const NEXT_OUTPUT = { tasks: z.array(z.object({ id: z.string(), title: z.string(), domain: z.string() })) };
const GRAPH_OUTPUT = {
  nodes: z.array(z.looseObject({ id: z.string(), story: z.string(), task: z.string() })),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
  waves: z.array(z.array(z.string())),
  criticalPath: z.array(z.string()),
};
const STATUS_OUTPUT = {
  task: z.string(),
  filePath: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  changed: z.boolean(),
  written: z.boolean(),
  story: z.object({ id: z.string(), from: z.string(), to: z.string(), applied: z.boolean() }).nullable(),
  refused: z.object({ reason: z.string(), blockers: z.array(z.string()) }).nullable(),
};
const SCAFFOLD_OUTPUT = { story: z.string(), section: z.string(), warnings: z.array(z.string()) };

const STORY = z.string().regex(/^\d+[a-z]?$/, 'expected a story number such as 015');
const TASK = z.string().regex(/^\d+[a-z]?\/\d{3}[a-z]?$/, 'expected a task ref such as 015/003');

/** Whether `path` (a file, folder or glob, resolved against `root`) names something outside `root`. */
function outside(root: string, path: string): boolean {
  const rel = relative(root, resolve(root, path));
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Build the server with its tools (not connected). `cwd`: the project folder; `command`: how a tool runs its command line. */
export function createServer(cwd: string, env: NodeJS.ProcessEnv, command: RunCommand): McpServer {
  const version = typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : 'dev';
  const server = new McpServer({ name: 'plan-tasks', version }, { capabilities: { tools: {} } });

  server.registerTool(
    'lint',
    {
      title: 'Lint stories',
      description:
        'Lint story files (docs/stories/NNN-slug.md task plans) against the project: task format, domains, statuses, dependencies (cross-story refs resolved), sizing. ' +
        'Pass `path` (a story file, folder or glob; default all stories), or `text` with `fileName` to lint unsaved text as that file ' +
        '(then the stories that refer to it are checked too, and the refs the text would break are reported in them). ' +
        'Returns ESLint-shaped results (errorCount > 0: the story needs fixing); isError only when the lint could not run.',
      inputSchema: {
        path: z.string().min(1).optional().describe('A story file, folder or glob, relative to the project; omit for every story'),
        text: z.string().optional().describe('Story text to lint instead of a file on disk'),
        fileName: z.string().min(1).optional().describe('With text: the story path the text is linted as (docs/stories/015-x.md)'),
      },
      outputSchema: LINT_OUTPUT,
      annotations: { readOnlyHint: true },
    },
    async ({ path, text: body, fileName }) => {
      // The server lints its project: a path or fileName that leaves it (`../../etc/passwd`, `/etc`) is refused,
      // as a lint of another file would hand its lines back in the messages.
      for (const [name, value] of [['path', path], ['fileName', fileName]] as const) {
        if (value !== undefined && outside(cwd, value)) return toolError(`Unexpected ${name} \`${value}\` outside the project, expected a path inside ${cwd}`);
      }
      if (body !== undefined) {
        if (path !== undefined) return toolError('Unexpected both path and text, expected one of them');
        if (fileName === undefined) return toolError('Missing fileName, expected the story path the text is linted as (docs/stories/015-x.md)');
        try {
          const { loadConfig } = await import('../config/load.js');
          const { lintWithDependents } = await import('../agent/lint-text.js');
          const config = await loadConfig({ cwd });
          return lintResults(await lintWithDependents(body, resolve(cwd, fileName), config));
        } catch (error) {
          return toolError(`plan-tasks: ${(error as Error).message}${error instanceof UsageError && error.hint ? `\n${error.hint}` : ''}`);
        }
      }
      if (fileName !== undefined) return toolError('Unexpected fileName without text, expected text to lint (or path alone)');
      const run = await runCli(command, ['lint', '--format', 'json', ...(path ? ['--', path] : [])], cwd, env);
      if (run.code === 2) return toolError(run.stderr || run.stdout);
      try {
        return lintResults(JSON.parse(run.stdout) as LintResultLike[]);
      } catch {
        return toolError(run.stderr || run.stdout);
      }
    },
  );

  server.registerTool(
    'next',
    {
      title: 'Tasks that can start now',
      description: 'The pending tasks whose dependencies are all done (in any story), critical-path tasks first. Optionally only one story or one domain.',
      inputSchema: { story: STORY.optional().describe('Only this story (015)'), domain: z.string().min(1).optional().describe('Only this domain') },
      outputSchema: NEXT_OUTPUT,
      annotations: { readOnlyHint: true },
    },
    async ({ story, domain }) => {
      const run = await runCli(command, ['next', '--format', 'json', ...(domain ? [`--domain=${domain}`] : []), ...(story ? ['--', story] : [])], cwd, env);
      return jsonResult(run, (tasks) => ({ tasks }));
    },
  );

  server.registerTool(
    'graph',
    {
      title: 'Task dependency graph',
      description: "A story's (or all stories') task dependency graph: nodes, edges (dependency -> dependent), waves of tasks that can run in parallel, and a critical path.",
      inputSchema: { story: z.union([STORY, z.literal('all')]).describe('A story number (015), or all') },
      outputSchema: GRAPH_OUTPUT,
      annotations: { readOnlyHint: true },
    },
    async ({ story }) => {
      const run = await runCli(command, ['graph', '--format', 'json', '--', story], cwd, env);
      if (run.code !== 0 && !run.stdout) return toolError(run.stderr);
      return jsonResult(run, (graph) => graph as Record<string, unknown>);
    },
  );

  server.registerTool(
    'set_task_status',
    {
      title: "Set a task's status",
      description:
        "Set one task's status in its story file (only that value is rewritten, atomically). Refused (isError, file untouched) for an unknown task, a move the configured transitions forbid, " +
        'and in_progress or done while a dependency is not done. With story: true also sets the story status that follows (all tasks done -> Done).',
      inputSchema: {
        task: TASK.describe('The task, story/task: 015/003'),
        status: z.string().min(1).describe('A configured task status: pending, in_progress, done by default'),
        story: z.boolean().optional().describe('Also set the story status that follows'),
        dryRun: z.boolean().optional().describe('Say what would change; write nothing'),
      },
      outputSchema: STATUS_OUTPUT,
      annotations: { destructiveHint: false, idempotentHint: true },
    },
    async ({ task, status, story, dryRun }) => {
      // Arguments after `--`: a value such as `--story` is a status, never an option.
      const run = await runCli(command, ['status', '--format', 'json', ...(story ? ['--story'] : []), ...(dryRun ? ['--dry-run'] : []), '--', task, status], cwd, env);
      return jsonResult(run, (plan) => plan as Record<string, unknown>);
    },
  );

  server.registerTool(
    'scaffold',
    {
      title: 'Draft a task breakdown',
      description:
        "A starting `## Tasks` section for a Ready story, from its acceptance criteria (one domain per task, dependencies in a buildable order). A dry run: returns the section, writes nothing. " +
        'Refused (isError) when the story is not ready, with the reasons.',
      inputSchema: { story: STORY.describe('The story number (015)'), force: z.boolean().optional().describe('Draft even if a ## Tasks section exists or the push-back says not ready') },
      outputSchema: SCAFFOLD_OUTPUT,
      annotations: { readOnlyHint: true },
    },
    async ({ story, force }) => {
      const run = await runCli(command, ['scaffold', '--dry-run', ...(force ? ['--force'] : []), '--', story], cwd, env);
      if (run.code !== 0) return toolError(`${run.stderr}${run.stdout}`);
      const warnings = run.stderr.split('\n').filter(Boolean);
      return {
        content: [text(`${warnings.length ? `${warnings.join('\n')}\n\n` : ''}${run.stdout}`)],
        structuredContent: { story, section: run.stdout, warnings },
      };
    },
  );
  return server;
}

type LintResultLike = { filePath: string; messages: { fix?: unknown }[]; errorCount: number; warningCount: number };

function lintResults(results: LintResultLike[]): CallToolResult {
  const errorCount = results.reduce((n, r) => n + r.errorCount, 0);
  const warningCount = results.reduce((n, r) => n + r.warningCount, 0);
  const clean = results.map((r) => ({ ...r, messages: r.messages.map(({ fix, ...m }) => ({ ...m, fixable: fix !== undefined })) }));
  const lines = [`${errorCount} error${errorCount === 1 ? '' : 's'}, ${warningCount} warning${warningCount === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}`];
  for (const r of clean) {
    for (const m of r.messages as unknown as { line: number; column: number; severity: number; ruleId: string | null; message: string; note?: string; fixable: boolean }[]) {
      lines.push(`${r.filePath}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId ?? 'fatal'}: ${m.message}${m.fixable ? ' [fixable: plan-tasks lint --fix]' : ''}`);
      if (m.note) lines.push(`  fix: ${m.note}`);
    }
  }
  return { content: [text(lines.join('\n'))], structuredContent: { results: clean, errorCount, warningCount } };
}

/**
 * Serve on stdin/stdout until the client closes the connection (stdin ends),
 * then exit 0. Any argument is a usage error (exit 2).
 */
export async function mcpCommand(argv: string[], io: IO, command: RunCommand): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(MCP_HELP);
    return 0;
  }
  if (argv.length) throw new UsageError(`Unexpected arguments "${argv.join(' ')}", expected none`, 'Run `plan-tasks mcp --help`.');
  const server = createServer(io.cwd, io.env, command);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    server.server.onclose = () => done();
  });
  await server.connect(transport);
  // stdin ending (the client went away) closes the transport.
  process.stdin.on('end', () => void server.close());
  await closed;
  return 0;
}
