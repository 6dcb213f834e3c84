/**
 * `plan-tasks init`: sets a user's repository up for the pre-commit hook and
 * the pull-request gate.
 *
 * - package.json: plan-tasks (and husky) as devDependencies, the `prepare`
 *   script that installs the hooks; indentation and the final newline kept,
 *   nothing else touched;
 * - `.husky/pre-commit` running `plan-tasks lint --staged` itself (it reads the
 *   index; lint-staged's stash would only add time);
 * - when the repository already runs lint-staged, its entry instead
 *   (`plan-tasks lint --staged` on the story files) in package.json's
 *   "lint-staged" key or `.lintstagedrc.json`, and for a JavaScript or YAML
 *   lint-staged config the line to add by hand;
 * - when another hook manager runs the hooks (lefthook, the pre-commit
 *   framework, simple-git-hooks, a `core.hooksPath`, a hand-written
 *   `.git/hooks/pre-commit`; src/init/hooks.ts), no hook and no husky: the
 *   lines to add to that manager's config, printed;
 * - `.github/workflows/plan-tasks.yml`, the PR gate, for the package manager of
 *   the lockfile (src/init/workflow.ts);
 * - a starter `plan-tasks.config.json` (when there is no config yet);
 * - `.gitignore` ignoring the `lint --cache` file (`.plan-tasks-cache`): one
 *   line appended, every other byte kept.
 *
 * Every change is planned before anything is written, and init merges: it adds
 * what is missing and never takes a file over. A file it writes whole that holds
 * something else (the user's, or one of ours they edited) is kept and listed with
 * why, unless `--force` names it (bare `--force`: every such file), and each
 * replaced file is listed; a user's husky hook gets the command appended. A file
 * init must merge into but cannot read (invalid JSON, broken markers) stops every
 * write, exit 2. A file holding exactly what init would write is left alone, so
 * a second run changes nothing. Writes go through writeFileAtomic.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DEFAULT_DOMAINS, DEFAULT_STORY_STATUSES, DEFAULT_TASK_STATUSES } from '../config/defaults.js';
import { UsageError } from '../errors.js';
import { gitSync } from '../git/exec.js';
import { mkdirParents, writeFileAtomic } from '../fs/atomic.js';
import { detectHookManagers, HOOK_COMMAND, HOOK_COMMAND_BIN, hookSnippet, managerRunsPlanTasks, snippetPlace, type HookManager } from '../init/hooks.js';
import { detectPackageManager, EARLIER_WORKFLOWS, previousWorkflowText, workflowText, type PackageManager } from '../init/workflow.js';
import { wholeFileChange, type Change } from '../init/change.js';
import { formatJsonLike } from '../init/json.js';
import type { IO } from './io.js';
import { parseCommandArgs } from './args.js';
import { readTextIfExists as read } from '../fs/read.js';

export { workflowText, PINNED } from '../init/workflow.js';

declare const PLAN_TASKS_VERSION: string;
const version = () => (typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : '0.1.0');

export const INIT_HELP = `Usage: plan-tasks init [options]

Set up the current git repository: a pre-commit hook (husky) that runs
\`plan-tasks lint --staged\` on staged stories, a GitHub Actions workflow that gates pull
requests with \`plan-tasks lint --base\`, a starter plan-tasks.config.json, and
.plan-tasks-cache (the \`lint --cache\` file) in .gitignore.
With lint-staged already set up, the command goes into its config instead. With
another hook manager (lefthook, pre-commit, simple-git-hooks, core.hooksPath), init
installs no hook: it prints the lines to add to that manager's config.

Options:
  --agent <kind>   also set AI agents up: claude (the /plan-tasks slash command and a
                   PostToolUse hook in .claude/), agents-md (a section in AGENTS.md);
                   repeat it for both
  --force [files]  replace the files you edited (or wrote) where init writes its own:
                   the files named, or without names every such file; each is listed
                   (naming AGENTS.md or a .claude/ file sets that agent up too)
  --dry-run        print what would change, write nothing
  -h, --help       show this help

A second run adds only what is missing. A file init writes whole (the workflow, the
slash command) that you edited is kept and listed; --force replaces it.
Run it from the repository root (where package.json and .git are), then \`npm install\`.
`;

/** Versions added to devDependencies; test/init.test.ts keeps them in step with this package's own. */
export const DEV_DEPENDENCIES: Record<string, string> = {
  husky: '^9.1.7',
  'lint-staged': '^16.4.0',
};

/** The husky hook init writes: plan-tasks itself (husky puts node_modules/.bin on the PATH). */
export const PRE_COMMIT = `${HOOK_COMMAND}\n`;
/** The husky hook when the repository already runs lint-staged. */
export const PRE_COMMIT_LINT_STAGED = 'npx lint-staged\n';
export const PREPARE = 'husky';
export const LINT_STAGED_COMMAND = HOOK_COMMAND;
const STORIES = 'docs/stories/*.md';

export function starterConfig(): string {
  const config = {
    $schema: './node_modules/plan-tasks/schema.json',
    stories: STORIES,
    domains: DEFAULT_DOMAINS,
    taskStatuses: DEFAULT_TASK_STATUSES,
    storyStatuses: DEFAULT_STORY_STATUSES,
    rules: {},
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function parseJsonFile(path: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`Invalid JSON in ${path}: ${(error as Error).message}`, 'Fix the file, then run `plan-tasks init` again.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`Unexpected ${path} content, expected a JSON object`);
  return value as Record<string, unknown>;
}


function gitTopLevel(cwd: string): string {
  const r = gitSync(['rev-parse', '--show-toplevel'], { cwd, hint: 'Install git, then run `plan-tasks init` again.' });
  if (r.code !== 0) {
    throw new UsageError(`Unexpected ${cwd}: not inside a git repository, expected one (the pre-commit hook lives in git)`, 'Run `git init` first, then `plan-tasks init`.');
  }
  return r.stdout.toString('utf8').trim();
}

/** Every package manager setup the workflow text varies with (see pmCommands). */
const PACKAGE_MANAGER_VARIANTS: PackageManager[] = [
  { name: 'npm', lockfile: 'package-lock.json' },
  { name: 'npm', lockfile: null },
  ...[10, 8, 7, null].map((pnpmVersion) => ({ name: 'pnpm' as const, lockfile: 'pnpm-lock.yaml', pnpmVersion })),
  { name: 'pnpm', lockfile: null, pnpmVersion: 10 },
  { name: 'yarn', lockfile: 'yarn.lock', berry: true },
  { name: 'yarn', lockfile: 'yarn.lock', berry: false },
  { name: 'bun', lockfile: 'bun.lock' },
  { name: 'bun', lockfile: null },
];

/** What init does beside another hook manager: nothing to its files; the lines to add, printed. */
function managerChange(root: string, m: HookManager): Change {
  const path = m.file ?? m.evidence;
  if (managerRunsPlanTasks(root, m)) return { path, action: 'keep', detail: `${m.name} already runs plan-tasks`, before: null };
  const where = m.name === 'core.hooksPath'
    ? `git runs the hooks in ${dirname(path)}/, as ${m.evidence} says`
    : m.name === '.git/hooks'
      ? 'a pre-commit hook that no hook manager installed is there'
      : `${m.name} runs the git hooks here${m.evidence === path ? '' : `, as ${m.evidence} shows`}`;
  const place = m.file ? snippetPlace(m, read(join(root, m.file))) : null;
  return { path, action: 'manual', detail: `${where}; init installs no hook beside it. ${place ? `Under ${place.under}, add` : 'Add'}`, before: null, snippet: place?.snippet ?? hookSnippet(m), ...(place?.verbatim ? { verbatim: true } : {}) };
}

/**
 * A husky hook of the user's own (it runs other commands, not plan-tasks) gets
 * init's line appended, in its line ending, every other byte kept: the hook
 * keeps running what it ran, then plan-tasks. A hook that can end before its
 * last line (an `exit` or `exec` line), or whose last line continues (ends with
 * `\`), is left alone, with the line to add by hand.
 */
function huskyHookChange(change: Change, line: string): Change {
  if (change.action !== 'conflict') return change;
  const before = change.before!;
  const command = line.trim();
  if (/^[ \t]*(?:exit|exec)\b/m.test(before)) {
    return { path: change.path, action: 'manual', detail: `your hook can stop before a line appended to it (it has an exit or exec line), so init leaves it as it is; add`, before, snippet: line };
  }
  // A last line that continues (`npm test \`): the appended line would join that command.
  if (/\\[ \t]*(?:\r?\n[ \t]*)*$/.test(before)) {
    return { path: change.path, action: 'manual', detail: `your hook's last line continues onto the next (it ends with \\), so a line appended would join its command and init leaves it as it is; add`, before, snippet: line };
  }
  const eol = /\r\n/.test(before) ? '\r\n' : '\n';
  const sep = before === '' || /\n$/.test(before) ? '' : eol;
  return { path: change.path, action: 'update', detail: `your hook kept, \`${command}\` appended to it`, before, after: `${before}${sep}${command}${eol}` };
}

const jsonKind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? 'a string' : typeof v);

/**
 * The keys of package.json that init reads or edits must have the shape npm
 * gives them: `dependencies`, `devDependencies`, `scripts`, `lint-staged`
 * objects, `scripts.prepare` a string. Anything else is a UsageError (exit 2)
 * before a byte is written: spreading `["a", "b"]` would write `{"0": "a", ...}`.
 */
function checkPackageShape(pkg: Record<string, unknown>): void {
  for (const key of ['dependencies', 'devDependencies', 'scripts', 'lint-staged']) {
    if (!(key in pkg)) continue;
    const v = pkg[key];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      throw new UsageError(`Unexpected package.json "${key}": ${jsonKind(v)}, expected an object (plan-tasks init edits it); nothing was written`, 'Fix package.json, then run plan-tasks init again.');
    }
  }
  const prepare = (pkg.scripts as Record<string, unknown> | undefined)?.prepare;
  if (prepare !== undefined && typeof prepare !== 'string') {
    throw new UsageError(`Unexpected package.json "scripts.prepare": ${jsonKind(prepare)}, expected a string (plan-tasks init edits it); nothing was written`, 'Fix package.json, then run plan-tasks init again.');
  }
}

/** Plan every change; writes nothing. */
export function planInit(root: string): Change[] {
  const changes: Change[] = [];
  const pkgPath = join(root, 'package.json');
  const pkgText = read(pkgPath);
  if (pkgText === null) {
    throw new UsageError(`Missing package.json in ${root}, expected an npm project at the repository root (husky and lint-staged are npm packages)`, 'Run `npm init -y` first, then `plan-tasks init`.');
  }
  const pkg = parseJsonFile('package.json', pkgText);
  checkPackageShape(pkg);
  const next: Record<string, unknown> = structuredClone(pkg);
  const pkgNotes: string[] = [];
  /** What package.json holds of the user's own that init keeps as it is (said, never silent). */
  const pkgKept: string[] = [];

  // Existing config: keep it, and take the story globs from it.
  let stories: string[] = [STORIES];
  let configChange: Change;
  const configFiles = ['plan-tasks.config.json', '.plan-tasksrc.json'].filter((f) => existsSync(join(root, f)));
  const existingConfig = configFiles.length ? configFiles[0]! : 'plan-tasks' in pkg ? 'package.json' : null;
  if (existingConfig) {
    const value = existingConfig === 'package.json' ? pkg['plan-tasks'] : parseJsonFile(existingConfig, read(join(root, existingConfig)) ?? '{}');
    const s = (value as { stories?: unknown } | null)?.stories;
    if (typeof s === 'string') stories = [s];
    else if (Array.isArray(s) && s.every((x) => typeof x === 'string') && s.length) stories = s as string[];
    const text = existingConfig === 'package.json' ? null : read(join(root, existingConfig));
    configChange = existingConfig === 'plan-tasks.config.json' && text === starterConfig()
      ? { path: 'plan-tasks.config.json', action: 'unchanged', detail: 'starter config', before: text }
      : { path: existingConfig === 'package.json' ? 'package.json#plan-tasks' : existingConfig, action: 'keep', detail: 'existing plan-tasks config kept', before: text };
  } else {
    configChange = { path: 'plan-tasks.config.json', action: 'create', detail: 'starter config (the default domains and statuses: edit them)', before: null, after: starterConfig() };
  }

  // Who runs the git hooks: husky (or nobody yet) is ours to set up; any other manager keeps them.
  const managers = detectHookManagers(root, pkg);
  const others = managers.filter((m) => m.name !== 'husky');
  const otherLintStaged = ['.lintstagedrc', '.lintstagedrc.js', '.lintstagedrc.cjs', '.lintstagedrc.mjs', '.lintstagedrc.yaml', '.lintstagedrc.yml', 'lint-staged.config.js', 'lint-staged.config.cjs', 'lint-staged.config.mjs', 'lint-staged.config.ts', '.lintstagedrc.ts', 'lint-staged.config.mts', 'lint-staged.config.cts', '.lintstagedrc.mts', '.lintstagedrc.cts']
    .filter((f) => existsSync(join(root, f)));
  const pkgLintStaged = pkg['lint-staged'] && typeof pkg['lint-staged'] === 'object' && !Array.isArray(pkg['lint-staged']);
  const usesLintStaged = others.length === 0 && (pkgLintStaged || existsSync(join(root, '.lintstagedrc.json')) || otherLintStaged.length > 0);

  // devDependencies.
  const deps = { ...((pkg.dependencies as Record<string, string>) ?? {}) };
  const devDeps = { ...((pkg.devDependencies as Record<string, string>) ?? {}) };
  const wanted: Record<string, string> = {};
  if (others.length === 0) wanted.husky = DEV_DEPENDENCIES.husky!;
  if (usesLintStaged) wanted['lint-staged'] = DEV_DEPENDENCIES['lint-staged']!;
  if (pkg.name !== 'plan-tasks') wanted['plan-tasks'] = `^${version()}`;
  const added = Object.keys(wanted).filter((name) => !(name in devDeps) && !(name in deps));
  if (added.length) {
    for (const name of added) devDeps[name] = wanted[name]!;
    next.devDependencies = Object.fromEntries(Object.entries(devDeps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    pkgNotes.push(`devDependencies ${added.join(', ')}`);
  }

  // The prepare script that turns husky on.
  const scripts = { ...((pkg.scripts as Record<string, string>) ?? {}) };
  const prepare = scripts.prepare;
  if (others.length > 0) {
    // No husky: it would set core.hooksPath and the other manager's hooks would stop running.
  } else if (prepare === undefined) {
    scripts.prepare = PREPARE;
    next.scripts = scripts;
    pkgNotes.push(`scripts.prepare "${PREPARE}"`);
  } else if (!/\bhusky\b/.test(prepare)) {
    scripts.prepare = `${PREPARE} && ${prepare}`;
    next.scripts = scripts;
    pkgNotes.push(`scripts.prepare "${scripts.prepare}"`);
  }

  // lint-staged, when the repository already runs it: package.json key, .lintstagedrc.json, or another format (by hand).
  // An entry running plan-tasks lint some other way than init's command (`npx plan-tasks lint`, other flags) is the user's: kept, and said.
  const yours: string[] = [];
  const yoursNote = () => `your lint-staged ${yours.length > 1 ? 'entries' : 'entry'} ${yours.map((g) => `"${g}"`).join(', ')} already ${yours.length > 1 ? 'run' : 'runs'} plan-tasks lint, so kept as you wrote ${yours.length > 1 ? 'them' : 'it'}`;
  const entry = (config: Record<string, unknown>): string[] => {
    const missing: string[] = [];
    for (const glob of stories) {
      const cur = config[glob];
      const has = (v: unknown) => typeof v === 'string' && v.includes('plan-tasks lint');
      if (has(cur) || (Array.isArray(cur) && cur.some(has))) {
        if (cur !== LINT_STAGED_COMMAND && !(Array.isArray(cur) && cur.includes(LINT_STAGED_COMMAND))) yours.push(glob);
        continue;
      }
      if (cur === undefined) config[glob] = LINT_STAGED_COMMAND;
      else config[glob] = [...(Array.isArray(cur) ? cur : [cur]), LINT_STAGED_COMMAND];
      missing.push(glob);
    }
    return missing;
  };
  let lintStagedChange: Change | null = null;
  if (!usesLintStaged) {
    // The hook runs plan-tasks itself.
  } else if (pkgLintStaged) {
    const config = { ...(pkg['lint-staged'] as Record<string, unknown>) };
    const missing = entry(config);
    if (missing.length) {
      next['lint-staged'] = config;
      pkgNotes.push(`lint-staged "${missing.join('", "')}"`);
    }
    if (yours.length) pkgKept.push(yoursNote());
  } else if (existsSync(join(root, '.lintstagedrc.json'))) {
    const text = read(join(root, '.lintstagedrc.json'))!;
    const config = parseJsonFile('.lintstagedrc.json', text);
    const missing = entry(config);
    lintStagedChange = missing.length
      ? { path: '.lintstagedrc.json', action: 'update', detail: `"${missing.join('", "')}": "${LINT_STAGED_COMMAND}"${yours.length ? `; ${yoursNote()}` : ''}`, before: text, after: formatJsonLike(text, config) }
      : yours.length
        ? { path: '.lintstagedrc.json', action: 'keep', detail: yoursNote(), before: text }
        : { path: '.lintstagedrc.json', action: 'unchanged', detail: 'runs plan-tasks lint --staged', before: text };
  } else {
    const file = otherLintStaged[0]!;
    const text = read(join(root, file));
    const yaml = /\.ya?ml$|^\.lintstagedrc$/.test(file);
    lintStagedChange = text !== null && text.includes('plan-tasks lint')
      ? { path: file, action: 'keep', detail: 'already runs plan-tasks lint', before: text }
      : {
          path: file,
          action: 'manual',
          detail: 'lint-staged is configured there (init does not edit code or YAML); add',
          before: text,
          snippet: stories.map((g) => (yaml ? `${JSON.stringify(g)}: ${LINT_STAGED_COMMAND}` : `${JSON.stringify(g)}: ${JSON.stringify(LINT_STAGED_COMMAND)},`)).join('\n') + '\n',
        };
  }

  changes.push(
    pkgNotes.length
      ? { path: 'package.json', action: 'update', detail: [...pkgNotes, ...pkgKept].join('; '), before: pkgText, after: formatJsonLike(pkgText, next) }
      : pkgKept.length
        ? { path: 'package.json', action: 'keep', detail: pkgKept.join('; '), before: pkgText }
        : { path: 'package.json', action: 'unchanged', detail: 'the devDependencies and the prepare script are there', before: pkgText },
  );

  if (others.length === 0) {
    // husky 9 puts node_modules/.bin on the hook's PATH; an older husky the repository keeps does not.
    const huskySpec = devDeps.husky ?? deps.husky;
    const oldHusky = huskySpec !== undefined && /^[~^=v]?\s*[0-8](\.|$)/.test(huskySpec);
    const hook = usesLintStaged ? PRE_COMMIT_LINT_STAGED : oldHusky ? `${HOOK_COMMAND_BIN}\n` : PRE_COMMIT;
    const runsUs = (t: string) => /(^|[\s;&|])(npx |npm exec |pnpm (exec )?|yarn |bunx |node_modules\/\.bin\/)?plan-tasks lint --staged\b/m.test(t) || /node\s+\S*plan-tasks(\.js)?\s+lint --staged\b/m.test(t);
    const runsLintStaged = (t: string) => /(^|\s)(npx |npm exec |pnpm (exec )?|yarn |bunx )?lint-staged\b/m.test(t);
    const hookChange = wholeFileChange(root, '.husky/pre-commit', hook, usesLintStaged ? 'runs npx lint-staged' : `runs ${HOOK_COMMAND}`, (t) => runsUs(t) || (usesLintStaged && runsLintStaged(t)));
    // Kept: say what it runs (a hook running lint-staged runs plan-tasks only through lint-staged's config).
    if (hookChange.action === 'keep') hookChange.detail = runsUs(hookChange.before!) ? 'your hook already runs plan-tasks lint --staged' : "your hook already runs lint-staged, whose config runs plan-tasks lint --staged";
    changes.push(huskyHookChange(hookChange, hook));
  } else {
    for (const m of others) changes.push(managerChange(root, m));
  }
  if (lintStagedChange) changes.push(lintStagedChange);
  const pm = detectPackageManager(root, pkg);
  const workflowOptions = { stories, configFile: existingConfig ?? 'plan-tasks.config.json' };
  const workflow = wholeFileChange(root, '.github/workflows/plan-tasks.yml', workflowText({ ...workflowOptions, packageManager: pm }), `pull-request gate: plan-tasks lint --base with annotations, SARIF to code scanning (${pm.name}${pm.lockfile ? `, ${pm.lockfile}` : ''})`);
  // Our own text for another package manager (init ran before `npm install` wrote the lockfile, or the
  // repository moved to pnpm), or an earlier version's: not the user's edit, so it is updated, not a conflict.
  const ours = (render: typeof workflowText) => PACKAGE_MANAGER_VARIANTS.some((v) => render({ ...workflowOptions, packageManager: v }) === workflow.before);
  if (workflow.action === 'conflict' && (EARLIER_WORKFLOWS.includes(workflow.before!) || ours(workflowText) || ours(previousWorkflowText))) {
    workflow.action = 'update';
    workflow.detail = workflow.replacement!;
  }
  changes.push(workflow);
  changes.push(configChange);
  changes.push(gitignoreChange(read(join(root, '.gitignore'))));
  return changes;
}

/** The config of the repository at `root`, or null when it cannot be read (only for init's advice). */
async function loadConfigFor(root: string) {
  try {
    return await (await import('../config/load.js')).loadConfig({ cwd: root });
  } catch {
    return null;
  }
}

/**
 * The default `lint --cache` file (`DEFAULT_CACHE_FILE` of src/lint/cache.ts,
 * spelled out so init's bundle does not pull in the cache module; a test keeps them equal).
 */
export const DEFAULT_CACHE_FILE = '.plan-tasks-cache';

/**
 * `.gitignore` with the default `--cache` file ignored: the line appended (in
 * the file's line ending, after a newline if its last line has none), or the
 * file created (then with `node_modules/` too); unchanged when a line already
 * ignores it at any depth.
 */
export function gitignoreChange(before: string | null): Change {
  const detail = `ignores ${DEFAULT_CACHE_FILE} (the \`plan-tasks lint --cache\` file)`;
  // A repository with no .gitignore yet: the `npm install` init asks for next fills node_modules/,
  // which a first `git add .` would commit.
  if (before === null) return { path: '.gitignore', action: 'create', detail: `ignores node_modules/ (what \`npm install\` writes) and ${DEFAULT_CACHE_FILE} (the \`plan-tasks lint --cache\` file)`, before, after: `node_modules/\n${DEFAULT_CACHE_FILE}\n` };
  const name = DEFAULT_CACHE_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ignores = new RegExp(`^(?:\\*\\*/|/)?${name}/?$`);
  const negates = new RegExp(`^!(?:\\*\\*/|/)?${name}/?$`);
  let ignored = false;
  for (const line of before.split(/\r?\n/)) {
    const t = line.trim();
    if (ignores.test(t)) ignored = true;
    else if (negates.test(t)) ignored = false;
  }
  if (ignored) return { path: '.gitignore', action: 'unchanged', detail, before };
  const eol = /\r\n/.test(before) ? '\r\n' : '\n';
  const sep = before === '' || /\n$/.test(before) ? '' : eol;
  return { path: '.gitignore', action: 'update', detail, before, after: `${before}${sep}${DEFAULT_CACHE_FILE}${eol}` };
}

/** The git hooks folder husky set (`core.hooksPath`), with its hook scripts there: the hook is on. */
function huskyHookOn(root: string): boolean {
  const r = gitSync(['config', 'core.hooksPath'], { cwd: root });
  const hooksPath = r.code === 0 ? r.stdout.toString('utf8').trim().replace(/\/$/, '') : '';
  // husky 9 sets .husky/_ and writes a script per hook there; husky 8 sets .husky and runs .husky/pre-commit itself.
  return (hooksPath === '.husky/_' && existsSync(join(root, '.husky/_/pre-commit'))) || (hooksPath === '.husky' && existsSync(join(root, '.husky/_/husky.sh')));
}

/**
 * The install step of "Next", true for this repository: what the install
 * command would install of what init relies on (husky, lint-staged, plan-tasks,
 * as package.json declares them after init, when node_modules lacks them),
 * whether husky's prepare script still has to turn the hook on, and that it
 * records the devDependencies init added; nothing when none of these holds.
 */
function installStep(root: string, changes: Change[]): string {
  const pkgChange = changes.find((c) => c.path === 'package.json')!;
  const before = parseJsonFile('package.json', pkgChange.before!);
  const after = pkgChange.after === undefined ? before : parseJsonFile('package.json', pkgChange.after);
  const declared = (pkg: Record<string, unknown>) => new Set([...Object.keys((pkg.dependencies as object | undefined) ?? {}), ...Object.keys((pkg.devDependencies as object | undefined) ?? {})]);
  const was = declared(before);
  const ours = [...Object.keys(DEV_DEPENDENCIES), 'plan-tasks'].filter((name) => declared(after).has(name) && name !== after.name);
  const missing = ours.filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
  const added = ours.filter((name) => !was.has(name) && !missing.includes(name));
  const husky = changes.some((c) => c.path === '.husky/pre-commit');
  const reasons = [
    missing.length ? `it installs ${missing.join(', ')}` : '',
    added.length ? `it records ${added.join(', ')} in the lockfile` : '',
    husky && !huskyHookOn(root) ? 'the prepare script then runs husky, which turns the pre-commit hook on' : '',
  ].filter(Boolean);
  if (!reasons.length) return '';
  const pm = detectPackageManager(root, before).name;
  return `run \`${pm} install\` (${reasons.join('; ')}), then `;
}

export async function initCommand(argv: string[], io: IO): Promise<number> {
  const parsed = parseCommandArgs('init', argv, { agent: { type: 'string', multiple: true }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (parsed.values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  const force = Boolean(parsed.values.force);
  if (parsed.positionals.length && !force) {
    throw new UsageError(`Unexpected argument ${parsed.positionals[0]}, expected files only after --force (plan-tasks init --force ${parsed.positionals[0]})`, 'Run `plan-tasks init --help` for the options.');
  }
  const dryRun = Boolean(parsed.values['dry-run']);
  const root = resolve(gitTopLevel(io.cwd));
  const here = resolve(io.cwd);
  if (here !== root && existsSync(join(here, 'package.json')) && !existsSync(join(root, 'package.json'))) {
    throw new UsageError(`Unexpected package.json in ${relative(root, here)}/, expected it at the repository root ${root} (husky installs from beside .git)`, 'Run `plan-tasks init` from the repository root.');
  }
  const changes = planInit(root);
  // --force names: files init writes, relative to the current folder (as a shell completes them).
  const forced = parsed.positionals.map((arg) => ({ arg, path: relative(root, resolve(here, arg)).split(sep).join('/') }));
  const agents = [...(parsed.values.agent ?? [])];
  if (agents.length || forced.length) {
    const { AGENT_FILES, parseAgentKinds, planAgentFiles } = await import('../agent/files.js');
    // `--force AGENTS.md` (an agent's file) sets that agent up too: the file it names is one init writes for it.
    for (const { path } of forced) if (AGENT_FILES[path]) agents.push(AGENT_FILES[path]);
    if (agents.length) {
      const { loadConfig } = await import('../config/load.js');
      changes.push(...planAgentFiles(root, parseAgentKinds(agents), await loadConfig({ cwd: root })));
    }
  }

  const named = new Set<string>();
  for (const { arg, path } of forced) {
    if (!changes.some((c) => c.path === path && c.action !== 'manual')) {
      throw new UsageError(`Unexpected ${arg}: not a file init writes, expected one of ${changes.filter((c) => c.action !== 'manual').map((c) => c.path).join(', ')}`, 'Run `plan-tasks init --dry-run` to see them.');
    }
    named.add(path);
  }
  // A file the user edited (or wrote) where init writes one whole: kept, unless --force names it (or names nothing).
  for (const c of changes) {
    if (c.action !== 'conflict' || c.after === undefined) continue;
    if (force && (named.size === 0 || named.has(c.path))) {
      c.detail = `${c.detail}; your edits give way to init's text: ${c.replacement}`;
    } else {
      c.action = 'keep';
      // The command as it runs from here: the agent kind named, the path relative to the current folder.
      const file = relative(here, join(root, c.path)).split(sep).join('/');
      c.detail = `${c.detail}, so left as it is; \`plan-tasks init ${c.agent ? `--agent ${c.agent} ` : ''}--force ${file}\` ${c.forceDoes ?? `replaces ${c.part ?? 'it'}`}`;
    }
  }
  // A file init must merge into but cannot (invalid JSON, broken markers): nothing is written.
  const blocked = changes.filter((c) => c.action === 'conflict' && c.after === undefined);
  if (blocked.length) {
    io.stderr(`plan-tasks init: nothing written.\n`);
    for (const c of blocked) io.stderr(`  ${c.path}: ${c.detail}\n`);
    io.stderr(`Edit ${blocked.length > 1 ? 'them' : 'it'} by hand, then run \`plan-tasks init\` again.\n`);
    return 2;
  }

  const writes = changes.filter((c) => c.after !== undefined && c.action !== 'unchanged' && c.action !== 'keep' && c.action !== 'manual');
  const manual = changes.filter((c) => c.action === 'manual');
  const printManual = () => {
    for (const c of manual) io.stdout(`\n${c.path}: ${c.detail}:\n\n${c.verbatim ? c.snippet! : c.snippet!.replace(/^(?=.)/gm, '    ')}`);
  };
  const edited = changes.filter((c) => c.action === 'keep' && c.after !== undefined);
  if (writes.length === 0) {
    io.stdout(`plan-tasks init${dryRun ? ' (dry run, nothing written)' : ''}: nothing to change${manual.length || edited.length ? ' in the files it writes' : ', this repository is already set up'}.\n`);
    for (const c of changes) io.stdout(`  ${c.action === 'keep' ? 'kept     ' : c.action === 'manual' ? 'by hand  ' : 'unchanged'}  ${c.path}${c.action === 'keep' ? `: ${c.detail}` : ''}\n`);
    printManual();
    return 0;
  }
  if (!dryRun) {
    for (const c of writes) {
      const file = join(root, c.path);
      mkdirParents(dirname(file), file);
      writeFileAtomic(file, c.after!, { expected: c.before });
    }
  }
  const verb: Record<Change['action'], string> = { create: 'created  ', update: 'updated  ', unchanged: 'unchanged', conflict: 'replaced ', keep: 'kept     ', manual: 'by hand  ' };
  io.stdout(`plan-tasks init${dryRun ? ' (dry run, nothing written)' : ''}:\n`);
  const dryVerb: Record<Change['action'], string> = { create: 'would create ', update: 'would update ', unchanged: 'unchanged    ', conflict: 'would replace', keep: 'kept         ', manual: 'by hand      ' };
  for (const c of changes) io.stdout(`  ${(dryRun ? dryVerb : verb)[c.action]}  ${c.path}${c.action === 'unchanged' ? '' : `: ${c.action === 'manual' ? c.detail.replace(/; init installs no hook beside it\. (?:Under .*, add|Add)$|; add$/, '') : c.detail}`}\n`);
  printManual();
  // A dry run's next step is the run itself; what follows it is said as what comes after.
  io.stdout(`\nNext: ${dryRun ? 'run `plan-tasks init` without --dry-run to write them, then ' : ''}${manual.length ? 'add the lines above, ' : ''}${installStep(root, changes)}commit these files.\n`);
  if (changes.some((c) => c.path === 'plan-tasks.config.json' && c.action === 'create')) {
    // A config change makes the gates lint every story (README, "Transitions"): the first commit meets the existing findings.
    // With no story yet, `plan-tasks lint` would only say that no file matches (exit 2): say where the first one goes instead.
    const config = await loadConfigFor(root);
    if (config && (await import('../lint/files.js')).storyFiles(config).length === 0) {
      io.stdout(`No story matches ${config.stories.join(', ')} yet: write the first one there (docs/stories/001-<slug>.md, in the README's story format), then \`plan-tasks lint\` checks it.\n`);
    } else {
      io.stdout('That commit adds a config, so its hook lints every story, not only the staged ones: run `plan-tasks lint` first, and fix what it reports or turn those rules off in the config.\n');
    }
  }
  return 0;
}
