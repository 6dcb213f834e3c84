/**
 * Replays the real weave history (test/fixtures/weave/history/NN-commit/, copied from ../shared,
 * each folder holding the stories as changed in that commit) as commits in a
 * temp repository, checking each commit's transitions with `--staged` before
 * it is made, and the whole history with `--base` at the end. Under the
 * default config no transition may be reported: every status change in that
 * history was a real, legal one (32 of them pending -> done in one commit).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, lint, Repo, transitions } from './git-helpers.js';

const HISTORY = join(import.meta.dirname, 'fixtures', 'weave', 'history');

afterAll(cleanup);

describe.skipIf(!existsSync(HISTORY))('weave history replay', () => {
  it('reports no transition across the 18 commits under the defaults', async () => {
    const commits = readdirSync(HISTORY).sort();
    expect(commits).toHaveLength(18);
    const repo = Repo.init();
    // Control: a workflow that allows no move at all must see every real move.
    repo.write('strict.json', JSON.stringify({ transitions: { pending: [], in_progress: [], done: [] } }));
    const moves: Record<string, number> = {};
    const alarms: unknown[] = [];
    let linted = 0;
    let first = '';
    for (const commit of commits) {
      const files = readdirSync(join(HISTORY, commit)).filter((f) => f.endsWith('.md'));
      for (const f of files) repo.write(`docs/stories/${f}`, readFileSync(join(HISTORY, commit, f), 'utf8'));
      repo.git('add', 'docs/stories');
      const run = await lint(repo.dir, ['--staged']);
      expect(run.stderr).toBe('');
      expect(run.json.map((r) => r.filePath.replace(/^.*\//, '')).sort()).toEqual([...files].sort());
      linted += run.json.length;
      alarms.push(...transitions(run).map((t) => ({ commit, ...t })));
      for (const t of transitions(await lint(repo.dir, ['--staged', '--config', 'strict.json']))) {
        const move = `${t.ruleId} ${/from (`[^`]*`) .*? to (`[^`]*`)/.exec(t.message)!.slice(1).join(' -> ')}`;
        moves[move] = (moves[move] ?? 0) + 1;
      }
      repo.git('commit', '-q', '-m', commit);
      if (!first) first = repo.git('rev-parse', 'HEAD').trim();
    }
    expect(alarms).toEqual([]);
    expect(moves).toEqual({ 'status-transition `pending` -> `done`': 32 });
    expect(linted).toBe(commits.reduce((n, c) => n + readdirSync(join(HISTORY, c)).filter((f) => f.endsWith('.md')).length, 0));

    // The whole branch at once, against the first commit.
    const all = await lint(repo.dir, ['--base', first]);
    expect(all.stderr).toBe('');
    expect(all.json.length).toBeGreaterThan(0);
    expect(transitions(all)).toEqual([]);
  }, 180_000);
});
