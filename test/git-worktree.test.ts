/**
 * The gates take a story's bytes from the working tree only when they are
 * exactly the blob git lists for its path (src/git/worktree.ts): checked
 * against git's own object ids, on files that differ in every way a checkout
 * can (an edit, line endings, a symbolic link, a FIFO, a missing file), and
 * through the CLI: `lint --base` and `lint --staged` give the same result with
 * the working tree as committed and with every story rewritten on disk.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobId, worktreeBlobs } from '../src/git/worktree.js';
import { cleanup, lint, Repo, tempDir } from './git-helpers.js';

afterAll(cleanup);

const GATE = join(import.meta.dirname, 'fixtures', 'gate');
const gateText = (name: string) => readFileSync(join(GATE, name), 'utf8');

/** Every listed file of HEAD's tree: path and object id. */
function listed(repo: Repo): { path: string; oid: string }[] {
  return repo
    .git('ls-tree', '-r', 'HEAD')
    .trim()
    .split('\n')
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string];
      return { path, oid: meta.split(' ')[2]! };
    });
}

describe('blobId', () => {
  it('names bytes as git does (git hash-object), empty, binary and UTF-8 included', () => {
    const dir = tempDir();
    for (const [i, bytes] of [Buffer.alloc(0), Buffer.from('# Story 001: A\r\n\r\nü ✓\n'), Buffer.from([0, 255, 10, 13, 0])].entries()) {
      const file = join(dir, `f${i}`);
      writeFileSync(file, bytes);
      const oid = execFileSync('git', ['hash-object', '--no-filters', file], { encoding: 'utf8' }).trim();
      expect(blobId(bytes, 40)).toBe(oid);
    }
  });

  it('hashes by SHA-256 for 64-digit ids (a SHA-256 repository), and declines other lengths', () => {
    const bytes = Buffer.from('# Story 001: A\n');
    expect(blobId(bytes, 64)).toMatch(/^[0-9a-f]{64}$/);
    expect(blobId(bytes, 64)).not.toBe(blobId(bytes, 40));
    expect(blobId(bytes, 12)).toBeNull();
    const repo = tempDir();
    try {
      execFileSync('git', ['init', '-q', '--object-format=sha256', repo], { stdio: 'ignore' });
    } catch {
      return; // a git without SHA-256 repositories
    }
    writeFileSync(join(repo, 'a.md'), bytes);
    expect(execFileSync('git', ['hash-object', '--no-filters', 'a.md'], { cwd: repo, encoding: 'utf8' }).trim()).toBe(blobId(bytes, 64));
  });
});

describe('worktreeBlobs', () => {
  function committed(files: Record<string, string>): Repo {
    const repo = Repo.init();
    repo.commit(files);
    return repo;
  }

  it('gives exactly the files whose bytes are the listed blob, and leaves the rest to git', () => {
    const names = ['same.md', 'edited.md', 'crlf.md', 'link.md', 'fifo.md', 'gone.md', 'dir.md'];
    const repo = committed(Object.fromEntries(names.map((n) => [`docs/${n}`, `# Story: ${n}\n\nText.\n`])));
    const docs = join(repo.dir, 'docs');
    writeFileSync(join(docs, 'edited.md'), '# Story: edited.md\n\nText, edited.\n');
    writeFileSync(join(docs, 'crlf.md'), '# Story: crlf.md\r\n\r\nText.\r\n');
    unlinkSync(join(docs, 'link.md'));
    symlinkSync('same.md', join(docs, 'link.md')); // other bytes than link.md's blob
    unlinkSync(join(docs, 'fifo.md'));
    execFileSync('mkfifo', [join(docs, 'fifo.md')]);
    unlinkSync(join(docs, 'gone.md'));
    unlinkSync(join(docs, 'dir.md'));
    mkdirSync(join(docs, 'dir.md'));
    const list = listed(repo);
    const got = worktreeBlobs(repo.dir, list);
    expect([...got.keys()].map((oid) => list.find((l) => l.oid === oid)!.path)).toEqual(['docs/same.md']);
    expect(got.get(list.find((l) => l.path === 'docs/same.md')!.oid)!.toString()).toBe('# Story: same.md\n\nText.\n');
  });

  it('stops trying the working tree when the first files all differ (converted line endings), and never when one matched', () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/${String(i).padStart(2, '0')}.md`, `# Story ${i}\n\nText.\n`]));
    const repo = committed(files);
    const list = listed(repo);
    // All but the last two converted to CRLF: the first eight differ, so the last two are not read.
    for (const { path } of list.slice(0, 10)) writeFileSync(join(repo.dir, path), files[path]!.replace(/\n/g, '\r\n'));
    expect(worktreeBlobs(repo.dir, list).size).toBe(0);
    // The first one matches: every later file is tried.
    writeFileSync(join(repo.dir, list[0]!.path), files[list[0]!.path]!);
    expect(worktreeBlobs(repo.dir, list).size).toBe(3);
  });
});

describe('the gates with a working tree that differs from the change', () => {
  const S1 = 'docs/stories/001-auth.md';
  const S2 = 'docs/stories/002-rotate.md';
  const S3 = 'docs/stories/003-settings.md';

  /** A project with a change: story 1 edited (staged, or committed on a branch). */
  function changed(mode: '--staged' | '--base'): Repo {
    const repo = Repo.init();
    repo.commit({ 'plan-tasks.config.json': gateText('plan-tasks.config.json'), [S1]: gateText('001-auth.md'), [S2]: gateText('002-rotate.md'), [S3]: gateText('003-settings.md') });
    if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
    repo.write(S1, gateText('001-auth-without-003.md'));
    repo.git('add', '-A');
    if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
    return repo;
  }

  for (const mode of ['--staged', '--base'] as const) {
    it(`${mode}: every story rewritten, converted or removed on disk changes nothing`, async () => {
      const repo = changed(mode);
      const args = mode === '--staged' ? ['--staged'] : ['--base', 'main'];
      const clean = await lint(repo.dir, args);
      expect(clean.code).toBe(1); // the change leaves a dangling ref in story 2
      const shape = (r: typeof clean) => [r.code, r.stderr, r.json.map((x) => [x.filePath, x.messages])];
      // Unstaged edits: story 2 without its ref, story 1 back as it was, story 3 with CRLF.
      repo.write(S2, gateText('002-rotate.md').replace(/001\/003/g, '001/001'));
      repo.write(S1, gateText('001-auth.md'));
      repo.write(S3, gateText('003-settings.md').replace(/\n/g, '\r\n'));
      expect(shape(await lint(repo.dir, args))).toEqual(shape(clean));
      // Every story gone from disk.
      rmSync(join(repo.dir, 'docs'), { recursive: true, force: true });
      expect(shape(await lint(repo.dir, args))).toEqual(shape(clean));
    });
  }
});
