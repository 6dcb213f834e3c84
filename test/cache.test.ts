/**
 * `plan-tasks lint --cache` (src/lint/cache.ts, src/lint/lint.ts): every run
 * with the cache gives exactly the messages of a plain full-parse run (cold,
 * warm, with either strategy, after other stories changed), and the cache
 * keeps its guarantees: invalidated by a config or version change, a corrupt
 * file or entry ignored and replaced, written atomically, metadata trusted only
 * where it cannot hide an edit.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { lint as lintSnapshot, lintEach, type ProjectLintOptions } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import { CACHE_FORMAT, cacheKey, entryJson, entryLine, RACY_MS, resolveCacheLocation, type CacheEntry } from '../src/lint/cache.js';
import type { LintResult } from '../src/lint/types.js';
import { mdFiles, plain } from './lint-helpers.js';

const ROOT = resolve(__dirname, '..');
const WEAVE = resolve(ROOT, 'test/fixtures/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A start time after every file of the test: every file's metadata is old enough to record. */
const LATER = () => Date.now() + 10 * RACY_MS;

function configFor(root: string, stories = ['docs/stories/*.md']): ResolvedConfig {
  return { ...defaultConfig(root), stories };
}

let copies = 0;
/** A fresh copy of a folder of stories as docs/stories of a new root. */
function corpusCopy(from = WEAVE): { root: string; stories: string; files: string[]; config: ResolvedConfig; cacheFile: string } {
  const root = join(tmp, `c${copies++}`);
  const stories = join(root, 'docs', 'stories');
  cpSync(from, stories, { recursive: true });
  return { root, stories, files: mdFiles(stories), config: configFor(root), cacheFile: join(root, '.plan-tasks-cache') };
}

/** Same messages, same shapes, same key order (what a formatter prints). */
function expectSame(actual: LintResult[], expected: LintResult[], label?: string): void {
  expect(actual, label).toStrictEqual(expected);
  expect(JSON.stringify(actual), label).toBe(JSON.stringify(expected));
}

const lint = (files: string[], options: Omit<ProjectLintOptions, 'files'>) => lintSnapshot(workingTreeSnapshot(options.config), { files, ...options });

/** The cache file, parsed: a header line, then one entry line per file (JSON lines). */
interface CacheData {
  header: { format: number; key: string };
  files: Record<string, CacheEntry>;
}
function readCache(file: string): CacheData {
  const [header, ...rest] = readFileSync(file, 'utf8').split('\n');
  expect(rest.pop()).toBe(''); // ends with a newline
  const files: CacheData['files'] = {};
  for (const line of rest) {
    const json = entryJson(line);
    expect(json, line).not.toBeNull(); // its checksum holds
    const entry = JSON.parse(json!) as CacheEntry;
    files[entry.file] = entry;
  }
  return { header: JSON.parse(header!), files };
}
function writeCache(file: string, data: CacheData): void {
  const lines = [JSON.stringify(data.header), ...Object.values(data.files).map((e) => entryLine(e))];
  writeFileSync(file, lines.join('\n') + '\n');
}

let tampered = 0;
/** Make the cached messages of `path` say something no run would: shows whether the entry was used. */
function tamper(cacheFile: string, path: string, { hash = false } = {}): string {
  const data = readCache(cacheFile);
  const entry = data.files[path]!;
  expect(entry.analysis.messages.length).toBeGreaterThan(0);
  const marker = `TAMPERED ${++tampered}`;
  entry.analysis.messages[0]![2] = marker; // [ruleId, severity, message, ...]
  if (hash) entry.hash = 'not-the-hash';
  writeCache(cacheFile, data);
  return marker;
}
const messagesOf = (results: LintResult[], path: string) => results.find((r) => r.filePath === path)!.messages.map((m) => m.message);

/** Wait until the clock has moved past a file's timestamps (so an edit gets new ones). */
function waitPast(path: string): void {
  const st = statSync(path);
  const until = Math.max(st.mtimeMs, st.ctimeMs) + 20;
  while (Date.now() < until) {
    // spin: a few milliseconds at most
  }
}

describe('--cache gives the messages of a plain run', () => {
  it('on every weave story and every fixture folder: cold, warm by metadata, warm by content', async () => {
    const dirs = new Set<string>([WEAVE]);
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const p = join(dir, entry);
        if (statSync(p).isDirectory()) walk(p);
        else if (entry.endsWith('.md')) dirs.add(dirname(p));
      }
    };
    walk(join(ROOT, 'test', 'fixtures'));
    let compared = 0;
    for (const dir of [...dirs].sort()) {
      const { files, config, cacheFile } = corpusCopy(dir);
      const expected = plain(files, config);
      expectSame(await lint(files, { config, cacheFile }), expected, `${dir} cold`);
      // Second run: the first recorded no metadata (the files are new), so entries are found by hash.
      expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected, `${dir} warm, by hash`);
      expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected, `${dir} warm, by metadata`);
      expectSame(await lint(files, { config, cacheFile, cacheStrategy: 'content' }), expected, `${dir} warm, content`);
      compared += files.length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('after other stories changed, with either strategy (cross-story messages are never cached)', async () => {
    for (const cacheStrategy of ['metadata', 'content'] as const) {
      const { stories, files, config, cacheFile } = corpusCopy();
      const cold = await lint(files, { config, cacheFile, cacheStrategy });
      expectSame(cold, plain(files, config));
      expect(existsSync(cacheFile)).toBe(true);
      await lint(files, { config, cacheFile, cacheStrategy, started: LATER() });

      // Delete a story others depend on, and flip a status in another.
      const target = files.find((f) => /005-/.test(f))!;
      const other = files.find((f) => /014-/.test(f))!;
      waitPast(other);
      rmSync(target);
      writeFileSync(other, readFileSync(other, 'utf8').replace(/\*\*Status:\*\* done/i, '**Status:** pending'));
      const remaining = mdFiles(stories);
      const expected = plain(remaining, config);
      const warm = await lint(remaining, { config, cacheFile, cacheStrategy, started: LATER() });
      expectSame(warm, expected, cacheStrategy);
      // The change shows in stories whose text did not change.
      const unchanged = remaining.filter((f) => f !== other);
      expect(warm.filter((r) => unchanged.includes(r.filePath))).not.toEqual(cold.filter((r) => unchanged.includes(r.filePath)));
      // The deleted story's entry is dropped.
      expect(Object.keys(readCache(cacheFile).files)).not.toContain(target);
    }
  });

  it('when one story is linted alone (other stories from the cache or read on demand)', async () => {
    const { files, config, cacheFile } = corpusCopy();
    for (const file of files.filter((_, i) => i % 7 === 3)) {
      const expected = plain([file], config);
      expectSame(await lint([file], { config, cacheFile }), expected);
      expectSame(await lint([file], { config, cacheFile, started: LATER() }), expected);
    }
    // Then the whole corpus, on top of the partial cache.
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), plain(files, config));
  });

  it('with a binary, an empty and a conflicted file among the stories (fatal results are not cached)', async () => {
    const { stories, config, cacheFile } = corpusCopy();
    writeFileSync(join(stories, '900-binary.md'), Buffer.from([0x23, 0x20, 0, 1, 2]));
    writeFileSync(join(stories, '901-empty.md'), '');
    writeFileSync(join(stories, '902-conflict.md'), '# Story 902: X\n\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n');
    const files = mdFiles(stories);
    const expected = plain(files, config);
    expect(expected.filter((r) => r.fatalErrorCount > 0)).toHaveLength(3);
    expectSame(await lint(files, { config, cacheFile }), expected);
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected);
    expect(Object.keys(readCache(cacheFile).files).filter((p) => /90\d-/.test(p))).toEqual([]);
  });
});

describe('--cache-strategy metadata', () => {
  it('uses an entry whose file has the recorded size, mtime, ctime and inode without reading it; content reads and hashes', async () => {
    const { files, config, cacheFile } = corpusCopy();
    const expected = plain(files, config);
    await lint(files, { config, cacheFile, started: LATER() });
    const file = files[3]!;
    const [size, mtimeMs, ctimeMs, ino] = readCache(cacheFile).files[file]!.meta as number[];
    const st = statSync(file);
    expect([size, mtimeMs, ctimeMs, ino]).toEqual([st.size, st.mtimeMs, st.ctimeMs, st.ino]);

    // A wrong hash and wrong messages: the metadata strategy never looks at the text, so it trusts the entry...
    const marker = tamper(cacheFile, file, { hash: true });
    expect(messagesOf(await lint(files, { config, cacheFile, started: LATER() }), file)).toContain(marker);
    // ...the content strategy reads the file, sees another hash, and lints it again.
    expectSame(await lint(files, { config, cacheFile, cacheStrategy: 'content' }), expected);
  });

  it('a touched file costs one hash, not a re-lint, and its new metadata is recorded', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    const file = files[5]!;
    const marker = tamper(cacheFile, file); // same hash: used whenever the entry is used
    waitPast(file);
    const when = new Date(Date.now() - 60_000);
    utimesSync(file, when, when);
    const after = statSync(file);
    const results = await lint(files, { config, cacheFile, started: LATER() });
    expect(messagesOf(results, file)).toContain(marker); // found by hash: not linted again
    expect(readCache(cacheFile).files[file]!.meta).toEqual([after.size, after.mtimeMs, after.ctimeMs, after.ino]);
  });

  it('sees an edit that keeps the size and the mtime (ctime still moves: tools like `cp -p` or `touch -d`)', async () => {
    const { files, config, cacheFile } = corpusCopy();
    const file = files.find((f) => /006-/.test(f))!;
    // A whole second, so that setting it again gives exactly the same mtime.
    const second = Math.floor(Date.now() / 1000) - 3600;
    utimesSync(file, second, second);
    const original = await lint(files, { config, cacheFile, started: LATER() });
    const before = statSync(file);
    const text = readFileSync(file, 'utf8');
    // Same length, another status: other messages.
    const edited = text.replace(/\*\*Status:\*\* done/, '**Status:** todo');
    expect(edited).not.toBe(text);
    expect(Buffer.byteLength(edited)).toBe(before.size);
    waitPast(file);
    writeFileSync(file, edited);
    utimesSync(file, second, second);
    const now = statSync(file);
    expect([now.size, now.mtimeMs]).toEqual([before.size, before.mtimeMs]);
    expect(now.ctimeMs).not.toBe(before.ctimeMs);
    const expected = plain(files, config);
    expect(messagesOf(expected, file)).not.toEqual(messagesOf(original, file));
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected);
  });

  it('records no metadata for a file changed within RACY_MS of the run (an edit in the same clock tick could hide), then records it', async () => {
    const { files, config, cacheFile } = corpusCopy();
    const justAfterTheCopy = Date.now();
    const expected = plain(files, config);
    // The files were just written: too recent to trust their metadata.
    expectSame(await lint(files, { config, cacheFile, started: justAfterTheCopy }), expected);
    expect(Object.values(readCache(cacheFile).files).every((e) => e.meta === null)).toBe(true);
    // Later: found by hash, metadata recorded (the cache is rewritten once)...
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected);
    const data = readFileSync(cacheFile, 'utf8');
    expect(Object.values(readCache(cacheFile).files).every((e) => Array.isArray(e.meta))).toBe(true);
    // ...and a run with nothing changed does not write it.
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected);
    expect(readFileSync(cacheFile, 'utf8')).toBe(data);
  });
});

describe('the cache file', () => {
  it('is invalidated by a config change', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    const changed: ResolvedConfig = { ...config, rules: { ...config.rules, 'task-specific': 'off', 'task-status': 'warn' } };
    const expected = plain(files, changed);
    expect(expected).not.toEqual(plain(files, config));
    expectSame(await lint(files, { config: changed, cacheFile, started: LATER() }), expected);
    expect(readCache(cacheFile).header.key).toBe(cacheKey(changed));
  });

  it('is invalidated by a version change', async () => {
    const { files, config, cacheFile } = corpusCopy();
    const expected = plain(files, config);
    await lint(files, { config, cacheFile, started: LATER() });
    tamper(cacheFile, files[0]!);
    const data = readCache(cacheFile);
    // The same entries written by another plan-tasks version are not used.
    data.header.key = cacheKey(config, '0.0.0-other');
    expect(data.header.key).not.toBe(cacheKey(config));
    writeCache(cacheFile, data);
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected);
    expect(readCache(cacheFile).header.key).toBe(cacheKey(config));
  });

  it('is ignored and replaced when corrupt or foreign', async () => {
    const { files, config, cacheFile } = corpusCopy();
    const expected = plain(files, config);
    const header = JSON.stringify({ format: CACHE_FORMAT, key: cacheKey(config) });
    const junks = [
      `{"format":${CACHE_FORMAT},"key":`,
      'null',
      '[]',
      '{"format":1,"key":"x","entries":{}}',
      '{"format":2,"key":"x","strings":[],"files":{}}',
      // The packed format 5 this one replaced: its header line, its string table.
      `${JSON.stringify({ format: 5, key: cacheKey(config), base: 0 })}\n[]\n"${files[0]}"\n[0,"x",[],[],[]]\n`,
      `${JSON.stringify({ format: CACHE_FORMAT, key: 'x' })}\n`,
      `${header}\n{}\n`,
      `${header}\n{"file":"${files[0]}","meta":null,"hash":"x","analysis":{"messages":[1,2,3]\n{"file":"${files[1]}"\n`,
      `${header}\n{"not":"a path"}\n[]\n`,
      // A write cut short: the last line is half an entry, without its newline.
      `${header}\n{"file":"${files[0]}","meta":null,"ha`,
      '\u0000\u0001binary',
    ];
    for (const junk of junks) {
      writeFileSync(cacheFile, junk);
      expectSame(await lint(files, { config, cacheFile }), expected, junk);
      const data = readCache(cacheFile);
      expect(data.header).toEqual({ format: CACHE_FORMAT, key: cacheKey(config) });
      expect(Object.keys(data.files).sort()).toEqual(files);
    }
  });

  it('treats a malformed entry as a miss', async () => {
    const { files, config, cacheFile } = corpusCopy();
    const expected = plain(files, config);
    await lint(files, { config, cacheFile, started: LATER() });
    const good = readCache(cacheFile);
    type Entry = CacheData['files'][string];
    type Mutable = Record<string, unknown>;
    const breakers: [string, (e: Entry) => void][] = [
      ['messages not an array', (e) => void ((e.analysis as unknown as Mutable).messages = 'broken')],
      ['a message text not a string', (e) => void ((e.analysis.messages[0] as unknown[])[2] = 5)],
      ['severity 3', (e) => void ((e.analysis.messages[0] as unknown[])[1] = 3)],
      ['a message in ESLint\'s object shape (the format before)', (e) => void ((e.analysis.messages as unknown[])[0] = { ruleId: 'task-status', severity: 2, message: 'x', line: 1, column: 1, endLine: 1, endColumn: 2 })],
      ['a fix of one number', (e) => void (e.analysis.messages[0] as unknown[]).splice(8, 3, 1)],
      ['a note index past the notes', (e) => void ((e.analysis.messages[0] as unknown[])[3] = e.analysis.notes.length)],
      ['notes not strings', (e) => void ((e.analysis as unknown as Mutable).notes = [1])],
      ['a task without its heading span', (e) => void ((e.analysis.story.tasks[0] as unknown as Mutable).heading = {})],
      ['story not an object', (e) => void ((e.analysis as unknown as Mutable).story = [])],
      ['the story status not a string', (e) => void ((e.analysis.story as unknown as Mutable).status = 7)],
      ['a task status not a string', (e) => void ((e.analysis.story.tasks[0] as unknown as Mutable).status = 7)],
      ['dependencies malformed', (e) => void ((e.analysis.story as unknown as Mutable).dependencies = [1])],
      ['no analysis', (e) => void delete (e as unknown as Mutable).analysis],
      ['metadata of three numbers', (e) => void ((e as unknown as Mutable).meta = [1, 2, 3])],
      ['a span of five numbers', (e) => void (e.analysis.story.tasks[0]!.heading as number[]).pop()],
    ];
    for (const [label, breakIt] of breakers) {
      const data = JSON.parse(JSON.stringify(good)) as CacheData;
      for (const entry of Object.values(data.files)) if (entry.analysis.messages.length > 0 && entry.analysis.story.tasks.length > 0) breakIt(entry);
      writeCache(cacheFile, data);
      expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected, label);
      // The broken entries were replaced by good ones.
      expect(readCache(cacheFile), label).toEqual(good);
      expectSame(await lint(files, { config, cacheFile, started: LATER() }), expected, `${label}, replaced`);
    }
  });

  it('appends the entry of a changed story to the file read: the lines before stay byte for byte, the later line wins', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    const before = readFileSync(cacheFile, 'utf8');
    writeFileSync(files[2]!, readFileSync(files[2]!, 'utf8') + '\nMore text.\n');
    expectSame(await lint(files, { config, cacheFile, started: LATER() }), plain(files, config));
    const after = readFileSync(cacheFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const added = after.slice(before.length).split('\n');
    expect(added.pop()).toBe('');
    expect(added).toHaveLength(1);
    expect((JSON.parse(entryJson(added[0]!)!) as CacheEntry).file).toBe(files[2]);
    // The appended line is the one used: tamper with it, and the next run prints the marker.
    const marker = tamper(cacheFile, files[2]!);
    const results = await lint(files, { config, cacheFile, started: LATER() });
    expect(messagesOf(results, files[2]!)).toContain(marker);
  });

  it('is rewritten with one line per file once replaced lines pass a quarter of the entries, or when files are gone', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    const lineCount = () => readFileSync(cacheFile, 'utf8').split('\n').length - 2; // without the header and the final ''
    const counts: number[] = [];
    for (let i = 0; i < Math.floor(files.length / 4) + 1; i++) {
      writeFileSync(files[0]!, readFileSync(files[0]!, 'utf8') + `\nEdit ${i}.\n`);
      expectSame(await lint(files, { config, cacheFile, started: LATER() }), plain(files, config), `edit ${i}`);
      counts.push(lineCount());
    }
    expect(counts.slice(0, Math.floor(files.length / 4))).toEqual(counts.slice(0, Math.floor(files.length / 4)).map((_, i) => files.length + i + 1));
    expect(counts[counts.length - 1]).toBe(files.length); // compacted
    expect(Object.keys(readCache(cacheFile).files).sort()).toEqual(files);
    // A story deleted: its entry is dropped by a rewrite, even with one story changed.
    rmSync(files[5]!);
    const rest = files.filter((_, i) => i !== 5);
    writeFileSync(files[1]!, readFileSync(files[1]!, 'utf8') + '\nMore text.\n');
    expectSame(await lint(rest, { config, cacheFile, started: LATER() }), plain(rest, config));
    expect(lineCount()).toBe(rest.length);
    expect(Object.keys(readCache(cacheFile).files).sort()).toEqual(rest);
  });

  it('is rewritten whole, not appended to, when another process changed it after it was read', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    writeFileSync(files[3]!, readFileSync(files[3]!, 'utf8') + '\nMore text.\n');
    const expected = plain(files, config);
    // The file changes between this run's read (at the first result) and its save (after the last).
    let first = true;
    const foreign = `{"file":${JSON.stringify(join(tmp, 'elsewhere.md'))},"meta":null,"hash":"x","analysis":{}}`;
    const results: LintResult[] = [];
    await lintEach(workingTreeSnapshot(config), { files, config, cacheFile, started: LATER() }, (r) => {
      if (first) writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8') + foreign + '\n');
      first = false;
      results.push(r);
    });
    expectSame(results, expected);
    const text = readFileSync(cacheFile, 'utf8');
    expect(text).not.toContain('elsewhere.md');
    expect(text.split('\n')).toHaveLength(files.length + 2);
    expect(Object.keys(readCache(cacheFile).files).sort()).toEqual(files);
  });

  it('drops an appended line cut short (a write killed midway) and rewrites the file', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    const whole = readFileSync(cacheFile, 'utf8');
    const line = whole.split('\n').find((l) => l.startsWith(`{"file":${JSON.stringify(files[4])},`))!;
    const marker = 'TAMPERED CUT';
    writeFileSync(cacheFile, whole + line.replace(/"Unexpected [^"]*"/, JSON.stringify(marker)).slice(0, Math.floor(line.length / 2)));
    const results = await lint(files, { config, cacheFile, started: LATER() });
    expectSame(results, plain(files, config));
    expect(readFileSync(cacheFile, 'utf8')).toBe(whole);
  });

  it('is written atomically: no temp file left, the old file intact until the rename', async () => {
    const { root, files, config } = corpusCopy();
    const cacheFile = join(root, 'cache', 'lint.json');
    await lint(files, { config, cacheFile });
    writeFileSync(files[0]!, readFileSync(files[0]!, 'utf8') + '\nMore text.\n');
    await lint(files, { config, cacheFile });
    expect(readdirSync(dirname(cacheFile))).toEqual(['lint.json']);
  });

  it('keeps the entries of files not linted in this run while they exist', async () => {
    const { files, config, cacheFile } = corpusCopy();
    await lint(files, { config, cacheFile, started: LATER() });
    await lint(files.slice(0, 3), { config, cacheFile, started: LATER() });
    expect(Object.keys(readCache(cacheFile).files).sort()).toEqual([...files].sort());
  });

  it('lints without the cache when it cannot be written, and says so', async () => {
    const { files, config } = corpusCopy();
    const warnings: string[] = [];
    const cacheFile = join(files[0]!, 'cannot-be-here');
    expectSame(await lint(files, { config, cacheFile, warn: (m) => warnings.push(m) }), plain(files, config));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Cannot write the cache/);
  });

  it('resolves --cache-location like ESLint: a file, or a directory holding .plan-tasks-cache', () => {
    expect(resolveCacheLocation('/repo', undefined)).toBe(resolve('/repo/.plan-tasks-cache'));
    expect(resolveCacheLocation('/repo', 'tmp/cache.json')).toBe(resolve('/repo/tmp/cache.json'));
    expect(resolveCacheLocation('/repo', 'tmp/')).toBe(resolve('/repo/tmp/.plan-tasks-cache'));
    expect(resolveCacheLocation('/', tmp)).toBe(join(tmp, '.plan-tasks-cache'));
  });
});

describe('the built CLI with --cache', () => {
  const bin = join(ROOT, 'bin', 'plan-tasks.js');
  const run = (cwd: string, args: string[]) =>
    spawnSync(process.execPath, [bin, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: undefined, FORCE_COLOR: undefined } });

  it('prints byte for byte the report of a run without it, in every format and strategy', () => {
    const { root, files } = corpusCopy();
    for (const format of ['stylish', 'json', 'github', 'sarif']) {
      const reference = run(root, ['--format', format]);
      expect(reference.status).toBe(1);
      for (const args of [['--cache'], ['--cache'], ['--cache', '--cache-strategy', 'content'], ['--cache', '--cache-strategy', 'metadata']]) {
        const cached = run(root, ['--format', format, ...args]);
        expect(cached.stderr, `${format} ${args.join(' ')}`).toBe('');
        expect(cached.stdout, `${format} ${args.join(' ')}`).toBe(reference.stdout);
        expect(cached.status).toBe(1);
      }
    }
    // One story changed: still the plain report.
    writeFileSync(files[2]!, readFileSync(files[2]!, 'utf8').replace(/\*\*Status:\*\* done/i, '**Status:** pending'));
    expect(run(root, ['--cache']).stdout).toBe(run(root, []).stdout);
  });

  it('rejects an unknown --cache-strategy with a usage error', () => {
    const { root } = corpusCopy();
    const r = run(root, ['--cache', '--cache-strategy', 'mtime']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unexpected --cache-strategy "mtime", expected one of metadata, content/);
    expect(r.stdout).toBe('');
  });

  it('is not reused by another build: a rebuilt bundle (same version) starts a new cache', () => {
    const { root, files } = corpusCopy();
    // A copy of the built package, to rebuild (change) without touching dist/.
    const pkg = join(tmp, `pkg${copies++}`);
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    const copy = (args: string[]) => spawnSync(process.execPath, [join(pkg, 'bin', 'plan-tasks.js'), 'lint', '--format', 'json', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: undefined } });
    const reference = copy([]).stdout;
    const cacheFile = join(root, '.plan-tasks-cache');
    expect(copy(['--cache']).stdout).toBe(reference);
    const key = readCache(cacheFile).header.key;
    // The same build uses its entries (a tampered message shows)...
    const marker = tamper(cacheFile, files[0]!);
    expect(copy(['--cache']).stdout).toContain(marker);
    // ...a rebuilt one does not: its key differs, every entry is made again.
    writeFileSync(join(pkg, 'dist', 'lint.cjs'), `${readFileSync(join(pkg, 'dist', 'lint.cjs'), 'utf8')}\n// rebuilt\n`);
    const rebuilt = copy(['--cache']);
    expect(rebuilt.stdout).toBe(reference);
    expect(readCache(cacheFile).header.key).not.toBe(key);
  });
});
