/**
 * A `stories` glob that matches nothing is a usage error (exit 2) for every
 * command that reads the stories, with one message: `lint`, `graph` and `next`
 * never pass silently on a wrong glob.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from './cli-helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-no-stories-'));
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  // The stories are in docs/stories, the glob says docs/story: it matches nothing.
  writeFileSync(join(dir, 'docs/stories/001-a.md'), '# Story 001: A\n\n## Status\nReady\n');
  writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify({ stories: 'docs/story/*.md' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('no story files', () => {
  it('lint, next, graph all and graph NNN exit 2 with the same message', async () => {
    const want = `plan-tasks: No story files match "docs/story/*.md" in ${dir} (from plan-tasks.config.json)\n`;
    for (const argv of [['lint'], ['next'], ['next', '--format', 'json'], ['graph', 'all'], ['graph', '001']]) {
      const r = await run(argv, dir);
      expect([argv.join(' '), r.code, r.stdout, r.stderr.split('\n')[0] + '\n']).toEqual([argv.join(' '), 2, '', want]);
    }
  });

  it('--no-error-on-unmatched-pattern (ESLint\'s): a note on stderr, an empty report, exit 0; still exit 1 on errors elsewhere', async () => {
    const note = `plan-tasks: No story files match "docs/story/*.md" in ${dir} (from plan-tasks.config.json): nothing to lint there\n`;
    const json = await run(['lint', '--no-error-on-unmatched-pattern', '--format', 'json'], dir);
    expect([json.code, json.stdout, json.stderr]).toEqual([0, '[]\n', note]);
    const stylish = await run(['lint', '--no-error-on-unmatched-pattern'], dir);
    expect([stylish.code, stylish.stdout, stylish.stderr]).toEqual([0, '', note]);
    // A pattern that matches nothing beside one that matches: the other is linted (its error: exit 1).
    writeFileSync(join(dir, 'docs/stories/002-b.md'), '# Story 002: B\n\n## Status\n\nFinished\n');
    const both = await run(['lint', '--no-error-on-unmatched-pattern', 'docs/nothing/*.md', 'docs/stories/002-b.md'], dir);
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('plan-tasks: No files match the pattern "docs/nothing/*.md": nothing to lint there\n');
  });
});
