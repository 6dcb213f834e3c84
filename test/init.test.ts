import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { loadConfig } from '../src/config/load.js';
import { DEFAULT_DOMAINS } from '../src/config/defaults.js';
import { DEFAULT_CACHE_FILE as INIT_CACHE_FILE, DEV_DEPENDENCIES, PRE_COMMIT, starterConfig, workflowText } from '../src/commands/init.js';
import { DEFAULT_CACHE_FILE } from '../src/lint/cache.js';
import { EARLIER_WORKFLOWS, previousWorkflowText } from '../src/init/workflow.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function tempDir(git = true): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-init-')));
  dirs.push(dir);
  if (git) execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

async function init(cwd: string, ...args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(['init', ...args], io);
  return { code, ...out };
}

/** Every file under dir (but .git) with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

const PKG = '{\n    "name": "app",\n    "version": "1.0.0",\n    "scripts": {\n        "test": "node --test"\n    }\n}';

describe('plan-tasks init', () => {
  it('--help lines every option\'s description up in one column (`--agent` once sat apart)', async () => {
    const r = await init(tempDir(), '--help');
    const options = r.stdout.split('\nOptions:\n')[1]!.split('\n\n')[0]!.split('\n');
    const columns = options.map((line) => (/^  -/.test(line) ? /^(\s+-\S*(?:, -\S+)?(?: \S+)?\s+)\S/.exec(line)![1]!.length : /^\s+/.exec(line)![0].length));
    expect(options.length).toBeGreaterThan(4);
    expect(new Set(columns)).toEqual(new Set([columns[0]]));
  });

  it('refuses outside a git repository, with a hint, writing nothing', async () => {
    const dir = tempDir(false);
    writeFileSync(join(dir, 'package.json'), PKG);
    const r = await init(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not inside a git repository/);
    expect(r.stderr).toMatch(/git init/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(dir)).toEqual({ 'package.json': PKG });
  });

  it('refuses without package.json, with a hint, writing nothing', async () => {
    const dir = tempDir();
    const r = await init(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Missing package\.json in .*, expected an npm project/);
    expect(r.stderr).toMatch(/npm init -y/);
    expect(snapshot(dir)).toEqual({});
  });

  it('sets a repository up, keeping package.json\'s indentation and missing final newline, and says what is next', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    const r = await init(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['package.json', '.husky/pre-commit', '.github/workflows/plan-tasks.yml', 'plan-tasks.config.json']) expect(r.stdout).toContain(f);
    expect(r.stdout).toMatch(/npm install/);

    const pkgText = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(pkgText.endsWith('}')).toBe(true);
    expect(pkgText).toMatch(/^\{\n {4}"name": "app",\n/);
    const pkg = JSON.parse(pkgText);
    expect(pkg.scripts).toEqual({ test: 'node --test', prepare: 'husky' });
    // No lint-staged: the hook runs plan-tasks itself (it reads the index; lint-staged's stash adds ~600 ms).
    expect(pkg.devDependencies).toEqual({ husky: DEV_DEPENDENCIES.husky, 'plan-tasks': expect.stringMatching(/^\^\d+\.\d+\.\d+/) });
    expect(Object.keys(pkg)).toEqual(['name', 'version', 'scripts', 'devDependencies']);

    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('plan-tasks lint --staged\n');
    expect(existsSync(join(dir, '.lintstagedrc.json'))).toBe(false);
    // No lockfile: `npm install`, no npm cache (setup-node's cache needs a lockfile).
    expect(readFileSync(join(dir, '.github/workflows/plan-tasks.yml'), 'utf8')).toBe(workflowText({ packageManager: { name: 'npm', lockfile: null } }));
    expect(readFileSync(join(dir, 'plan-tasks.config.json'), 'utf8')).toBe(starterConfig());
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    expect((await init(dir)).code).toBe(0);
    const before = snapshot(dir);
    const mtimes = Object.keys(before).map((f) => statSync(join(dir, f)).mtimeMs);
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nothing to change/);
    expect(snapshot(dir)).toEqual(before);
    expect(Object.keys(before).map((f) => statSync(join(dir, f)).mtimeMs)).toEqual(mtimes);
  });

  it('keeps tabs, CRLF, a BOM-less final newline, and chains an existing prepare script', async () => {
    const dir = tempDir();
    const text = '{\r\n\t"name": "app",\r\n\t"scripts": {\r\n\t\t"prepare": "npm run build"\r\n\t},\r\n\t"devDependencies": {\r\n\t\t"zod": "^4.0.0",\r\n\t\t"husky": "^9.0.0"\r\n\t}\r\n}\r\n';
    writeFileSync(join(dir, 'package.json'), text);
    expect((await init(dir)).code).toBe(0);
    const out = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(out).toMatch(/^\{\r\n\t"name": "app",\r\n/);
    expect(out.endsWith('}\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const pkg = JSON.parse(out);
    expect(pkg.scripts.prepare).toBe('husky && npm run build');
    expect(pkg.devDependencies.husky).toBe('^9.0.0');
    expect(Object.keys(pkg.devDependencies)).toEqual(['husky', 'plan-tasks', 'zod']);
  });

  it('with a husky older than 9 (no node_modules/.bin on the hook\'s PATH), the hook runs node_modules/.bin/plan-tasks', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"x","devDependencies":{"husky":"^8.0.3"}}\n');
    expect((await init(dir)).code).toBe(0);
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('node_modules/.bin/plan-tasks lint --staged\n');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies.husky).toBe('^8.0.3');
    expect((await init(dir)).stdout).toMatch(/nothing to change/);
  });

  it('leaves a prepare script that already runs husky alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{"name":"x","scripts":{"prepare":"husky || true"}}\n');
    await init(dir);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts.prepare).toBe('husky || true');
  });

  it('merges into a husky hook of the user\'s own: its line appended, every other byte kept; idempotent', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    mkdirSync(join(dir, '.husky'));
    writeFileSync(join(dir, '.husky/pre-commit'), 'npm test');
    const r = await init(dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('  updated    .husky/pre-commit: your hook kept, `plan-tasks lint --staged` appended to it\n');
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe(`npm test\n${PRE_COMMIT}`);
    const before = snapshot(dir);
    expect((await init(dir)).stdout).toMatch(/nothing to change, this repository is already set up/);
    expect((await init(dir, '--force')).code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    // CRLF kept.
    writeFileSync(join(dir, '.husky/pre-commit'), 'npm test\r\n');
    expect((await init(dir)).code).toBe(0);
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('npm test\r\nplan-tasks lint --staged\r\n');
  });

  it('leaves a husky hook that can stop early (exit, exec) alone, with the line to add by hand', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    mkdirSync(join(dir, '.husky'));
    writeFileSync(join(dir, '.husky/pre-commit'), 'npm test\nexit 0\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/by hand\s+\.husky\/pre-commit: your hook can stop before a line appended to it/);
    expect(r.stdout).toContain('\n    plan-tasks lint --staged\n');
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('npm test\nexit 0\n');
    expect(existsSync(join(dir, '.github/workflows/plan-tasks.yml'))).toBe(true);
    // A last line that continues (`\`): appended, plan-tasks would become arguments of npm test.
    for (const hook of ['npm test \\\n', 'npm test \\\r\n', 'npm run lint && \\\n  npm test \\\n\n']) {
      writeFileSync(join(dir, '.husky/pre-commit'), hook);
      const again = await init(dir);
      expect(again.stdout).toMatch(/\.husky\/pre-commit: your hook's last line continues onto the next/);
      expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe(hook);
    }
  });

  it('keeps a hook that already runs lint-staged among other commands, when lint-staged is set up', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    writeFileSync(join(dir, '.lintstagedrc.json'), '{ "*.js": "eslint" }\n');
    mkdirSync(join(dir, '.husky'));
    writeFileSync(join(dir, '.husky/pre-commit'), 'npm test\nnpx lint-staged\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kept\s+\.husky\/pre-commit/);
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('npm test\nnpx lint-staged\n');
  });

  it('names the install command of the repository\'s package manager in the next step', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nNext: run `pnpm install` (it installs husky, plan-tasks; the prepare script then runs husky, which turns the pre-commit hook on), then commit these files.\n');
    expect(readFileSync(join(dir, '.github/workflows/plan-tasks.yml'), 'utf8')).toContain('- run: pnpm install --frozen-lockfile\n');
  });

  it('says of npm install only what it does here: what is not installed yet, what init added, whether the hook is still off', async () => {
    const dir = tempDir();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    const installed = (...names: string[]) => {
      for (const name of names) {
        mkdirSync(join(dir, 'node_modules', name), { recursive: true });
        writeFileSync(join(dir, 'node_modules', name, 'package.json'), `{ "name": "${name}", "version": "9.1.7" }\n`);
      }
    };
    const next = (stdout: string) => stdout.slice(stdout.indexOf('\nNext: ') + 1).split('\n')[0];
    // husky declared but not installed, plan-tasks installed, nothing turned on: both things npm install does.
    writeFileSync(join(dir, 'package.json'), '{ "name": "app", "scripts": { "prepare": "husky" }, "devDependencies": { "husky": "^9.1.7", "plan-tasks": "^0.1.0" } }\n');
    installed('plan-tasks');
    const first = await init(dir);
    expect(next(first.stdout)).toBe('Next: run `npm install` (it installs husky; the prepare script then runs husky, which turns the pre-commit hook on), then commit these files.');
    // husky installed too, the hook not on yet (prepare never ran): only the prepare script's part.
    installed('husky');
    rmSync(join(dir, '.husky/pre-commit'));
    const off = await init(dir);
    expect(next(off.stdout)).toBe('Next: run `npm install` (the prepare script then runs husky, which turns the pre-commit hook on), then commit these files.');
    // The hook on (husky 9: core.hooksPath .husky/_ and its scripts): no install step at all.
    git('config', 'core.hooksPath', '.husky/_');
    mkdirSync(join(dir, '.husky/_'), { recursive: true });
    writeFileSync(join(dir, '.husky/_/pre-commit'), '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n');
    rmSync(join(dir, '.husky/pre-commit'));
    const on = await init(dir);
    expect(on.stdout).toMatch(/created\s+\.husky\/pre-commit/);
    expect(next(on.stdout)).toBe('Next: commit these files.');
    // init adds a devDependency that node_modules already holds: npm install only records it.
    writeFileSync(join(dir, 'package.json'), '{ "name": "app", "scripts": { "prepare": "husky" }, "devDependencies": { "husky": "^9.1.7" } }\n');
    const recorded = await init(dir);
    expect(recorded.stdout).toMatch(/updated\s+package\.json: devDependencies plan-tasks/);
    expect(next(recorded.stdout)).toBe('Next: run `npm install` (it records plan-tasks in the lockfile), then commit these files.');
  });

  it('calls a file kept, with why, where it holds the user\'s own text init leaves alone; unchanged only where it holds init\'s', async () => {
    // lint-staged in package.json, its stories entry the user's own way of running plan-tasks; a hook running lint-staged.
    const dir = tempDir();
    const pkg = '{\n  "name": "app",\n  "scripts": { "prepare": "husky" },\n  "devDependencies": { "husky": "^9.1.7", "lint-staged": "^16.4.0", "plan-tasks": "^0.1.0" },\n  "lint-staged": { "*.js": "eslint", "docs/stories/*.md": "npx plan-tasks lint --staged --max-warnings 0" }\n}\n';
    writeFileSync(join(dir, 'package.json'), pkg);
    mkdirSync(join(dir, '.husky'));
    writeFileSync(join(dir, '.husky/pre-commit'), 'npm test\nnpx lint-staged\n');
    const r = await init(dir);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('  kept       package.json: your lint-staged entry "docs/stories/*.md" already runs plan-tasks lint, so kept as you wrote it\n');
    expect(r.stdout).toContain('  kept       .husky/pre-commit: your hook already runs lint-staged, whose config runs plan-tasks lint --staged\n');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(pkg);
    // The second run lists the same reasons (a bare `kept` says nothing).
    const again = await init(dir);
    expect(again.stdout).toMatch(/^plan-tasks init: nothing to change, this repository is already set up\.\n/);
    expect(again.stdout).toContain('  kept       package.json: your lint-staged entry "docs/stories/*.md" already runs plan-tasks lint, so kept as you wrote it\n');
    expect(again.stdout).toContain('  kept       .husky/pre-commit: your hook already runs lint-staged, whose config runs plan-tasks lint --staged\n');
    expect(again.stdout).toContain('  unchanged  .gitignore\n');
    // The same in .lintstagedrc.json; init's own entry (alone, or appended to the user's list) is unchanged.
    const rc = tempDir();
    writeFileSync(join(rc, 'package.json'), PKG);
    writeFileSync(join(rc, '.lintstagedrc.json'), '{ "docs/stories/*.md": "node_modules/.bin/plan-tasks lint --staged" }\n');
    const viaRc = await init(rc);
    expect(viaRc.stdout).toContain('  kept       .lintstagedrc.json: your lint-staged entry "docs/stories/*.md" already runs plan-tasks lint, so kept as you wrote it\n');
    expect(viaRc.stdout).toMatch(/updated\s+package\.json: devDependencies husky, lint-staged, plan-tasks; scripts\.prepare "husky"\n/);
    expect(readFileSync(join(rc, '.lintstagedrc.json'), 'utf8')).toBe('{ "docs/stories/*.md": "node_modules/.bin/plan-tasks lint --staged" }\n');
    for (const entry of ['"plan-tasks lint --staged"', '["prettier --check", "plan-tasks lint --staged"]']) {
      writeFileSync(join(rc, '.lintstagedrc.json'), `{ "docs/stories/*.md": ${entry} }\n`);
      const ours = await init(rc);
      expect(ours.stdout).toContain('  unchanged  .lintstagedrc.json\n');
    }
    // A husky hook that runs plan-tasks itself says that.
    const own = tempDir();
    writeFileSync(join(own, 'package.json'), PKG);
    mkdirSync(join(own, '.husky'));
    writeFileSync(join(own, '.husky/pre-commit'), 'npm test\nnpx plan-tasks lint --staged\n');
    expect((await init(own)).stdout).toContain('  kept       .husky/pre-commit: your hook already runs plan-tasks lint --staged\n');
  });

  it('says the first commit (it adds the config) lints every story, only when it writes the config', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    const r = await init(dir);
    expect(r.code).toBe(0);
    // No story yet: `plan-tasks lint` would exit 2 (no file matches), so the advice is where the first story goes.
    expect(r.stdout).not.toMatch(/run `plan-tasks lint`/);
    expect(r.stdout).toContain('No story matches docs/stories/*.md yet: write the first one there (docs/stories/001-<slug>.md, in the README\'s story format), then `plan-tasks lint` checks it.\n');
    const again = await init(dir);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/That commit adds a config|No story matches/);
    // With a story, the first commit's hook lints it: run lint first, and that lint runs.
    const withStory = tempDir();
    writeFileSync(join(withStory, 'package.json'), PKG);
    mkdirSync(join(withStory, 'docs/stories'), { recursive: true });
    writeFileSync(join(withStory, 'docs/stories/001-a.md'), '# Story 001: A\n\n## Status\n\nReady\n');
    const first = await init(withStory);
    expect(first.stdout).toMatch(/That commit adds a config, so its hook lints every story[^\n]*run `plan-tasks lint` first/);
    const lint = await main(['lint'], { cwd: withStory, stdout: () => {}, stderr: () => {}, env: {}, isTTY: false });
    expect(lint).toBe(0);
  });

  it('run before the lockfile existed, a second run after `npm install` updates its own workflow to `npm ci`', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    expect((await init(dir)).code).toBe(0);
    const file = join(dir, '.github/workflows/plan-tasks.yml');
    expect(readFileSync(file, 'utf8')).toContain('- run: npm install\n');
    writeFileSync(join(dir, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
    const r = await init(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated\s+\.github\/workflows\/plan-tasks\.yml: .*\(npm, package-lock\.json\)/);
    expect(readFileSync(file, 'utf8')).toContain('- run: npm ci\n');
    expect((await init(dir)).stdout).toMatch(/nothing to change/);
  });

  it('updates the workflow an earlier version of init wrote (unedited) to the current one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    writeFileSync(join(dir, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    const file = join(dir, '.github/workflows/plan-tasks.yml');
    writeFileSync(file, EARLIER_WORKFLOWS[0]!);
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated\s+\.github\/workflows\/plan-tasks\.yml/);
    expect(readFileSync(file, 'utf8')).toBe(workflowText());
    // The previous version's text (before actions: read and the Dependabot guard) is updated too.
    writeFileSync(file, previousWorkflowText());
    const previous = await init(dir);
    expect(previous.stdout).toMatch(/updated\s+\.github\/workflows\/plan-tasks\.yml/);
    expect(readFileSync(file, 'utf8')).toBe(workflowText());
    // Edited, it is the user's: kept.
    const edited = EARLIER_WORKFLOWS[0]!.replace('timeout-minutes: 10', 'timeout-minutes: 5');
    writeFileSync(file, edited);
    expect((await init(dir)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  it('keeps an edited workflow with a one-line note and adds what is missing; --force replaces only what it names, and says so', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    await init(dir);
    const file = join(dir, '.github/workflows/plan-tasks.yml');
    const mine = workflowText().replace('node-version: 22', 'node-version: 24');
    writeFileSync(file, mine);
    // `init --agent claude` later: the agent files are added, the edited workflow kept.
    const r = await init(dir, '--agent', 'claude');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('  kept       .github/workflows/plan-tasks.yml: differs from what init writes now (an edit, or an earlier config or version), so left as it is; `plan-tasks init --force .github/workflows/plan-tasks.yml` replaces it\n');
    expect(r.stdout).toMatch(/created\s+\.claude\/commands\/plan-tasks\.md/);
    expect(readFileSync(file, 'utf8')).toBe(mine);
    // Idempotent: nothing left to add, the note again.
    const again = await init(dir, '--agent', 'claude');
    expect(again.stdout).toMatch(/nothing to change in the files it writes/);
    expect(again.stdout).toMatch(/kept\s+\.github\/workflows\/plan-tasks\.yml: differs from what init writes now/);
    // --force naming another file leaves the workflow alone.
    const slash = join(dir, '.claude/commands/plan-tasks.md');
    writeFileSync(slash, 'my own command\n');
    const one = await init(dir, '--agent', 'claude', '--force', '.claude/commands/plan-tasks.md');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/replaced\s+\.claude\/commands\/plan-tasks\.md: not written by init; your edits give way to init's text/);
    expect(readFileSync(slash, 'utf8')).not.toBe('my own command\n');
    expect(readFileSync(file, 'utf8')).toBe(mine);
    // --force with no names replaces every such file, each listed.
    const all = await init(dir, '--force');
    expect(all.stdout).toMatch(/replaced\s+\.github\/workflows\/plan-tasks\.yml: differs from what init writes now \(an edit, or an earlier config or version\); your edits give way to init's text/);
    expect(readFileSync(file, 'utf8')).toBe(workflowText({ packageManager: { name: 'npm', lockfile: null } }));
    // Names must be files init writes; names need --force.
    const bad = await init(dir, '--force', 'README.md');
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'plan-tasks: Unexpected README.md: not a file init writes, expected one of package.json, .husky/pre-commit, .github/workflows/plan-tasks.yml, plan-tasks.config.json, .gitignore']);
    const noForce = await init(dir, '.gitignore');
    expect([noForce.code, noForce.stderr.split('\n')[0]]).toEqual([2, 'plan-tasks: Unexpected argument .gitignore, expected files only after --force (plan-tasks init --force .gitignore)']);
  });

  it('adds its entry to an existing lint-staged config, in package.json or .lintstagedrc.json', async () => {
    const a = tempDir();
    writeFileSync(join(a, 'package.json'), JSON.stringify({ name: 'a', 'lint-staged': { '*.js': 'eslint' } }, null, 2) + '\n');
    expect((await init(a)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(a, 'package.json'), 'utf8'))['lint-staged']).toEqual({ '*.js': 'eslint', 'docs/stories/*.md': 'plan-tasks lint --staged' });
    expect(existsSync(join(a, '.lintstagedrc.json'))).toBe(false);

    const b = tempDir();
    writeFileSync(join(b, 'package.json'), PKG);
    writeFileSync(join(b, '.lintstagedrc.json'), '{\n\t"*.css": ["stylelint --fix"]\n}\n');
    expect((await init(b)).code).toBe(0);
    expect(readFileSync(join(b, '.lintstagedrc.json'), 'utf8')).toBe('{\n\t"*.css": [\n\t\t"stylelint --fix"\n\t],\n\t"docs/stories/*.md": "plan-tasks lint --staged"\n}\n');
  });

  for (const [file, line] of [
    ['lint-staged.config.mjs', '"docs/stories/*.md": "plan-tasks lint --staged",'],
    ['.lintstagedrc.yaml', '"docs/stories/*.md": plan-tasks lint --staged'],
  ] as const) {
    it(`with ${file}, writes everything else and prints the line to add; once added, a second run keeps it`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'package.json'), PKG);
      const original = file.endsWith('.mjs') ? 'export default {\n  "*.js": "eslint",\n};\n' : '"*.js": eslint\n';
      writeFileSync(join(dir, file), original);
      const r = await init(dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`by hand\\s+${file.replace(/\./g, '\\.')}`));
      expect(r.stdout).toContain(`\n    ${line}\n`);
      expect(readFileSync(join(dir, file), 'utf8')).toBe(original);
      expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('npx lint-staged\n');
      expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies).toHaveProperty('lint-staged');
      expect(existsSync(join(dir, '.github/workflows/plan-tasks.yml'))).toBe(true);

      // The user adds the line: init is done.
      writeFileSync(join(dir, file), file.endsWith('.mjs') ? original.replace('};', `  ${line}\n};`) : `${original}${line}\n`);
      const again = await init(dir);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/nothing to change, this repository is already set up/);
      expect(again.stdout).toMatch(new RegExp(`kept\\s+${file.replace(/\./g, '\\.')}`));
    });
  }

  it('keeps an existing config and hooks the stories it names', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    writeFileSync(join(dir, 'plan-tasks.config.json'), '{ "stories": ["plans/*.md", "epics/*.md"] }\n');
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kept\s+plan-tasks\.config\.json/);
    expect(readFileSync(join(dir, 'plan-tasks.config.json'), 'utf8')).toBe('{ "stories": ["plans/*.md", "epics/*.md"] }\n');
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe('plan-tasks lint --staged\n');
    const workflow = readFileSync(join(dir, '.github/workflows/plan-tasks.yml'), 'utf8');
    expect(workflow).toContain("      - 'plans/*.md'\n      - 'epics/*.md'\n");
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    const r = await init(dir, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dry run, nothing written/);
    expect(r.stdout).toMatch(/would create\s+\.husky\/pre-commit/);
    // Its next step is the run itself (was "Next: ... commit these files", none written), and it
    // says, as the real run does, where the first story goes.
    expect(r.stdout).toMatch(/\nNext: run `plan-tasks init` without --dry-run to write them, then run `npm install` .*, then commit these files\.\n/);
    expect(r.stdout).toMatch(/\nNo story matches docs\/stories\/\*\.md yet: write the first one there/);
    expect(snapshot(dir)).toEqual({ 'package.json': PKG });
    // Set up, a dry run says it is one (was a bare "plan-tasks init: nothing to change").
    expect((await init(dir)).code).toBe(0);
    const again = await init(dir, '--dry-run');
    expect(again.stdout).toMatch(/^plan-tasks init \(dry run, nothing written\): nothing to change, this repository is already set up\.\n/);
  });

  it('ignores the --cache file in .gitignore: created, or one line appended with every other byte kept; idempotent; dry-run says it', async () => {
    expect(INIT_CACHE_FILE).toBe(DEFAULT_CACHE_FILE);
    // No .gitignore: created.
    const fresh = tempDir();
    writeFileSync(join(fresh, 'package.json'), PKG);
    const dry = await init(fresh, '--dry-run');
    expect(dry.stdout).toMatch(/would create\s+\.gitignore: ignores node_modules\/ \(what `npm install` writes\) and \.plan-tasks-cache/);
    expect(existsSync(join(fresh, '.gitignore'))).toBe(false);
    expect((await init(fresh)).code).toBe(0);
    // Created whole: node_modules/ too (the npm install init asks for next would otherwise be committed).
    expect(readFileSync(join(fresh, '.gitignore'), 'utf8')).toBe('node_modules/\n.plan-tasks-cache\n');
    // After a cached lint, git sees no untracked cache file.
    mkdirSync(join(fresh, 'docs/stories'), { recursive: true });
    writeFileSync(join(fresh, 'docs/stories/001-a.md'), '# Story 001: A\n\n## Status\nDraft\n');
    await main(['lint', '--cache'], { cwd: fresh, stdout: () => {}, stderr: () => {}, env: {}, isTTY: false });
    expect(existsSync(join(fresh, '.plan-tasks-cache'))).toBe(true);
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: fresh, encoding: 'utf8' })).not.toContain('.plan-tasks-cache');

    // An existing .gitignore with CRLF and no final newline: one line appended, the rest byte-identical.
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    const before = 'node_modules/\r\n# build\r\ndist';
    writeFileSync(join(dir, '.gitignore'), before);
    const r = await init(dir, '--dry-run');
    expect(r.stdout).toMatch(/would update\s+\.gitignore: ignores \.plan-tasks-cache/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(before);
    await init(dir);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(`${before}\r\n.plan-tasks-cache\r\n`);
    const again = await init(dir);
    expect(again.stdout).toMatch(/nothing to change/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(`${before}\r\n.plan-tasks-cache\r\n`);

    // Already ignored (at the root, or re-included by a negation later: then added).
    const kept = tempDir();
    writeFileSync(join(kept, 'package.json'), PKG);
    writeFileSync(join(kept, '.gitignore'), '/.plan-tasks-cache\n');
    await init(kept);
    expect(readFileSync(join(kept, '.gitignore'), 'utf8')).toBe('/.plan-tasks-cache\n');
    const negated = tempDir();
    writeFileSync(join(negated, 'package.json'), PKG);
    writeFileSync(join(negated, '.gitignore'), '.plan-tasks-cache\n!.plan-tasks-cache\n');
    await init(negated);
    expect(readFileSync(join(negated, '.gitignore'), 'utf8')).toBe('.plan-tasks-cache\n!.plan-tasks-cache\n.plan-tasks-cache\n');
  });

  it('refuses when run in a package below the repository root', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web/package.json'), PKG);
    const r = await init(join(dir, 'web'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected it at the repository root/);
  });

  it('writes a starter config that loads and matches the defaults', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), PKG);
    await init(dir);
    const config = await loadConfig({ cwd: dir });
    expect(config.configFile).toBe(join(dir, 'plan-tasks.config.json'));
    expect(config.domains.map((d) => d.name)).toEqual(DEFAULT_DOMAINS.map((d) => d.name));
    expect(config.stories).toEqual(['docs/stories/*.md']);
  });

  it('adds the husky and lint-staged versions this package itself uses', () => {
    const own = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8'));
    expect(DEV_DEPENDENCIES).toEqual({ husky: own.devDependencies.husky, 'lint-staged': own.devDependencies['lint-staged'] });
  });
});
