/**
 * `plan-tasks hook claude`: the Claude Code `PostToolUse` hook. Reads the hook
 * input (JSON on stdin: `cwd`, `tool_name`, `tool_input.file_path`, and
 * `tool_response.filePath`), and when the edited file is a story of the
 * configured glob, lints it against the project.
 *
 * Exit codes follow Claude Code's hook contract (code.claude.com/docs, Hooks
 * reference), not ESLint's:
 * - 0: nothing to say (not a story, or a story with no errors), silent;
 * - 2: the story has errors; stderr (the findings, short) is fed back to the
 *   model, which goes on to fix them;
 * - 1: the hook itself failed (bad input, bad config, internal error): a
 *   non-blocking error Claude Code shows to the user. Never 2, so a failure of
 *   ours never gets in the way of editing other files.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { IO } from './io.js';

export const HOOK_HELP = `Usage: plan-tasks hook claude

The Claude Code PostToolUse hook (\`plan-tasks init --agent claude\` installs it
in .claude/settings.json for Edit|Write|MultiEdit). Reads the hook's JSON on
stdin; when the edited file is a story, lints it against the project.

Exit codes (Claude Code's): 0 not a story, or no errors (silent); 2 lint
errors, listed on stderr for the model to fix; 1 the hook could not run
(shown to the user, never blocks the agent).
`;

/** The fields of Claude Code's PostToolUse input this hook reads. */
export interface PostToolUseInput {
  cwd?: string;
  hook_event_name?: string;
  tool_name?: string;
  tool_input?: { file_path?: unknown };
  tool_response?: { filePath?: unknown };
}


const STORY_EXTENSIONS = new Set(['.md', '.markdown']);
/** At most this many findings go back to the model; the rest are counted. */
const MAX_SHOWN = 20;

/** The edited file's absolute path, or null when the input names none. */
export function editedFile(input: PostToolUseInput, cwd: string): string | null {
  const raw = typeof input.tool_input?.file_path === 'string' ? input.tool_input.file_path : typeof input.tool_response?.filePath === 'string' ? input.tool_response.filePath : null;
  if (!raw) return null;
  return isAbsolute(raw) ? raw : resolve(cwd, raw);
}

/** Run the hook: returns Claude Code's exit code (0 silent, 2 findings on stderr, 1 the hook failed). Never throws. */
export async function hookCommand(argv: string[], io: IO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(HOOK_HELP);
    return 0;
  }
  const fail = (message: string): number => {
    io.stderr(`plan-tasks hook: ${message}\n`);
    return 1;
  };
  if (argv.length !== 1 || argv[0] !== 'claude') {
    return fail(`Unexpected arguments "${argv.join(' ')}", expected \`plan-tasks hook claude\``);
  }
  try {
    let raw: string;
    try {
      raw = io.stdin ? (await io.stdin()).toString('utf8') : readFileSync(0, 'utf8');
    } catch (error) {
      return fail(`Cannot read the hook input on stdin: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let input: PostToolUseInput;
    try {
      input = JSON.parse(raw) as PostToolUseInput;
    } catch {
      return fail(`Unexpected hook input ${JSON.stringify(raw.slice(0, 60))}, expected Claude Code's PostToolUse JSON on stdin`);
    }
    if (!input || typeof input !== 'object' || Array.isArray(input)) return fail('Unexpected hook input, expected a JSON object');
    const cwd = typeof input.cwd === 'string' && input.cwd ? input.cwd : io.cwd;
    const file = editedFile(input, cwd);
    // The fast way out: most edits are not Markdown, and need no config.
    if (file === null || !STORY_EXTENSIONS.has(extname(file).toLowerCase())) return 0;

    const { loadConfig, storyFiles, readStory, makeResult, lintWithDependents } = await import('../agent/hook-lint.js');
    // The config that applies to the edited file (the nearest one above it, as in a monorepo).
    const config = await loadConfig({ cwd: dirname(file) });
    const real = (p: string) => {
      try {
        return realpathSync(p);
      } catch {
        return resolve(p);
      }
    };
    const stories = storyFiles(config);
    const target = real(file);
    if (!stories.some((s) => s === file || real(s) === target)) return 0;

    const read = readStory(file);
    const results = 'fatal' in read ? [makeResult(file, [read.fatal])] : await lintWithDependents(read.text, file, config);
    const failing = results.filter((r) => r.errorCount > 0);
    if (failing.length === 0) return 0;
    io.stderr(failing.map((r) => formatFindings(r, relative(cwd, r.filePath) || r.filePath, r !== results[0])).join(''));
    return 2;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`${message.split('\n')[0]} (the edit itself is kept; run \`plan-tasks lint\` to see the problem)`);
  }
}

/**
 * The findings as the model reads them: one line each, `line:column rule-id
 * message`, with the rule's note on how to fix it under it; errors first, then
 * the command that fixes what is fixable.
 */
export function formatFindings(result: import('../lint/types.js').LintResult, rel: string, dependent = false): string {
  const messages = [...result.messages].sort((a, b) => b.severity - a.severity || a.line - b.line || a.column - b.column);
  const errors = result.errorCount;
  const lines = [
    dependent
      ? `plan-tasks: the edit broke ${errors} reference${errors === 1 ? '' : 's'} in ${rel}, which depends on the edited story. Restore what it refers to, or update the reference:`
      : `plan-tasks: ${rel} has ${errors} lint error${errors === 1 ? '' : 's'}${result.warningCount ? ` and ${result.warningCount} warning${result.warningCount === 1 ? '' : 's'}` : ''}. Fix them in the story:`,
  ];
  for (const m of messages.slice(0, MAX_SHOWN)) {
    lines.push(`${rel}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId ?? 'fatal'}: ${m.message}${m.fix ? ' [fixable]' : ''}`);
    if (m.note) lines.push(`  fix: ${m.note}`);
  }
  if (messages.length > MAX_SHOWN) lines.push(`... and ${messages.length - MAX_SHOWN} more (run \`plan-tasks lint ${rel}\`)`);
  const fixable = result.fixableErrorCount + result.fixableWarningCount;
  if (fixable) lines.push(`${fixable} of them [fixable]: run \`plan-tasks lint --fix ${rel}\`.`);
  if (!dependent) lines.push('Rule docs: https://github.com/plan-tasks/plan-tasks/blob/main/docs/rules/<rule-id>.md');
  return `${lines.join('\n')}\n`;
}
