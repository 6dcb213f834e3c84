/**
 * `tooComplex` (src/story/limits.ts) skips its scan when the text's counts of
 * `>`, `](`, `*` and `_` are too low for any limit to be passed: it must give
 * what the full scan (`scanComplexity`) gives, on every fixture and on texts
 * built around the bounds (each limit passed by a few, and just not).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './lint-helpers.js';
import { MAX_EMPHASIS_DELIMITERS, MAX_LINK_OPENERS, MAX_QUOTE_DEPTH, scanComplexity, tooComplex } from '../src/story/limits.js';

const ROOT = resolve(__dirname, '..');

describe('tooComplex with its count pre-check gives what the full scan gives', () => {
  it('on every fixture and project story', () => {
    const files = [...markdownFiles(join(ROOT, 'test', 'fixtures')), ...markdownFiles(join(ROOT, 'docs', 'stories'))];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(tooComplex(text), file).toEqual(scanComplexity(text));
    }
  });

  it('at the limits: one over each is found, one under is not', () => {
    const cases: [string, boolean][] = [
      ['>'.repeat(MAX_QUOTE_DEPTH) + ' deep\n', false],
      ['>'.repeat(MAX_QUOTE_DEPTH + 1) + ' deep\n', true],
      ['[a]('.repeat(MAX_LINK_OPENERS) + '\n', false],
      ['[a]('.repeat(MAX_LINK_OPENERS + 1) + '\n', true],
      ['a* '.repeat(MAX_EMPHASIS_DELIMITERS) + '\n', false],
      ['a* '.repeat(MAX_EMPHASIS_DELIMITERS - 10) + 'b_ '.repeat(11) + '\n', true],
      // Over the counts but within the limits: the scan decides (code spans, fences, separate paragraphs).
      ['`' + '*'.repeat(2 * MAX_EMPHASIS_DELIMITERS) + '`\n', false],
      ['```\n' + '>'.repeat(3 * MAX_QUOTE_DEPTH) + '\n```\n', false],
      [('a* '.repeat(MAX_EMPHASIS_DELIMITERS / 2) + '\n\n').repeat(3), false],
    ];
    for (const [text, over] of cases) {
      expect(scanComplexity(text) !== null, text.slice(0, 40)).toBe(over);
      expect(tooComplex(text)).toEqual(scanComplexity(text));
    }
  });

  it('on generated texts around the bounds', () => {
    const piece = fc.constantFrom('>', '> ', '](', '[a](b)', '*', '_', '**x**', '`', '``', '\\*', '\\]', '\n', '\n\n', '- ', '1. ', '```\n', 'word ', ')', '|', '# ');
    const doc = fc.tuple(fc.array(piece, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 600 })).map(([ps, k]) => ps.join('').repeat(k));
    let over = 0;
    fc.assert(
      fc.property(doc, (text) => {
        const full = scanComplexity(text);
        if (full) over++;
        expect(tooComplex(text)).toEqual(full);
      }),
      { numRuns: 600, seed: 19 },
    );
    expect(over).toBeGreaterThan(10);
  });
});
