/**
 * Markdown shapes the parsers (micromark, and the fast scanner that follows
 * micromark's rules) need superlinear time or deep recursion for, found by
 * bench/regex.mjs: block quotes nested thousands deep (`>>>>...`: 100 KB took
 * 226 s), thousands of link openers `](` in one paragraph (`[a](` x 25,000:
 * quadratic), and thousands of emphasis delimiters `*` / `_` in one paragraph
 * (quadratic delimiter matching). No real story comes near the limits below;
 * a file over one is reported as a fatal error (read, never silently passed)
 * instead of being parsed for minutes.
 *
 * One pass over the text (two character-class scans), no allocation per line.
 */

/** Deepest block quote nesting read (`>` markers at the start of one line). */
export const MAX_QUOTE_DEPTH = 100;
/**
 * Most list items opened on one line (`- - 1. * a`: each marker opens an item inside the
 * last). A line of 20,000 took micromark 4 minutes of CPU, the scanner about 1 s (60 s at
 * 100,000); nesting by indentation needs a line twice as long per level, so the 10 MiB
 * read limit bounds it.
 */
export const MAX_LIST_DEPTH = 100;
/** Most unclosed link or image openers `](` (no `)` after them on their line) in one paragraph. */
export const MAX_LINK_OPENERS = 1000;
/** Most emphasis delimiters (`*`, `_`) outside code spans in one paragraph. */
export const MAX_EMPHASIS_DELIMITERS = 1000;

/** Most block quote markers in the whole file (each costs the parsers a container check on every later line of the quote). */
export const MAX_QUOTE_MARKERS = 10_000;
/**
 * Most "paragraph work" in the whole file: the sum over paragraphs of the
 * square of their link openers, and of their emphasis delimiters (the cost
 * grows with that square; the limits keep a 1 MB file to seconds, while a
 * story with ten links and twenty delimiters in each of 10,000 paragraphs
 * stays far below them).
 */
export const MAX_LINK_WORK = 10_000_000;
/** Most link openers `](` in the whole file, closed or not (each costs micromark 60-140 µs). */
export const MAX_LINK_OPENERS_TOTAL = 10_000;
export const MAX_EMPHASIS_WORK = 50_000_000;

/** The characters the rest of a line is scanned for, outside and inside a code span. */
const LINE_STOP = /[\n`\\*_\])]/g;
const CODE_STOP = /[\n`]/g;

/**
 * How many of each character a text may hold and still be within every limit
 * whatever its shape: each count `scanComplexity` keeps (the `>` of a line's
 * prefix and of the file, a paragraph's unclosed `](` and the file's, a
 * paragraph's `*` and `_`) counts distinct occurrences of those characters,
 * and a sum of squares is at most the square of the sum.
 */
const QUOTE_BOUND = Math.min(MAX_QUOTE_DEPTH, MAX_QUOTE_MARKERS);
const LINK_BOUND = Math.min(MAX_LINK_OPENERS, MAX_LINK_OPENERS_TOTAL, Math.floor(Math.sqrt(MAX_LINK_WORK)));
const EMPHASIS_BOUND = Math.min(MAX_EMPHASIS_DELIMITERS, Math.floor(Math.sqrt(MAX_EMPHASIS_WORK)));

/**
 * Eight list markers in a row (with blanks and `>` between): a line without such a run
 * opens fewer than MAX_LIST_DEPTH items (with at most QUOTE_BOUND `>` between its markers).
 */
const LIST_CHAIN = /(?:(?:[-+*]|\d{1,9}[.)])[ \t]+(?:>[ \t]*)*){8}/;

/** How many times `text` holds `what`, plus `already`, or -1 once that passes `bound` (a native search per occurrence). */
function atMost(text: string, what: string, bound: number, already = 0): number {
  let n = already;
  for (let at = text.indexOf(what); at !== -1; at = text.indexOf(what, at + what.length)) if (++n > bound) return -1;
  return n;
}

/**
 * Why `text` is beyond what plan-tasks parses, with its line, or null when it is within the limits.
 * A text whose `>`, `](`, `*` and `_` are few enough that no shape of them can pass a limit
 * (almost every story) is within them without the scan (`scanComplexity`, which
 * test/limits-precheck.test.ts holds this to).
 */
export function tooComplex(text: string): { message: string; line: number } | null {
  if (!LIST_CHAIN.test(text) && atMost(text, '>', QUOTE_BOUND) !== -1 && atMost(text, '](', LINK_BOUND) !== -1) {
    const stars = atMost(text, '*', EMPHASIS_BOUND);
    if (stars !== -1 && atMost(text, '_', EMPHASIS_BOUND, stars) !== -1) return null;
  }
  return scanComplexity(text);
}

/** `tooComplex` by the full scan of the text, without the count pre-check (exported for the tests). */
export function scanComplexity(text: string): { message: string; line: number } | null {
  const n = text.length;
  let line = 1;
  let blockLine = 1;
  let links = 0;
  let emphasis = 0;
  let quoteMarkers = 0;
  let linkWork = 0;
  let linksTotal = 0;
  let emphasisWork = 0;
  const endParagraph = () => {
    linkWork += links * links;
    emphasisWork += emphasis * emphasis;
    links = 0;
    emphasis = 0;
  };
  const overWork = (): { message: string; line: number } | null => {
    if (linksTotal > MAX_LINK_OPENERS_TOTAL) return { line: blockLine, message: `Unexpected link openers "](" beyond ${MAX_LINK_OPENERS_TOTAL} in the file, expected fewer (plan-tasks does not parse more)` };
    if (linkWork > MAX_LINK_WORK) return { line: blockLine, message: `Unexpected number of link openers "](" across the file's paragraphs (the sum of their squares is over ${MAX_LINK_WORK}), expected fewer (plan-tasks does not parse more)` };
    if (emphasisWork > MAX_EMPHASIS_WORK) return { line: blockLine, message: `Unexpected number of emphasis delimiters "*" and "_" across the file's paragraphs (the sum of their squares is over ${MAX_EMPHASIS_WORK}), expected fewer (plan-tasks does not parse more)` };
    return null;
  };
  let fence = 0; // backtick or tilde code fence: its length (negative for tildes), 0 outside
  let i = 0;
  while (i < n) {
    // Inside a fenced code block: nothing is Markdown until the closing fence.
    if (fence !== 0) {
      let k = i;
      while (k < n && k - i < 3 && text.charCodeAt(k) === 32) k++;
      const ch = fence > 0 ? 96 : 126;
      let run = 0;
      while (text.charCodeAt(k + run) === ch) run++;
      if (run >= Math.abs(fence)) fence = 0;
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl + 1;
      line++;
      continue;
    }
    // Start of a line: the container prefix (blanks, block quote markers `>` and list markers,
    // in any mix: `> - > 1. >`), counting every `>` in it. Blank lines, list items and
    // headings end a paragraph.
    let j = i;
    let depth = 0;
    let items = 0;
    let listItem = false;
    for (;;) {
      const ch = text.charCodeAt(j);
      if (ch === 32 || ch === 9) {
        j++;
      } else if (ch === 62 /* > */) {
        depth++;
        j++;
      } else if ((ch === 45 || ch === 43 || ch === 42) && (text.charCodeAt(j + 1) === 32 || text.charCodeAt(j + 1) === 9)) {
        listItem = true;
        items++;
        j += 2;
      } else {
        let d = j;
        while (d < n && d - j < 9 && text.charCodeAt(d) >= 48 && text.charCodeAt(d) <= 57) d++;
        if (d > j && (text.charCodeAt(d) === 46 || text.charCodeAt(d) === 41) && (text.charCodeAt(d + 1) === 32 || text.charCodeAt(d + 1) === 9)) {
          listItem = true;
          items++;
          j = d + 2;
        } else break;
      }
    }
    quoteMarkers += depth;
    if (quoteMarkers > MAX_QUOTE_MARKERS) {
      return { line, message: `Unexpected block quote markers ">" beyond ${MAX_QUOTE_MARKERS} in the file, expected fewer (plan-tasks does not parse more)` };
    }
    if (depth > MAX_QUOTE_DEPTH) {
      return { line, message: `Unexpected block quote nested ${depth} levels deep, expected at most ${MAX_QUOTE_DEPTH} (plan-tasks does not parse deeper nesting)` };
    }
    if (items > MAX_LIST_DEPTH && !thematicBreak(text, i)) {
      return { line, message: `Unexpected list nested ${items} levels deep on one line, expected at most ${MAX_LIST_DEPTH} (plan-tasks does not parse deeper nesting)` };
    }
    const c = text.charCodeAt(j);
    const blank = j >= n || c === 10 || c === 13;
    if (c === 96 || c === 126) {
      let run = 0;
      while (text.charCodeAt(j + run) === c) run++;
      if (run >= 3) {
        fence = c === 96 ? run : -run;
        endParagraph();
        const over = overWork();
        if (over) return over;
        const nl = text.indexOf('\n', j);
        i = nl === -1 ? n : nl + 1;
        line++;
        continue;
      }
    }
    // A table row (GFM parses each cell on its own) also starts a new count.
    if (blank || listItem || c === 35 /* # */ || c === 124 /* | */) {
      endParagraph();
      const over = overWork();
      if (over) return over;
      blockLine = line;
    }
    // The rest of the line.
    let inCode = 0; // length of the backtick run that opened a code span, 0 outside
    let open = false; // a `](` on this line not yet closed by a `)`: only unclosed ones are costly
    let k = j;
    // Jump from one character that matters to the next (a native scan, no allocation):
    // in a code span only a backtick or the line end does.
    for (;;) {
      const stop = inCode ? CODE_STOP : LINE_STOP;
      stop.lastIndex = k;
      if (!stop.test(text)) {
        k = n;
        break;
      }
      k = stop.lastIndex - 1;
      const ch = text.charCodeAt(k);
      if (ch === 10) break;
      if (ch === 96 /* ` */) {
        let run = 1;
        while (text.charCodeAt(k + run) === 96) run++;
        if (inCode === 0) inCode = run;
        else if (inCode === run) inCode = 0;
        k += run;
      } else if (ch === 92 /* \ */) {
        k += 2;
      } else if (ch === 42 || ch === 95) {
        emphasis++;
        k++;
      } else if (ch === 93 /* ] */ && text.charCodeAt(k + 1) === 40 /* ( */) {
        if (open) links++;
        open = true;
        linksTotal++;
        k += 2;
      } else {
        if (ch === 41 /* ) */) open = false;
        k++;
      }
      if (k >= n) {
        k = n;
        break;
      }
    }
    if (open) links++;
    if (links > MAX_LINK_OPENERS) {
      return { line: blockLine, message: `Unexpected paragraph with more than ${MAX_LINK_OPENERS} link openers "](", expected fewer (plan-tasks does not parse more in one paragraph)` };
    }
    if (emphasis > MAX_EMPHASIS_DELIMITERS) {
      return { line: blockLine, message: `Unexpected paragraph with more than ${MAX_EMPHASIS_DELIMITERS} emphasis delimiters "*" and "_" outside code, expected fewer (plan-tasks does not parse more in one paragraph)` };
    }
    i = k + 1;
    line++;
  }
  endParagraph();
  return overWork();
}

/** Whether the line at `from` is a thematic break (`- - - -`: one of `-`, `*`, `_`, blanks between), which a list marker does not open. */
function thematicBreak(text: string, from: number): boolean {
  let mark = 0;
  for (let k = from; k < text.length; k++) {
    const ch = text.charCodeAt(k);
    if (ch === 10 || ch === 13) break;
    if (ch === 32 || ch === 9) continue;
    if (mark === 0 && (ch === 45 || ch === 42 || ch === 95)) mark = ch;
    else if (ch !== mark) return false;
  }
  return mark !== 0;
}
