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
});
