/**
 * Installing plan-tasks the ways a user can before (and beside) a registry
 * release, end to end in temp folders:
 * - `npm install git+file://…` of a git repository holding this checkout: npm
 *   clones it, installs its devDependencies and runs `prepare` (build and type
 *   declarations); the installed bin lints, the types are there, and the
 *   repository it lands in keeps its git hooks (husky runs only in a
 *   development checkout);
 * - the GitHub Action (action.yml) in a repository without plan-tasks: it
 *   installs the production dependencies only (and esbuild alone, to build a
 *   ref that has no dist/), then lints and sets its outputs;
 * - the pre-commit framework's `pre-commit try-repo <that repository> plan-tasks`
 *   (.pre-commit-hooks.yaml, `language: node`) refuses a broken staged story.
 *
 * Slow (npm installs; the registry must be reachable, the npm cache makes it
 * quicker), so kept in this file alone. The pre-commit part is skipped, saying
 * so, when pre-commit is not on the PATH (.ci/run installs it).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_FIXTURES, copyCheckout } from './cli-helpers.js';
import { runActionStep } from './action-helpers.js';

const MINUTE = 60_000;
let root: string;
let source: string;
let env: NodeJS.ProcessEnv;

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 5 * MINUTE });
}
function ok(cmd: string, args: string[], cwd: string): string {
  const r = sh(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const which = (cmd: string): string | null => {
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, cmd))) return join(d, cmd);
  return null;
};
const PRE_COMMIT = which('pre-commit');

/** A git repository with a broken story staged. */
function appWithBrokenStory(name: string): string {
  const app = join(root, name);
  mkdirSync(join(app, 'docs/stories'), { recursive: true });
  ok('git', ['init', '-q'], app);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
  copyFileSync(join(CLI_FIXTURES, 'lint/003-errors.md'), join(app, 'docs/stories/003-errors.md'));
  ok('git', ['add', '-A'], app);
  return app;
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'pt-install-')));
  const gitconfig = join(root, 'gitconfig');
  writeFileSync(gitconfig, '[user]\n\tname = E2E\n\temail = e2e@example.com\n[init]\n\tdefaultBranch = main\n');
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$|^HUSKY$|^GIT_|^PRE_COMMIT|^FORCE_COLOR$|^GITHUB_STEP_SUMMARY$/i.test(k)));
  Object.assign(env, { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1', PRE_COMMIT_HOME: join(root, 'pre-commit-cache'), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true' });
  // This checkout as a git repository (what a push to GitHub would hold).
  source = join(root, 'plan-tasks');
  copyCheckout(source);
  ok('git', ['init', '-q'], source);
  ok('git', ['add', '-A'], source);
  ok('git', ['commit', '-qm', 'plan-tasks'], source);
}, 2 * MINUTE);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('npm install git+file://', () => {
  let app: string;
  beforeAll(() => {
    app = appWithBrokenStory('git-app');
    ok('npm', ['install', '--save-dev', '--no-audit', '--no-fund', `git+file://${source}`], app);
  }, 8 * MINUTE);

  it('builds the package, ships its types, lints, and leaves the installing repository\'s hooks alone', () => {
    const pkg = join(app, 'node_modules/plan-tasks');
    for (const f of ['dist/cli.cjs', 'dist/index.js', 'dist/types/src/index.d.ts', 'dist/types/src/preset.d.ts']) expect([f, existsSync(join(pkg, f))]).toEqual([f, true]);
    expect(existsSync(join(pkg, 'node_modules/husky'))).toBe(false);
    const r = sh(join(app, 'node_modules/.bin/plan-tasks'), ['lint', '--staged', '--format', 'json'], app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)[0].errorCount).toBe(3);
    expect(sh('git', ['config', 'core.hooksPath'], app).stdout).toBe('');
  });

  it('its types compile in a TypeScript project that has only typescript and plan-tasks (no @types/node, skipLibCheck off)', { timeout: 8 * MINUTE }, () => {
    // The package npm packed from the git repository, packed again as installed (no scripts: it is built), then
    // installed from the registry's way: a tarball, its dependencies only.
    const packed = ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], join(app, 'node_modules/plan-tasks'));
    const tarball = join(root, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    const project = join(root, 'ts-app');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "ts-app", "version": "1.0.0", "private": true, "type": "module" }\n');
    const typescript = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.typescript!;
    ok('npm', ['install', '--save-dev', '--no-audit', '--no-fund', `typescript@${typescript}`, tarball], project);
    // The test means something only where nothing brought Node's types in.
    expect(existsSync(join(project, 'node_modules/@types/node'))).toBe(false);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022' }, files: ['api.ts'] }));
    writeFileSync(
      join(project, 'api.ts'),
      `import { lint, lintText, loadConfig, workingTreeSnapshot, type LintResult, type ResolvedConfig } from 'plan-tasks';
import preset from 'plan-tasks/preset';
export async function check(cwd: string): Promise<number> {
  const config: ResolvedConfig = await loadConfig({ cwd });
  const results: LintResult[] = await lint(workingTreeSnapshot(config), { config, cacheStrategy: 'content', concurrency: 'off' });
  const one = await lintText('# 001: A\\n', 'docs/stories/001-a.md', { config });
  return results.length + one.messages.length + (preset.plugins?.length ?? 0);
}
`,
    );
    const r = sh(join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the GitHub Action in a repository without plan-tasks', () => {
  it('installs only the production dependencies, builds, lints and sets its outputs', { timeout: 8 * MINUTE }, () => {
    const actionPath = join(root, 'action');
    copyCheckout(actionPath);
    const app = appWithBrokenStory('action-app');
    const r = runActionStep(app, { base: 'none' }, { 'github.action_path': actionPath }, env);
    expect(r.status).toBe(1);
    expect(r.outputs).toEqual({ errors: '3', warnings: '0', 'sarif-file': '' });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::error file=docs/stories/003-errors.md'))).toHaveLength(3);
    const pkg = JSON.parse(readFileSync(join(actionPath, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies)) expect([dep, existsSync(join(actionPath, 'node_modules', dep))]).toEqual([dep, true]);
    // Nothing the lockfile marks dev-only (typescript, vitest, esbuild, jsdom, mermaid, ...) was installed.
    const lock = JSON.parse(readFileSync(join(actionPath, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => p.dev && path.startsWith('node_modules/')).map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(100);
    expect(devOnly.filter((path) => existsSync(join(actionPath, path)))).toEqual([]);
    expect(existsSync(join(actionPath, 'dist/cli.cjs'))).toBe(true);
    expect(existsSync(join(app, 'node_modules'))).toBe(false);
  });
});

describe('pre-commit framework: .pre-commit-hooks.yaml', () => {
  it.skipIf(!PRE_COMMIT)(`pre-commit try-repo … plan-tasks refuses a broken staged story${PRE_COMMIT ? '' : ' (skipped: pre-commit is not on the PATH; .ci/run installs it)'}`, { timeout: 8 * MINUTE }, () => {
    const app = appWithBrokenStory('pre-commit-app');
    const r = sh(PRE_COMMIT!, ['try-repo', source, 'plan-tasks'], app);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/plan-tasks\.+Failed/);
    expect(out).toContain('task-domain');
    expect(out).toContain('3 problems (3 errors, 0 warnings)');
    expect(r.status).toBe(1);
  });
});
