/**
 * The Story model (src/story/parse.ts) runs its line regexes only on lines a
 * cheap test lets through, and skips string rewrites that would change
 * nothing (issue 19, story 023). Each cheap test must never turn away a line
 * its regex matches, and each skip must give what the rewrite gives: checked
 * here on generated lines and on every line of every fixture and corpus story.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './lint-helpers.js';
import { modelPrechecks, parseStory } from '../src/story/parse.js';

const ROOT = resolve(__dirname, '..');

/** Pieces of story lines around what the regexes look for. */
const UNITS = [
  ' ', '  ', '   ', '    ', '\t', '*', '**', '_', '__', '#', '##', '###', '-', '+', '1.', '1)', '[', ']', '[ ]', '[x]', 'X',
  'Domain', 'domain', 'Status', 'STATUS', 'Depends on', 'depends\ton', 'Files', 'Task', 'task', 'T', '001', '2', '002a', ':', '：', '.',
  '\u00a0', '\u2000', '\u200b', '\u200d', '\u2060', '\u202f', '\u205f', '\u3000', '\ufeff', '\u2028', '\r', '\n', '\f', '\v',
  '✅', '☑️', '✔', '☐', '⬜', '🔲', '🔳', '❌', '✖️', '⏳', '🚧', '😀', 'ſ', 'K', 'x', 'backend', '|', '`c`',
];
const line = fc.array(fc.constantFrom(...UNITS), { maxLength: 14 }).map((u) => u.join(''));

const fixtureLines = (): string[] => {
  const files = markdownFiles(join(ROOT, 'test', 'fixtures'));
  const out: string[] = [];
  for (const f of files) for (const l of readFileSync(f, 'utf8').split(/\r\n|\r|\n/)) out.push(l, l.trim());
  return out;
};

const NAMES = ['boldStart', 'otherFormStart', 'hashStart', 'boxStart', 'hasBoldMarker'] as const;

describe('the model regexes run on every line that can match them', () => {
  for (const name of NAMES) {
    const { test, regexes } = modelPrechecks[name];
    it(`${name}: generated lines`, () => {
      fc.assert(
        fc.property(line, (l) => {
          if (!test(l)) for (const re of regexes) expect(re.test(l), `${re} on ${JSON.stringify(l)}`).toBe(false);
        }),
        { numRuns: 20000 },
      );
    });
    it(`${name}: every line of every fixture, and the lines it lets through include matches`, () => {
      let matched = 0;
      for (const l of fixtureLines()) {
        const hit = regexes.some((re) => re.test(l));
        if (hit) {
          matched++;
          expect(test(l), JSON.stringify(l)).toBe(true);
        }
      }
      expect(matched).toBeGreaterThan(0);
    });
  }
});

describe('skipped rewrites give what the rewrite gives', () => {
  it('collapseSpace = replace(/\\s+/g, " ")', () => {
    fc.assert(fc.property(line, (l) => {
      expect(modelPrechecks.collapseSpace(l)).toBe(l.replace(/\s+/g, ' '));
    }), { numRuns: 20000 });
    for (const l of fixtureLines()) expect(modelPrechecks.collapseSpace(l)).toBe(l.replace(/\s+/g, ' '));
  });
  it('isBlankCode = a space, a tab or the rendered-blank class', () => {
    const re = /[ \t\u00a0\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]/;
    for (let c = 0; c < 0x10000; c++) expect(modelPrechecks.isBlankCode(c), c.toString(16)).toBe(re.test(String.fromCharCode(c)));
    expect(modelPrechecks.isBlankCode(NaN)).toBe(false);
  });
  it('trimEndSpaces = the length without /(?<![ \\t])[ \\t]+$/', () => {
    fc.assert(fc.property(line, (l) => {
      expect(l.slice(0, modelPrechecks.trimEndSpaces(l))).toBe(l.replace(/(?<![ \t])[ \t]+$/, ''));
    }), { numRuns: 20000 });
  });
  it('values read from CR, CRLF and LF texts are the same (no line-ending rewrite is skipped where it is needed)', () => {
    const files = markdownFiles(join(ROOT, 'test', 'fixtures', 'weave'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const lf = readFileSync(f, 'utf8').replace(/\r\n?/g, '\n');
      const values = (text: string) => {
        const story = parseStory(text, f);
        return story.tasks.map((t) => [t.title, t.blocks.map((b) => [b.text, b.codeSpans]), t.fields.map((x) => [x.value, x.continuation])]);
      };
      const want = values(lf);
      expect(values(lf.replace(/\n/g, '\r\n')), f).toEqual(want);
      expect(values(lf.replace(/\n/g, '\r')), f).toEqual(want);
    }
  });
});
