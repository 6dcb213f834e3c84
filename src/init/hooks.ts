/**
 * Git hook managers `plan-tasks init` must not take over. husky sets
 * `core.hooksPath`; once it does, git stops running the hooks lefthook, the
 * pre-commit framework, simple-git-hooks or a hand-written `.git/hooks/pre-commit`
 * installed, and `pre-commit install` refuses. So init looks for each of them
 * first; when one is there it writes no hook and prints the lines to add to
 * that manager's own config instead.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { gitSync } from '../git/exec.js';

/** The command every hook runs: it reads the index itself, so it needs no file list. */
export const HOOK_COMMAND = 'plan-tasks lint --staged';
/**
 * The same through the repository's installed bin, for hooks that do not put
 * node_modules/.bin on the PATH (husky 9 does). Not `npx`: npx costs about a
 * second per commit on a busy machine (docs/BENCHMARKS.md), and where plan-tasks
 * is not installed it would download some version instead of failing.
 */
export const HOOK_COMMAND_BIN = `node_modules/.bin/${HOOK_COMMAND}`;

/** A hook manager found in a repository (names as each project spells itself). */
export interface HookManager {
  name: 'husky' | 'lefthook' | 'pre-commit' | 'simple-git-hooks' | 'core.hooksPath' | '.git/hooks';
  /** What shows it is there, for the message: a file, a dependency, a git setting. */
  evidence: string;
  /** Its config file relative to the root, when it has one. */
  file?: string;
}

const LEFTHOOK_FILES = ['lefthook.yml', 'lefthook.yaml', 'lefthook.json', 'lefthook.jsonc', 'lefthook.toml', '.lefthook.yml', '.lefthook.yaml', '.lefthook.json', '.lefthook.jsonc', '.lefthook.toml', '.config/lefthook.yml', '.config/lefthook.yaml'];
const PRE_COMMIT_FILES = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];
const SIMPLE_GIT_HOOKS_FILES = ['.simple-git-hooks.json', '.simple-git-hooks.js', '.simple-git-hooks.cjs', '.simple-git-hooks.mjs', 'simple-git-hooks.json', 'simple-git-hooks.js', 'simple-git-hooks.cjs', 'simple-git-hooks.mjs'];

/** git's answer, trimmed; null when git says no (a setting not set). Throws a UsageError when git cannot run. */
function git(root: string, args: string[]): string | null {
  const r = gitSync(args, { cwd: root, hint: 'plan-tasks init installs a git hook; install git, then run it again.' });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** `dir/name` as the user knows it: relative to the root when inside it, else absolute. */
function shown(root: string, dir: string, name?: string): string {
  const abs = resolve(root, dir, ...(name ? [name] : []));
  const rel = relative(root, abs);
  return rel.startsWith('..') || isAbsolute(rel) ? abs : rel.split(sep).join('/');
}

const isHuskyPath = (p: string) => /^(\.\/)?\.husky(\/_)?\/?$/.test(p);

/**
 * Every hook manager of the repository at `root` (its package.json parsed as
 * `pkg`): husky (`.husky/`, the dependency, or its `core.hooksPath`), lefthook
 * (its config files or dependency), the pre-commit framework
 * (`.pre-commit-config.yaml`), simple-git-hooks (its package.json key, config
 * files or dependency), any other `core.hooksPath`, and, when none of those is
 * there, an existing `pre-commit` hook in `.git/hooks` (hand-written, or left by
 * a tool such as husky 4).
 */
export function detectHookManagers(root: string, pkg: Record<string, unknown>): HookManager[] {
  const found: HookManager[] = [];
  const deps = { ...(pkg.dependencies as Record<string, string> | undefined), ...(pkg.devDependencies as Record<string, string> | undefined) };
  const firstFile = (files: string[]) => files.find((f) => existsSync(join(root, f)));
  // --type=path: `~/` expanded as git expands it.
  const hooksPath = git(root, ['config', '--type=path', '--get', 'core.hooksPath']);

  const huskyDir = existsSync(join(root, '.husky'));
  if (huskyDir || 'husky' in deps || (hooksPath !== null && isHuskyPath(hooksPath))) {
    found.push({ name: 'husky', evidence: huskyDir ? '.husky/' : 'husky' in deps ? 'husky in package.json' : `core.hooksPath=${hooksPath}` });
  }
  const lefthook = firstFile(LEFTHOOK_FILES);
  if (lefthook || 'lefthook' in deps || '@evilmartians/lefthook' in deps) {
    found.push({ name: 'lefthook', evidence: lefthook ?? 'lefthook in package.json', file: lefthook ?? 'lefthook.yml' });
  }
  const preCommit = firstFile(PRE_COMMIT_FILES);
  if (preCommit) found.push({ name: 'pre-commit', evidence: preCommit, file: preCommit });
  const sgh = firstFile(SIMPLE_GIT_HOOKS_FILES);
  if ('simple-git-hooks' in pkg || sgh || 'simple-git-hooks' in deps) {
    found.push({ name: 'simple-git-hooks', evidence: 'simple-git-hooks' in pkg ? 'package.json "simple-git-hooks"' : sgh ?? 'simple-git-hooks in package.json', file: 'simple-git-hooks' in pkg ? 'package.json' : sgh ?? 'package.json' });
  }
  if (hooksPath !== null && hooksPath !== '' && !isHuskyPath(hooksPath)) {
    found.push({ name: 'core.hooksPath', evidence: `core.hooksPath=${hooksPath}`, file: shown(root, hooksPath, 'pre-commit') });
  } else if (hooksPath === null) {
    const hooksDir = git(root, ['rev-parse', '--git-path', 'hooks']);
    if (hooksDir !== null) {
      const hook = join(isAbsolute(hooksDir) ? hooksDir : join(root, hooksDir), 'pre-commit');
      // Not when the repository already chose husky (its own `npm install` sets core.hooksPath) or another manager (which installed it).
      if (existsSync(hook) && statSync(hook).isFile() && found.length === 0) {
        found.push({ name: '.git/hooks', evidence: `${shown(root, hook)} (a hook not managed by husky)`, file: shown(root, hook) });
      }
    }
  }
  return found;
}

/** Whether the manager's config file already runs plan-tasks (then init only reports it). */
export function managerRunsPlanTasks(root: string, manager: HookManager): boolean {
  if (!manager.file) return false;
  let text: string;
  try {
    text = readFileSync(resolve(root, manager.file), 'utf8');
  } catch {
    return false;
  }
  if (manager.name === 'pre-commit') return /^[ \t]*(?:-[ \t]*)?id:[ \t]*['"]?plan-tasks['"]?[ \t\r]*$/m.test(text) || text.includes(HOOK_COMMAND);
  return text.includes(HOOK_COMMAND);
}

/**
 * Where in `manager`'s existing config (its text) the lines go when the config
 * already has the key they would open (`repos:`, lefthook's `pre-commit:`):
 * pasting the whole block would repeat that key, which YAML refuses. Null: add
 * the whole block. `verbatim`: the snippet is indented as the file needs it, to be
 * printed without the display indent.
 */
export function snippetPlace(manager: HookManager, text: string | null): { under: string; snippet: string; verbatim?: boolean } | null {
  if (text === null) return null;
  // A block list or map only: `repos: []` is replaced, not added to, so the whole block is printed.
  if (manager.name === 'pre-commit' && /^repos:[ \t]*(?:#.*)?$/m.test(text)) {
    // In the file's own list style (`- repo:` at column 0 or indented, one space or more after
    // the dash, as pre-commit's sample config writes `-   repo:`), to append as printed.
    const item = /^repos:[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*([ ]*)-([ ]+)\S/m.exec(text);
    const dash = item?.[1] ?? '  ';
    const after = item?.[2] ?? ' ';
    const body = ' '.repeat(dash.length + 1 + after.length);
    const inner = ' '.repeat(body.length + 1 + after.length);
    const lines = [`${dash}-${after}repo: local`, `${body}hooks:`, `${body}-${after}id: plan-tasks`, `${inner}name: plan-tasks`, `${inner}entry: ${HOOK_COMMAND_BIN}`, `${inner}language: system`, `${inner}pass_filenames: false`, `${inner}always_run: true`];
    return { under: 'its `repos:` list (at its end, as printed, from the first column)', snippet: lines.join('\n') + '\n', verbatim: true };
  }
  if (manager.name === 'lefthook' && /^pre-commit:[ \t]*(?:#.*)?$/m.test(text)) {
    const section = /^pre-commit:[^\n]*\n((?:[ \t]+[^\n]*\n?|\n)*)/m.exec(text)?.[1] ?? '';
    if (/^[ \t]+jobs:/m.test(section)) {
      return { under: '`pre-commit:` `jobs:`', snippet: `- name: plan-tasks\n  run: ${HOOK_COMMAND_BIN}\n` };
    }
    return { under: '`pre-commit:` `commands:`', snippet: `plan-tasks:\n  run: ${HOOK_COMMAND_BIN}\n` };
  }
  return null;
}

/**
 * The lines that make `manager` run plan-tasks, for the user to add (init does
 * not edit another manager's config). Each runs the plan-tasks of the
 * repository's package.json from node_modules/.bin.
 */
export function hookSnippet(manager: HookManager): string {
  switch (manager.name) {
    case 'lefthook':
      return `pre-commit:
  commands:
    plan-tasks:
      run: ${HOOK_COMMAND_BIN}
`;
    case 'pre-commit':
      // A local hook runs the plan-tasks of package.json (the one CI runs); a `repo:` entry
      // with `id: plan-tasks` (.pre-commit-hooks.yaml) would install its own copy instead.
      return `repos:
  - repo: local
    hooks:
      - id: plan-tasks
        name: plan-tasks
        entry: ${HOOK_COMMAND_BIN}
        language: system
        pass_filenames: false
        always_run: true
`;
    case 'simple-git-hooks':
      return `"simple-git-hooks": {
  "pre-commit": "${HOOK_COMMAND_BIN}"
}
`;
    default:
      return `${HOOK_COMMAND_BIN}
`;
  }
}
