/**
 * End to end, as a user meets plan-tasks: in a temporary git repository, the
 * packed package (`npm pack`) is installed, `plan-tasks init` sets the
 * repository up, `npm install` turns husky on, and real `git commit`s go
 * through the pre-commit hook (husky -> plan-tasks lint --staged). Then the pull-request gate that init wrote runs as the workflow
 * runs it, on a branch that moves a done task back to pending.
 *
 * Slow (npm installs; the registry must be reachable, the npm cache makes it
 * quick): kept in this file alone. Needs `dist/` (npm test builds it first).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '..');
const FIXTURES = join(__dirname, 'fixtures/e2e');
const MINUTE = 60_000;

let root: string;
let app: string;
let env: NodeJS.ProcessEnv;

function sh(cmd: string, args: string[], cwd = app): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 150_000 });
}
function ok(cmd: string, args: string[], cwd = app): string {
  const r = sh(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const commits = () => Number(ok('git', ['rev-list', '--count', 'HEAD']).trim());

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist/cli.cjs'))) throw new Error('dist/cli.cjs is missing: run `npm run build` (npm test does) first');
  root = realpathSync(mkdtempSync(join(tmpdir(), 'pt-e2e-')));
  app = join(root, 'app');
  mkdirSync(app);
  const gitconfig = join(root, 'gitconfig');
  writeFileSync(gitconfig, '[user]\n\tname = E2E\n\temail = e2e@example.com\n[init]\n\tdefaultBranch = main\n');
  // The npm_* variables of the `npm test` running this would steer the nested npm.
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$|^HUSKY$|^GIT_|^GITHUB_STEP_SUMMARY$/i.test(k)));
  Object.assign(env, { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', FORCE_COLOR: '0', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });

  // The package as it would be published. --ignore-scripts: `prepare` would run husky in this checkout.
  const packed = JSON.parse(ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', root], REPO)) as { filename: string }[];
  const tarball = join(root, packed[0]!.filename);

  ok('git', ['init', '-q'], app);
  writeFileSync(join(app, 'package.json'), '{\n  "name": "app",\n  "version": "1.0.0",\n  "private": true\n}\n');
  writeFileSync(join(app, '.gitignore'), 'node_modules/\n');
  ok('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
  // Installing the package ran none of its scripts: no husky, the repository's hooks are its own.
  if (spawnSync('git', ['config', 'core.hooksPath'], { cwd: app, env, encoding: 'utf8' }).stdout !== '') throw new Error('installing plan-tasks set core.hooksPath');
}, 6 * MINUTE);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('pre-commit hook, installed from the packed package', () => {
  it('init sets the repository up and names the next step', { timeout: 3 * MINUTE }, () => {
    const out = ok('npx', ['plan-tasks', 'init']);
    expect(out).toMatch(/created\s+\.husky\/pre-commit/);
    expect(out).toMatch(/created\s+\.github\/workflows\/plan-tasks\.yml/);
    expect(out).toMatch(/npm install/);
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toBe('husky');
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['husky', 'plan-tasks']);
    expect(readFileSync(join(app, '.husky/pre-commit'), 'utf8')).toBe('plan-tasks lint --staged\n');
    expect(pkg.devDependencies['plan-tasks']).toMatch(/^file:/);
  });

  it('npm install turns the hook on', { timeout: 3 * MINUTE }, () => {
    ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund']);
    expect(ok('git', ['config', 'core.hooksPath']).trim()).toBe('.husky/_');
    ok('git', ['add', '-A']);
    ok('git', ['commit', '-qm', 'Set up plan-tasks']);
    expect(commits()).toBe(1);
  });

  it('refuses a commit with a dependency cycle and names dependency-cycle', { timeout: 3 * MINUTE }, () => {
    mkdirSync(join(app, 'docs/stories'), { recursive: true });
    copyFileSync(join(FIXTURES, '002-rate-limits.md'), join(app, 'docs/stories/002-rate-limits.md'));
    ok('git', ['add', 'docs/stories/002-rate-limits.md']);
    const r = sh('git', ['commit', '-m', 'Story 002']);
    expect(r.status).not.toBe(0);
    const output = r.stdout + r.stderr;
    expect(output).toContain('dependency-cycle');
    expect(output).toContain('001 -> 003 -> 002 -> 001');
    expect(commits()).toBe(1);
    // The refused story is still staged, untouched.
    expect(ok('git', ['diff', '--cached', '--name-only']).trim()).toBe('docs/stories/002-rate-limits.md');
    expect(readFileSync(join(app, 'docs/stories/002-rate-limits.md'), 'utf8')).toBe(readFileSync(join(FIXTURES, '002-rate-limits.md'), 'utf8'));
  });

  it('lets a clean story through', { timeout: 3 * MINUTE }, () => {
    ok('git', ['rm', '-q', '--cached', 'docs/stories/002-rate-limits.md']);
    rmSync(join(app, 'docs/stories/002-rate-limits.md'));
    copyFileSync(join(FIXTURES, '001-token-auth.md'), join(app, 'docs/stories/001-token-auth.md'));
    ok('git', ['add', 'docs/stories/001-token-auth.md']);
    const r = sh('git', ['commit', '-m', 'Story 001']);
    expect(r.stderr + r.stdout).not.toContain('error');
    expect(r.status).toBe(0);
    expect(commits()).toBe(2);
  });

  it('a second init changes nothing', { timeout: 3 * MINUTE }, () => {
    const out = ok('npx', ['plan-tasks', 'init']);
    expect(out).toMatch(/nothing to change/);
    expect(ok('git', ['status', '--porcelain'])).toBe('');
  });
});

describe('pull-request gate written by init, run as the workflow runs it', () => {
  it('annotates a done task moved back to pending with ::error on its line, exit 1', { timeout: 3 * MINUTE }, () => {
    // An origin holding main, as actions/checkout with fetch-depth: 0 leaves it.
    ok('git', ['clone', '-q', '--bare', app, join(root, 'origin.git')], root);
    ok('git', ['remote', 'add', 'origin', join(root, 'origin.git')]);
    ok('git', ['fetch', '-q', 'origin']);
    ok('git', ['checkout', '-q', '-b', 'reopen']);
    const file = join(app, 'docs/stories/001-token-auth.md');
    const text = readFileSync(file, 'utf8');
    const line = text.split('\n').indexOf('**Status:** done') + 1;
    writeFileSync(file, text.replace('**Status:** done', '**Status:** pending'));
    ok('git', ['add', '-A']);
    // The hook refuses the move too...
    const hooked = sh('git', ['commit', '-m', 'Reopen 001']);
    expect(hooked.status).not.toBe(0);
    expect(hooked.stdout + hooked.stderr).toContain('status-transition');
    // ...so it reaches CI only past the hook.
    ok('git', ['commit', '-q', '--no-verify', '-m', 'Reopen 001']);

    const workflow = parse(readFileSync(join(app, '.github/workflows/plan-tasks.yml'), 'utf8')) as { jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps.map((s) => s.run).filter(Boolean)[0]).toBe('npm ci');
    const gate = steps.find((s) => s.run?.includes('--base'))!;
    const stepEnv = Object.fromEntries(Object.entries(gate.env ?? {}).map(([k, v]) => [k, v === '${{ github.base_ref }}' ? 'main' : v]));
    const r = spawnSync('bash', ['-e', '-c', gate.run!], { cwd: app, encoding: 'utf8', env: { ...env, ...stepEnv, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: app } });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^::error file=docs/stories/001-token-auth\\.md,line=${line},col=\\d+,endLine=${line},endColumn=\\d+,title=status-transition::`, 'm'));
  });
});

// npm pack wrote its tarball to the temp folder, not into this checkout.
it('leaves nothing in the package checkout', { timeout: 3 * MINUTE }, () => {
  expect(readdirSync(REPO).filter((f) => f.endsWith('.tgz'))).toEqual([]);
});
