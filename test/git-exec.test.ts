/**
 * One way to run git (src/git/exec.ts): every other module goes through it, and
 * its failures are UsageErrors with a hint, never a stack trace.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitOk, gitSync } from '../src/git/exec.js';
import { UsageError } from '../src/errors.js';
import { gitRepoIndex } from '../src/scaffold/repo.js';
import { cleanup, gitEnv, Repo, tempDir } from './git-helpers.js';

afterAll(cleanup);

const SRC = join(import.meta.dirname, '..', 'src');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/git/exec.ts is the one way to spawn git', () => {
  it('no other module imports node:child_process', () => {
    const others = sources(SRC).filter((p) => !p.endsWith(join('git', 'exec.ts')) && /from ['"](?:node:)?child_process['"]|require\(['"](?:node:)?child_process/.test(readFileSync(p, 'utf8')));
    expect(others).toEqual([]);
  });

  it('gitSync and git give the same answer in a real repository', async () => {
    const repo = Repo.init();
    repo.commit({ 'a.md': 'a\n' });
    const sync = gitSync(['ls-files', '-z'], { cwd: repo.dir, env: gitEnv() });
    const async = await git(['ls-files', '-z'], { cwd: repo.dir, env: gitEnv() });
    expect(sync.code).toBe(0);
    expect(sync.stdout.toString()).toBe('a.md\0');
    expect(async.stdout.equals(sync.stdout)).toBe(true);
    // A failure is git's exit code and its message, in the C locale.
    const bad = gitSync(['rev-parse', '--verify', 'no-such-rev'], { cwd: repo.dir, env: gitEnv({ LANG: 'de_DE.UTF-8' }) });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/fatal/);
    await expect(gitOk(['rev-parse', '--verify', 'no-such-rev'], { cwd: repo.dir, env: gitEnv() })).rejects.toThrow(UsageError);
  });

  it('git that cannot start is a UsageError with the caller hint, sync and async', async () => {
    const where = { cwd: tempDir(), env: { ...gitEnv(), PATH: '/nonexistent' }, hint: 'Install git, then try again.' };
    expect(() => gitSync(['status'], where)).toThrow(UsageError);
    try {
      gitSync(['status'], where);
    } catch (error) {
      expect((error as UsageError).message).toBe('Cannot run git: it is not installed or not on PATH');
      expect((error as UsageError).hint).toBe('Install git, then try again.');
    }
    await expect(git(['status'], where)).rejects.toThrow('Cannot run git: it is not installed or not on PATH');
  });

  it('a large output through a temporary file is the same bytes as through the pipe, and leaves no file behind', async () => {
    const repo = Repo.init();
    // About 3 MB over 40 blobs, one of them not UTF-8.
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.md`] = `${i} `.repeat(35_000) + '\n';
    repo.commit(files);
    writeFileSync(join(repo.dir, 'odd.bin'), Buffer.from([0xff, 0xfe, 0, 10, 0x80]));
    repo.git('add', 'odd.bin');
    repo.git('commit', '-q', '-m', 'binary');
    const where = { cwd: repo.dir, env: gitEnv() };
    const input = ['HEAD:odd.bin', ...Object.keys(files).map((f) => `HEAD:${f}`), 'HEAD:missing.md'].join('\n') + '\n';
    const saved = process.env.TMPDIR;
    const scratch = tempDir('plan-tasks-scratch-');
    try {
      process.env.TMPDIR = scratch;
      const viaFile = await git(['cat-file', '--batch'], where, input, true);
      expect(readdirSync(scratch)).toEqual([]);
      const viaPipe = await git(['cat-file', '--batch'], where, input);
      expect(viaFile.code).toBe(0);
      expect(viaFile.stdout.length).toBeGreaterThan(2_000_000);
      expect(viaFile.stdout.equals(viaPipe.stdout)).toBe(true);
      // No usable temp folder: the pipe, same bytes.
      process.env.TMPDIR = join(scratch, 'no', 'such', 'folder');
      const fallback = await git(['cat-file', '--batch'], where, input, true);
      expect(fallback.stdout.equals(viaPipe.stdout)).toBe(true);
      // git that cannot start: the same UsageError, and no file left.
      process.env.TMPDIR = scratch;
      await expect(git(['status'], { ...where, env: { ...gitEnv(), PATH: '/nonexistent' } }, undefined, true)).rejects.toThrow('Cannot run git: it is not installed or not on PATH');
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('the scaffolder reads a repository through it, and an empty index outside one', () => {
    const repo = Repo.init();
    repo.commit({ 'src/token.go': 'package auth\nfunc ParseToken() {}\n' });
    const index = gitRepoIndex(repo.dir);
    expect(index.files()).toEqual(['src/token.go']);
    expect(index.grep(['ParseToken', 'Missing']).get('ParseToken')).toEqual(['src/token.go']);
    expect(gitRepoIndex(tempDir()).files()).toEqual([]);
  });
});
