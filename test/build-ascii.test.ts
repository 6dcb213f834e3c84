/**
 * scripts/ascii.mjs: the build writes the CLI bundles as ASCII (the bin's
 * loader reads an ASCII bundle as Latin-1, faster than UTF-8) by escaping the
 * non-ASCII characters esbuild leaves in comments and regular expressions.
 * The escaped program must be the same program: each case runs both texts and
 * compares what they compute.
 */
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from './cli-helpers.js';

type AsciiOnly = (text: string, file: string) => string;
const asciiOnly = async (): Promise<AsciiOnly> => ((await import(pathToFileURL(join(REPO, 'scripts/ascii.mjs')).href)) as { asciiOnly: AsciiOnly }).asciiOnly;
const run = (program: string): unknown => JSON.parse(JSON.stringify(runInNewContext(program)));
const NON_ASCII = /[^\0-\x7f]/;

describe('asciiOnly (the build)', () => {
  it('escapes regular expressions (with and without u, in classes, astral, after a backslash), strings and comments to the same program', async () => {
    const escape = await asciiOnly();
    const program = [
      '// a comment it\u2019s \u2026 \u{1F532}',
      '/* block \u2013 comment */',
      'const dash = /^[:.\\-\u2013\u2014)](.*)$/i;',
      'const box = /^(?:\u2705|\u2611\uFE0F?|\u{1F532}|\u{1F6A7})[ \\t]*(.*)$/u;',
      'const plain = /\u{1F532}+x/;',
      'const escaped = /a\\\u2013b/;',
      'const doubled = /a\\\\\u2013b/;',
      'const s = "\u00e9\u2019\u{1F532}";',
      '[',
      '  ["\u2013 x", "\u2014y", ":z", "- w", "\u2012 v"].map((t) => dash.test(t)),',
      '  ["\u2705 a", "\u2611 b", "\u2611\uFE0F c", "\u{1F532}d", "\u{1F6A7} e", "\uD83D f", "\u2610 g"].map((t) => (box.exec(t) ?? [])[1] ?? null),',
      '  ["\u{1F532}x", "\u{1F532}\u{1F532}x", "\uD83D\uDD32\uDD32x", "x"].map((t) => plain.test(t)),',
      '  ["a\u2013b", "a\\\\\u2013b", "ab"].map((t) => escaped.test(t)),',
      '  ["a\\\\\u2013b", "a\u2013b"].map((t) => doubled.test(t)),',
      '  s, s.length, dash.source.length > 0,',
      ']',
    ].join('\n');
    const out = escape(program, 'case.js');
    expect(NON_ASCII.test(out)).toBe(false);
    expect(run(out)).toEqual(run(program));
    // The cases do tell the characters apart (a wrong escape would change these).
    expect(run(program)).toEqual([
      [true, true, true, true, false],
      ['a', 'b', 'c', 'd', 'e', null, null],
      [true, true, true, false],
      [true, false, false],
      [true, false],
      '\u00e9\u2019\u{1F532}', 4, true,
    ]);
  });

  it('leaves template literals (a tag reads their raw text) and ASCII text as they are', async () => {
    const escape = await asciiOnly();
    const program = 'const tag = (s) => s.raw[0]; const b = 1; [tag`\u2013${b}\u2014`, `\u2019`, String.raw`\u{1F532}`, /\u2013/.test(`\u2013`)]';
    const out = escape(program, 'template.js');
    expect(run(out)).toEqual(run(program));
    expect(out).toContain('tag`\u2013${b}\u2014`');
    expect(out).toContain('String.raw`\u{1F532}`');
    expect(out).toContain('/\\u2013/.test(`\u2013`)');
    const ascii = 'const a = /x/; // plain\n';
    expect(escape(ascii, 'ascii.js')).toBe(ascii);
  });
});
