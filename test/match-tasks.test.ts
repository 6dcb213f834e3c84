import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchTasks } from '../src/git/rules/match.js';
import type { Story } from '../src/story/model.js';
import { parseStory } from '../src/story/parse.js';
import { markdownFiles } from './lint-helpers.js';
import { matchTasksReference } from './reference/match-tasks.js';

const FIXTURES = join(__dirname, 'fixtures');
const HISTORY = join(FIXTURES, 'weave', 'history');

/** A pairing as comparable data: each pair's old and new task (by position in its story) and kind. */
function shape(old: Story, current: Story, m: ReturnType<typeof matchTasks>) {
  return {
    pairs: m.pairs.map((p) => [old.tasks.indexOf(p.old), current.tasks.indexOf(p.current), p.kind]),
    removed: m.removed.map((t) => old.tasks.indexOf(t)),
  };
}

function expectSame(oldText: string, newText: string): void {
  const old = parseStory(oldText, 'old.md');
  const current = parseStory(newText, 'new.md');
  expect(shape(old, current, matchTasks(old, current))).toEqual(shape(old, current, matchTasksReference(old, current)));
}

/** The story's task blocks (`### ` to the next), for reshuffled and renumbered versions. */
function taskBlocks(text: string): { head: string; blocks: string[] } {
  const parts = text.split(/(?=^### )/m);
  return { head: parts[0]!, blocks: parts.slice(1) };
}

describe('matchTasks with each title key computed once (story 030)', () => {
  it('pairs every story of the weave history with its earlier version as the reference does', () => {
    // Each snapshot holds the stories one commit changed: pair each with its latest earlier version.
    const latest = new Map<string, string>();
    let pairs = 0;
    for (const snapshot of readdirSync(HISTORY).sort()) {
      for (const file of markdownFiles(join(HISTORY, snapshot))) {
        const text = readFileSync(file, 'utf8');
        const before = latest.get(basename(file));
        if (before !== undefined) {
          expectSame(before, text);
          expectSame(text, before);
          pairs++;
        }
        latest.set(basename(file), text);
      }
    }
    expect(pairs).toBeGreaterThan(5);
  });

  it('pairs every fixture story with its tasks reversed, renumbered, retitled and duplicated as the reference does', () => {
    let stories = 0;
    for (const file of markdownFiles(FIXTURES)) {
      const text = readFileSync(file, 'utf8');
      const { head, blocks } = taskBlocks(text);
      if (blocks.length === 0) continue;
      stories++;
      const reversed = head + [...blocks].reverse().join('');
      const renumbered = head + blocks.map((b, i) => b.replace(/^### \d+/, `### ${String(blocks.length - i).padStart(3, '0')}`)).join('');
      const retitled = head + blocks.map((b, i) => (i % 2 ? b.replace(/^(### [^:\n]*:)[^\n]*/, '$1 Another title') : b)).join('');
      const doubled = head + blocks.join('') + blocks.join('');
      for (const other of [reversed, renumbered, retitled, doubled, head]) {
        expectSame(text, other);
        expectSame(other, text);
      }
    }
    expect(stories).toBeGreaterThan(50);
  });

  it('gives the same pairing again for the same two versions, and a fresh one for others', () => {
    const a = parseStory('# Story 001: A\n\n## Tasks\n\n### 001: One\n**Status:** done\n\n### 002: Two\n**Status:** pending\n', 'a.md');
    const b = parseStory('# Story 001: A\n\n## Tasks\n\n### 002: One\n**Status:** done\n', 'b.md');
    const first = matchTasks(a, b);
    expect(matchTasks(a, b)).toBe(first);
    expect(shape(a, b, first)).toEqual({ pairs: [[0, 0, 'renumbered']], removed: [1] });
    const again = matchTasks(a, a);
    expect(shape(a, a, again)).toEqual({ pairs: [[0, 0, 'same'], [1, 1, 'same']], removed: [] });
    expect(shape(a, b, matchTasks(a, b))).toEqual({ pairs: [[0, 0, 'renumbered']], removed: [1] });
  });
});
