/**
 * The fast scanner (src/story/fast.ts) against the full parse on real text:
 * the weave stories, the weave history (test/fixtures/weave/history) and every
 * fixture under test/fixtures (incl. test/fixtures/fast/*.md, the minimal
 * cases test/fast-parse-fuzz.test.ts found), each as-is, after
 * `blankUnreadSections` and with CRLF line endings: `fastTree` declines or the
 * Story equals the full parse's (test/fast-parse-helpers.ts). Plus coverage:
 * the fast path must not decline most weave stories (the lint path's input).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastTree } from '../src/story/fast.js';
import { stripBom } from '../src/story/parse.js';
import { blankUnreadSections } from '../src/story/sections.js';
import { compare, failMessage, variants } from './fast-parse-helpers.js';

const HERE = new URL('.', import.meta.url).pathname;
const FIXTURES = join(HERE, 'fixtures');
const WEAVE = join(FIXTURES, 'weave/stories');
const HISTORY = join(HERE, 'fixtures/weave/history');

function mdFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...mdFiles(p));
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

// --- 1. corpus -----------------------------------------------------------------

describe('fastTree on the corpus: declines or equals the full parse', () => {
  const groups: { name: string; files: string[]; base: string }[] = [
    { name: 'weave stories', files: mdFiles(WEAVE), base: WEAVE },
    { name: 'weave history', files: mdFiles(HISTORY), base: HISTORY },
    { name: 'test/fixtures/**/*.md', files: mdFiles(FIXTURES).filter((f) => !f.startsWith(WEAVE + '/')), base: FIXTURES },
  ];
  // A text already compared (a history version equal to a story, a fixture copied
  // from another) is not compared again.
  const seen = new Set<string>();
  for (const g of groups) {
    it.skipIf(g.files.length === 0)(`${g.name} (${g.files.length} files): as-is, blanked, CRLF`, () => {
      const failures: string[] = [];
      let taken = 0;
      let total = 0;
      for (const file of g.files) {
        const raw = readFileSync(file, 'utf8');
        for (const v of variants(raw)) {
          if (seen.has(v.text)) continue;
          seen.add(v.text);
          total++;
          const r = compare(v.text, relative(g.base, file));
          if (r.kind === 'equal') taken++;
          if (r.kind === 'differ') failures.push(failMessage(`${relative(g.base, file)} (${v.name})`, r.report));
        }
      }
      expect(failures.slice(0, 3).join('\n\n'), `${failures.length} of ${total} texts differ (${taken} took the fast path)`).toBe('');
    });
  }

  it('inline runs of backticks, asterisks and underscores at the very end of a paragraph or heading', () => {
    const ends = ['`', '``', '```', 'a `b', 'a ``', '*', '**', '_', '__', 'a *b*', 'a __b__', '`a`', '\\`'];
    let fast = 0;
    for (const end of ends) {
      for (const text of [`# Story 001: T\n\n## Tasks\n\n### 001: x ${end}`, `# T\n\nSome text ${end}`, `# T\n\n- item ${end}\n`]) {
        const r = compare(text);
        expect(r.kind === 'differ' ? r.report : '', text).toBe('');
        if (r.kind === 'equal') fast++;
      }
    }
    expect(fast).toBeGreaterThan(30);
  });

  it('the fixtures under test/fixtures/fast are replayed above and hold at least one case', () => {
    expect(mdFiles(join(FIXTURES, 'fast')).length).toBeGreaterThan(0);
  });

  it('takes the fast path on every one of the 28 weave stories, as-is and after blanking (021 has tabs in a Makefile sample)', () => {
    const files = mdFiles(WEAVE);
    expect(files).toHaveLength(28);
    const declined: string[] = [];
    for (const file of files) {
      const { text } = stripBom(readFileSync(file, 'utf8'));
      if (fastTree(text) === null) declined.push(`${relative(WEAVE, file)} (as-is)`);
      if (fastTree(blankUnreadSections(text) ?? text) === null) declined.push(`${relative(WEAVE, file)} (blanked)`);
    }
    expect(declined, 'declined').toEqual([]);
  });
});

describe('tabs: read inside fenced code content, declined where they are indentation', () => {
  // A tab is content only after the indentation micromark strips; where it would be
  // indentation (virtual spaces), a fence's closing line, a blank line or outside
  // fenced code, the scanner declines and micromark reads the document.
  const fenced = [
    ['a Makefile recipe', '# Story\n\n```make\nbuild:\n\tgo build ./...\n```\n'],
    ['Go code', '# S\n\n```go\nfunc f() {\n\tif x {\n\t\treturn\n\t}\n}\n```\n'],
    ['a tab inside a line', '```\na\tb\t\n```\n'],
    ['in a list item, after its content column', '- item\n\n  ```\n  \tx\n  ```\n'],
    ['in an ordered item', '1. a\n   ```\n   \tq\n   ```\n'],
    ['an indented fence, after its indent', '  ```\n  \tx\n  ```\n'],
    ['CRLF', '```go\r\n\tx := 1\r\n```\r\n'],
  ];
  it.each(fenced)('%s: the fast path, equal to the full parse', (_name, text) => {
    expect(fastTree(text)).not.toBeNull();
    const r = compare(text);
    expect(r.kind === 'differ' ? r.report : r.kind).toBe('equal');
  });
  const declined = [
    ['an item continued by a tab', '- item\n  ```\n\tx\n  ```\n'],
    ['a tab inside the fence indent', '  ```\n \tx\n  ```\n'],
    ['a whitespace-only line', '```\n\t\n```\n'],
    ['spaces and a tab only', '```\n  \t  \n```\n'],
    ['a closing fence with a trailing tab', '```\nx\n```\t\n'],
    ['a longer closing run with a tab', '```\n````\t\n```\n'],
    ['a tab in the info string', '```go\t\nx\n```\n'],
    ['a tab in a paragraph', '# T\n\na\tb\n'],
    ['a tab as a heading\'s space', '#\tT\n'],
    ['a tab after a list marker', '-\titem\n'],
    ['a tab in front matter', '---\na:\t1\n---\n# T\n'],
    // Found by the review of story 039: a tab before a fence run in an item whose content
    // column is not a multiple of 4 is 1-3 columns of indentation, and closes the fence.
    ['a tab before a closing run in a `- ` item', '## A\n- ```\n  \t```\n  ```\n'],
    ['the same, a lint comment after it', '- ```\n  \t```\n  <!-- lint disable -->\n  ```\n'],
    ['a tab before a closing run in a `1. ` item', '## A\n1. ```\n   \t```\n   ```\n'],
    ['a tilde fence', '## A\n- ~~~\n  \t~~~\n  ~~~\n'],
    ['a tab before a fence run at the top (4 columns: content, left to micromark all the same)', '```\n\t```\n```\n'],
    ['a tab before a shorter run', '````\n\t```\n````\n'],
  ];
  it.each(declined)('%s: declined (micromark reads it)', (_name, text) => {
    expect(fastTree(text)).toBeNull();
  });
});

describe('fastTree on pathological nesting', () => {
  // Declines or builds, never throws: a RangeError here would turn a lint into
  // an internal error where the full parse reads the file. Not compared with
  // the full parse (micromark takes seconds on these) and not a .md fixture
  // (every fixture is linted by other tests too).
  const depth = 5000;
  it.each([
    ['list items nested on one line', '- '.repeat(depth) + 'a\n'],
    ['ordered items nested on one line', '1. '.repeat(depth) + 'a\n'],
    ['list items nested one per line', Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}- a`).join('\n') + '\n'],
  ])(`%s, ${depth} levels deep`, (_name, body) => {
    const text = `## Tasks\n\n### 001: Deep\n\n${body}`;
    expect(() => fastTree(text)).not.toThrow();
  });
});
