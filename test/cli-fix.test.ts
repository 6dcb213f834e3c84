/**
 * `plan-tasks lint --fix` on real files: the expected result, idempotent, only
 * the reported spans change, BOM and line endings kept, the exit code is what
 * is left, and the weave corpus changes only where a fix was reported.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFixes } from '../src/lint/fix.js';
import { writeFileAtomic } from '../src/fs/atomic.js';
import { UsageError } from '../src/errors.js';
import { CLI_FIXTURES, parseJson, REPO, run, runBin, tempCopy, type JsonResult } from './cli-helpers.js';

const LINT = join(CLI_FIXTURES, 'lint');
const FIXED = readFileSync(join(CLI_FIXTURES, 'fixed/004-fixable.md'), 'utf8');
const WEAVE = join(REPO, 'test/fixtures/weave/stories');

let t: ReturnType<typeof tempCopy>;
beforeEach(() => {
  t = tempCopy(LINT);
});
afterEach(() => t.done());

const read = (name: string) => readFileSync(join(t.dir, name), 'utf8');
const crlf = (s: string) => s.replace(/\n/g, '\r\n');

/** Apply the fixes a report carries, pass by pass, the way --fix should. */
async function fixByReport(dir: string, name: string, text: string): Promise<string> {
  for (let pass = 0; pass < 10; pass++) {
    writeFileSync(join(dir, name), text);
    const [result] = parseJson((await run(['lint', '--format', 'json', name], dir)).stdout);
    const fixes = result!.messages.filter((m) => m.fix).map((m) => m.fix!);
    if (fixes.length === 0) return text;
    const bom = text.startsWith('\ufeff') ? '\ufeff' : '';
    text = bom + applyFixes(text.slice(bom.length), fixes).text;
  }
  return text;
}

describe('--fix', () => {
  it('turns the fixable fixture into the expected file, exit 0 when nothing is left', async () => {
    const r = await run(['lint', '--fix', '004-fixable.md'], t.dir);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(read('004-fixable.md')).toBe(FIXED);
  });

  it('turns `### Task 1 - Do the thing` into a valid `### 001: Do the thing`, exit 0', async () => {
    const src = read('001-clean.md');
    expect(src).toContain('### 001: Add the token check\n');
    writeFileSync(join(t.dir, '001-clean.md'), src.replace('### 001: Add the token check', '### Task 1 - Add the token check'));
    const before = parseJson((await run(['lint', '--format', 'json', '001-clean.md'], t.dir)).stdout)[0]!.messages.map((m) => m.message);
    expect(before).toContain('Unexpected `Task` prefix, expected `### 001: Add the token check`');
    expect(before).toContain('Unexpected task id `1`, expected `001`');
    const r = await run(['lint', '--fix', '001-clean.md'], t.dir);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(read('001-clean.md')).toBe(src);
  });

  it('is idempotent: a second run changes nothing', async () => {
    await run(['lint', '--fix', '004-fixable.md'], t.dir);
    const r = await run(['lint', '--fix', '--format', 'json', '004-fixable.md'], t.dir);
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)[0]!.output).toBeUndefined();
    expect(read('004-fixable.md')).toBe(FIXED);
  });

  it('changes only the spans it reports; every other byte is identical', async () => {
    const original = read('004-fixable.md');
    const [before] = parseJson((await run(['lint', '--format', 'json', '004-fixable.md'], t.dir)).stdout);
    const fixes = before!.messages.filter((m) => m.fix);
    // Each fix sits on the line its message points at (or, for a missing separator, right after it).
    for (const m of fixes) {
      const line = original.slice(0, m.fix!.range[0]).split('\n').length;
      expect([m.ruleId, line - m.line <= 2 && line >= m.line]).toEqual([m.ruleId, true]);
    }
    await run(['lint', '--fix', '004-fixable.md'], t.dir);
    expect(read('004-fixable.md')).toBe(applyFixes(original, fixes.map((m) => m.fix!)).text);
  });

  it('reports what is left and exits 1 when errors remain', async () => {
    const r = await run(['lint', '--fix', '--format', 'json', '003-errors.md', '004-fixable.md'], t.dir);
    expect(r.code).toBe(1);
    const [errors, fixable] = parseJson(r.stdout);
    expect(errors!.messages.map((m) => m.ruleId)).toEqual(['task-domain', 'task-domain', 'task-status']);
    expect(errors!.output).toBeUndefined(); // `Complete` is not a spelling of a status: not fixed
    expect(fixable!.messages).toEqual([]);
    expect(fixable!.output).toBe(FIXED);
    expect(read('003-errors.md')).toBe(readFileSync(join(LINT, '003-errors.md'), 'utf8'));
  });

  it('keeps a UTF-8 BOM and CRLF line endings', async () => {
    writeFileSync(join(t.dir, '004-fixable.md'), `\ufeff${crlf(read('004-fixable.md'))}`);
    expect((await run(['lint', '--fix', '004-fixable.md'], t.dir)).code).toBe(0);
    expect(read('004-fixable.md')).toBe(`\ufeff${crlf(FIXED)}`);
  });

  it('keeps mixed line endings line by line', async () => {
    const lines = read('004-fixable.md').split('\n');
    const mixed = lines.map((l, i) => (i < lines.length - 1 ? l + (i % 2 ? '\r\n' : '\n') : l)).join('');
    writeFileSync(join(t.dir, '004-fixable.md'), mixed);
    await run(['lint', '--fix', '004-fixable.md'], t.dir);
    const out = read('004-fixable.md');
    expect(out.replace(/\r\n/g, '\n')).toBe(FIXED);
    // Lines the fixes did not touch keep their own ending (the separator goes in at the end of the description line).
    for (const [i, line] of lines.entries()) {
      if (i === lines.length - 1 || !line || /Task 001|domain|In Progress|002 Reject|status|^Watch/.test(line)) continue;
      expect(out).toContain(line + (i % 2 ? '\r\n' : '\n'));
    }
    expect(await fixByReport(t.dir, 'again.md', mixed)).toBe(out);
  });

  it('the real bin fixes in place too', async () => {
    const r = runBin(['lint', '--fix', '004-fixable.md', '001-clean.md'], t.dir);
    expect(r.code).toBe(0);
    expect(read('004-fixable.md')).toBe(FIXED);
    expect(read('001-clean.md')).toBe(readFileSync(join(LINT, '001-clean.md'), 'utf8'));
  });
});

describe('writeFileAtomic', () => {
  it('refuses when the file changed since it was read, and leaves it alone', () => {
    const file = join(t.dir, '001-clean.md');
    const original = read('001-clean.md');
    writeFileSync(file, `${original}\nedited meanwhile\n`);
    expect(() => writeFileAtomic(file, 'new text', { expected: original })).toThrow(UsageError);
    expect(read('001-clean.md')).toBe(`${original}\nedited meanwhile\n`);
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    writeFileAtomic(file, 'new text', { expected: `${original}\nedited meanwhile\n` });
    expect(read('001-clean.md')).toBe('new text');
  });
});

describe('--fix on a copy of the weave corpus', () => {
  it('changes only what it reports, and a second run changes nothing', async () => {
    const w = tempCopy(WEAVE);
    try {
      writeFileSync(join(w.dir, 'plan-tasks.config.json'), JSON.stringify({ stories: '*.md', domains: ['backend', 'compute', 'electron', 'packaging', 'weave', 'documentation'] }));
      const names = readdirSync(w.dir).filter((f) => f.endsWith('.md')).sort();
      const originals = new Map(names.map((n) => [n, readFileSync(join(w.dir, n), 'utf8')]));
      const before = new Map(parseJson((await run(['lint', '--format', 'json'], w.dir)).stdout).map((r) => [r.filePath, r]));

      // The expected result of each file: its reported fixes, applied pass by pass, in a scratch copy.
      const scratch = tempCopy(WEAVE);
      const expected = new Map<string, string>();
      try {
        cpSync(join(w.dir, 'plan-tasks.config.json'), join(scratch.dir, 'plan-tasks.config.json'));
        for (const n of names) expected.set(n, await fixByReport(scratch.dir, n, originals.get(n)!));
      } finally {
        scratch.done();
      }

      const r = await run(['lint', '--fix', '--format', 'json'], w.dir);
      expect(r.code).toBe(1); // the corpus has real errors no fix can make
      const after = parseJson(r.stdout);
      let changed = 0;
      for (const n of names) {
        const now = readFileSync(join(w.dir, n), 'utf8');
        const had = before.get(join(w.dir, n)) as JsonResult;
        if (!had.messages.some((m) => m.fix)) expect([n, now]).toEqual([n, originals.get(n)]);
        else changed++;
        expect([n, now]).toEqual([n, expected.get(n)]);
      }
      expect(changed).toBeGreaterThanOrEqual(3);
      expect(after.reduce((s, x) => s + x.fixableErrorCount + x.fixableWarningCount, 0)).toBe(0);

      const again = await run(['lint', '--fix', '--format', 'json'], w.dir);
      expect(parseJson(again.stdout).filter((x) => x.output !== undefined)).toEqual([]);
    } finally {
      w.done();
    }
  });
});
