/**
 * Streaming (issue 19): `lintEach` hands each result out in file order before
 * it reads the next file, the formatters print result by result, and the
 * report is byte for byte the one the batch formatters make from every result.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { readStory } from '../src/lint/files.js';
import { lint, lintEach } from '../src/lint/lint.js';
import type { Snapshot } from '../src/lint/snapshot.js';
import type { LintMessage, LintResult } from '../src/lint/types.js';
import { FORMATS, STREAM_FORMATS } from '../src/report/index.js';
import type { FormatContext } from '../src/report/types.js';
import { runBin, runBinAs } from './cli-helpers.js';
import { mdFiles, plain } from './lint-helpers.js';

const ROOT = resolve(__dirname, '..');
const WEAVE = resolve(ROOT, 'test/fixtures/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let copies = 0;
/** The weave stories as docs/stories of a new root, with a binary and an empty story among them. */
function corpus(): { root: string; stories: string; files: string[]; config: ResolvedConfig } {
  const root = join(tmp, `c${copies++}`);
  const stories = join(root, 'docs', 'stories');
  cpSync(WEAVE, stories, { recursive: true });
  // 0145 and 0146 sort between 014 and 015: fatal results in the middle of the stream.
  writeFileSync(join(stories, '0145-binary.md'), Buffer.from([0x23, 0x20, 0, 1, 2]));
  writeFileSync(join(stories, '0146-empty.md'), '');
  return { root, stories, files: mdFiles(stories), config: { ...defaultConfig(root), stories: ['docs/stories/*.md'] } };
}

const message = (over: Partial<LintMessage>): LintMessage => ({ ruleId: 'task-status', severity: 2, message: 'Unexpected status.', line: 3, column: 1, endLine: 3, endColumn: 9, ...over });
const result = (filePath: string, messages: LintMessage[]): LintResult => ({
  filePath,
  messages,
  suppressedMessages: [],
  usedDeprecatedRules: [],
  errorCount: messages.filter((m) => m.severity === 2).length,
  warningCount: messages.filter((m) => m.severity === 1).length,
  fatalErrorCount: messages.filter((m) => m.fatal).length,
  fixableErrorCount: messages.filter((m) => m.severity === 2 && m.fix).length,
  fixableWarningCount: messages.filter((m) => m.severity === 1 && m.fix).length,
});
const ctx: FormatContext = { cwd: '/repo', color: false, rulesMeta: {}, env: {} };

describe('the stream formatters', () => {
  const results = [
    result('/repo/docs/stories/001-a.md', []),
    result('/repo/docs/stories/002-b.md', [message({}), message({ ruleId: 'task-domain', severity: 1, message: 'Long', line: 12, column: 4, fix: { range: [1, 2], text: 'x' } })]),
    result('/repo/docs/stories/003-c.md', []),
    result('/repo/docs/stories/004-d.md', [message({ ruleId: null, fatal: true, message: 'Unexpected binary file', line: 1, column: 1 })]),
  ];

  it('print stylish block by block: the same bytes as ESLint-style stylish over all results', async () => {
    const stream = (await STREAM_FORMATS.stylish!())(ctx);
    const chunks = results.map((r) => stream.add(r));
    // A clean file prints nothing; each block is printed when its result comes.
    expect(chunks[0]).toBe('');
    expect(chunks[1]).toBe('\n/repo/docs/stories/002-b.md\n   3:1  error    Unexpected status  task-status\n  12:4  warning  Long               task-domain');
    expect(chunks[2]).toBe('');
    expect(chunks[3]).toBe('\n\n/repo/docs/stories/004-d.md\n  1:1  error  Unexpected binary file');
    const end = stream.end();
    expect(end).toBe('\n\n\u2716 3 problems (2 errors, 1 warning)\n  0 errors and 1 warning potentially fixable with the `--fix` option.\n\n');
    expect(chunks.join('') + end).toBe((await FORMATS.stylish!())(results, ctx));
    // No problem at all: no output.
    const clean = (await STREAM_FORMATS.stylish!())(ctx);
    expect(clean.add(results[0]!) + clean.end()).toBe('');
  });

  it('print JSON entry by entry: the bytes of JSON.stringify over the whole array', async () => {
    const stream = (await STREAM_FORMATS.json!())(ctx);
    const text = results.map((r) => stream.add(r)).join('') + stream.end();
    const parsed = JSON.parse(text) as { filePath: string }[];
    expect(parsed.map((r) => r.filePath)).toEqual(results.map((r) => r.filePath));
    expect(text).toBe(`${JSON.stringify(parsed)}\n`);
    const none = (await STREAM_FORMATS.json!())(ctx);
    expect(none.end()).toBe('[]\n');
  });

  it('give, for every format, the batch formatter\'s bytes', async () => {
    for (const format of Object.keys(FORMATS)) {
      const stream = (await STREAM_FORMATS[format]!())(ctx);
      const text = results.map((r) => stream.add(r)).join('') + stream.end();
      expect(text, format).toBe((await FORMATS[format]!())(results, ctx));
    }
  });
});

describe('lintEach', () => {
  it('hands each result out in file order before reading the next file, fatal files in their place', async () => {
    const { files, config } = corpus();
    const events: string[] = [];
    const snapshot: Snapshot = {
      files,
      read(path) {
        events.push(`read ${path}`);
        return readStory(path);
      },
    };
    const results: LintResult[] = [];
    await lintEach(snapshot, { config }, (r) => {
      events.push(`result ${r.filePath}`);
      results.push(r);
    });
    expect(results.map((r) => r.filePath)).toEqual(files);
    expect(results).toEqual(plain(files, config));
    expect(results.filter((r) => r.fatalErrorCount > 0).map((r) => r.filePath)).toEqual(files.filter((f) => /014[56]-/.test(f)));
    // Every file is read once; a file read before its turn was reached by an earlier one (a ref).
    const reads = events.filter((e) => e.startsWith('read ')).map((e) => e.slice(5));
    expect(new Set(reads).size).toBe(reads.length);
    expect(reads.sort()).toEqual([...files].sort());
    for (const file of files) {
      const read = events.indexOf(`read ${file}`);
      const out = events.indexOf(`result ${file}`);
      expect(read).toBeLessThan(out);
    }
    // Streaming, not batching: results come out while files are still being read.
    const firstResult = events.findIndex((e) => e.startsWith('result '));
    const lastRead = events.map((e) => e.startsWith('read ')).lastIndexOf(true);
    expect(firstResult).toBeLessThan(lastRead);
  });

  it('gives lint() the same results as lintEach, and lints a story a later one reaches only once', async () => {
    const { files, config } = corpus();
    // 012 refers to earlier stories; linted in reverse order, every ref is forward.
    const reversed = [...files].reverse();
    const results = await lint({ files, read: readStory }, { config, files: reversed });
    expect(results.map((r) => r.filePath)).toEqual(reversed);
    const expected = new Map(plain(files, config).map((r) => [r.filePath, r]));
    for (const r of results) expect(r, r.filePath).toEqual(expected.get(r.filePath));
  });
});

describe('the CLI', () => {
  const bin = join(ROOT, 'bin', 'plan-tasks.js');
  const run = (cwd: string, args: string[]) =>
    spawnSync(process.execPath, [bin, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_WORKSPACE: undefined } });

  it('prints, in every format, the batch formatter over the reference results (fatal files mid-stream)', async () => {
    const { root, files, config } = corpus();
    const expected = plain(files, config);
    const { rules } = await import('../rules/index.js');
    const rulesMeta = Object.fromEntries(rules.map((r) => [r.meta.id, r.meta]));
    for (const format of Object.keys(FORMATS)) {
      const r = run(root, ['--format', format]);
      expect(r.stderr, format).toBe('');
      expect(r.status, format).toBe(1);
      // SARIF names the tool's version: the built one's, "0.0.0-dev" from the sources.
      const same = (t: string) => (format === 'sarif' ? t.replace(/"(version|semanticVersion)": "[^"]*"/g, '"$1": "V"') : t);
      expect(same(r.stdout), format).toBe(same((await FORMATS[format]!())(expected, { cwd: root, color: false, rulesMeta, env: {} })));
    }
  });

  it('prints no half report when a file cannot be read mid-run (exit 2, the reason on stderr)', () => {
    const { root, stories } = corpus();
    // Unreadable (EACCES) and listed by the glob, after stories whose results are already made.
    const locked = join(stories, '0147-locked.md');
    writeFileSync(locked, '# Story 0147: Locked\n');
    chmodSync(locked, 0o000);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) for (let d = stories; d.startsWith(tmp); d = dirname(d)) chmodSync(d, 0o755);
    for (const format of ['stylish', 'json']) {
      // Root reads any file: the run drops to nobody (65534) first.
      const r = asRoot ? runBinAs(65534, ['lint', '--format', format], root) : runBin(['lint', '--format', format], root);
      expect(r.stderr, format).toMatch(/0147-locked\.md/);
      expect(r.code, format).toBe(2);
      expect(r.stdout, format).toBe('');
    }
  });
});
