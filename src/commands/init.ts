/**
 * `plan-tasks init`: sets a user's repository up for the pre-commit hook and
 * the pull-request gate.
 *
 * - package.json: husky, lint-staged (and plan-tasks) as devDependencies, the
 *   `prepare` script that installs the hooks; indentation and the final newline
 *   kept, nothing else touched;
 * - `.husky/pre-commit` running `npx lint-staged`;
 * - the lint-staged entry (`plan-tasks lint --staged` on the story files), in
 *   package.json's "lint-staged" key or `.lintstagedrc.json`, whichever the
 *   repository uses (created when it has none);
 * - `.github/workflows/plan-tasks.yml`, the PR gate;
 * - a starter `plan-tasks.config.json` (when there is no config yet).
 *
 * Every change is planned before anything is written. A file that exists with
 * other content is a conflict (the file is the user's, or they edited ours):
 * nothing is written and the command exits 2, unless `--force`. A file holding
 * exactly what init would write is left alone, so a second run changes nothing.
 * Writes go through writeFileAtomic.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_DOMAINS, DEFAULT_STORY_STATUSES, DEFAULT_TASK_STATUSES } from '../config/defaults.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import type { IO } from './io.js';
import { parseCommandArgs } from './args.js';

declare const PLAN_TASKS_VERSION: string;
const version = () => (typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : '0.1.0');

export const INIT_HELP = `Usage: plan-tasks init [options]

Set up the current git repository: a pre-commit hook (husky + lint-staged) that runs
\`plan-tasks lint --staged\` on staged stories, a GitHub Actions workflow that gates pull
requests with \`plan-tasks lint --base\`, and a starter plan-tasks.config.json.

Options:
  --agent <kind>  also set AI agents up: claude (the /plan-tasks slash command and a
               PostToolUse hook in .claude/), agents-md (a section in AGENTS.md);
               repeat it for both
  --force      overwrite files init would change that hold something else
  --dry-run    print what would change, write nothing
  -h, --help   show this help

Run it from the repository root (where package.json and .git are), then \`npm install\`.
`;

/** Versions added to devDependencies; test/init.test.ts keeps them in step with this package's own. */
export const DEV_DEPENDENCIES: Record<string, string> = {
  husky: '^9.1.7',
  'lint-staged': '^16.4.0',
};

export const PRE_COMMIT = 'npx lint-staged\n';
export const PREPARE = 'husky';
export const LINT_STAGED_COMMAND = 'plan-tasks lint --staged';
const STORIES = 'docs/stories/*.md';

/** Actions used by the generated workflow, pinned by commit (the tag in a comment). */
export const PINNED = {
  checkout: 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
  setupNode: 'actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444 # v5.0.0',
};

export function workflowText(): string {
  return `# Written by \`plan-tasks init\`. Gates pull requests on the stories they change:
# format, dependencies and status transitions against the base branch, reported as
# annotations on the changed lines. Docs: https://github.com/plan-tasks/plan-tasks#github-actions
name: plan-tasks

on:
  pull_request:

permissions:
  contents: read

jobs:
  stories:
    name: Lint stories
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: ${PINNED.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: ${PINNED.setupNode}
        with:
          node-version: 22
          cache: npm
      - run: npm ci
      - name: plan-tasks lint --base
        env:
          BASE_REF: \${{ github.base_ref }}
        run: npx plan-tasks lint --base "origin/$BASE_REF" --format github
`;
}

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

interface Change {
  /** Path relative to the repository root, `/`-separated. */
  path: string;
  action: 'create' | 'update' | 'unchanged' | 'conflict' | 'keep';
  /** What changes (or why not). */
  detail: string;
  /** The bytes read (null: the file does not exist). */
  before: string | null;
  after?: string;
}

/** The indentation a JSON text uses (its first indented line), or two spaces. */
export function detectIndent(text: string): string {
  const m = /^[ \t]*[{[][ \t]*\r?\n([ \t]+)\S/.exec(text.replace(/^\uFEFF/, ''));
  return m ? m[1]! : '  ';
}

/** Serialize like the original: same indentation, line ending, BOM and final newline. */
export function formatJsonLike(original: string, value: unknown): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const crlf = /\r\n/.test(original);
  const finalNewline = /\n$/.test(original);
  let out = JSON.stringify(value, null, detectIndent(original));
  if (finalNewline) out += '\n';
  if (crlf) out = out.replace(/\n/g, '\r\n');
  return bom + out;
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

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
};

function gitTopLevel(cwd: string): string {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  if (r.error) throw new UsageError('Cannot run git, expected git on the PATH', 'Install git, then run `plan-tasks init` again.');
  if (r.status !== 0) {
    throw new UsageError(`Unexpected ${cwd}: not inside a git repository, expected one (the pre-commit hook lives in git)`, 'Run `git init` first, then `plan-tasks init`.');
  }
  return r.stdout.trim();
}

/** Plan every change; writes nothing. */
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

  // devDependencies.
  const deps = { ...((pkg.dependencies as Record<string, string>) ?? {}) };
  const devDeps = { ...((pkg.devDependencies as Record<string, string>) ?? {}) };
  const wanted: Record<string, string> = { ...DEV_DEPENDENCIES };
  if (pkg.name !== 'plan-tasks') wanted['plan-tasks'] = `^${version()}`;
  const added = Object.keys(wanted).filter((name) => !(name in devDeps) && !(name in deps));
  if (added.length) {
    for (const name of added) devDeps[name] = wanted[name]!;
    next.devDependencies = Object.fromEntries(Object.entries(devDeps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    pkgNotes.push(`devDependencies ${added.join(', ')}`);
  }

  // The prepare script.
  const scripts = { ...((pkg.scripts as Record<string, string>) ?? {}) };
  const prepare = scripts.prepare;
  if (prepare === undefined) {
    scripts.prepare = PREPARE;
    next.scripts = scripts;
    pkgNotes.push(`scripts.prepare "${PREPARE}"`);
  } else if (!/\bhusky\b/.test(prepare)) {
    scripts.prepare = `${PREPARE} && ${prepare}`;
    next.scripts = scripts;
    pkgNotes.push(`scripts.prepare "${scripts.prepare}"`);
  }

  // lint-staged: package.json key, an existing .lintstagedrc.json, another config format, or a new .lintstagedrc.json.
  const entry = (config: Record<string, unknown>): string[] => {
    const missing: string[] = [];
    for (const glob of stories) {
      const cur = config[glob];
      const has = (v: unknown) => typeof v === 'string' && v.includes('plan-tasks lint');
      if (has(cur) || (Array.isArray(cur) && cur.some(has))) continue;
      if (cur === undefined) config[glob] = LINT_STAGED_COMMAND;
      else config[glob] = [...(Array.isArray(cur) ? cur : [cur]), LINT_STAGED_COMMAND];
      missing.push(glob);
    }
    return missing;
  };
  const otherLintStaged = ['.lintstagedrc', '.lintstagedrc.js', '.lintstagedrc.cjs', '.lintstagedrc.mjs', '.lintstagedrc.yaml', '.lintstagedrc.yml', 'lint-staged.config.js', 'lint-staged.config.cjs', 'lint-staged.config.mjs', 'lint-staged.config.ts', '.lintstagedrc.ts']
    .filter((f) => existsSync(join(root, f)));
  let lintStagedChange: Change | null = null;
  if (pkg['lint-staged'] && typeof pkg['lint-staged'] === 'object' && !Array.isArray(pkg['lint-staged'])) {
    const config = { ...(pkg['lint-staged'] as Record<string, unknown>) };
    const missing = entry(config);
    if (missing.length) {
      next['lint-staged'] = config;
      pkgNotes.push(`lint-staged "${missing.join('", "')}"`);
    }
  } else if (existsSync(join(root, '.lintstagedrc.json'))) {
    const text = read(join(root, '.lintstagedrc.json'))!;
    const config = parseJsonFile('.lintstagedrc.json', text);
    const missing = entry(config);
    lintStagedChange = missing.length
      ? { path: '.lintstagedrc.json', action: 'update', detail: `"${missing.join('", "')}": "${LINT_STAGED_COMMAND}"`, before: text, after: formatJsonLike(text, config) }
      : { path: '.lintstagedrc.json', action: 'unchanged', detail: 'runs plan-tasks lint --staged', before: text };
  } else if (otherLintStaged.length) {
    lintStagedChange = {
      path: otherLintStaged[0]!,
      action: 'conflict',
      detail: `lint-staged is configured there; add ${stories.map((g) => `"${g}": "${LINT_STAGED_COMMAND}"`).join(', ')} to it by hand`,
      before: read(join(root, otherLintStaged[0]!)),
    };
  } else {
    const config: Record<string, unknown> = {};
    entry(config);
    lintStagedChange = { path: '.lintstagedrc.json', action: 'create', detail: `runs ${LINT_STAGED_COMMAND} on ${stories.join(', ')}`, before: null, after: `${JSON.stringify(config, null, 2)}\n` };
  }

  changes.push(
    pkgNotes.length
      ? { path: 'package.json', action: 'update', detail: pkgNotes.join('; '), before: pkgText, after: formatJsonLike(pkgText, next) }
      : { path: 'package.json', action: 'unchanged', detail: 'husky, lint-staged and the prepare script are there', before: pkgText },
  );

  // Files init writes whole: unchanged when they hold exactly init's text, a conflict otherwise.
  const whole = (path: string, after: string, detail: string, accept?: (text: string) => boolean): Change => {
    const before = read(join(root, path));
    if (before === null) return { path, action: 'create', detail, before, after };
    if (before === after) return { path, action: 'unchanged', detail, before };
    if (accept?.(before)) return { path, action: 'keep', detail: 'already runs lint-staged', before };
    return { path, action: 'conflict', detail: `holds something else; --force replaces it with: ${detail}`, before, after };
  };
  changes.push(whole('.husky/pre-commit', PRE_COMMIT, 'runs npx lint-staged', (t) => /(^|\s)(npx |npm exec |pnpm |yarn )?lint-staged\b/m.test(t)));
  if (lintStagedChange) changes.push(lintStagedChange);
  changes.push(whole('.github/workflows/plan-tasks.yml', workflowText(), 'pull-request gate: plan-tasks lint --base with annotations'));
  changes.push(configChange);
  return changes;
}

export async function initCommand(argv: string[], io: IO): Promise<number> {
  const parsed = parseCommandArgs('init', argv, { agent: { type: 'string', multiple: true }, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, false);
  if (parsed.values.help) {
    io.stdout(INIT_HELP);
    return 0;
  }
  const force = Boolean(parsed.values.force);
  const dryRun = Boolean(parsed.values['dry-run']);
  const root = resolve(gitTopLevel(io.cwd));
  const here = resolve(io.cwd);
  if (here !== root && existsSync(join(here, 'package.json')) && !existsSync(join(root, 'package.json'))) {
    throw new UsageError(`Unexpected package.json in ${relative(root, here)}/, expected it at the repository root ${root} (husky installs from beside .git)`, 'Run `plan-tasks init` from the repository root.');
  }
  const changes = planInit(root);
  if (parsed.values.agent?.length) {
    const { parseAgentKinds, planAgentFiles } = await import('../agent/files.js');
    const { loadConfig } = await import('../config/load.js');
    changes.push(...planAgentFiles(root, parseAgentKinds(parsed.values.agent), await loadConfig({ cwd: root })));
  }

  const conflicts = changes.filter((c) => c.action === 'conflict');
  const blocked = conflicts.filter((c) => !force || c.after === undefined);
  if (blocked.length) {
    io.stderr(`plan-tasks init: nothing written.\n`);
    for (const c of blocked) io.stderr(`  ${c.path}: ${c.detail}\n`);
    const replaceable = blocked.some((c) => c.after !== undefined);
    io.stderr(replaceable && !force ? 'Run `plan-tasks init --force` to replace them, or edit them by hand.\n' : 'Edit it by hand, then run `plan-tasks init` again.\n');
    return 2;
  }

  const writes = changes.filter((c) => c.after !== undefined && c.action !== 'unchanged' && c.action !== 'keep');
  if (writes.length === 0) {
    io.stdout('plan-tasks init: nothing to change, this repository is already set up.\n');
    for (const c of changes) io.stdout(`  ${c.action === 'keep' ? 'kept     ' : 'unchanged'}  ${c.path}\n`);
    return 0;
  }
  if (!dryRun) {
    for (const c of writes) {
      const file = join(root, c.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, c.after!, { expected: c.before });
    }
  }
  const verb: Record<Change['action'], string> = { create: 'created  ', update: 'updated  ', unchanged: 'unchanged', conflict: 'replaced ', keep: 'kept     ' };
  io.stdout(`plan-tasks init${dryRun ? ' (dry run, nothing written)' : ''}:\n`);
  const dryVerb: Record<Change['action'], string> = { create: 'would create ', update: 'would update ', unchanged: 'unchanged    ', conflict: 'would replace', keep: 'kept         ' };
  for (const c of changes) io.stdout(`  ${(dryRun ? dryVerb : verb)[c.action]}  ${c.path}${c.action === 'unchanged' ? '' : `: ${c.detail}`}\n`);
  const pkgChanged = writes.some((c) => c.path === 'package.json');
  io.stdout(`\nNext: ${pkgChanged ? 'run `npm install` (installs husky and lint-staged and turns the pre-commit hook on), then ' : 'run `npm install` if the hook is not on yet, then '}commit these files.\n`);
  return 0;
}
