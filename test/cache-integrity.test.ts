/**
 * A damaged `--cache` file never changes the output and never crashes (src/lint/cache.ts):
 * each entry line carries the CRC-32 of its JSON (`entryLine`, checked by `entryJson` when the
 * entry is used), so a line damaged on disk is a miss and its story is linted again. Each case
 * damages a real cache file a run wrote, then a re-run must print exactly what a run without the
 * cache prints, and leave a cache whose every line checks out.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { CACHE_FORMAT, cacheKey, entryJson, entryLine, isCacheEntry, MAX_CACHE_BYTES, RACY_MS, type CacheEntry } from '../src/lint/cache.js';
import { lint } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import { mdFiles, plain } from './lint-helpers.js';

const ROOT = resolve(__dirname, '..');
const WEAVE = resolve(ROOT, 'test/fixtures/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-cache-integrity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A start time after every file of the test: every entry records its file's metadata (so a run trusts it). */
const LATER = () => Date.now() + 10 * RACY_MS;

let copies = 0;
/** A copy of the weave stories with a warm cache: root, files, config, the cache file and the plain run's results as JSON. */
async function warmCopy(): Promise<{ root: string; files: string[]; config: ResolvedConfig; cacheFile: string; expected: string }> {
  const root = join(tmp, `c${copies++}`);
  const stories = join(root, 'docs', 'stories');
  cpSync(WEAVE, stories, { recursive: true });
  const files = mdFiles(stories);
  const config: ResolvedConfig = { ...defaultConfig(root), stories: ['docs/stories/*.md'] };
  const cacheFile = join(root, '.plan-tasks-cache');
  const expected = JSON.stringify(plain(files, config));
  expect(JSON.stringify(await lint(workingTreeSnapshot(config), { files, config, cacheFile, started: LATER() }))).toBe(expected);
  return { root, files, config, cacheFile, expected };
}

const run = async (c: { files: string[]; config: ResolvedConfig; cacheFile: string }) =>
  JSON.stringify(await lint(workingTreeSnapshot(c.config), { files: c.files, config: c.config, cacheFile: c.cacheFile, started: LATER() }));

/** Every entry line of the file checks out and is an entry; returns the entries by file. */
function checkedEntries(cacheFile: string): Map<string, CacheEntry> {
  const [header, ...lines] = readFileSync(cacheFile, 'latin1').split('\n');
  expect(lines.pop()).toBe('');
  expect(JSON.parse(header!).format).toBe(CACHE_FORMAT);
  const out = new Map<string, CacheEntry>();
  for (const line of lines) {
    const json = entryJson(line);
    expect(json, line.slice(0, 120)).not.toBeNull();
    const entry: unknown = JSON.parse(json!);
    expect(isCacheEntry(entry)).toBe(true);
    out.set((entry as CacheEntry).file, entry as CacheEntry);
  }
  return out;
}

/** The byte offset of the entry line of `file` in the cache's bytes, and its length. */
function lineOf(bytes: Buffer, file: string): { start: number; end: number } {
  const start = bytes.indexOf(`{"file":${JSON.stringify(file)},`);
  expect(start).toBeGreaterThan(0);
  return { start, end: bytes.indexOf('\n', start) };
}

/** `bytes` with one bit flipped at `at`. */
function flipped(bytes: Buffer, at: number, bit = 0x20): Buffer {
  const out = Buffer.from(bytes);
  out[at]! ^= bit;
  return out;
}

/** A story of the copy with findings (its entry holds messages). */
const withMessages = (c: { files: string[]; expected: string }) =>
  (JSON.parse(c.expected) as { filePath: string; messages: unknown[] }[]).find((r) => r.messages.length > 2)!.filePath;

describe('a damaged --cache file: the damaged entry is a miss, the output is a plain run\'s', () => {
  it('a bit flipped in a message (the line still parses and has the entry\'s shape: only the checksum sees it)', async () => {
    const c = await warmCopy();
    const target = withMessages(c);
    const bytes = readFileSync(c.cacheFile);
    const { start, end } = lineOf(bytes, target);
    const at = bytes.indexOf('"Unexpected ', start) + 2; // the U of a message text
    expect(at).toBeGreaterThan(start);
    expect(at).toBeLessThan(end);
    const damaged = flipped(bytes, at); // U -> u
    const line = damaged.toString('latin1', start, end);
    expect(isCacheEntry(JSON.parse(line.slice(0, line.lastIndexOf('\t'))))).toBe(true);
    expect(entryJson(line)).toBeNull();
    writeFileSync(c.cacheFile, damaged);
    expect(await run(c)).toBe(c.expected);
    // The file is rewritten without the damaged line, the story's entry made again.
    const entries = checkedEntries(c.cacheFile);
    expect([...entries.keys()].sort()).toEqual(c.files);
    expect(JSON.stringify(entries.get(target))).not.toContain('"unexpected ');
    expect(await run(c)).toBe(c.expected);
  });

  it('a bit flipped in the path, in the hash, in the metadata, in the checksum; a byte made non-ASCII', async () => {
    const c = await warmCopy();
    const pristine = readFileSync(c.cacheFile);
    const target = withMessages(c);
    const { start, end } = lineOf(pristine, target);
    const at = (needle: string, offset = 0) => {
      const i = pristine.indexOf(needle, start);
      expect(i, needle).toBeGreaterThan(0);
      expect(i, needle).toBeLessThan(end);
      return i + offset;
    };
    const id = target.match(/(\d{3})-[^/]*\.md$/)![1]!;
    const cases: [string, Buffer][] = [
      // 00N -> another story's number: the line names another file of the project.
      ['path', flipped(pristine, at(`/${id}-`, 3), 0x01)],
      ['hash', flipped(pristine, at('"hash":"', 9), 0x01)],
      ['metadata', flipped(pristine, at('"meta":[', 8), 0x01)],
      ['checksum', flipped(pristine, end - 1, 0x01)],
      ['non-ASCII byte', flipped(pristine, at('"Unexpected ', 3), 0x80)],
      ['newline (two lines run together)', flipped(pristine, end, 0x01)],
    ];
    for (const [what, damaged] of cases) {
      writeFileSync(c.cacheFile, damaged);
      expect(await run(c), what).toBe(c.expected);
      expect([...checkedEntries(c.cacheFile).keys()].sort(), what).toEqual(c.files);
    }
  });

  it('a line cut short in the middle of the file, at its end, a line duplicated', async () => {
    const c = await warmCopy();
    const pristine = readFileSync(c.cacheFile);
    const target = withMessages(c);
    const { start, end } = lineOf(pristine, target);
    const middle = start + ((end - start) >> 1);
    const cases: [string, Buffer][] = [
      ['the second half of a line gone, newline kept', Buffer.concat([pristine.subarray(0, middle), pristine.subarray(end)])],
      ['half a line missing, the rest run into the next', Buffer.concat([pristine.subarray(0, middle), pristine.subarray(end + 1)])],
      ['truncated mid-line', pristine.subarray(0, middle)],
      ['a line duplicated', Buffer.concat([pristine.subarray(0, end + 1), pristine.subarray(start, end + 1), pristine.subarray(end + 1)])],
      ['a line duplicated with a flipped bit (the later line wins, and is a miss)', Buffer.concat([pristine, flipped(pristine.subarray(start, end + 1), (end - start) >> 1, 0x04)])],
    ];
    for (const [what, damaged] of cases) {
      writeFileSync(c.cacheFile, damaged);
      expect(await run(c), what).toBe(c.expected);
      expect([...checkedEntries(c.cacheFile).keys()].sort(), what).toEqual(c.files);
      expect(await run(c), what).toBe(c.expected);
    }
  });

  it('an empty, a binary, another version\'s, a header with binary after it, an entry without checksum', async () => {
    const c = await warmCopy();
    const pristine = readFileSync(c.cacheFile);
    const header = `${JSON.stringify({ format: CACHE_FORMAT, key: cacheKey(c.config) })}\n`;
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) & 0xff));
    const lines = pristine.toString('latin1').split('\n');
    const cases: [string, Buffer | string][] = [
      ['empty', ''],
      ['binary', binary],
      ['a header, then binary', Buffer.concat([Buffer.from(header), binary])],
      // Format 8: the same entries without checksums, under its own header.
      ['format 8', [`${JSON.stringify({ format: 8, key: cacheKey(c.config) })}`, ...lines.slice(1).map((l) => (l ? entryJson(l)! : l))].join('\n')],
      ['entries without their checksum under this format\'s header', [lines[0], ...lines.slice(1).map((l) => (l ? entryJson(l)! : l))].join('\n')],
    ];
    for (const [what, damaged] of cases) {
      writeFileSync(c.cacheFile, damaged);
      expect(await run(c), what).toBe(c.expected);
      expect([...checkedEntries(c.cacheFile).keys()].sort(), what).toEqual(c.files);
    }
  });

  it('a cache larger than a string can hold is read as damaged and rewritten (a sparse file)', async () => {
    const c = await warmCopy();
    truncateSync(c.cacheFile, MAX_CACHE_BYTES + 1);
    expect(await run(c)).toBe(c.expected);
    expect([...checkedEntries(c.cacheFile).keys()].sort()).toEqual(c.files);
  });

  it('an entry signed again after an edit is used (the checksum is all that changed in the format)', async () => {
    const c = await warmCopy();
    const target = withMessages(c);
    const text = readFileSync(c.cacheFile, 'latin1');
    const lines = text.split('\n').map((l) => {
      if (!l.startsWith(`{"file":${JSON.stringify(target)},`)) return l;
      const e = JSON.parse(entryJson(l)!) as CacheEntry;
      e.analysis.messages[0]![2] = 'SIGNED AGAIN';
      return entryLine(e);
    });
    writeFileSync(c.cacheFile, lines.join('\n'));
    expect(await run(c)).toContain('SIGNED AGAIN');
  });
});

describe('the CLI over a damaged cache', () => {
  const bin = join(ROOT, 'bin', 'plan-tasks.js');
  const cli = (cwd: string, args: string[]) => spawnSync(process.execPath, [bin, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined } });

  it('prints byte for byte a run without the cache, with its exit code, and nothing on stderr', async () => {
    const c = await warmCopy();
    const cold = cli(c.root, []);
    expect(cold.status).toBe(1);
    const warm = cli(c.root, ['--cache']);
    expect([warm.status, warm.stdout, warm.stderr]).toEqual([1, cold.stdout, '']);
    const pristine = readFileSync(c.cacheFile);
    const target = withMessages(c);
    const { start } = lineOf(pristine, target);
    for (const damaged of [flipped(pristine, pristine.indexOf('"Unexpected ', start) + 2), pristine.subarray(0, pristine.length >> 1), Buffer.alloc(3000, 0xff)]) {
      writeFileSync(c.cacheFile, damaged);
      const r = cli(c.root, ['--cache']);
      expect([r.status, r.stdout, r.stderr]).toEqual([1, cold.stdout, '']);
    }
    truncateSync(c.cacheFile, MAX_CACHE_BYTES + 1);
    const huge = cli(c.root, ['--cache']);
    expect([huge.status, huge.stdout, huge.stderr]).toEqual([1, cold.stdout, '']);
  });
});
