/**
 * The one write helper (src/fs/atomic.ts) as every writer uses it: a lock
 * around read-compare-rename (no lost update between two plan-tasks
 * processes), symlinks written through, hard links and read-only files
 * refused, mode and owner kept, short temp names, nothing left after SIGINT;
 * `-o` atomic and never onto a story; `--cache-location` only replacing a
 * plan-tasks cache. Each case is a real file in a temp folder, run through the
 * bin or in-process.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, shortName } from '../../src/fs/atomic.js';
import { CLI_FIXTURES, REPO, run, runBin, runBinAs } from '../cli-helpers.js';

const isRoot = process.getuid?.() === 0;
const FIXABLE = readFileSync(join(CLI_FIXTURES, 'lint/004-fixable.md'), 'utf8');
const FIXED_HEADING = '### 001: Watch the token file';

const dirs: string[] = [];
function project(): string {
  const d = mkdtempSync(join(tmpdir(), 'pt-safe-'));
  dirs.push(d);
  mkdirSync(join(d, 'docs/stories'), { recursive: true });
  writeFileSync(join(d, 'docs/stories/004-fixable.md'), FIXABLE);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) {
    chmodSync(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});
const leftovers = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'));

describe('lost update: a lock around read-compare-rename', () => {
  it('a --fix that finds the lock held waits, then refuses when the holder changed the file (never overwrites it)', async () => {
    const dir = project();
    const story = join(dir, 'docs/stories/004-fixable.md');
    const lock = `${story}.lock`;
    writeFileSync(lock, ''); // another plan-tasks process is between its compare and its rename
    const child = spawn(process.execPath, [join(REPO, 'bin/plan-tasks.js'), 'lint', '--fix', 'docs/stories/004-fixable.md'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = new Promise<number | null>((done) => child.on('close', done));
    await new Promise((r) => setTimeout(r, 600));
    // The holder renames its version in and releases the lock.
    const theirs = FIXABLE.replace('Watch `token_file`', 'Watch the `token_file`');
    writeFileSync(story, theirs);
    rmSync(lock);
    expect(await code).toBe(2);
    expect(stderr).toContain('changed on disk after it was read');
    expect(readFileSync(story, 'utf8')).toBe(theirs);
    expect(leftovers(dir)).toEqual([]);
  }, 30_000);

  it('a lock held longer than the wait: exit 2 naming the lock file, the story untouched', () => {
    const dir = project();
    const story = join(dir, 'docs/stories/004-fixable.md');
    writeFileSync(`${story}.lock`, '');
    const r = runBin(['lint', '--fix', 'docs/stories/004-fixable.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('004-fixable.md.lock exists');
    expect(readFileSync(story, 'utf8')).toBe(FIXABLE);
  }, 30_000);

  it('lint --fix and graph --write at the same time: never both exit 0 with one change lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-safe-race-'));
    dirs.push(dir);
    cpSync(join(REPO, 'test/fixtures/graph/write'), dir, { recursive: true });
    const story = join(dir, 'docs/stories/080-graph-write.md');
    const original = readFileSync(story, 'utf8');
    // A fixable heading for --fix; graph --write rewrites the graph block.
    const broken = original.replace(/^### (\d{3}):/m, '### Task $1:');
    expect(broken).not.toBe(original);
    const go = (args: string[]) =>
      new Promise<number | null>((done) => spawn(process.execPath, [join(REPO, 'bin/plan-tasks.js'), ...args], { cwd: dir, stdio: 'ignore' }).on('close', done));
    for (let i = 0; i < 6; i++) {
      writeFileSync(story, broken);
      const [a, b] = await Promise.all([go(['lint', '--fix', 'docs/stories/080-graph-write.md']), go(['graph', '080', '--write'])]);
      const text = readFileSync(story, 'utf8');
      const fixed = !/^### Task \d{3}:/m.test(text);
      const graphed = text.includes('```mermaid');
      if (a === 0 || a === 1) expect(fixed, `run ${i}: --fix exited ${a} but its fix is gone`).toBe(true);
      if (b === 0) expect(graphed, `run ${i}: graph --write exited 0 but its block is gone`).toBe(true);
      expect([a, b]).not.toContain(null);
    }
    expect(leftovers(dir)).toEqual([]);
  }, 60_000);
});

describe('links, modes, owners', () => {
  it('--fix on a symlinked story writes the target and keeps the link', async () => {
    const dir = project();
    const real = join(dir, 'elsewhere/004-fixable.md');
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(real, FIXABLE);
    const link = join(dir, 'docs/stories/004-fixable.md');
    rmSync(link);
    symlinkSync('../../elsewhere/004-fixable.md', link);
    const r = await run(['lint', '--fix', 'docs/stories/004-fixable.md'], dir);
    expect(r.stderr).toBe('');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain(FIXED_HEADING);
    expect(leftovers(dir)).toEqual([]);
  });

  it('--fix on a story with two hard links refuses (exit 2) and leaves both names one file', async () => {
    const dir = project();
    const story = join(dir, 'docs/stories/004-fixable.md');
    linkSync(story, join(dir, 'copy.md'));
    const r = await run(['lint', '--fix', 'docs/stories/004-fixable.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 hard links');
    expect(statSync(story).nlink).toBe(2);
    expect(readFileSync(story, 'utf8')).toBe(FIXABLE);
  });

  it('keeps the mode and the group of the file it replaces', async () => {
    const dir = project();
    const story = join(dir, 'docs/stories/004-fixable.md');
    chmodSync(story, 0o640);
    const groups = isRoot ? [4242] : (process.getgroups?.() ?? []).filter((g) => g !== process.getgid?.());
    if (groups.length) chownSync(story, isRoot ? 4343 : process.getuid!(), groups[0]!);
    const before = statSync(story);
    const r = await run(['lint', '--fix', 'docs/stories/004-fixable.md'], dir);
    expect(r.stderr).toBe('');
    const after = statSync(story);
    expect(readFileSync(story, 'utf8')).toContain(FIXED_HEADING);
    expect(after.ino).not.toBe(before.ino); // replaced by rename
    expect([after.mode & 0o7777, after.uid, after.gid]).toEqual([0o640, before.uid, before.gid]);
  });

  it.skipIf(isRoot)('a 0444 story is refused: exit 2, not rewritten through the rename (in-process)', async () => {
    const dir = project();
    const story = join(dir, 'docs/stories/004-fixable.md');
    chmodSync(story, 0o444);
    const r = await run(['lint', '--fix', 'docs/stories/004-fixable.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('permission denied');
    expect(readFileSync(story, 'utf8')).toBe(FIXABLE);
  });

  it.runIf(isRoot)('a 0444 story is refused: exit 2, not rewritten through the rename (the bin as user nobody in a folder it may write)', () => {
    const dir = project();
    const story = join(dir, 'docs/stories/004-fixable.md');
    chmodSync(dir, 0o755);
    chownSync(join(dir, 'docs/stories'), 65534, 65534);
    chownSync(story, 65534, 65534);
    chmodSync(story, 0o444);
    const r = runBinAs(65534, ['lint', '--fix', 'docs/stories/004-fixable.md'], dir);
    expect(r.stderr).toContain('permission denied');
    expect(r.code).toBe(2);
    expect(readFileSync(story, 'utf8')).toBe(FIXABLE);
    expect(statSync(story).mode & 0o777).toBe(0o444);
  });

  it('a 250-character story name: --fix writes it (lock and temp names shortened to fit 255 bytes)', async () => {
    const dir = project();
    const name = `004-${'a'.repeat(250 - 7)}.md`;
    expect(name).toHaveLength(250);
    rmSync(join(dir, 'docs/stories/004-fixable.md'));
    writeFileSync(join(dir, 'docs/stories', name), FIXABLE);
    const r = await run(['lint', '--fix', `docs/stories/${name}`], dir);
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'docs/stories', name), 'utf8')).toContain(FIXED_HEADING);
    expect(leftovers(dir)).toEqual([]);
  });

  it('shortName keeps names within 255 bytes, distinct, and whole when they fit', () => {
    expect(shortName('a.md', '.', '.1234.tmp')).toBe('.a.md.1234.tmp');
    const long = `${'é'.repeat(127)}.md`;
    const a = shortName(long, '.', '.12345678.tmp');
    const b = shortName(`${'é'.repeat(126)}x.md`, '.', '.12345678.tmp');
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(255);
    expect(a).not.toBe(b);
    expect(a.startsWith('.é')).toBe(true);
  });
});

describe('SIGINT during --fix', () => {
  it('leaves no temp or lock file, and every story is the original or the fixed version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-safe-int-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    const names = Array.from({ length: 120 }, (_, i) => `${String(i + 100).padStart(3, '0')}-story.md`);
    const once = project();
    await run(['lint', '--fix'], once);
    const FIXED = readFileSync(join(once, 'docs/stories/004-fixable.md'), 'utf8');
    expect(FIXED).toContain(FIXED_HEADING);
    for (const delay of [150, 300, 450]) {
      for (const n of names) writeFileSync(join(dir, 'docs/stories', n), FIXABLE);
      const child = spawn(process.execPath, [join(REPO, 'bin/plan-tasks.js'), 'lint', '--fix'], { cwd: dir, stdio: 'ignore' });
      const closed = new Promise((done) => child.on('close', (code, signal) => done(signal ?? code)));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGINT');
      const how = await closed;
      expect(how === 'SIGINT' || how === 0 || how === 1, `ended by ${String(how)}`).toBe(true);
      expect(leftovers(dir), `after SIGINT at ${delay} ms`).toEqual([]);
      for (const n of names) expect([FIXABLE, FIXED]).toContain(readFileSync(join(dir, 'docs/stories', n), 'utf8'));
    }
  }, 60_000);
});

describe('-o and --cache-location', () => {
  it('lint -o onto a story is refused (exit 2), the story untouched', async () => {
    const dir = project();
    const r = await run(['lint', '-o', 'docs/stories/004-fixable.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is a story file');
    expect(readFileSync(join(dir, 'docs/stories/004-fixable.md'), 'utf8')).toBe(FIXABLE);
  });

  it('lint -o onto a symlink to a story is refused too', async () => {
    const dir = project();
    symlinkSync('docs/stories/004-fixable.md', join(dir, 'report.txt'));
    const r = await run(['lint', '-o', 'report.txt'], dir);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'docs/stories/004-fixable.md'), 'utf8')).toBe(FIXABLE);
  });

  it('lint -o is atomic: when the write fails (file size limit, as a full disk), the previous report stays whole', () => {
    const dir = project();
    const old = 'the previous report\n'.repeat(200);
    writeFileSync(join(dir, 'report.json'), old);
    const r = spawnSync('sh', ['-c', `ulimit -f 1; exec "${process.execPath}" "${join(REPO, 'bin/plan-tasks.js')}" lint -f json -o report.json`], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Cannot write');
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe(old);
    expect(leftovers(dir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('lint -o /dev/stdout and -o /dev/null still work (a device is written straight, nothing to keep)', () => {
    const dir = project();
    // Through a shell pipe (a spawned child's stdout is a socket, which /dev/stdout cannot reopen).
    const out = spawnSync('sh', ['-c', `"${process.execPath}" "${join(REPO, 'bin/plan-tasks.js')}" lint -f json -o /dev/stdout | cat`], { cwd: dir, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toHaveLength(1);
    const none = runBin(['lint', '-o', '/dev/null'], dir);
    expect(none.stderr).toBe('');
    expect(none.code).toBe(1);
  });

  it('lint -o writes a new report into a new folder', async () => {
    const dir = project();
    const r = await run(['lint', '-f', 'json', '-o', 'out/report.json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'))).toHaveLength(1);
  });

  it('lint -o under a folder that cannot be made exits 2 at once (Node 20 recursive mkdir loops forever on /proc/x/y)', () => {
    const dir = project();
    const r = spawnSync(process.execPath, [join(REPO, 'bin/plan-tasks.js'), 'lint', '-o', '/proc/plan-tasks-x/y.json'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot create the folder /proc/plan-tasks-x');
  });

  it('lint -o under a file says the parent is not a folder (exit 2)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'notes.txt'), 'keep\n');
    const r = await run(['lint', '-o', 'notes.txt/report.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notes.txt is not a folder');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep\n');
  });

  it('--cache-location README.md: exit 2, README untouched; a plan-tasks cache there is used and replaced', async () => {
    const dir = project();
    const readme = '# My project\n\nDo not overwrite me.\n';
    writeFileSync(join(dir, 'README.md'), readme);
    const r = await run(['lint', '--cache', '--cache-location', 'README.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a plan-tasks cache');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(readme);

    const ok = await run(['lint', '--cache', '--cache-location', 'my.cache'], dir);
    expect(ok.code).toBe(1);
    expect(readFileSync(join(dir, 'my.cache'), 'utf8')).toMatch(/^\{"format":/);
    const again = await run(['lint', '--cache', '--cache-location', 'my.cache'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('');
  });
});

describe('writeFileAtomic directly', () => {
  it('a dangling symlink is refused, not replaced by a file', () => {
    const dir = project();
    symlinkSync('nowhere/x.md', join(dir, 'dangling.md'));
    expect(() => writeFileAtomic(join(dir, 'dangling.md'), 'x')).toThrow(/symbolic link that cannot be followed/);
    expect(lstatSync(join(dir, 'dangling.md')).isSymbolicLink()).toBe(true);
  });

  it('a non-regular file (a folder) is refused', () => {
    const dir = project();
    expect(() => writeFileAtomic(join(dir, 'docs'), 'x')).toThrow(/not a regular file/);
    expect(existsSync(join(dir, 'docs/stories/004-fixable.md'))).toBe(true);
  });

  it('check() refuses under the lock, and the lock is released', () => {
    const dir = project();
    const f = join(dir, 'a.txt');
    writeFileSync(f, 'keep');
    expect(() => writeFileAtomic(f, 'x', { check: (t) => (t && readFileSync(t, 'utf8') === 'keep' ? 'no' : null) })).toThrow(/Not writing .*: no/);
    expect(readFileSync(f, 'utf8')).toBe('keep');
    expect(leftovers(dir)).toEqual([]);
  });
});
