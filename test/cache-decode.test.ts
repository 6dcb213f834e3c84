/**
 * The `--cache` re-run decodes each entry's analysis with `decodeAnalysis`
 * (src/lint/cache.ts): the shape check and the decoding in one walk. The plain
 * path it replaces is `isCacheEntry` then `readMessages` / `readStory` / `summaryOf`. Both
 * must agree on every entry: the same Analysis (same values, same key order)
 * for a well-formed one, null exactly where the shape check says no, also for
 * each of hundreds of single-field damages to real entries.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { decodeAnalysis, entryJson, isCacheEntry, summaryOf, type CacheEntry, type StoredMessage } from '../src/lint/cache.js';
import { readMessages, readStory } from './reference/cache-readers.js';
import { lint } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import { mdFiles } from './lint-helpers.js';

const WEAVE = resolve(__dirname, 'fixtures/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-cache-decode-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The plain path: the shape check of the whole entry, then the two decoders and the summary. */
function plainDecode(entry: CacheEntry): unknown {
  if (!isCacheEntry(entry)) return null;
  const { messages, notes, story } = entry.analysis;
  return { messages: readMessages(messages, notes), story: readStory(story), summary: summaryOf(story) };
}

function expectAgree(entry: CacheEntry, label: string): 'ok' | 'null' {
  const fast = decodeAnalysis(entry.analysis);
  const slow = plainDecode(entry);
  expect(fast === null, label).toBe(slow === null);
  if (fast === null) return 'null';
  expect(fast, label).toStrictEqual(slow);
  expect(JSON.stringify(fast), label).toBe(JSON.stringify(slow));
  return 'ok';
}

let entries: CacheEntry[] = [];
beforeAll(async () => {
  const stories = join(tmp, 'docs', 'stories');
  cpSync(WEAVE, stories, { recursive: true });
  const config = { ...defaultConfig(tmp), stories: ['docs/stories/*.md'] };
  const cacheFile = join(tmp, '.plan-tasks-cache');
  await lint(workingTreeSnapshot(config), { config, files: mdFiles(stories), cacheFile });
  entries = readFileSync(cacheFile, 'utf8').split('\n').slice(1, -1).map((l) => JSON.parse(entryJson(l)!) as CacheEntry);
  // A message with a fix and one with a note, which the weave stories may not have.
  const withFix: StoredMessage = ['task-status', 2, 'Fixable', -1, 1, 1, 1, 5, 0, 4, 'Done'];
  entries[0]!.analysis.messages.push(withFix);
  entries[0]!.analysis.notes.push('A note.');
  entries[0]!.analysis.messages.push(['task-status', 1, 'Noted', entries[0]!.analysis.notes.length - 1, 2, 1, 2, 3]);
});

/** Every place in a JSON value: [container, key] pairs, depth first. */
function places(v: unknown, out: [Record<string | number, unknown>, string | number][] = []): typeof out {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v as unknown as Record<number, unknown>, i]), places(x, out)));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push([v as Record<string, unknown>, k]), places(x, out);
  return out;
}

const REPLACEMENTS: unknown[] = [null, 'x', 0, -1, 1.5, 3, [], {}, [1, 2, 3, 4, 5, 6], undefined];

describe('decodeAnalysis (the re-run\'s one-walk decoding) against the shape check and the plain decoders', () => {
  it('gives the same Analysis for every entry of the weave stories', () => {
    // Every story was cached: the summary derived from each stored story was the one computed.
    expect(entries.map((e) => e.file).sort()).toEqual(mdFiles(join(tmp, 'docs', 'stories')));
    for (const e of entries) expect(expectAgree(e, e.file)).toBe('ok');
  });

  it('says null exactly where the shape check does, for each field of an entry damaged in turn', () => {
    const outcomes = { ok: 0, null: 0 };
    for (const e of entries.slice(0, 4)) {
      for (const [container, key] of places(e.analysis)) {
        const before = container[key];
        const had = Object.prototype.hasOwnProperty.call(container, key);
        for (const value of REPLACEMENTS) {
          if (value === undefined) {
            if (Array.isArray(container)) (container as unknown[]).splice(key as number, 1);
            else delete container[key];
          } else container[key] = value;
          outcomes[expectAgree(e, `${e.file} ${String(key)} = ${JSON.stringify(value)}`)]++;
          if (value === undefined && Array.isArray(container)) (container as unknown[]).splice(key as number, 0, before);
          else if (had) container[key] = before;
        }
      }
      // An element added to each array.
      for (const [container, key] of places(e.analysis)) {
        const v = container[key];
        if (!Array.isArray(v)) continue;
        for (const extra of ['x', 1, null]) {
          v.push(extra);
          outcomes[expectAgree(e, `${e.file} ${String(key)} + ${JSON.stringify(extra)}`)]++;
          v.pop();
        }
      }
      expect(expectAgree(e, 'restored')).toBe('ok');
    }
    // Both kinds of outcome happened (a damage the format allows, e.g. another message text, and one it does not).
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.null).toBeGreaterThan(100);
  });
});
