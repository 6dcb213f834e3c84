/**
 * Where a file's front matter ends, for the two readers that do not run
 * micromark (the fast scanner `fast.ts` and the section scan `sections.ts`).
 * The micromark path uses micromark-extension-frontmatter and
 * mdast-util-frontmatter themselves; this mirrors their rules exactly
 * (test/fast-parse.test.ts and the fuzz test hold the two to each other):
 *
 * - YAML opens with `---`, TOML with `+++`, at line 1 column 1 (after the BOM),
 *   followed only by spaces or tabs up to the line ending;
 * - it closes at the first later line that is the same fence, again followed
 *   only by spaces or tabs; no closing fence means no front matter;
 * - LF, CRLF and a bare CR all end lines.
 */

/** Front matter found at the top of a text. Offsets are into that text; `end` is exclusive. */
export interface FrontmatterRange {
  type: 'yaml' | 'toml';
  /** End of the closing fence line, before its line ending. */
  end: number;
  /** The content between the fence lines (without the line ending before the closing fence). */
  valueStart: number;
  valueEnd: number;
}

const isSpace = (c: number) => c === 32 || c === 9;
const isEol = (c: number) => c === 10 || c === 13;

/** The front matter at the start of `text` (BOM already stripped), or null when there is none. */
export function scanFrontmatter(text: string): FrontmatterRange | null {
  const fence = text.startsWith('---') ? '---' : text.startsWith('+++') ? '+++' : null;
  if (fence === null) return null;
  const type = fence === '---' ? 'yaml' : 'toml';
  let i = 3;
  while (isSpace(text.charCodeAt(i))) i++;
  if (!isEol(text.charCodeAt(i))) return null;
  const skipEol = (at: number) => (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10 ? at + 2 : at + 1);
  i = skipEol(i);
  const valueStart = i;
  let prevEol = i; // where the line ending before the current line starts
  for (;;) {
    if (text.startsWith(fence, i)) {
      let j = i + 3;
      while (isSpace(text.charCodeAt(j))) j++;
      if (j >= text.length || isEol(text.charCodeAt(j))) {
        return { type, end: j, valueStart, valueEnd: i === valueStart ? valueStart : prevEol };
      }
    }
    let e = i;
    while (e < text.length && !isEol(text.charCodeAt(e))) e++;
    if (e >= text.length) return null;
    prevEol = e;
    i = skipEol(e);
  }
}
