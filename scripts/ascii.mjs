// The CLI bundles as ASCII text (scripts/build.mjs writes them through asciiOnly).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * `text` (an esbuild bundle) with every non-ASCII character that is in a
 * comment, a string literal or a regular expression literal written as a
 * `\uXXXX` escape (a character outside the BMP as its two surrogates, which a
 * `u`/`v` regular expression reads as the one code point): the same program.
 * The bin's loader reads an ASCII bundle as Latin-1, a third of the cost of
 * UTF-8 (bin/code-cache.cjs). esbuild escapes strings and identifiers itself
 * but not regular expressions (the rules' dash classes such as `[-\u2013\u2014]`)
 * or comments. A character in a template literal (a tag sees its raw text) or
 * an identifier stays as it is: that bundle is then read as UTF-8.
 * The positions come from TypeScript's parser (a dev dependency, as esbuild is);
 * where it is not installed the text is returned as it is.
 * @param {string} text
 * @param {string} file  for the parser's file name only
 * @returns {string}
 */
export function asciiOnly(text, file) {
  if (!/[^\0-\x7f]/.test(text)) return text;
  let ts;
  try {
    ts = require('typescript');
  } catch (error) {
    // A build with esbuild alone (the GitHub Action on a ref without dist/): the bundle
    // stays as it is, and the loader reads it as UTF-8.
    if (error.code === 'MODULE_NOT_FOUND') return text;
    throw error;
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  // Spans [start, end) of the tokens whose non-ASCII characters can be escaped (1) or not (0).
  const spans = [];
  const K = ts.SyntaxKind;
  const visit = (node) => {
    if (node.kind === K.StringLiteral || node.kind === K.RegularExpressionLiteral) spans.push([node.getStart(source), node.end, 1]);
    else if (node.kind === K.Identifier || node.kind === K.PrivateIdentifier || node.kind === K.NoSubstitutionTemplateLiteral
      || node.kind === K.TemplateHead || node.kind === K.TemplateMiddle || node.kind === K.TemplateTail || node.kind === K.JsxText) spans.push([node.getStart(source), node.end, 0]);
    else ts.forEachChild(node, visit);
  };
  visit(source);
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  let s = 0;
  const hex = (u) => `\\u${u.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const m of text.matchAll(/[^\0-\x7f]+/g)) {
    const at = m.index;
    while (s < spans.length && spans[s][1] <= at) s++;
    const inSpan = s < spans.length && spans[s][0] <= at ? spans[s][2] : 1; // outside every token: a comment
    if (inSpan === 0) continue;
    // After an odd run of backslashes the character is itself escaped (`\\–` in a
    // regular expression): the escape replaces both.
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    out += text.slice(from, at - (backslashes & 1)) + [...m[0]].map((ch) => {
      const cp = ch.codePointAt(0);
      return cp > 0xffff ? hex(0xd800 + ((cp - 0x10000) >> 10)) + hex(0xdc00 + ((cp - 0x10000) & 0x3ff)) : hex(cp);
    }).join('');
    from = at + m[0].length;
  }
  return out + text.slice(from);
}
