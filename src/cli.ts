/**
 * The `plan-tasks` command: picks a subcommand, runs it, maps errors to exit
 * codes (0 clean, 1 lint errors, 2 usage/config/I/O/internal). Subcommands are
 * loaded lazily so `lint` pays only for what it uses.
 */
import { UsageError } from './errors.js';
import { processIO, type IO } from './commands/io.js';
import { visible } from './report/visible.js';

declare const PLAN_TASKS_VERSION: string;

type Command = (argv: string[], io: IO) => Promise<number>;

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  lint: { summary: 'lint story files (default)', load: async () => (await import('./commands/lint.js')).lintCommand },
  scaffold: { summary: 'write a starting task breakdown for a Ready story', load: async () => (await import('./commands/scaffold.js')).scaffoldCommand },
  init: { summary: 'set a repository up: pre-commit hook, pull-request workflow, config', load: async () => (await import('./commands/init.js')).initCommand },
  graph: { summary: 'print the task dependency graph (Mermaid, DOT, JSON), waves and critical path', load: async () => (await import('./commands/graph.js')).graphCommand },
  next: { summary: 'list the tasks that can start now', load: async () => (await import('./commands/next.js')).nextCommand },
  status: { summary: "set one task's status safely (transitions and dependencies checked)", load: async () => (await import('./commands/status.js')).statusCommand },
  hook: { summary: 'Claude Code PostToolUse hook: lint the story an agent just edited', load: async () => (await import('./commands/hook.js')).hookCommand },
  mcp: { summary: 'Model Context Protocol server over stdio (lint, next, graph, set_task_status, scaffold)', load: async () => {
    // The server runs each tool's command through main: handed in, so mcp.ts does not import this module.
    const { mcpCommand } = await import('./commands/mcp.js');
    return (argv, io) => mcpCommand(argv, io, main);
  } },
};

const version = () => (typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : 'dev');

export function help(): string {
  const names = Object.keys(COMMANDS);
  const w = Math.max(...names.map((n) => n.length));
  return `Usage: plan-tasks <command> [options]

Keeps Markdown task plans (docs/stories/NNN-slug.md) honest.

Commands:
${names.map((n) => `  ${n.padEnd(w)}  ${COMMANDS[n]!.summary}`).join('\n')}

Run \`plan-tasks <command> --help\` for a command's options.
Exit codes: 0 clean, 1 lint errors, 2 usage, config, I/O or internal error.
`;
}

/**
 * The exit code of a run that failed (a usage, config or I/O error, or an
 * internal one): ESLint's 2; for `hook` (Claude Code's PostToolUse hook), 1,
 * Claude Code's "the hook failed" (shown to the user): its 2 would block the
 * agent and feed our failure to the model as the edit's problem, on every edit.
 */
export function failureCode(argv: readonly string[]): 1 | 2 {
  return argv[0] === 'hook' ? 1 : 2;
}

export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === '--version' || first === '-v') {
      io.stdout(`${version()}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h' || first === 'help') {
      io.stdout(help());
      return 0;
    }
    let name = first;
    let args = rest;
    if (name === undefined || name.startsWith('-') || !Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
      if (name !== undefined && !name.startsWith('-') && !/[./\\]/.test(name) && !/\.md$/.test(name)) {
        throw new UsageError(`Unknown command "${name}"; expected one of ${Object.keys(COMMANDS).join(', ')}`, 'Run `plan-tasks --help`.');
      }
      name = 'lint';
      args = argv;
    }
    const command = await COMMANDS[name]!.load();
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`plan-tasks: ${visible(error.message)}\n${error.hint ? `${visible(error.hint)}\n` : ''}`);
      return failureCode(argv);
    }
    internalError(error, io);
    return failureCode(argv);
  }
}

/** An error nobody planned for: one line, the DEBUG hint (or the stack with DEBUG=plan-tasks); returns 2 (the run exits with `failureCode`). */
export function internalError(error: unknown, io: IO): 2 {
  const debug = /(?:^|,)\s*plan-tasks\b/.test(io.env.DEBUG ?? '');
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`plan-tasks: internal error: ${visible(message.split('\n')[0]!)}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  else io.stderr('Run with DEBUG=plan-tasks for details.\n');
  return 2;
}

/** Entry point of the bin: run, flush, exit with the code. */
export async function run(): Promise<void> {
  // Output goes straight to the file descriptors (processIO), where a reader
  // that stops early (`plan-tasks lint | head`, EPIPE) is not an error.
  // A failure outside main's try (a stray rejection, a timer): still one line and exit 2, never 0 or 1.
  const die = (error: unknown) => {
    try {
      internalError(error, processIO());
    } finally {
      process.exit(failureCode(process.argv.slice(2)));
    }
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // When nothing is left to run (no active handle, request or timer: Node emits
  // 'beforeExit'), Node would now tear its heap and environment down before
  // exiting: process.exit() skips that teardown (about 1 ms of CPU of a one-story
  // run); 'exit' listeners still run. Only when no other 'beforeExit' listener is
  // there (one could leave work behind): else Node's usual exit.
  if (process.listenerCount('beforeExit') === 0) {
    process.once('beforeExit', () => {
      if (process.listenerCount('beforeExit') === 0) process.exit();
    });
  }
}
