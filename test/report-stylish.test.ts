/**
 * The stylish formatter (src/report/stylish.ts) prints byte for byte what the plain form kept
 * in test/reference/stylish.ts prints: on the weave stories' results and on messages that take
 * every branch (control characters in paths, messages and rule ids; no rule id; a final period
 * after a space; warnings wider than errors), with and without colour, streamed or batched.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { lint } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import type { LintResult } from '../src/lint/types.js';
import { stylish, stylishStream } from '../src/report/stylish.js';
import type { StreamFormatter } from '../src/report/types.js';
import { stylishReference } from './reference/stylish.js';
import { mdFiles } from './lint-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-stylish-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ctx = (color: boolean) => ({ cwd: tmp, color, rulesMeta: {} });
const streamed = (f: StreamFormatter, results: LintResult[], color: boolean) => {
  const s = f(ctx(color));
  let out = '';
  for (const r of results) out += s.add(r);
  return out + s.end();
};

type Given = Omit<LintResult['messages'][number], 'endLine' | 'endColumn'> & { endLine?: number; endColumn?: number };
const result = (filePath: string, given: Given[]): LintResult => {
  const messages = given.map((m) => ({ endLine: m.line, endColumn: m.column, ...m }));
  return {
    filePath,
    messages,
    fatalErrorCount: messages.filter((m) => m.ruleId === null).length,
    errorCount: messages.filter((m) => m.severity === 2).length,
    warningCount: messages.filter((m) => m.severity !== 2).length,
    fixableErrorCount: messages.filter((m) => m.severity === 2 && m.fix).length,
    fixableWarningCount: messages.filter((m) => m.severity !== 2 && m.fix).length,
  };
};

const edges: LintResult[] = [
  result('/p/clean.md', []),
  result('/p/\u001b[8mhidden\u202e.md', [
    { ruleId: null, severity: 2, message: 'Cannot read the file.', line: 1, column: 1 },
    { ruleId: 'rule-\u0007bell', severity: 1, message: 'Ends with a period.', line: 12, column: 104, endLine: 12, endColumn: 110 },
    { ruleId: 'rule-\u0007bell', severity: 1, message: 'A period after a space .', line: 3, column: 7 },
    { ruleId: '', severity: 1, message: '.', line: 2, column: 3 },
    { ruleId: 'x', severity: 2, message: 'Control \u001b[2J and \r in a message', line: 1000, column: 1, fix: { range: [0, 1], text: '' } },
  ]),
  result('/p/only-errors.md', [{ ruleId: 'a', severity: 2, message: 'Short', line: 1, column: 1 }]),
  result('/p/only-warnings.md', [{ ruleId: 'a', severity: 1, message: 'Warned.', line: 9, column: 9 }]),
];

describe('stylish', () => {
  it('prints what the plain form prints, on the weave stories and on every branch, with and without colour', async () => {
    const root = join(tmp, 'weave');
    const stories = join(root, 'docs', 'stories');
    cpSync(resolve(__dirname, 'fixtures/weave/stories'), stories, { recursive: true });
    const config = { ...defaultConfig(root), stories: ['docs/stories/*.md'] };
    const weave = await lint(workingTreeSnapshot(config), { config, files: mdFiles(stories) });
    expect(weave.filter((r) => r.messages.length > 0).length).toBeGreaterThan(10);
    for (const results of [weave, edges, [...edges, ...weave, ...edges], [edges[0]!], []]) {
      for (const color of [false, true]) {
        const expected = streamed(stylishReference, results, color);
        expect(streamed(stylishStream, results, color)).toBe(expected);
        expect(stylish(results, ctx(color))).toBe(expected);
      }
    }
  });
});
