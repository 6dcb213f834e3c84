/**
 * The cache file is ASCII (src/lint/cache.ts, `entryLine`): every character past
 * ASCII in an entry is written as a `\uXXXX` escape, so that `LintCache.load`
 * decodes the file to a one-byte string. A file with raw UTF-8 lines (a cache
 * written before, or by hand) is still read. And `fileOfLine`'s fast path (a path without escapes, read up to the
 * next quote) agrees with the plain path (the regular expression, then
 * JSON.parse) on every kind of line.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { entryJson, entryLine, fileOfLine, RACY_MS, type CacheEntry } from '../src/lint/cache.js';
import { lint } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import type { LintResult } from '../src/lint/types.js';
import { mdFiles, plain } from './lint-helpers.js';

const WEAVE = resolve(__dirname, 'fixtures/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-cache-ascii-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `fileOfLine` as it was: the regular expression on the line's start, then JSON.parse of the string it found. */
function fileOfLineReference(line: string): string | null {
  const m = /^\{"file":("(?:[^"\\]|\\.)*"),/.exec(line);
  if (m === null) return null;
  try {
    return JSON.parse(m[1]!) as string;
  } catch {
    return null;
  }
}

function entry(file: string, message: string): CacheEntry {
  return {
    file,
    meta: [1, 2, 3, 4],
    hash: 'h',
    analysis: { messages: [['task-status', 2, message, 0, 1, 1, 1, 2]], notes: [`Note ${message}`], story: { id: '001', status: `Dönë ${message}`, dependencies: [], comments: [], tasks: [] } },
  };
}

describe('fileOfLine', () => {
  it('gives the path the plain path gives, or null where it does, on every kind of line', () => {
    const paths = ['/abs/001-x.md', 'C:\\stories\\001.md', '/a "quoted"/001.md', '/café/😀/001.md', '/lone\ud800/001.md', '/tab\there/001.md', '/back\\', ''];
    const lines: string[] = [];
    for (const p of paths) {
      const json = JSON.stringify(p);
      lines.push(`{"file":${json},"meta":null}`, `{"file":${json}}`, `{"file":${json} ,`, `{"file":${json}`, `{"file":${json},`);
    }
    lines.push(
      '{"file":"/raw\ttab/001.md","meta":null}', // a raw control character: not JSON
      '{"file":"/raw\nnewline.md",',
      '{"file":"/a\\q/001.md","meta":null}', // an escape JSON has not
      '{"file":"/a\\u00e9/001.md","meta":null}',
      '{"file":"/a\\\\"x","meta":null}',
      '{"file":"/no/end',
      '{"file":/x.md",',
      '{"format":8,"key":"k"}',
      '',
      '{"file":"","meta":null}',
      ' {"file":"/x.md",',
    );
    for (const line of lines) expect(fileOfLine(line), line).toBe(fileOfLineReference(line));
    expect(fileOfLine('{"file":"/abs/001-x.md","meta":null}')).toBe('/abs/001-x.md');
  });
});

describe('entryLine', () => {
  it('is ASCII, and JSON.parse gives back the entry (non-ASCII, pairs, lone surrogates, U+2028)', () => {
    for (const text of ['plain', 'café — naïve', '😀 and 𝄞', 'lone \ud800 and \udfff', 'line\u2028separator', '\u0080\u00ff\u0100\uffff']) {
      const e = entry('/stories/001-ü.md', text);
      const line = entryLine(e);
      expect(isAscii(Buffer.from(line, 'utf8')), text).toBe(true);
      expect(JSON.parse(entryJson(line)!), text).toStrictEqual(e);
      expect(fileOfLine(line)).toBe('/stories/001-ü.md');
    }
  });
});

describe('an ASCII cache file', () => {
  const later = () => Date.now() + 10 * RACY_MS;
  const messagesOf = (results: LintResult[], file: string) => results.find((r) => r.filePath === file)!.messages.map((m) => m.message);

  it('is what a run writes over stories with non-ASCII text, and gives the messages of a plain run; raw UTF-8 lines are read too', async () => {
    const root = join(tmp, 'weave');
    const stories = join(root, 'docs', 'stories');
    cpSync(WEAVE, stories, { recursive: true });
    const files = mdFiles(stories);
    const config = { ...defaultConfig(root), stories: ['docs/stories/*.md'] };
    const cacheFile = join(root, '.plan-tasks-cache');
    const run = () => lint(workingTreeSnapshot(config), { files, config, cacheFile, started: later() });
    const expected = plain(files, config);
    const nonAscii = files.filter((f) => !isAscii(readFileSync(f)));
    expect(nonAscii.length).toBeGreaterThan(0);

    expect(JSON.stringify(await run())).toBe(JSON.stringify(expected));
    const written = readFileSync(cacheFile);
    expect(isAscii(written)).toBe(true);
    expect(written.toString('latin1')).toMatch(/\\u[0-9a-f]{4}/);
    expect(JSON.stringify(await run())).toBe(JSON.stringify(expected)); // warm, from the ASCII file

    // The same entries as raw UTF-8 lines, one message of a story with non-ASCII text marked
    // with non-ASCII: the entry is used, and its text read back as written.
    const lines = written.toString('latin1').split('\n');
    const target = nonAscii.find((f) => expected.find((r) => r.filePath === f)!.messages.length > 0)!;
    const marker = 'MARKED é — 😀';
    const raw = lines.map((line, i) => {
      if (i === 0 || line === '') return line;
      const e = JSON.parse(entryJson(line)!) as CacheEntry;
      if (e.file === target) e.analysis.messages[0]![2] = marker;
      // The format's checksum: the CRC-32 of the JSON's UTF-8 bytes, in eight hex digits after a tab.
      const json = JSON.stringify(e);
      return `${json}\t${crc32(json).toString(16).padStart(8, '0')}`;
    });
    writeFileSync(cacheFile, raw.join('\n'));
    expect(isAscii(readFileSync(cacheFile))).toBe(false);
    const results = await run();
    expect(messagesOf(results, target)).toContain(marker);
    for (const r of results) if (r.filePath !== target) expect(JSON.stringify(r)).toBe(JSON.stringify(expected.find((x) => x.filePath === r.filePath)));
  });
});
