/**
 * Git edge cases in real temp repositories, through `lint --staged` and
 * `lint --base`: detached HEAD, a shallow clone, a story deleted in the
 * branch, a merge commit, conflict markers (a merge in progress), and a
 * repository with no commits. Each either lints correctly or stops with exit 2
 * and a message saying what to do; none passes what it could not read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, fixture, lint, Repo, tempDir, transitions } from '../git-helpers.js';

afterAll(cleanup);

const STORY = 'docs/stories/001-token-auth.md';
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at /);

describe('git edge cases', () => {
  it('detached HEAD: --staged and --base both work', async () => {
    const repo = Repo.init();
    repo.commit({ [STORY]: fixture('base.md') });
    repo.git('branch', 'base');
    repo.commit({ [STORY]: fixture('done-to-pending.md') }, 'reopen a done task');
    repo.git('checkout', '-q', '--detach');
    const base = await lint(repo.dir, ['--base', 'base']);
    expect(transitions(base).map((t) => t.ruleId)).toContain('status-transition');
    expect(base.code).toBe(1);
    repo.write(STORY, fixture('forward.md'));
    repo.git('add', STORY);
    const staged = await lint(repo.dir, ['--staged']);
    noStack(staged);
    expect(staged.code).toBe(0);
  });

  it('a shallow clone without the base: exit 2 with how to fetch it, not a pass', async () => {
    const origin = Repo.init();
    origin.commit({ [STORY]: fixture('base.md') });
    origin.git('checkout', '-q', '-b', 'feature');
    origin.commit({ [STORY]: fixture('done-to-pending.md') });
    const dir = tempDir();
    origin.git('clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin.dir}`, dir);
    const r = await lint(dir, ['--base', 'main']);
    noStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plan-tasks: .*main/);
    expect(r.stderr).toMatch(/fetch/i);
  });

  it('a story deleted in the branch is not a crash: its started and finished tasks are task-removed; so is a done task deleted from a kept story', async () => {
    const repo = Repo.init();
    repo.commit({ [STORY]: fixture('base.md'), 'docs/stories/002-rotate.md': fixture('other.md').replace('001/001', 'none') });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.git('rm', '-q', STORY);
    repo.commit({}, 'delete story 001');
    const r = await lint(repo.dir, ['--base', 'main']);
    noStack(r);
    const deleted = r.json.filter((f) => f.filePath.includes('001-token-auth.md'));
    expect(deleted.flatMap((f) => f.messages.map((m) => m.ruleId))).toEqual(['task-removed', 'task-removed']);
    expect(r.code).toBe(1);
    // Deleting a done task (story kept) is reported.
    repo.commit({ [STORY]: fixture('deleted.md') }, 'bring it back without task 001');
    const again = await lint(repo.dir, ['--base', 'main']);
    expect(transitions(again).map((t) => t.ruleId)).toContain('task-removed');
  });

  it('a merge commit: moves brought in from the base are not the branch’s moves', async () => {
    const repo = Repo.init();
    repo.commit({ [STORY]: fixture('base.md') });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit({ 'docs/stories/002-rotate.md': fixture('other.md') }, 'feature work');
    repo.git('checkout', '-q', 'main');
    repo.commit({ [STORY]: fixture('forward.md') }, 'main moves forward');
    repo.git('checkout', '-q', 'feature');
    repo.git('merge', '-q', '--no-edit', '--no-ff', 'main');
    expect(repo.git('rev-list', '--parents', '-n', '1', 'HEAD').trim().split(' ')).toHaveLength(3);
    const r = await lint(repo.dir, ['--base', 'main']);
    noStack(r);
    expect(transitions(r)).toEqual([]);
    expect(r.code).toBe(0);
    // And a real backwards move made after the merge is still caught.
    repo.commit({ [STORY]: fixture('done-to-pending.md') }, 'reopen');
    const after = await lint(repo.dir, ['--base', 'main']);
    expect(transitions(after).map((t) => t.ruleId)).toContain('status-transition');
    expect(after.code).toBe(1);
  });

  it('conflict markers from a merge in progress: an error naming the lines, not tasks parsed from both sides', async () => {
    const repo = Repo.init();
    repo.commit({ [STORY]: fixture('base.md') });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit({ [STORY]: fixture('base.md').replace('**Status:** in_progress', '**Status:** done') }, 'finish 002');
    repo.git('checkout', '-q', 'main');
    repo.commit({ [STORY]: fixture('base.md').replace('**Status:** in_progress', '**Status:** pending') }, 'pause 002');
    expect(() => repo.git('merge', '-q', 'feature')).toThrow();
    repo.git('add', STORY); // staged with the markers, as a hurried `git add .` would
    for (const args of [['--staged'], [STORY]]) {
      const r = await lint(repo.dir, args);
      noStack(r);
      const messages = r.json.flatMap((f) => f.messages);
      expect(messages.map((m) => m.message)).toEqual([expect.stringMatching(/^Unexpected merge conflict markers \(lines \d+-\d+\), expected the conflict resolved/)]);
      expect(messages[0]!.severity).toBe(2);
      expect(r.code).toBe(1);
    }
  });

  it('a repository with no commits: --staged lints the index, --base says there is no HEAD (exit 2)', async () => {
    const repo = Repo.init();
    repo.write(STORY, fixture('base.md'));
    repo.git('add', STORY);
    const staged = await lint(repo.dir, ['--staged']);
    noStack(staged);
    expect(staged.code).toBe(0);
    const base = await lint(repo.dir, ['--base', 'main']);
    noStack(base);
    expect(base.code).toBe(2);
    expect(base.stderr).toMatch(/^plan-tasks: /);
  });

  it('outside any repository: --staged is exit 2 with a one-line reason', async () => {
    const dir = tempDir();
    const r = await lint(dir, ['--staged']);
    noStack(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a git repository|git repository/i);
  });
});
