/**
 * The bad-input matrix: each row is an input, the exit code and a fragment of
 * what the user reads. Run through the real CLI in-process (`main(argv, io)`),
 * and a few rows through `node bin/plan-tasks.js` as a real process. Never a
 * stack trace, never exit 0 for a file that could not be read.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runBin, runBinAs } from '../cli-helpers.js';

const FIXTURES = new URL('./fixtures/bad-input/', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;

let dir: string;
const OK = readFileSync(join(FIXTURES, '007 with spaces.md'), 'utf8');

function task(id: string, fields: Record<string, string> = {}): string {
  const f = { Domain: 'backend', Status: 'pending', 'Depends on': 'none', ...fields };
  return `### ${id}: Task ${id}\n${Object.entries(f).map(([k, v]) => `**${k}:** ${v}`).join('\n')}\n\nAdd \`x.go\` so that the test passes.\n\n---\n`;
}
const story = (n: string, tasks: string) => `# Story ${n}: Hostile\n\n## Status\nIn Progress\n\n## Tasks\n\n${tasks}`;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-bad-input-'));
  cpSync(FIXTURES, dir, { recursive: true });
  // Generated rows (too big or impossible to commit).
  const many = Array.from({ length: 5000 }, (_, i) => task(String((i % 999) + 1).padStart(3, '0') + (i >= 999 ? LETTERS[Math.floor(i / 999) - 1] : ''))).join('\n');
  writeFileSync(join(dir, '010-five-thousand.md'), story('010', many));
  writeFileSync(join(dir, '011-long-heading.md'), story('011', `### 001: ${'a \t#: '.repeat(10_000)}x\n**Domain:** backend\n**Status:** pending\n**Depends on:** none\n\nAdd \`x.go\` so the test passes.\n\n---\n`));
  writeFileSync(join(dir, '012-long-depends.md'), story('012', task('001') + '\n' + task('002', { 'Depends on': '1'.repeat(50_000) + 'x' })));
  writeFileSync(join(dir, '013-many-depends.md'), story('013', task('001') + '\n' + task('002', { 'Depends on': Array.from({ length: 10_000 }, () => '001').join(', ') })));
  mkdirSync(join(dir, 'x.md'));
  mkdirSync(join(dir, 'loop'));
  writeFileSync(join(dir, 'loop/001-real.md'), OK.replace('Story 007', 'Story 001'));
  symlinkSync('.', join(dir, 'loop/self'));
  symlinkSync('b.md', join(dir, 'loop/a.md'));
  symlinkSync('a.md', join(dir, 'loop/b.md'));
  writeFileSync(join(dir, '014-unreadable.md'), OK.replace('Story 007', 'Story 014'));
  chmodSync(join(dir, '014-unreadable.md'), 0o000);
});

afterAll(() => {
  chmodSync(join(dir, '014-unreadable.md'), 0o644);
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  name: string;
  args: () => string[];
  code: number;
  /** Fragments of stdout + stderr. */
  says: (string | RegExp)[];
}

const ROWS: Row[] = [
  { name: 'a binary file', args: () => ['lint', '006-binary.md'], code: 1, says: ['1:1', 'Unexpected binary file, expected a Markdown story (UTF-8 text)'] },
  { name: 'invalid UTF-8 (Latin-1)', args: () => ['lint', '005-invalid-utf8.md'], code: 1, says: ['4:10', 'Unexpected invalid UTF-8 byte 0xe9 at line 4, column 10, expected UTF-8 text'] },
  { name: 'a UTF-8 BOM', args: () => ['lint', '001-bom.md'], code: 0, says: [] },
  { name: 'CRLF line endings', args: () => ['lint', '002-crlf.md'], code: 0, says: [] },
  { name: 'mixed line endings', args: () => ['lint', '003-mixed-eol.md'], code: 0, says: [] },
  { name: 'an empty file', args: () => ['lint', '004-empty.md'], code: 1, says: ['Unexpected empty file, expected a Markdown story'] },
  { name: 'git conflict markers', args: () => ['lint', '009-conflict.md'], code: 1, says: ['28:1', 'Unexpected merge conflict markers (lines 28-32), expected the conflict resolved'] },
  { name: 'a 5,000-task story', args: () => ['lint', '010-five-thousand.md'], code: 0, says: ['story-size', 'Unexpected 5000 tasks in one story, expected at most 15'] },
  { name: 'a 50,000-character heading', args: () => ['lint', '011-long-heading.md'], code: 0, says: [] },
  { name: 'a 50,000-digit dependency', args: () => ['lint', '012-long-depends.md'], code: 1, says: ['task-depends-format'] },
  { name: 'a 10,000-ref dependency list', args: () => ['lint', '013-many-depends.md'], code: 0, says: [] },
  { name: 'a directory named x.md', args: () => ['lint', 'x.md'], code: 2, says: ['plan-tasks: No Markdown files in the directory x.md'] },
  // The loop is a file the folder holds that cannot be read: reported, not passed over (story 035).
  { name: 'a symlink loop in a folder', args: () => ['lint', 'loop'], code: 2, says: [/Cannot read .*loop\/a\.md: too many levels of symbolic links/] },
  { name: 'a symlink loop named directly', args: () => ['lint', 'loop/a.md'], code: 2, says: ['Cannot read loop/a.md: too many levels of symbolic links'] },
  { name: 'a path with spaces', args: () => ['lint', '007 with spaces.md'], code: 0, says: [] },
  { name: 'a non-ASCII path', args: () => ['lint', '008-ünïcødé-日本.md'], code: 0, says: [] },
  { name: 'a missing file', args: () => ['lint', 'nope.md'], code: 2, says: ['No such file or directory: nope.md'] },
  { name: 'a glob that matches nothing', args: () => ['lint', 'nothing/*.md'], code: 2, says: ['No files match the pattern "nothing/*.md"'] },
];

describe('bad-input matrix (in-process CLI)', () => {
  for (const row of ROWS) {
    it(`${row.name}: exit ${row.code}`, async () => {
      const r = await run(row.args(), dir);
      const out = r.stdout + r.stderr;
      for (const s of row.says) expect(out).toMatch(typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
      expect(out, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(r.code, out.slice(0, 2000)).toBe(row.code);
    }, 120_000);
  }

  it('reports every unreadable file in a run and never exits 0 (binary + invalid UTF-8 + a good one)', async () => {
    const r = await run(['lint', '001-bom.md', '005-invalid-utf8.md', '006-binary.md', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { filePath: string; errorCount: number; messages: { fatal?: boolean }[] }[];
    expect(json.map((f) => [f.filePath.replace(/^.*\//, ''), f.errorCount])).toEqual([
      ['001-bom.md', 0],
      ['005-invalid-utf8.md', 1],
      ['006-binary.md', 1],
    ]);
    expect(json[1]!.messages[0]!.fatal).toBe(true);
  });

  it('--fix never writes a file it could not read, and keeps the BOM and CRLF of those it fixes', async () => {
    const before = ['005-invalid-utf8.md', '006-binary.md', '009-conflict.md'].map((f) => readFileSync(join(dir, f)));
    const fixable = join(dir, '015-fixable.md');
    const text = '\ufeff' + OK.replace('Story 007', 'Story 015').replace('### 002:', '### Task 002:').replace(/\n/g, '\r\n');
    writeFileSync(fixable, text);
    const r = await run(['lint', '--fix', '005-invalid-utf8.md', '006-binary.md', '009-conflict.md', '015-fixable.md'], dir);
    expect(r.code).toBe(1);
    ['005-invalid-utf8.md', '006-binary.md', '009-conflict.md'].forEach((f, i) => expect(readFileSync(join(dir, f)).equals(before[i]!)).toBe(true));
    expect(readFileSync(fixable, 'utf8')).toBe(text.replace('### Task 002:', '### 002:'));
  });
});

describe('unreadable files', () => {
  it.skipIf(isRoot)('a chmod 000 story is exit 2 "permission denied" (in-process)', async () => {
    const r = await run(['lint', '014-unreadable.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('permission denied');
  });

  // Root reads anything, so as root the row runs the bin as the `nobody` user instead.
  it.runIf(isRoot)('a chmod 000 story is exit 2 "permission denied" (the bin as user nobody, since root reads anything)', () => {
    chmodSync(dir, 0o755);
    const r = runBinAs(65534, ['lint', '014-unreadable.md'], dir);
    expect(r.stderr).toContain('Cannot read');
    expect(r.stderr).toContain('014-unreadable.md: permission denied');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  });
});

describe('bad-input matrix (the bin as a real process)', () => {
  for (const [args, code, says] of [
    [['lint', '006-binary.md'], 1, 'Unexpected binary file'],
    [['lint', '008-ünïcødé-日本.md', '007 with spaces.md'], 0, ''],
    [['lint', 'loop/a.md'], 2, 'too many levels of symbolic links'],
    [['lint', '009-conflict.md'], 1, 'Unexpected merge conflict markers'],
  ] as const) {
    it(`${args.slice(1).join(' ')}: exit ${code}`, () => {
      const r = runBin([...args], dir);
      expect(r.stdout + r.stderr).toContain(says);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(code);
    }, 60_000);
  }
});
