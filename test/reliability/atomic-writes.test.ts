/**
 * Writes that cannot lose data. Every command that writes a user's file
 * (`lint --fix`, `scaffold`, `graph --write`, `init`) goes through
 * `writeFileAtomic`; here a seam (a wrapper around it) changes the file on disk
 * between the command's read and its write, as an editor or a second process
 * would, and the command must refuse with exit 2, leaving the other writer's
 * bytes and no temp file. The crash test kills a real `--fix` process at
 * several points of a run over a corpus: every file is the original or the
 * complete fixed version, never a mix or a truncation.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../cli-helpers.js';

const hook = vi.hoisted(() => ({ before: null as null | ((path: string) => void) }));

vi.mock('../../src/fs/atomic.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/fs/atomic.js')>();
  return {
    ...real,
    writeFileAtomic: (path: string, content: string | Buffer, options?: { expected?: string | Buffer | null }) => {
      hook.before?.(path);
      return real.writeFileAtomic(path, content, options);
    },
  };
});

const { writeFileAtomic } = await import('../../src/fs/atomic.js');
const REPO = new URL('../../', import.meta.url).pathname;
const FIXABLE = readFileSync(new URL('../fixtures/rules/task-heading/not-ok-task-prefix.md', import.meta.url), 'utf8').replace(/<!--[^]*$/, '');
const READY = readFileSync(new URL('../fixtures/scaffold/project/docs/stories/015-token-auth.md', import.meta.url), 'utf8');
const CLEAN = readFileSync(new URL('./fixtures/bad-input/007 with spaces.md', import.meta.url), 'utf8');

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-atomic-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  hook.before = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempFiles = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
const CONCURRENT = '# Someone else saved this file meanwhile\n';

describe('writeFileAtomic', () => {
  it('writes through a temp file and keeps the mode', () => {
    const dir = tempDir();
    const file = join(dir, 'a.md');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'new\n', { expected: 'old\n' });
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('refuses when the file changed, was removed, or appeared since it was read', () => {
    const dir = tempDir();
    const file = join(dir, 'a.md');
    writeFileSync(file, 'theirs\n');
    expect(() => writeFileAtomic(file, 'mine\n', { expected: 'ours\n' })).toThrow(/Not writing .*a\.md: it changed on disk after it was read/);
    expect(() => writeFileAtomic(join(dir, 'gone.md'), 'mine\n', { expected: 'ours\n' })).toThrow(/it was removed after it was read/);
    expect(() => writeFileAtomic(file, 'mine\n', { expected: null })).toThrow(/it already exists/);
    expect(readFileSync(file, 'utf8')).toBe('theirs\n');
    expect(existsSync(join(dir, 'gone.md'))).toBe(false);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('leaves the original and no temp file when the folder cannot be written', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere; the rename path is covered by the crash test
    const dir = tempDir();
    const file = join(dir, 'a.md');
    writeFileSync(file, 'old\n');
    chmodSync(dir, 0o555);
    try {
      expect(() => writeFileAtomic(file, 'new\n', { expected: 'old\n' })).toThrow(/Cannot write/);
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });
});

/** Make the next write of `name` find the file changed by someone else first. */
function raceOn(name: string): void {
  hook.before = (path) => {
    if (path.endsWith(name)) writeFileSync(path, CONCURRENT);
  };
}

describe('every writing command refuses a file that changed between read and write', () => {
  it('lint --fix', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/015-fix.md'), FIXABLE);
    raceOn('015-fix.md');
    const r = await run(['lint', '--fix'], dir);
    expect(r.stderr).toMatch(/plan-tasks: Not writing .*015-fix\.md: it changed on disk after it was read/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'docs/stories/015-fix.md'), 'utf8')).toBe(CONCURRENT);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('scaffold', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/015-token-auth.md'), READY);
    raceOn('015-token-auth.md');
    // --force: the fixture still lists an open question, which alone would refuse (exit 1) before any write.
    const r = await run(['scaffold', '015', '--force'], dir);
    expect(r.stderr).toMatch(/Not writing .*015-token-auth\.md: it changed on disk after it was read/);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'docs/stories/015-token-auth.md'), 'utf8')).toBe(CONCURRENT);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('graph --write', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/007-clean.md'), CLEAN);
    raceOn('007-clean.md');
    const r = await run(['graph', '007', '--write'], dir);
    expect(r.stderr).toMatch(/Not writing .*007-clean\.md: it changed on disk after it was read/);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'docs/stories/007-clean.md'), 'utf8')).toBe(CONCURRENT);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('init', async () => {
    const dir = tempDir();
    execFileSync('git', ['init', '-q', dir]);
    const pkg = JSON.stringify({ name: 'x', version: '1.0.0', scripts: {} }, null, 2) + '\n';
    writeFileSync(join(dir, 'package.json'), pkg);
    raceOn('package.json');
    const r = await run(['init'], dir);
    expect(r.stderr).toMatch(/Not writing .*package\.json: it changed on disk after it was read/);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(CONCURRENT);
    expect(tempFiles(dir)).toEqual([]);
  });

  it('without a race, the same commands write (the seam changes nothing by itself)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/015-fix.md'), FIXABLE);
    const r = await run(['lint', '--fix'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'docs/stories/015-fix.md'), 'utf8')).not.toBe(FIXABLE);
  });
});

describe('a crash mid-run leaves every file whole', () => {
  it('SIGKILL at several points of `lint --fix` over 80 files: each is the original or the complete fixed version', async () => {
    if (!existsSync(join(REPO, 'dist/cli.cjs'))) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
    const template = tempDir();
    mkdirSync(join(template, 'docs/stories'), { recursive: true });
    // Big enough that a run takes a while: each story padded with clean tasks.
    const pad = Array.from({ length: 25 }, (_, i) => `### ${String(i + 10).padStart(3, '0')}: Padding task ${i}\n**Domain:** backend\n**Status:** pending\n**Depends on:** none\n\nAdd \`pad${i}.go\` so that its test passes.\n\n---\n`).join('\n');
    const names: string[] = [];
    for (let i = 0; i < 80; i++) {
      const name = `${String(i + 100).padStart(3, '0')}-crash.md`;
      names.push(name);
      writeFileSync(join(template, 'docs/stories', name), FIXABLE.replace(/Story \d+/, `Story ${i + 100}`) + '\n' + pad);
    }
    // The fixed versions, from an uninterrupted run.
    const whole = tempDir();
    cpSync(template, whole, { recursive: true });
    const t0 = Date.now();
    await runBinAsync(['lint', '--fix', '--no-transitions'], whole, null);
    const duration = Date.now() - t0;
    const fixed = new Map(names.map((n) => [n, readFileSync(join(whole, 'docs/stories', n), 'utf8')]));
    const original = new Map(names.map((n) => [n, readFileSync(join(template, 'docs/stories', n), 'utf8')]));
    expect([...fixed].filter(([n, t]) => t === original.get(n))).toEqual([]);

    const seen = { original: 0, fixed: 0 };
    for (const fraction of [0.25, 0.5, 0.75]) {
      const dir = tempDir();
      cpSync(template, dir, { recursive: true });
      await runBinAsync(['lint', '--fix', '--no-transitions'], dir, Math.max(20, Math.round(duration * fraction)));
      for (const n of names) {
        const now = readFileSync(join(dir, 'docs/stories', n), 'utf8');
        if (now === original.get(n)) seen.original++;
        else if (now === fixed.get(n)) seen.fixed++;
        else expect.fail(`${n} is neither the original nor the fixed version after SIGKILL at ${fraction} of the run`);
      }
      // A temp file left by the kill (the process cannot clean up after SIGKILL)
      // is a dotfile ending in .tmp: the story glob never reads it.
      for (const t of tempFiles(dir)) expect(t).toMatch(/(^|\/)\.[^/]+\.md\.[0-9a-f]{8}\.tmp$/);
      const after = await run(['lint', '--format', 'json', '--no-transitions'], dir);
      expect((JSON.parse(after.stdout) as { filePath: string }[]).every((r) => r.filePath.endsWith('.md'))).toBe(true);
    }
    // The kills landed mid-run at least once: some files fixed, some not yet.
    expect(seen.fixed).toBeGreaterThan(0);
    expect(seen.original).toBeGreaterThan(0);
  }, 240_000);
});

/** Run the bin; with `killAfter`, SIGKILL it after that many ms. Resolves when it has exited. */
function runBinAsync(argv: string[], cwd: string, killAfter: number | null): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/plan-tasks.js'), ...argv], { cwd, stdio: 'ignore' });
    const timer = killAfter === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}
