/**
 * Property tests (fast-check) over the parser, the rules, `--fix` and the
 * scaffolder, on arbitrary text and on the weave corpus mutated line by line
 * (deleted, duplicated, shuffled lines; injected headings, fences, separators,
 * CRLF, a BOM, unicode). Runs are bounded so `npm test` stays fast; a failure
 * prints the seed and the shrunk counterexample to replay.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { LintMessage } from '../src/lint/types.js';
import { fixStoryText, lintStoryText, makeProject } from '../src/lint/lint.js';
import { scaffoldText } from '../src/scaffold/index.js';
import { parseStory, stripBom } from '../src/story/parse.js';

const CORPUS = new URL('./fixtures/weave/stories/', import.meta.url).pathname;
const stories = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(CORPUS, f), 'utf8') }));

const root = mkdtempSync(join(tmpdir(), 'plan-tasks-prop-'));
const config = defaultConfig(root);
const PATH = join(root, 'docs/stories/042-property.md');

// --- Generators --------------------------------------------------------------

const INJECT = [
  '## Tasks',
  '### 001: Injected task',
  '### Task 7 - Old style',
  '### 003-005: Range',
  '**Domain:** backend',
  '**Status:** Done',
  '**Status:** done (via 002)',
  '**Depends on:** 001, 014/003, 2, foo',
  '**Depends on:**',
  '---',
  '```',
  '~~~md',
  '<!-- lint disable -->',
  '<!-- lint enable task-status -->',
  '<!-- lint ignore -->',
  '## Status',
  'Status: Complete',
  '# Story 042: Injected',
  '- [ ] an injected criterion',
  '| a | b |',
  '| --- | --- |',
  '<<<<<<< HEAD',
  '=======',
  '>>>>>>> branch',
  '',
  '   ',
  '\t### 004: indented',
  '> ### 005: quoted',
];
const UNICODE = ['é', '日本語', '🚀', 'e\u0301', '\u200b', '\u202e', '\u2028', '\u00a0', '\t', '\r', '\uffff', '𝔘'];

type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; at: number; to: number }
  | { op: 'inject'; at: number; line: string }
  | { op: 'unicode'; at: number; col: number; text: string }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('inject' as const), at: fc.nat(), line: fc.oneof(fc.constantFrom(...INJECT), fc.string({ maxLength: 40 })) }),
  fc.record({ op: fc.constant('unicode' as const), at: fc.nat(), col: fc.nat(), text: fc.constantFrom(...UNICODE) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, mutations: Mutation[], eol: 'lf' | 'crlf' | 'mixed', bom: boolean): string {
  const lines = text.split('\n');
  for (const m of mutations) {
    const at = lines.length ? m.at % lines.length : 0;
    switch (m.op) {
      case 'delete':
        lines.splice(at, 1);
        break;
      case 'duplicate':
        lines.splice(at, 0, lines[at] ?? '');
        break;
      case 'swap': {
        const to = lines.length ? m.to % lines.length : 0;
        [lines[at], lines[to]] = [lines[to] ?? '', lines[at] ?? ''];
        break;
      }
      case 'inject':
        lines.splice(at, 0, m.line);
        break;
      case 'unicode': {
        const line = lines[at] ?? '';
        const col = line.length ? m.col % line.length : 0;
        lines[at] = line.slice(0, col) + m.text + line.slice(col);
        break;
      }
      case 'truncate':
        lines.length = Math.min(lines.length, at + 1);
        break;
    }
  }
  const joined = eol === 'lf' ? lines.join('\n') : eol === 'crlf' ? lines.join('\r\n') : lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('');
  return (bom ? '\ufeff' : '') + joined;
}

const mutatedStory = fc
  .record({
    story: fc.nat({ max: stories.length - 1 }),
    mutations: fc.array(mutation, { maxLength: 8 }),
    eol: fc.constantFrom('lf' as const, 'crlf' as const, 'mixed' as const),
    bom: fc.boolean(),
  })
  .map((r) => mutate(stories[r.story]!.text, r.mutations, r.eol, r.bom));

/** Story-ish text from scratch: lines drawn from the injected set and arbitrary strings. */
const arbitraryStory = fc
  .array(fc.oneof(fc.constantFrom(...INJECT), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 })), { maxLength: 40 })
  .map((lines) => lines.join('\n'));

const anyStory = fc.oneof({ weight: 3, arbitrary: mutatedStory }, { weight: 1, arbitrary: arbitraryStory });

// --- Checks -----------------------------------------------------------------

/** Every position lies inside the text the model refers to (the file without its BOM). */
function assertPositionsInside(text: string, messages: readonly LintMessage[]): void {
  const body = stripBom(text).text;
  // LF, CRLF and a bare CR all end lines (as in CommonMark and the Story model).
  const lines = body.split(/\r\n|\r|\n/);
  const inside = (line: number, column: number) =>
    Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1]!.length + 1;
  for (const m of messages) {
    const where = `${m.ruleId} ${m.line}:${m.column}-${m.endLine}:${m.endColumn} "${m.message}"`;
    expect(inside(m.line, m.column), `start outside the file: ${where}`).toBe(true);
    if (m.endLine !== undefined || m.endColumn !== undefined) {
      expect(inside(m.endLine!, m.endColumn!), `end outside the file: ${where}`).toBe(true);
      expect(m.endLine! > m.line || (m.endLine === m.line && m.endColumn! >= m.column), `end before start: ${where}`).toBe(true);
    }
    if (m.fix) {
      const [a, b] = m.fix.range;
      expect(a >= 0 && a <= b && b <= body.length, `fix range outside the file: ${where} [${a}, ${b}]`).toBe(true);
    }
  }
}

/** The lines no message reported, in order, must all be in the output, in order. */
function assertUnreportedLinesKept(input: string, output: string, messages: readonly LintMessage[]): void {
  // Lines as the tool counts them: LF, CRLF and a bare CR each end one.
  const inLines = stripBom(input).text.split(/\r\n|\r|\n/);
  const outLines = stripBom(output).text.split(/\r\n|\r|\n/);
  const reported = new Set<number>();
  for (const m of messages) for (let l = m.line; l <= (m.endLine ?? m.line); l++) reported.add(l);
  let j = 0;
  for (let i = 0; i < inLines.length; i++) {
    if (reported.has(i + 1)) continue;
    while (j < outLines.length && outLines[j] !== inLines[i]) j++;
    expect(j < outLines.length, `unreported line ${i + 1} ${JSON.stringify(inLines[i])} changed or moved by --fix`).toBe(true);
    j++;
  }
}

const opts = { config };

describe('properties: parser and rules', () => {
  it('never throw on mutated weave stories and arbitrary text, and every position lies inside the file', () => {
    fc.assert(
      fc.property(anyStory, (text) => {
        const story = parseStory(text, PATH);
        expect(story.bom).toBe(text.charCodeAt(0) === 0xfeff);
        const { messages } = lintStoryText(text, PATH, opts);
        assertPositionsInside(text, messages);
      }),
      { numRuns: 100 },
    );
  }, 120_000);

  it('give the same model with and without a BOM and with CRLF line endings', () => {
    fc.assert(
      fc.property(fc.nat({ max: stories.length - 1 }), (i) => {
        const text = stories[i]!.text;
        const plain = lintStoryText(text, PATH, opts).messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`);
        const bom = lintStoryText('\ufeff' + text, PATH, opts).messages.map((m) => `${m.ruleId}@${m.line}:${m.column}`);
        const crlf = lintStoryText(text.replace(/\n/g, '\r\n'), PATH, opts).messages.map((m) => `${m.ruleId}@${m.line}`);
        expect(bom).toEqual(plain);
        expect(crlf).toEqual(plain.map((p) => p.replace(/:\d+$/, '')));
      }),
      { numRuns: 10 },
    );
  }, 120_000);
});

describe('properties: --fix', () => {
  it('is idempotent, its output parses and lints, and keeps every line it did not report byte for byte', () => {
    fc.assert(
      fc.property(anyStory, (text) => {
        const first = lintStoryText(text, PATH, opts);
        const { output, lint } = fixStoryText(text, PATH, opts);
        // Idempotent: fixing the output changes nothing.
        expect(fixStoryText(output, PATH, opts).output).toBe(output);
        // The output parses and its findings lie inside it.
        assertPositionsInside(output, lint.messages);
        // A BOM is kept (or not added).
        expect(output.charCodeAt(0) === 0xfeff).toBe(text.charCodeAt(0) === 0xfeff);
        if (output !== text) assertUnreportedLinesKept(text, output, first.messages);
        // Nothing fixable reported: not a byte changes.
        if (!first.messages.some((m) => m.fix)) expect(output).toBe(text);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('fixes nothing in a clean story', () => {
    const clean = readFileSync(new URL('./fixtures/rules/task-separator/ok-separators.md', import.meta.url), 'utf8');
    expect(fixStoryText(clean, PATH, opts).output).toBe(clean);
  });
});

// --- Scaffold ---------------------------------------------------------------

const word = fc.constantFrom('socket', 'token', 'daemon', 'menu', 'Flatpak', 'GPU', 'parser', 'the', 'a', 'request', 'header', 'returns', 'errors', 'window', 'IPC', 'release', 'CI', 'retry', 'test', 'docs', 'README');
const criterionText = fc
  .array(fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: fc.constantFrom('`src/auth.go`', '`Parse()`', 'docs/api.md', '(with a note)', '—', ':', '#', '*', '_x_', '1.', '> q', '|', '<b>', '[link](x)') }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }), { minLength: 1, maxLength: 14 })
  .map((ws) => ws.join(' ').replace(/[\r\n\u2028\u2029]/g, ' '))
  .filter((t) => /[A-Za-z]/.test(t));

const readyStory = fc
  .record({
    criteria: fc.array(fc.record({ text: criterionText, checked: fc.boolean() }), { minLength: 1, maxLength: 12 }),
    groups: fc.boolean(),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  })
  .filter((s) => s.criteria.some((c) => !c.checked))
  .map(({ criteria, groups, crlf, bom }) => {
    const items = criteria.map((c, i) => `${groups && i % 3 === 0 ? `\n### Group ${i}\n\n` : ''}- [${c.checked ? 'x' : ' '}] ${c.text}`);
    const text = `# Story 042: Property story\n\n## Status\nReady\n\n## Problem\nSomething to do.\n\n## Acceptance Criteria\n${items.join('\n')}\n\n## Notes\nNone.\n`;
    return (bom ? '\ufeff' : '') + (crlf ? text.replace(/\n/g, '\r\n') : text);
  });

describe('properties: scaffold', () => {
  const project = makeProject(config);
  it('always produces a story that lints with no errors', () => {
    fc.assert(
      fc.property(readyStory, (text) => {
        const result = scaffoldText(text, PATH, Buffer.from(text), { config, cwd: root, repo: null, project });
        const errors = lintStoryText(result.output, PATH, opts).messages.filter((m) => m.severity === 2);
        expect(errors.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`)).toEqual([]);
        expect(result.output.charCodeAt(0) === 0xfeff).toBe(text.charCodeAt(0) === 0xfeff);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
