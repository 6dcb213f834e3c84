/**
 * The comparison test/fast-parse*.test.ts hold the fast scanner to: for a
 * text, `fastTree(text)` is null (declined) or the Story built from it
 * deep-equals (as JSON) the Story built from micromark's tree
 * (`parseMarkdown`, no GFM). A difference is reported as the first path where
 * the two Stories part, and the text, one numbered line each.
 */
import { fastTree } from '../src/story/fast.js';
import { buildStory, parseMarkdown, stripBom } from '../src/story/parse.js';
import { blankUnreadSections } from '../src/story/sections.js';

export const PATH = 'docs/stories/050-fast.md';

// --- the comparison ------------------------------------------------------------

export type Outcome = { kind: 'declined' } | { kind: 'equal' } | { kind: 'differ'; report: string };

/** Both paths on one text (BOM already stripped). */
export function compare(text: string, path = PATH): Outcome {
  const tree = fastTree(text);
  if (tree === null) return { kind: 'declined' };
  const fast = JSON.parse(JSON.stringify(buildStory(tree, text, path))) as unknown;
  const full = JSON.parse(JSON.stringify(buildStory(parseMarkdown(text), text, path))) as unknown;
  const diff = firstDiff(full, fast, 'story');
  if (!diff) return { kind: 'equal' };
  return { kind: 'differ', report: `${diff}\n${showText(text)}` };
}

/** The first place two JSON values differ, as `path: full ... fast ...`, or null. */
export function firstDiff(a: unknown, b: unknown, at: string): string | null {
  if (Object.is(a, b)) return null;
  const show = (v: unknown) => {
    const s = JSON.stringify(v);
    return s === undefined ? 'undefined' : visible(s.length > 300 ? `${s.slice(0, 300)}...` : s);
  };
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${at}:\n  full: ${show(a)}\n  fast: ${show(b)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDiff(a[i], b[i], `${at}[${i}]`);
      if (d) return d + (a.length !== b.length ? `\n  (lengths: full ${a.length}, fast ${b.length})` : '');
    }
    return null;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    if (k === 'text' && at === 'story') continue; // the same input on both sides
    const d = firstDiff(ao[k], bo[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}

/** Invisible and format characters (BOM, zero-width, bidi, separators, lone surrogates) as `\\uXXXX`. */
function visible(s: string): string {
  return s.replace(/[\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufeff\uffa0\ufff0-\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text, one numbered line each, line endings and odd characters visible. */
export function showText(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((l, i) => {
      const vis = visible(JSON.stringify(l + (i < lines.length - 1 ? '\n' : '')).slice(1, -1));
      return `  ${String(i + 1).padStart(3)} | ${vis}`;
    })
    .join('\n');
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** The variants the lint path and the properties feed the scanner. */
export function variants(raw: string): { name: string; text: string }[] {
  const { text } = stripBom(raw);
  const out = [{ name: 'as-is', text }];
  const blanked = blankUnreadSections(text);
  if (blanked !== null) out.push({ name: 'blanked', text: blanked });
  const crlf = toCrlf(text);
  if (crlf !== text) {
    out.push({ name: 'crlf', text: crlf });
    const blankedCrlf = blankUnreadSections(crlf);
    if (blankedCrlf !== null) out.push({ name: 'crlf+blanked', text: blankedCrlf });
  }
  // Behind YAML front matter (every line moves down; nothing in it is read).
  out.push({ name: 'front matter', text: `---\nid: 050\n## not a section\n---\n${text}` });
  return out;
}

export function failMessage(what: string, report: string): string {
  return `fastTree differs from the full parse on ${what}\n${report}`;
}

