/**
 * `plan-tasks init` beside other git hook managers. husky sets core.hooksPath,
 * after which git runs none of the hooks lefthook, the pre-commit framework,
 * simple-git-hooks or a hand-written .git/hooks/pre-commit installed (and
 * `pre-commit install` refuses). So with one of them init writes no hook, adds
 * no husky, and prints the lines for that manager's config, with --dry-run too.
 * Then, with the real lefthook and pre-commit (skipped, saying so, when they are
 * not installed; .ci/run installs both), the printed lines are added and a real
 * `git commit` of a broken story is refused while a clean one goes through.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const REPO = resolve(__dirname, '..');
const FIXTURES = join(__dirname, 'fixtures');
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' };
/** The environment of the nested tools: no npm_* of a running `npm test`, no HUSKY=0. */
function toolEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$|^HUSKY$|^GIT_|^LEFTHOOK|^PRE_COMMIT|^FORCE_COLOR$|^GITHUB_STEP_SUMMARY$/i.test(k)));
  return { ...env, ...GIT_ENV, GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), PRE_COMMIT_HOME: join(home, 'pre-commit-cache'), NO_COLOR: '1', npm_config_update_notifier: 'false' };
}

/** A git repository with package.json and this build of plan-tasks in node_modules (as `npm install` would leave it). */
function repo(): { dir: string; home: string; git: (...args: string[]) => ReturnType<typeof spawnSync> } {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'pt-hooks-')));
  dirs.push(home);
  writeFileSync(join(home, 'gitconfig'), '[init]\n\tdefaultBranch = main\n');
  const dir = join(home, 'app');
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules/plan-tasks'));
  symlinkSync('../plan-tasks/bin/plan-tasks.js', join(dir, 'node_modules/.bin/plan-tasks'));
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  writeFileSync(join(dir, 'package.json'), '{\n  "name": "app",\n  "private": true\n}\n');
  const env = toolEnv(home);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env });
  git('init', '-q');
  return { dir, home, git };
}

async function init(cwd: string, ...args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(['init', ...args], io);
  return { code, ...out };
}

/** The lines init printed for `file` (indented four spaces under "<file>: ...:"). */
/** The lines printed as they are (a snippet in the file's own indentation): from the blank line after the header to the next. */
function printed(stdout: string, file: string): string {
  const at = stdout.indexOf(`\n${file}: `);
  expect(at).toBeGreaterThanOrEqual(0);
  const lines = stdout.slice(at + 1).split('\n').slice(2);
  const end = lines.indexOf('');
  return lines.slice(0, end).join('\n') + '\n';
}

function snippet(stdout: string, file: string): string {
  const at = stdout.indexOf(`\n${file}: `);
  expect(at).toBeGreaterThanOrEqual(0);
  const lines = stdout.slice(at + 1).split('\n').slice(2);
  const body: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('    ')) break;
    body.push(line.slice(4));
  }
  return `${body.join('\n')}\n`;
}

const which = (cmd: string): string | null => {
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, cmd))) return join(d, cmd);
  return null;
};
const LEFTHOOK = which('lefthook');
const PRE_COMMIT = which('pre-commit');

function expectNothingTakenOver(dir: string, git: (...a: string[]) => ReturnType<typeof spawnSync>) {
  expect(existsSync(join(dir, '.husky'))).toBe(false);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  expect(pkg.devDependencies).toEqual({ 'plan-tasks': expect.any(String) });
  expect(pkg.scripts).toBeUndefined();
  expect(git('config', 'core.hooksPath').stdout).toBe('');
}

describe('init beside another hook manager', () => {
  it('lefthook: no husky, no hook, the lefthook.yml lines printed; the rest written', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, 'lefthook.yml'), 'pre-push:\n  commands:\n    test:\n      run: npm test\n');
    const dry = await init(dir, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/by hand\s+lefthook\.yml/);
    expect(snippet(dry.stdout, 'lefthook.yml')).toBe('pre-commit:\n  commands:\n    plan-tasks:\n      run: node_modules/.bin/plan-tasks lint --staged\n');
    expect(existsSync(join(dir, '.github'))).toBe(false);

    const r = await init(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lefthook.yml: lefthook runs the git hooks here; init installs no hook beside it.');
    expect(snippet(r.stdout, 'lefthook.yml')).toBe(snippet(dry.stdout, 'lefthook.yml'));
    expectNothingTakenOver(dir, git);
    expect(readFileSync(join(dir, 'lefthook.yml'), 'utf8')).toBe('pre-push:\n  commands:\n    test:\n      run: npm test\n');
    expect(existsSync(join(dir, '.github/workflows/plan-tasks.yml'))).toBe(true);
    expect(existsSync(join(dir, 'plan-tasks.config.json'))).toBe(true);
  });

  it('a manager config that already has the key the lines open gets only what goes under it: pasted, the YAML has no duplicate key', async () => {
    // The pre-commit lines are printed in the file's own list style, from the first column (indent null: appended as printed).
    const preCommitUnder = 'its `repos:` list (at its end, as printed, from the first column)';
    const cases: [string, string, string | null, (v: any) => unknown, string][] = [
      ['.pre-commit-config.yaml', 'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n      - id: trailing-whitespace\n', null, (v) => v.repos.map((r: { repo: string }) => r.repo), preCommitUnder],
      // pre-commit's own sample style (`-   repo:` at column 0): the lines printed as 6-space-indented broke the YAML.
      ['.pre-commit-config.yaml', 'repos:\n-   repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0\n    hooks:\n    -   id: trailing-whitespace\n', null, (v) => v.repos.map((r: { repo: string }) => r.repo), preCommitUnder],
      ['lefthook.yml', 'pre-commit:\n  commands:\n    test:\n      run: npm test\n', '    ', (v) => Object.keys(v['pre-commit'].commands), '`pre-commit:` `commands:`'],
      ['lefthook.yml', 'pre-commit:\n  jobs:\n    - name: test\n      run: npm test\n', '    ', (v) => v['pre-commit'].jobs.map((j: { name: string }) => j.name), '`pre-commit:` `jobs:`'],
    ];
    const want = [['https://github.com/pre-commit/pre-commit-hooks', 'local'], ['https://github.com/pre-commit/pre-commit-hooks', 'local'], ['test', 'plan-tasks'], ['test', 'plan-tasks']];
    const { parse } = await import('yaml');
    for (const [i, [file, text, indent, keys, under]] of cases.entries()) {
      const { dir } = repo();
      writeFileSync(join(dir, file), text);
      const r = await init(dir);
      expect(r.stdout).toContain(`${file}: ${file === 'lefthook.yml' ? 'lefthook' : 'pre-commit'} runs the git hooks here; init installs no hook beside it. Under ${under}, add:`);
      // Pasted at the end of that list, at its indentation: one key, the hook added.
      const lines = indent === null ? printed(r.stdout, file) : snippet(r.stdout, file).split('\n').map((l) => (l ? indent + l : l)).join('\n');
      const merged = text + lines;
      expect(keys(parse(merged, { uniqueKeys: true }))).toEqual(want[i]);
      if (file === '.pre-commit-config.yaml') expect(parse(merged).repos[1].hooks[0]).toMatchObject({ id: 'plan-tasks', entry: 'node_modules/.bin/plan-tasks lint --staged', language: 'system' });
      writeFileSync(join(dir, file), merged);
      expect((await init(dir)).stdout).toMatch(new RegExp(`kept\\s+${file.replace('.', '\\.')}`));
    }
  });

  it('lefthook as a dependency only (no config yet) counts too', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, 'package.json'), '{ "name": "app", "devDependencies": { "lefthook": "^2.0.0" } }\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/by hand\s+lefthook\.yml/);
    expect(existsSync(join(dir, '.husky'))).toBe(false);
    expect(git('config', 'core.hooksPath').stdout).toBe('');
  });

  it('the pre-commit framework: the .pre-commit-config.yaml lines printed', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, '.pre-commit-config.yaml'), 'repos: []\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(snippet(r.stdout, '.pre-commit-config.yaml')).toMatch(/^repos:\n {2}- repo: local\n {4}hooks:\n {6}- id: plan-tasks\n[\s\S]*entry: node_modules\/\.bin\/plan-tasks lint --staged\n[\s\S]*pass_filenames: false\n/);
    expectNothingTakenOver(dir, git);
  });

  it('simple-git-hooks: the package.json lines printed, package.json keeps its key', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, 'package.json'), '{\n  "name": "app",\n  "simple-git-hooks": { "pre-commit": "npm test" }\n}\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('simple-git-hooks runs the git hooks here, as package.json "simple-git-hooks" shows');
    expect(snippet(r.stdout, 'package.json')).toBe('"simple-git-hooks": {\n  "pre-commit": "node_modules/.bin/plan-tasks lint --staged"\n}\n');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg['simple-git-hooks']).toEqual({ 'pre-commit': 'npm test' });
    expect(existsSync(join(dir, '.husky'))).toBe(false);
    expect(git('config', 'core.hooksPath').stdout).toBe('');
  });

  it('any core.hooksPath: the hook file to add the line to is named, the setting untouched', async () => {
    const { dir, git } = repo();
    git('config', 'core.hooksPath', '.githooks');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('.githooks/pre-commit: git runs the hooks in .githooks/, as core.hooksPath=.githooks says');
    expect(snippet(r.stdout, '.githooks/pre-commit')).toBe('node_modules/.bin/plan-tasks lint --staged\n');
    expect(existsSync(join(dir, '.husky'))).toBe(false);
    expect(git('config', 'core.hooksPath').stdout).toBe('.githooks\n');
  });

  it('a core.hooksPath outside the repository (a team-wide hooks folder) is named by its absolute path', async () => {
    const { dir, home, git } = repo();
    git('config', 'core.hooksPath', join(home, 'team-hooks'));
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${join(home, 'team-hooks/pre-commit')}: git runs the hooks in ${join(home, 'team-hooks')}/`);
    expect(existsSync(join(dir, '.husky'))).toBe(false);
  });

  it('a hand-written .git/hooks/pre-commit is kept running', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, '.git/hooks/pre-commit'), '#!/bin/sh\nnpm test\n', { mode: 0o755 });
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/by hand\s+\.git\/hooks\/pre-commit/);
    // One plain line: it once read "a pre-commit hook is there (.git/hooks/pre-commit (a hook not managed by husky))".
    expect(r.stdout).toContain('.git/hooks/pre-commit: a pre-commit hook that no hook manager installed is there; init installs no hook beside it. Add:');
    expect(r.stdout).not.toMatch(/\([^()\n]*\(/);
    expectNothingTakenOver(dir, git);
  });

  it('a manager config that already runs plan-tasks is reported kept; a second run changes nothing', async () => {
    const { dir } = repo();
    writeFileSync(join(dir, 'lefthook.yml'), 'pre-commit:\n  commands:\n    plan-tasks:\n      run: node_modules/.bin/plan-tasks lint --staged\n');
    expect((await init(dir)).code).toBe(0);
    const again = await init(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to change, this repository is already set up/);
    expect(again.stdout).toMatch(/kept\s+lefthook\.yml/);
  });

  it('a .pre-commit-config.yaml that already has the plan-tasks hook (remote or local) is kept', async () => {
    const { dir } = repo();
    writeFileSync(join(dir, '.pre-commit-config.yaml'), 'repos:\n  - repo: https://github.com/plan-tasks/plan-tasks\n    rev: v0.1.0\n    hooks:\n      - id: plan-tasks\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kept\s+\.pre-commit-config\.yaml: pre-commit already runs plan-tasks/);
    expect(r.stdout).not.toMatch(/by hand/);
  });

  it('a .pre-commit-config.yaml with CRLF line ends and a quoted id that runs plan-tasks is kept', async () => {
    const { dir } = repo();
    writeFileSync(join(dir, '.pre-commit-config.yaml'), 'repos:\r\n  - repo: local\r\n    hooks:\r\n      -   id: "plan-tasks" \r\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kept\s+\.pre-commit-config\.yaml: pre-commit already runs plan-tasks/);
  });

  it('husky itself (.husky/ there) is set up as before', async () => {
    const { dir, git } = repo();
    mkdirSync(join(dir, '.husky'));
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('plan-tasks lint --staged\n');
    expect(git('config', 'core.hooksPath').stdout).toBe('');
  });
});

/** Stage a story and try to commit it; the commit's exit code and output. */
function commitStory(dir: string, git: (...a: string[]) => ReturnType<typeof spawnSync>, fixture: string, name: string) {
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  copyFileSync(join(FIXTURES, fixture), join(dir, 'docs/stories', name));
  git('add', 'docs/stories');
  const r = git('commit', '-m', `add ${name}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('the printed lines, added to the real tools, gate real commits', () => {
  it.skipIf(!LEFTHOOK)(`lefthook${LEFTHOOK ? '' : ' (skipped: lefthook is not on the PATH; .ci/run installs it)'}`, { timeout: 120_000 }, async () => {
    const { dir, home, git } = repo();
    writeFileSync(join(dir, 'lefthook.yml'), 'pre-push:\n  commands:\n    test:\n      run: "true"\n');
    const r = await init(dir);
    writeFileSync(join(dir, 'lefthook.yml'), readFileSync(join(dir, 'lefthook.yml'), 'utf8') + snippet(r.stdout, 'lefthook.yml'));
    execFileSync(LEFTHOOK!, ['install'], { cwd: dir, env: toolEnv(home) });
    expect(git('add', '-A').status).toBe(0);
    expect(git('commit', '-qm', 'set up').status).toBe(0);

    const bad = commitStory(dir, git, 'cli/lint/003-errors.md', '003-errors.md');
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('task-domain');
    git('rm', '-q', '--cached', 'docs/stories/003-errors.md');
    rmSync(join(dir, 'docs/stories/003-errors.md'));
    const good = commitStory(dir, git, 'e2e/001-token-auth.md', '001-token-auth.md');
    expect(good.output).not.toContain('error');
    expect(good.status).toBe(0);
  });

  it.skipIf(!LEFTHOOK)(`lefthook with its own pre-commit commands${LEFTHOOK ? '' : ' (skipped: lefthook is not on the PATH; .ci/run installs it)'}`, { timeout: 120_000 }, async () => {
    const { dir, home, git } = repo();
    writeFileSync(join(dir, 'lefthook.yml'), 'pre-commit:\n  commands:\n    test:\n      run: "true"\n');
    const r = await init(dir);
    // The lines go under `pre-commit:` `commands:` (four spaces in), so the file keeps one pre-commit key.
    const lines = snippet(r.stdout, 'lefthook.yml').split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
    writeFileSync(join(dir, 'lefthook.yml'), readFileSync(join(dir, 'lefthook.yml'), 'utf8') + lines);
    execFileSync(LEFTHOOK!, ['install'], { cwd: dir, env: toolEnv(home) });
    expect(git('add', '-A').status).toBe(0);
    expect(git('commit', '-qm', 'set up').status).toBe(0);
    const bad = commitStory(dir, git, 'cli/lint/003-errors.md', '003-errors.md');
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('task-domain');
  });

  it.skipIf(!PRE_COMMIT)(`pre-commit${PRE_COMMIT ? '' : ' (skipped: pre-commit is not on the PATH; .ci/run installs it)'}`, { timeout: 120_000 }, async () => {
    const { dir, home, git } = repo();
    writeFileSync(join(dir, '.pre-commit-config.yaml'), 'repos: []\n');
    const r = await init(dir);
    writeFileSync(join(dir, '.pre-commit-config.yaml'), snippet(r.stdout, '.pre-commit-config.yaml'));
    // What husky's core.hooksPath would have broken: pre-commit refuses to install beside it.
    execFileSync(PRE_COMMIT!, ['install'], { cwd: dir, env: toolEnv(home) });
    expect(git('add', '-A').status).toBe(0);
    expect(git('commit', '-qm', 'set up').status).toBe(0);

    const bad = commitStory(dir, git, 'cli/lint/003-errors.md', '003-errors.md');
    expect(bad.status).not.toBe(0);
    expect(bad.output).toContain('task-domain');
    git('rm', '-q', '--cached', 'docs/stories/003-errors.md');
    rmSync(join(dir, 'docs/stories/003-errors.md'));
    const good = commitStory(dir, git, 'e2e/001-token-auth.md', '001-token-auth.md');
    expect(good.output).not.toMatch(/error/);
    expect(good.status).toBe(0);
  });
});
