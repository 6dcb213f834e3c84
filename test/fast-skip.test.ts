/**
 * The lint path's fast section scan and skip ranges (src/story/sections.ts,
 * src/story/fast.ts, `parseForLint` in src/lint/analyze.ts) against the plain
 * path they replace:
 *
 * - `scanSections` (by character codes) gives what the regular-expression
 *   scan it replaced gave (kept below as the reference, verbatim);
 * - `blankUnreadSections` gives the text the old regex blanking gave;
 * - `fastTree(text, unreadSections(text))` gives the tree, or declines, as
 *   `fastTree` on the blanked text does, and `parseForLint` the Story the old
 *   path built (blank, then scanner, else micromark).
 *
 * On every fixture and weave story (as-is, CRLF, behind front matter), the
 * hostile constructs of a line scan, and generated documents.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './lint-helpers.js';
import { fastTree } from '../src/story/fast.js';
import { scanFrontmatter } from '../src/story/frontmatter.js';
import { buildStory, parseMarkdown, stripBom } from '../src/story/parse.js';
import { blankRanges, blankUnreadSections, LINT_SECTIONS, scanSections, unreadSections, type ScannedSection } from '../src/story/sections.js';
import { parseForLint } from '../src/lint/analyze.js';
import { toCrlf } from './fast-parse-helpers.js';

const ROOT = resolve(__dirname, '..');

// --- the reference: the regular-expression scan and blanking (as before story 022) ---------

const TOP_FENCE = /^(`{3,}(?!`)|~{3,}(?!~))(.*)$/;
const CLOSE_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const NESTED_FENCE = /^[ \t>*+\-.)\d]*(?:`{3,}|~{3,})/;
const HTML_START = /^[ \t>*+\-.)\d]*</;
const SETEXT = /^[ \t>]*(?:=+|-+)[ \t]*$/;
const INDENTED_HEADING = /^[ \t]+#{1,6}(?:[ \t]|$)/;
const DEFINITION = /^[ \t>]*\[[^\]]*\]:/;
const TOP_HEADING = /^(#{1,2})(?:[ \t]|$)/;
const MARKUP = /[*_`[\]<>&\\!]/;

function referenceScan(text: string): ScannedSection[] | null {
  if (/\r(?!\n)/.test(text)) return null;
  const sections: ScannedSection[] = [];
  let fence: { char: string; length: number } | null = null;
  let prevBlank = true;
  let pos = 0;
  const fm = scanFrontmatter(text);
  if (fm) {
    if (fm.end >= text.length) return sections;
    pos = fm.end + (text.charCodeAt(fm.end) === 13 && text.charCodeAt(fm.end + 1) === 10 ? 2 : 1);
  }
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const line = text.charCodeAt(nl - 1) === 13 ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    const blank = !/[^ \t]/.test(line);
    if (fence) {
      const close = CLOSE_FENCE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = null;
    } else {
      const top = TOP_FENCE.exec(line);
      if (top && !(top[1]![0] === '`' && top[2]!.includes('`'))) {
        fence = { char: top[1]![0]!, length: top[1]!.length };
      } else if (NESTED_FENCE.test(line) || HTML_START.test(line) || INDENTED_HEADING.test(line) || DEFINITION.test(line) || (!prevBlank && SETEXT.test(line))) {
        return null;
      } else {
        const heading = TOP_HEADING.exec(line);
        if (heading) {
          let content = line.slice(heading[1]!.length).replace(/^[ \t]+/, '');
          const close = /(?<![ \t])[ \t]+#+[ \t]*$|^#+[ \t]*$/.exec(content);
          if (close) content = content.slice(0, close.index);
          if (MARKUP.test(content)) return null;
          const key = content.replace(/\s+/g, ' ').trim().toLowerCase().replace(/(?<![:\s])[:\s]+$/, '');
          const last = sections[sections.length - 1];
          if (last) last.end = pos;
          sections.push({ depth: heading[1]!.length, key, start: pos, bodyStart: Math.min(nl + 1, text.length), end: text.length });
        }
      }
    }
    prevBlank = blank;
    if (nl >= text.length) break;
    pos = nl + 1;
  }
  return sections;
}

const TASK_LIKE_SECTION = /^(?:task\b[ \t]*)?#?\d/;

function referenceBlank(text: string, keep: ReadonlySet<string> = LINT_SECTIONS): string | null {
  const sections = referenceScan(text);
  if (!sections) return null;
  const skip = sections.filter((s) => s.depth === 2 && !keep.has(s.key) && !TASK_LIKE_SECTION.test(s.key) && s.end > s.bodyStart && !/^ {0,3}###/m.test(text.slice(s.bodyStart, s.end)));
  if (skip.length === 0) return null;
  let out = '';
  let at = 0;
  for (const s of skip) {
    out += text.slice(at, s.bodyStart) + text.slice(s.bodyStart, s.end).replace(/[^\r\n]/g, ' ');
    at = s.end;
  }
  return out + text.slice(at);
}

// --- the texts --------------------------------------------------------------------------------

const KEEPS: ReadonlySet<string>[] = [LINT_SECTIONS, new Set([...LINT_SECTIONS, 'notes', 'acceptance criteria'])];

/** The constructs a line scan may misread, each inside a section that would be blanked and one that is kept. */
const HOSTILE = [
  '```md\n## Tasks\n```', '~~~\n## Notes\n~~~~', '````\n```\n## Tasks\n````', '```a`b\n## Tasks\n```', '```\u2028\n## Tasks\n```',
  '- item\n  ```\n## Tasks\n  ```', '1. ~~~\n## X', '<div>\n## Tasks\n</div>', '- <b>x</b>', '<!-- lint disable -->',
  'Title\n---', 'Title\n===', 'a\n - -', '> quote\n> ## Tasks', '>> [a]: /x', '   ## Tasks', '\t## Tasks', ' ####### x', '  #\tx',
  '[a]: /x', '[a] b]: c', '[ ]: x', '[a', '  [x]: y', '### 001: Stray task\n**Status:** Done', '   ### 002: Indented', '    ### 003: Code',
  'a\u2028### 004: After a line separator', '\tTab', 'Nul \0 here', '## *Markup*', '## Closing ##', '##', '#', '## Notes:', '## Task 5',
  '## 7: Title', '- [ ] task\n- [x] done', '***', '* * *', '+ plus\n\n  - nested\n\n    text', '12) twelve\n13) thirteen', '```\nunclosed',
];

const sectionDoc = (body: string, kept: boolean) =>
  `# Story 050: Hostile\n\n## Status\n\nDraft\n\n## ${kept ? 'Tasks' : 'Notes'}\n\n${body}\n\n## Problem\n\nText.\n\n## Tasks\n\n### 001: A\n\n**Status:** Done\n`;

function corpusTexts(): { name: string; text: string }[] {
  const files = markdownFiles(join(ROOT, 'test', 'fixtures'));
  const out: { name: string; text: string }[] = [];
  for (const file of files) {
    const { text } = stripBom(readFileSync(file, 'utf8'));
    out.push({ name: file, text }, { name: `${file} (CRLF)`, text: toCrlf(text) }, { name: `${file} (front matter)`, text: `---\nid: 050\n---\n${text}` });
  }
  HOSTILE.forEach((h, i) => {
    for (const kept of [false, true]) {
      out.push({ name: `hostile ${i} (${kept ? 'kept' : 'blanked'})`, text: sectionDoc(h, kept) });
      out.push({ name: `hostile ${i} (${kept ? 'kept' : 'blanked'}, CRLF)`, text: toCrlf(sectionDoc(h, kept)) });
    }
  });
  // Sections at the very end: with and without a final line ending, blank lines, spaces.
  for (const end of ['', '\n', '\n\n', '\n  \n', 'x', 'x\n', '   ']) out.push({ name: `end ${JSON.stringify(end)}`, text: `## Tasks\n\n- a\n\n## Notes${end}` });
  out.push({ name: 'notes then list', text: '## Tasks\n\n- a\n  - b\n\n## Notes\n\ntext\n\n## Tasks\n\n- c\n' });
  out.push({ name: 'notes after a list', text: '- a\n\n## Notes\n- b\n## Dependencies\n\n- c' });
  return out;
}

/** What the lint path built before: blanked text, then the scanner, else micromark. */
function oldTree(text: string, keep: ReadonlySet<string>) {
  const source = referenceBlank(text, keep) ?? text;
  return fastTree(source) ?? parseMarkdown(source);
}

function check(name: string, text: string): { skipped: boolean; fast: boolean } {
  expect(scanSections(text), name).toEqual(referenceScan(text));
  let skipped = false;
  let fast = false;
  for (const keep of KEEPS) {
    const blanked = referenceBlank(text, keep);
    expect(blankUnreadSections(text, keep), name).toBe(blanked);
    const ranges = unreadSections(text, keep);
    expect(ranges === null, name).toBe(blanked === null);
    if (!ranges) continue;
    skipped = true;
    expect(blankRanges(text, ranges), name).toBe(blanked);
    const viaSkip = fastTree(text, ranges);
    const viaBlank = fastTree(blanked!);
    expect(viaSkip, name).toEqual(viaBlank);
    if (viaSkip) fast = true;
  }
  return { skipped, fast };
}

describe('the lint path without a blanked copy = the regex scan and the blanked text', () => {
  it('on every fixture and weave story (as-is, CRLF, front matter) and the hostile constructs', () => {
    const texts = corpusTexts();
    expect(texts.length).toBeGreaterThan(300);
    let skipped = 0;
    let fast = 0;
    for (const { name, text } of texts) {
      const r = check(name, text);
      if (r.skipped) skipped++;
      if (r.fast) fast++;
    }
    // Most texts have sections to skip and most of those the scanner reads (else this tests little).
    expect(skipped / texts.length).toBeGreaterThan(0.5);
    expect(fast / skipped).toBeGreaterThan(0.5);
  });

  it('texts that start or end at a line break, or end in a fence run (the scan reads nothing past the text)', () => {
    const texts = ['\n## Tasks\n', '\n\n# T\n\n## Notes\nx\n', '## Tasks\n\n```\n', '# T\n\n## Tasks\n```', '# T\r\n\r\n## Notes\r\n', '', '\n', '## A\n~~~\n~~~'];
    for (const text of texts) check(JSON.stringify(text), text);
  });

  it('parseForLint builds the Story the old path built, the scanner declining or not', () => {
    const path = 'docs/stories/050-hostile.md';
    const texts = corpusTexts();
    let declined = 0;
    for (const { name, text } of texts) {
      const ranges = unreadSections(text);
      if (ranges && !fastTree(text, ranges)) declined++;
      expect(parseForLint(text, path), name).toEqual(buildStory(oldTree(text, LINT_SECTIONS), text, path, false));
    }
    expect(declined).toBeGreaterThan(3); // the micromark fallback on the blanked text is exercised
  });

  it('generated documents: hostile lines, story lines and blank lines in any order', () => {
    const line = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE.flatMap((h) => h.split('\n'))) },
      { weight: 3, arbitrary: fc.constantFrom('## Tasks', '## Notes', '## Problem', '## Status', '## Dependencies', '## 5: x', '# Story', '### 001: T', '**Status:** Done', '- a', '  - b', 'text', '  more') },
      { weight: 2, arbitrary: fc.constantFrom('', ' ', '  ') },
    );
    const doc = fc
      .tuple(fc.array(line, { minLength: 1, maxLength: 24 }), fc.boolean(), fc.constantFrom('', '\n'))
      .map(([lines, crlf, end]) => {
        const text = lines.join('\n') + end;
        return crlf ? toCrlf(text) : text;
      });
    fc.assert(
      fc.property(doc, (text) => {
        check(JSON.stringify(text), text);
        return true;
      }),
      { numRuns: 1500, seed: 22 },
    );
  });
  it('any whole-line ranges: the scanner reads them as the blanked lines (declining only where a fence or comment is open)', () => {
    const line = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE.flatMap((h) => h.split('\n'))) },
      { weight: 4, arbitrary: fc.constantFrom('## Tasks', '### 001: T', '**Status:** Done', '- a', '  - b', '    - c', '1. one', '   text', 'text', '  more', '- ', '-', '```', '<!-- a', '-->') },
      { weight: 2, arbitrary: fc.constantFrom('', ' ', '  ') },
    );
    const doc = fc.tuple(fc.array(line, { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), fc.constantFrom('', '\n')).map(([lines, cuts, crlf, end]) => {
      const text = lines.join('\n') + end;
      const t = crlf ? toCrlf(text) : text;
      // Line starts (and the end), then pairs of them as ranges.
      const starts = [0];
      for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) starts.push(i + 1);
      if (starts[starts.length - 1] !== t.length) starts.push(t.length);
      // Never the first line: ranges come after any front matter (sections never hold it).
      const at = [...new Set(cuts.map((c) => starts[1 + (c % (starts.length - 1))]!).filter((x) => x !== undefined))].sort((a, b) => a - b);
      const ranges = [];
      for (let i = 0; i + 1 < at.length; i += 2) ranges.push({ start: at[i]!, end: at[i + 1]! });
      return { text: t, ranges };
    });
    let compared = 0;
    fc.assert(
      fc.property(doc, ({ text, ranges }) => {
        const viaSkip = fastTree(text, ranges);
        const viaBlank = fastTree(blankRanges(text, ranges));
        if (viaSkip === null && viaBlank !== null) {
          // Only a fence or comment block open where a range starts (its content would change).
          expect(/```|~~~|<!--/.test(text), JSON.stringify({ text, ranges })).toBe(true);
          return true;
        }
        if (viaSkip) compared++;
        expect(viaSkip, JSON.stringify({ text, ranges })).toEqual(viaBlank);
        return true;
      }),
      { numRuns: 3000, seed: 22 },
    );
    expect(compared).toBeGreaterThan(1000);
  });
});
