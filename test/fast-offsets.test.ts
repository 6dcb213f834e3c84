/**
 * The scanner's offsets-only trees (`fastTree(text, skip, { points: false })`,
 * what `parseForLint` and `parseStory` build) against its full trees: the same
 * nodes with the same offsets, only without line and column, and the same
 * Story built from them (`buildStory` reads offsets alone). On every fixture
 * and weave story and their variants (as-is, blanked, CRLF, behind front
 * matter), with and without the lint path's skip ranges, and on generated
 * documents.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Root } from 'mdast';
import { markdownFiles } from './lint-helpers.js';
import { variants } from './fast-parse-helpers.js';
import { fastTree, OFFSETS_ONLY, type TextRange } from '../src/story/fast.js';
import { buildStory } from '../src/story/parse.js';
import { unreadSections, LINT_SECTIONS } from '../src/story/sections.js';

const ROOT = resolve(__dirname, '..');
const PATH = 'docs/stories/050-offsets.md';

/**
 * The tree with every block point reduced to its offset, as the offsets-only
 * scan gives it (the inline nodes of paragraphs and headings keep theirs: the
 * scanner never sets those, micromark's inline parse gives them relative to the
 * inline content).
 */
function offsetsOnly(tree: Root): unknown {
  type Node = { type: string; position?: { start: object; end: object }; children?: Node[] };
  const copy = JSON.parse(JSON.stringify(tree)) as Node;
  const todo: Node[] = [copy];
  while (todo.length) {
    const node = todo.pop()!;
    if (node.position) {
      const { start, end } = node.position as { start: { offset: number }; end: { offset: number } };
      node.position = { start: { line: 0, column: 0, offset: start.offset }, end: { line: 0, column: 0, offset: end.offset } };
    }
    if (node.children && node.type !== 'paragraph' && node.type !== 'heading') todo.push(...node.children);
  }
  return copy;
}

/** Compares the two scans of `text` (with `skip`); returns whether the scanner read it. */
function same(text: string, skip?: readonly TextRange[]): boolean {
  const full = fastTree(text, skip);
  const lean = fastTree(text, skip, OFFSETS_ONLY);
  expect(lean === null, 'declines alike').toBe(full === null);
  if (!full || !lean) return false;
  expect(JSON.parse(JSON.stringify(lean))).toEqual(offsetsOnly(full));
  expect(buildStory(lean, text, PATH)).toEqual(buildStory(full, text, PATH));
  return true;
}

describe('fastTree without line and column: the same tree offsets and the same Story', () => {
  const files = [...markdownFiles(join(ROOT, 'test', 'fixtures')), ...markdownFiles(join(ROOT, 'docs', 'stories'))];

  it('on every fixture and project story, as-is and in every variant, with and without skip ranges', () => {
    let read = 0;
    let skipped = 0;
    for (const file of files) {
      for (const { text } of variants(readFileSync(file, 'utf8'))) {
        if (same(text)) read++;
        const skip = unreadSections(text, LINT_SECTIONS);
        if (skip && skip.length && same(text, skip)) skipped++;
      }
    }
    // The scanner reads most of them (it declines tabs, block quotes...): the comparison is not empty.
    expect(read).toBeGreaterThan(files.length);
    expect(skipped).toBeGreaterThan(files.length / 2);
  });

  it('on generated documents (lists, fences, comments, headings, front matter, CRLF)', () => {
    const line = fc.oneof(
      fc.constantFrom('', '', '# Story 050: T', '## Tasks', '## Notes', '## Status', 'Draft', '### 001: A `b` *c*', '---', '***'),
      fc.constantFrom('**Domain:** backend', '**Status:** Done  ', '**Depends on:** 001, 014/002', 'text <br> more\\', 'a **b** _c_'),
      fc.constantFrom('- item', '  - nested', '1. one', '   10) ten', '- ', '<!-- c -->', '<!-- open', 'close -->', '```ts', '```', '~~~', 'lazy line'),
    );
    const doc = fc.tuple(fc.array(line, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.boolean()).map(([ls, crlf, fm]) => {
      const body = ls.join(crlf ? '\r\n' : '\n');
      return fm ? `---\nid: 050\n---\n${body}` : body;
    });
    let read = 0;
    fc.assert(
      fc.property(doc, (text) => {
        if (same(text)) read++;
        const skip = unreadSections(text, LINT_SECTIONS);
        if (skip && skip.length) same(text, skip);
        return true;
      }),
      { numRuns: 1500, seed: 31 },
    );
    expect(read).toBeGreaterThan(300);
  });
});
