import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { listScope } from '../src/git/gate.js';
import { cleanup, fixture, lint, Repo, tempDir, transitions } from './git-helpers.js';

const STORY = 'docs/stories/001-token-auth.md';

afterAll(cleanup);

/** A repo whose main branch holds base.md; returns it on a feature branch. */
function baseRepo(): Repo {
  const repo = Repo.init();
  repo.commit({ [STORY]: fixture('base.md') }, 'plan story 001');
  return repo;
}

/** Line (1-based) of the first line of `text` containing `needle` after `after`. */
function lineOf(text: string, needle: string, after = ''): number {
  const start = after ? text.indexOf(after) : 0;
  return text.slice(0, text.indexOf(needle, start)).split('\n').length;
}

describe('lint --staged', () => {
  it('accepts legal forward moves (exit 0, no messages)', async () => {
    const repo = baseRepo();
    for (const name of ['forward.md', 'paused.md']) {
      repo.write(STORY, fixture(name));
      repo.git('add', STORY);
      const run = await lint(repo.dir, ['--staged']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.json).toHaveLength(1);
      expect(run.json[0]!.filePath).toBe(join(repo.dir, STORY));
      expect(run.json[0]!.messages).toEqual([]);
    }
  });

  it('reports done -> pending and done -> in_progress at the index line, naming both versions', async () => {
    const repo = baseRepo();
    for (const [name, to] of [['done-to-pending.md', 'pending'], ['done-to-in-progress.md', 'in_progress']] as const) {
      const text = fixture(name);
      repo.write(STORY, text);
      repo.git('add', STORY);
      const run = await lint(repo.dir, ['--staged']);
      expect(run.code).toBe(1);
      expect(transitions(run)).toEqual([
        {
          file: join(repo.dir, STORY),
          ruleId: 'status-transition',
          line: lineOf(text, `**Status:** ${to}`, '### 001'),
          message: `Unexpected status change of task 001 from \`done\` (HEAD) to \`${to}\` (staged), expected \`done\` to stay`,
        },
      ]);
    }
  });

  it('reads the index, not the working tree', async () => {
    const repo = baseRepo();
    const staged = fixture('done-to-pending.md');
    repo.write(STORY, staged);
    repo.git('add', STORY);
    const worktree = fixture('deleted.md');
    repo.write(STORY, worktree);
    const run = await lint(repo.dir, ['--staged']);
    const found = transitions(run);
    expect(found.map((f) => f.ruleId)).toEqual(['status-transition']);
    const line = lineOf(staged, '**Status:** pending', '### 001');
    expect(found[0]!.line).toBe(line);
    expect(worktree.split('\n')[line - 1]).not.toContain('**Status:** pending');

    // And the other way round: a clean index passes whatever the working tree holds.
    repo.write(STORY, fixture('forward.md'));
    repo.git('add', STORY);
    repo.write(STORY, fixture('done-to-pending.md'));
    const clean = await lint(repo.dir, ['--staged']);
    expect(clean.code).toBe(0);
    expect(clean.json[0]!.messages).toEqual([]);
  });

  it('lints only the staged stories, or only the paths given (absolute, as lint-staged passes them)', async () => {
    const repo = baseRepo();
    repo.commit({ 'docs/stories/002-rotate.md': fixture('other.md') });
    expect((await lint(repo.dir, ['--staged'])).json).toEqual([]);
    repo.write(STORY, fixture('done-to-pending.md'));
    repo.write('docs/stories/002-rotate.md', fixture('other.md').replace('pending', 'in_progress'));
    repo.write('README.md', '# not a story\n');
    repo.git('add', '.');
    const all = await lint(repo.dir, ['--staged']);
    expect(all.json.map((r) => r.filePath)).toEqual([join(repo.dir, STORY), join(repo.dir, 'docs/stories/002-rotate.md')]);
    const one = await lint(repo.dir, ['--staged', join(repo.dir, 'docs/stories/002-rotate.md')]);
    expect(one.json.map((r) => r.filePath)).toEqual([join(repo.dir, 'docs/stories/002-rotate.md')]);
    // 002/001 started while 001/001 is back to pending in the staged 001.
    expect(one.json[0]!.messages.map((m) => m.ruleId)).toEqual(['dependency-status']);
  });

  it('resolves cross-story refs against the index', async () => {
    const repo = baseRepo();
    repo.write('docs/stories/002-rotate.md', fixture('other.md'));
    repo.git('add', '.');
    rmSync(join(repo.dir, STORY)); // gone from the working tree, still staged
    const run = await lint(repo.dir, ['--staged']);
    expect(run.json.map((r) => r.filePath)).toEqual([join(repo.dir, 'docs/stories/002-rotate.md')]);
    expect(run.json[0]!.messages).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('reports a removed done task, not a removed pending one', async () => {
    const repo = baseRepo();
    repo.write(STORY, fixture('deleted.md'));
    repo.git('add', STORY);
    const run = await lint(repo.dir, ['--staged']);
    expect(transitions(run)).toEqual([
      {
        file: join(repo.dir, STORY),
        ruleId: 'task-removed',
        line: lineOf(fixture('deleted.md'), '## Tasks'),
        message: 'Unexpected removal of task 001 (done in HEAD), expected it to stay',
      },
    ]);
  });

  it('reports renumbered started tasks as renumbered, with no status false alarm', async () => {
    const repo = baseRepo();
    const text = fixture('renumbered.md');
    repo.write(STORY, text);
    repo.git('add', STORY);
    const run = await lint(repo.dir, ['--staged']);
    expect(transitions(run)).toEqual([
      {
        file: join(repo.dir, STORY),
        ruleId: 'task-removed',
        line: lineOf(text, '### 002'),
        message: 'Unexpected renumbering of task 001 (done in HEAD) to 002, expected id 001',
      },
      {
        file: join(repo.dir, STORY),
        ruleId: 'task-removed',
        line: lineOf(text, '### 003'),
        message: 'Unexpected renumbering of task 002 (in_progress in HEAD) to 003, expected id 002',
      },
    ]);
  });

  it('reports a story moved backwards, and allows skipping forward', async () => {
    const repo = Repo.init();
    repo.commit({ [STORY]: fixture('story-done.md') });
    repo.write(STORY, fixture('story-reopened.md'));
    repo.git('add', STORY);
    const run = await lint(repo.dir, ['--staged']);
    expect(transitions(run)).toEqual([
      {
        file: join(repo.dir, STORY),
        ruleId: 'story-status-transition',
        line: 4,
        message: 'Unexpected story status change from `Done` (HEAD) to `In Progress` (staged), expected `Done` or later',
      },
    ]);

    const skip = Repo.init();
    const ready = fixture('story-done.md').replace('## Status\nDone', '## Status\nReady').replace(/## Tasks[^]*$/, '');
    skip.commit({ [STORY]: ready });
    skip.write(STORY, fixture('story-done.md'));
    skip.git('add', STORY);
    const forward = await lint(skip.dir, ['--staged']);
    expect(forward.code).toBe(0);
    expect(transitions(forward)).toEqual([]);
  });

  it('accepts a first commit (no HEAD) and skips transitions with --no-transitions', async () => {
    const repo = Repo.init();
    repo.write(STORY, fixture('base.md'));
    repo.git('add', STORY);
    const first = await lint(repo.dir, ['--staged']);
    expect(first.code).toBe(0);
    expect(first.json[0]!.messages).toEqual([]);

    const other = baseRepo();
    other.write(STORY, fixture('done-to-pending.md'));
    other.git('add', STORY);
    const skipped = await lint(other.dir, ['--staged', '--no-transitions']);
    expect(transitions(skipped)).toEqual([]);
    expect(skipped.json[0]!.messages.map((m) => m.ruleId)).toEqual(['dependency-status']);
  });

  it('takes edges and severities from the config, and honours lint comments', async () => {
    const repo = baseRepo();
    repo.commit({ 'plan-tasks.config.json': JSON.stringify({ transitions: { pending: ['in_progress'], in_progress: ['done'], done: ['in_progress'] }, rules: { 'task-removed': 'warn' } }) });
    repo.write(STORY, fixture('done-to-in-progress.md'));
    repo.git('add', STORY);
    expect(transitions(await lint(repo.dir, ['--staged']))).toEqual([]);

    repo.write(STORY, fixture('forward.md'));
    repo.git('add', STORY);
    const run = await lint(repo.dir, ['--staged']);
    expect(transitions(run).map((f) => f.message)).toEqual([
      'Unexpected status change of task 003 from `pending` (HEAD) to `done` (staged), expected `pending` or `in_progress`',
    ]);

    repo.write(STORY, fixture('deleted.md'));
    repo.git('add', STORY);
    const warned = await lint(repo.dir, ['--staged']);
    expect(warned.json[0]!.messages.filter((m) => m.ruleId === 'task-removed').map((m) => m.severity)).toEqual([1]);

    repo.write(STORY, fixture('done-to-pending.md').replace('### 001:', '<!-- lint disable status-transition -->\n\n### 001:'));
    repo.git('add', STORY);
    const ignored = await lint(repo.dir, ['--staged']);
    expect(transitions(ignored)).toEqual([]);
  });
});

describe('lint --base', () => {
  function branch(repo: Repo, files: Record<string, string>): void {
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit(files, 'feature work');
  }

  it('accepts legal forward moves on a branch (exit 0)', async () => {
    const repo = baseRepo();
    branch(repo, { [STORY]: fixture('forward.md') });
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json.map((r) => [r.filePath, r.messages])).toEqual([[join(repo.dir, STORY), []]]);
  });

  it('compares with the merge-base, not the tip of <rev>', async () => {
    const repo = baseRepo();
    branch(repo, { [STORY]: fixture('forward.md') });
    // main moves on after the branch point: its tip is irrelevant.
    repo.git('checkout', '-q', 'main');
    repo.commit({ [STORY]: fixture('story-done.md') });
    repo.git('checkout', '-q', 'feature');
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(run.code).toBe(0);
    expect(transitions(run)).toEqual([]);
  });

  it('with two merge-bases (criss-cross merges), compares with the one `git merge-base` gives', async () => {
    const repo = baseRepo();
    const root = repo.git('rev-parse', 'HEAD').trim();
    // a: the story done; b: an unrelated file. main merges b into a; feature merges a into b.
    repo.git('checkout', '-q', '-b', 'a');
    repo.commit({ [STORY]: fixture('story-done.md') }, 'done');
    repo.git('checkout', '-q', '-b', 'b', root);
    repo.commit({ 'notes.txt': 'x' }, 'notes');
    repo.git('checkout', '-q', 'main');
    repo.git('reset', '-q', '--hard', 'a');
    repo.git('merge', '-q', '--no-edit', 'b');
    repo.git('checkout', '-q', '-b', 'feature', 'b');
    repo.git('merge', '-q', '--no-edit', 'a');
    // The story back as it was at the root: a change against a's version, none against b's.
    repo.commit({ [STORY]: fixture('base.md') }, 'reopen');
    const bases = repo.git('merge-base', '--all', 'main', 'HEAD').trim().split('\n');
    expect(bases).toHaveLength(2);
    const chosen = repo.git('merge-base', 'main', 'HEAD').trim();
    const byName = await lint(repo.dir, ['--base', 'main']);
    const bySha = await lint(repo.dir, ['--base', chosen]);
    const other = await lint(repo.dir, ['--base', bases.find((b) => b !== chosen)!]);
    // The messages name the old version as --base was written (`main`, a SHA): compared with that name set aside.
    // Which of the two bases git picks depends on the commits' dates (a tie within one second or not), so either
    // side may be the one with findings; the gate must pick the same one as `git merge-base`.
    const found = (run: typeof byName, name: string) =>
      run.json.map((r) => [r.filePath, r.messages.map((m) => ({ ...m, message: m.message.replaceAll(`(${name})`, '(BASE)') }))]);
    expect(byName.code).toBe(bySha.code);
    expect(found(byName, 'main')).toEqual(found(bySha, chosen));
    // The choice matters here: the other base gives another result.
    expect(found(other, bases.find((b) => b !== chosen)!)).not.toEqual(found(bySha, chosen));
  });

  it('a <rev> holding `..` is asked for step by step, with the same message', async () => {
    const repo = baseRepo();
    branch(repo, { [STORY]: fixture('forward.md') });
    const run = await lint(repo.dir, ['--base', 'main..feature']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown revision "main..feature" for --base');
  });

  it('reports every illegal move of the branch, in HEAD lines, naming the base', async () => {
    const repo = baseRepo();
    branch(repo, { [STORY]: fixture('done-to-pending.md') });
    repo.write(join(repo.dir, 'notes.txt'), 'x');
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(run.code).toBe(1);
    expect(transitions(run).map((f) => [f.ruleId, f.line, f.message])).toEqual([
      ['status-transition', lineOf(fixture('done-to-pending.md'), '**Status:** pending', '### 001'), 'Unexpected status change of task 001 from `done` (main) to `pending` (HEAD), expected `done` to stay'],
    ]);
  });

  it('follows a renamed story (git mv) and reports its backwards move', async () => {
    const repo = Repo.init();
    repo.commit({ [STORY]: fixture('story-done.md') });
    repo.git('checkout', '-q', '-b', 'feature');
    const renamed = 'docs/stories/001-token-authentication.md';
    repo.git('mv', STORY, renamed);
    repo.commit({ [renamed]: fixture('story-reopened.md') }, 'rename and reopen');
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(run.code).toBe(1);
    expect(transitions(run).map((f) => [f.file, f.ruleId, f.line])).toEqual([[join(repo.dir, renamed), 'story-status-transition', 4]]);
    expect(transitions(run)[0]!.message).toContain('from `Done` (main) to `In Progress` (HEAD)');
  });

  it('treats an added story as new, and reports the started and finished tasks of a deleted one', async () => {
    const repo = baseRepo();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.git('rm', '-q', STORY);
    repo.commit({ 'docs/stories/002-rotate.md': fixture('other.md').replace('001/001', 'none') }, 'replace story');
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(run.json.map((r) => r.filePath)).toEqual([join(repo.dir, 'docs/stories/002-rotate.md'), join(repo.dir, STORY)]);
    expect(run.json[0]!.messages).toEqual([]);
    // base.md: 001 done, 002 in_progress; the pending 003 and 004 may go.
    // The short message, the task's title in the note (as for a task removed from a kept story).
    expect(run.json[1]!.messages.map((m) => [m.ruleId, m.line, m.message, (m as { note?: string }).note?.slice(0, 20)])).toEqual([
      ['task-removed', 1, 'Unexpected removal of task 001 (done in main) with its deleted story file, expected it to stay', 'Task 001 is `Add tok'],
      ['task-removed', 1, 'Unexpected removal of task 002 (in_progress in main) with its deleted story file, expected it to stay', 'Task 002 is `Check t'],
    ]);
    expect(run.code).toBe(1);
  });

  it('works on a detached HEAD', async () => {
    const repo = baseRepo();
    branch(repo, { [STORY]: fixture('done-to-in-progress.md') });
    repo.git('checkout', '-q', '--detach');
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(transitions(run).map((f) => f.ruleId)).toEqual(['status-transition']);
    const staged = await lint(repo.dir, ['--staged']);
    expect(staged.code).toBe(0);
    expect(staged.json).toEqual([]);
  });

  it('reads a PR of 200 stories with a constant number of git processes', async () => {
    const repo = Repo.init();
    const n = 200;
    const name = (i: number) => `docs/stories/${String(i).padStart(3, '0')}-story.md`;
    const story = (i: number, text: string) => text.replace('# Story 001:', `# Story ${String(i).padStart(3, '0')}:`);
    const files: Record<string, string> = {};
    for (let i = 1; i <= n; i++) files[name(i)] = story(i, fixture('base.md'));
    repo.commit(files);
    repo.git('checkout', '-q', '-b', 'feature');
    for (let i = 1; i <= n; i++) files[name(i)] = story(i, fixture(i % 2 ? 'forward.md' : 'done-to-pending.md'));
    repo.commit(files);

    // Counted by a `git` first on the PATH that logs each start, then runs the real one.
    const bin = tempDir('plan-tasks-git-bin-');
    const log = join(bin, 'log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const counted = { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const starts = () => {
      const n = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
      rmSync(log, { force: true });
      return n;
    };
    const run = await lint(repo.dir, ['--base', 'main'], counted);
    expect(starts()).toBe(4); // rev-parse, one ls-tree (the config files and the stories), the diff from the merge-base, cat-file (the config: none here)
    expect(run.json).toHaveLength(n);
    expect(transitions(run)).toHaveLength(n / 2);

    for (let i = 1; i <= n; i++) repo.write(name(i), story(i, fixture('paused.md')));
    repo.git('add', 'docs');
    const staged = await lint(repo.dir, ['--staged'], counted);
    expect(starts()).toBe(4); // rev-parse, one ls-files (the config files and the stories), diff --cached, cat-file
    expect(staged.json).toHaveLength(n);

    // A config that puts the stories elsewhere: they are listed on their own, one process more.
    repo.write('plan-tasks.config.json', JSON.stringify({ stories: ['plans/*.md'] }));
    repo.write('plans/001-story.md', story(1, fixture('forward.md')));
    repo.git('add', '-A');
    const elsewhere = await lint(repo.dir, ['--staged'], counted);
    // rev-parse, ls-files (the config files, docs/stories), cat-file (the config), ls-files (plans/), diff
    // --cached; no cat-file for the stories: the one in plans/ is new and read from the working tree.
    expect(starts()).toBe(5);
    expect(elsewhere.json.map((r) => r.filePath)).toContain(join(repo.dir, 'plans/001-story.md'));
  }, 120_000);
});

describe('the files git lists: the story folders and the paths named', () => {
  it('narrows to the globs\' static folders and the named paths, or lists everything when it cannot', () => {
    const top = '/repo';
    expect(listScope(['docs/stories/*.md'], '/repo', top, [], '/repo')).toEqual(['docs/stories']);
    expect(listScope(['stories/**/*.md', 'more/*.md'], '/repo/plans', top, ['notes/x.md'], '/repo/plans')).toEqual(['plans/stories', 'plans/more', 'plans/notes/x.md']);
    // No static folder, or anything outside the repository: the whole list.
    expect(listScope(['*.md'], '/repo', top, [], '/repo')).toEqual([]);
    expect(listScope(['{a,b}/*.md'], '/repo', top, [], '/repo')).toEqual([]);
    expect(listScope(['docs/stories/*.md'], '/repo', top, ['../elsewhere.md'], '/repo')).toEqual([]);
    expect(listScope(['../shared/*.md'], '/repo', top, [], '/repo')).toEqual([]);
  });

  it('gives the same report with a thousand other files in the repository, and for a named story outside the folder', async () => {
    const repo = baseRepo();
    const other: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) other[`src/pkg${i % 10}/file-${i}.ts`] = `export const x${i} = ${i};\n`;
    other['notes/001-token-auth.md'] = fixture('base.md');
    repo.commit(other, 'code');
    repo.write(STORY, fixture('done-to-pending.md'));
    repo.write('notes/001-token-auth.md', fixture('done-to-pending.md'));
    repo.git('add', '.');
    const run = await lint(repo.dir, ['--staged']);
    expect(run.json.map((r) => r.filePath)).toEqual([join(repo.dir, STORY)]);
    expect(transitions(run)).toHaveLength(1);
    // Named on the command line (as lint-staged does), a story outside the glob is linted too.
    const named = await lint(repo.dir, ['--staged', STORY, 'notes/001-token-auth.md']);
    expect(named.json.map((r) => r.filePath).sort()).toEqual([join(repo.dir, 'notes/001-token-auth.md'), join(repo.dir, STORY)].sort());
    expect(transitions(named)).toHaveLength(2);
  });
});

describe('git errors are usage errors (exit 2) with a hint', () => {
  it('not a repository', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.md'), '# x\n');
    for (const args of [['--staged'], ['--base', 'main']]) {
      const run = await lint(dir, args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`plan-tasks: Not a git repository: ${dir}`);
      expect(run.stderr).toMatch(/run it inside a git working tree/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('unknown revision, named', async () => {
    const repo = baseRepo();
    const run = await lint(repo.dir, ['--base', 'no-such-branch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown revision "no-such-branch" for --base');
    expect(run.stderr).toContain('git fetch origin no-such-branch');
  });

  it('a shallow clone missing the base', async () => {
    const origin = baseRepo();
    origin.git('checkout', '-q', '-b', 'feature');
    origin.commit({ [STORY]: fixture('forward.md') });
    origin.commit({}, 'second');
    const dir = join(tempDir(), 'clone');
    origin.git('clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin.dir}`, dir);
    const missing = await lint(dir, ['--base', 'origin/main']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Unknown revision "origin/main"');
    expect(missing.stderr).toContain('fetch-depth: 0');

    // Both tips fetched, but not the history that joins them.
    const both = join(tempDir(), 'clone');
    origin.git('clone', '-q', '--depth', '1', '--no-single-branch', '--branch', 'feature', `file://${origin.dir}`, both);
    const cut = await lint(both, ['--base', 'origin/main']);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toContain('No merge-base of "origin/main" and HEAD in this shallow clone');
    expect(cut.stderr).toContain('fetch-depth: 0');
  });

  it('no HEAD yet with --base', async () => {
    const repo = Repo.init();
    const run = await lint(repo.dir, ['--base', 'main']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HEAD has no commit yet');
  });

  it('git not installed', async () => {
    const repo = baseRepo();
    const run = await lint(repo.dir, ['--staged'], { PATH: join(repo.dir, 'no-bin') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot run git: it is not installed or not on PATH');
  });

  it('a named path that is not staged', async () => {
    const repo = baseRepo();
    repo.write('docs/stories/009-new.md', fixture('other.md'));
    const run = await lint(repo.dir, ['--staged', 'docs/stories/009-new.md']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot lint docs/stories/009-new.md with --staged: it is not in the git index');
  });
});

describe('readBlobs', () => {
  it('returns bytes for blobs and null for missing objects, in order', async () => {
    const { readBlobs } = await import('../src/git/exec.js');
    const { gitEnv } = await import('./git-helpers.js');
    const repo = baseRepo();
    const blobs = await readBlobs([`HEAD:${STORY}`, 'HEAD:nope.md', `:0:${STORY}`, 'HEAD'], { cwd: repo.dir, env: gitEnv() });
    expect(blobs[0]!.toString('utf8')).toBe(readFileSync(join(repo.dir, STORY), 'utf8'));
    expect(blobs[1]).toBeNull();
    expect(blobs[2]!.toString('utf8')).toBe(fixture('base.md'));
    expect(blobs[3]).toBeNull();
  });
});

describe('as a real pre-commit hook', () => {
  const BIN = join(import.meta.dirname, '..', 'bin', 'plan-tasks.js');

  it.skipIf(!existsSync(join(import.meta.dirname, '..', 'dist', 'cli.cjs')))('blocks `git commit` and `git commit -a` of an illegal move, passes a legal one', async () => {
    const repo = baseRepo();
    const hook = join(repo.dir, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" lint --staged\n`, { mode: 0o755 });
    const commit = (...args: string[]) => {
      try {
        repo.git('commit', '-q', '-m', 'change', ...args);
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    repo.write(STORY, fixture('done-to-pending.md'));
    repo.git('add', STORY);
    expect(commit()).not.toBe(0);
    // `commit -a` stages into a temporary index (GIT_INDEX_FILE): still read.
    repo.write(STORY, fixture('base.md'));
    repo.git('add', STORY);
    repo.write(STORY, fixture('done-to-in-progress.md'));
    expect(commit('-a')).not.toBe(0);
    repo.write(STORY, fixture('forward.md'));
    expect(commit('-a')).toBe(0);
    expect(repo.git('show', `HEAD:${STORY}`)).toBe(fixture('forward.md'));
  });
});
