/**
 * Cheap reads of a story that skip the Markdown parser, for the stories a
 * lint run only needs for their `## Dependencies` (the story-level cycle
 * check walks every story a linted story reaches). Exact or nothing: when
 * the text holds anything a line scan could misread (indented or nested
 * fences, HTML, setext headings, indented headings, link definitions, inline
 * markup in a heading, lone CR line endings), this returns null and the
 * caller parses the story fully. test/perf-sections.test.ts checks it
 * against the full parse on every corpus story and fixture.
 */
import { Lines, storyRefsIn, stripBom } from './parse.js';
import type { StoryRef } from './model.js';
import { scanFrontmatter } from './frontmatter.js';
import type { TextRange } from './fast.js';

const MARKUP = /[*_`[\]<>&\\!]/;
const LONE_CR = /\r(?!\n)/;

export interface ScannedSection {
  /** 1 or 2 (`#` or `##`). */
  depth: number;
  /** As the full parse keys it: heading text, lower case, trailing colons and spaces dropped. */
  key: string;
  /** Offset of the heading line, of the line after it, and of the next section's heading (or the end). */
  start: number;
  bodyStart: number;
  end: number;
}

const isSpaceOrTab = (c: number) => c === 32 || c === 9;
/** `[ \t>*+\-.)\d]`: what may stand before a fence or HTML nested in a container. */
const isContainerChar = (c: number) => c === 32 || c === 9 || c === 62 || c === 42 || c === 43 || c === 45 || c === 46 || c === 41 || (c >= 48 && c <= 57);
/** Where the run of `code` starting at `at` ends (`le` at most). */
function runEnd(text: string, at: number, le: number, code: number): number {
  while (at < le && text.charCodeAt(at) === code) at++;
  return at;
}
/** Whether `[from, le)` holds only spaces and tabs. */
function onlySpaces(text: string, from: number, le: number): boolean {
  while (from < le && isSpaceOrTab(text.charCodeAt(from))) from++;
  return from === le;
}

/**
 * Whether a line (`[ls, le)`, outside a fence, not a top-level fence) may be
 * read differently by a line scan than by the parser, so the scan gives up:
 * a fence or HTML after container markers (`/^[ \t>*+\-.)\d]*(?:`{3,}|~{3,}|<)/`),
 * an indented ATX heading (`/^[ \t]+#{1,6}(?:[ \t]|$)/`), a link definition
 * (`/^[ \t>]*\[[^\]]*\]:/`) or, after a non-blank line, a setext underline
 * (`/^[ \t>]*(?:=+|-+)[ \t]*$/`). By character codes: most lines start with a
 * letter and are done after one comparison.
 */
function unsure(text: string, ls: number, le: number, prevBlank: boolean): boolean {
  const first = text.charCodeAt(ls);
  if (first === 91) return definitionAt(text, ls + 1, le);
  if (!isContainerChar(first) && first !== 60 && first !== 61 && first !== 96 && first !== 126) return false;
  // A fence or HTML after container markers.
  let p = ls;
  while (p < le && isContainerChar(text.charCodeAt(p))) p++;
  const c = text.charCodeAt(p);
  if (c === 60) return true;
  if ((c === 96 || c === 126) && runEnd(text, p, le, c) - p >= 3) return true;
  // An indented ATX heading.
  if (isSpaceOrTab(first)) {
    let h = ls;
    while (h < le && isSpaceOrTab(text.charCodeAt(h))) h++;
    const hashes = runEnd(text, h, le, 35) - h;
    if (hashes >= 1 && hashes <= 6 && (h + hashes === le || isSpaceOrTab(text.charCodeAt(h + hashes)))) return true;
  }
  // `[ \t>]*`, then a link definition or a setext underline.
  let q = ls;
  for (let d = text.charCodeAt(q); q < le && (isSpaceOrTab(d) || d === 62); d = text.charCodeAt(++q));
  const d = text.charCodeAt(q);
  if (q < le && d === 91) return definitionAt(text, q + 1, le);
  if (!prevBlank && q < le && (d === 61 || d === 45)) return onlySpaces(text, runEnd(text, q, le, d), le);
  return false;
}

/** Whether the first `]` in `[from, le)` is there and followed by `:` (a link definition's label). */
function definitionAt(text: string, from: number, le: number): boolean {
  let i = from;
  while (i < le && text.charCodeAt(i) !== 93) i++;
  return i + 1 < le && text.charCodeAt(i + 1) === 58;
}

/** Whether `[from, le)` holds the character `code` (a bounded `indexOf`: never past the line). */
function has(text: string, from: number, le: number, code: number): boolean {
  for (let i = from; i < le; i++) if (text.charCodeAt(i) === code) return true;
  return false;
}

/**
 * The top-level `#` / `##` ATX sections of a story (BOM already stripped), or
 * null when a line scan cannot be sure where they are (see `unsure`; also
 * lone CR line endings, and a backtick fence whose info string holds a
 * backtick). One pass over the lines by character codes: only a line whose
 * first character may start a construct is looked at further.
 */
export function scanSections(text: string): ScannedSection[] | null {
  if (text.includes('\r') && LONE_CR.test(text)) return null;
  const sections: ScannedSection[] = [];
  /** The open fence's character code and length; 0 outside a fence. */
  let fenceChar = 0;
  let fenceLength = 0;
  let prevBlank = true;
  let pos = 0;
  const fm = scanFrontmatter(text);
  if (fm) {
    if (fm.end >= text.length) return sections;
    pos = fm.end + (text.charCodeAt(fm.end) === 13 && text.charCodeAt(fm.end + 1) === 10 ? 2 : 1);
  }
  const n = text.length;
  while (pos <= n) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = n;
    // Reads stay inside the text: a read past its end (NaN) makes V8 drop the optimized code.
    const le = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const blank = onlySpaces(text, pos, le);
    const first = pos < n ? text.charCodeAt(pos) : -1;
    if (fenceChar !== 0) {
      // `/^ {0,3}(`{3,}|~{3,})[ \t]*$/`, the fence's character, at least as long.
      let p = pos;
      while (p < le && p - pos < 3 && text.charCodeAt(p) === 32) p++;
      const r = runEnd(text, p, le, fenceChar);
      if (r - p >= fenceLength && onlySpaces(text, r, le)) fenceChar = 0;
    } else if ((first === 96 || first === 126) && runEnd(text, pos, le, first) - pos >= 3) {
      // A top-level fence: `/^(`{3,}(?!`)|~{3,}(?!~))(.*)$/`; a backtick in a backtick
      // fence's info string, or a line separator (`.` does not match it), and it is unsure.
      const r = runEnd(text, pos, le, first);
      if ((first === 96 && has(text, r, le, 96)) || has(text, r, le, 0x2028) || has(text, r, le, 0x2029)) return null;
      fenceChar = first;
      fenceLength = r - pos;
    } else if (!blank && unsure(text, pos, le, prevBlank)) {
      return null;
    } else if (first === 35) {
      const hashes = runEnd(text, pos, le, 35) - pos;
      if (hashes <= 2 && (pos + hashes === le || isSpaceOrTab(text.charCodeAt(pos + hashes)))) {
        const line = text.slice(pos, le);
        let content = line.slice(hashes).replace(/^[ \t]+/, '');
        const close = /(?<![ \t])[ \t]+#+[ \t]*$|^#+[ \t]*$/.exec(content);
        if (close) content = content.slice(0, close.index);
        if (MARKUP.test(content)) return null;
        const key = content.replace(/\s+/g, ' ').trim().toLowerCase().replace(/(?<![:\s])[:\s]+$/, '');
        const last = sections[sections.length - 1];
        if (last) last.end = pos;
        sections.push({ depth: hashes, key, start: pos, bodyStart: Math.min(nl + 1, n), end: n });
      }
    }
    prevBlank = blank;
    if (nl >= n) break;
    pos = nl + 1;
  }
  return sections;
}


/**
 * The story ids named in the `## Dependencies` sections, in order, without
 * duplicates (what `summarize(parseStory(text)).dependencies` holds), or null
 * when only the full parse can tell.
 */
export function dependencyIds(raw: string): string[] | null {
  const { text } = stripBom(raw);
  const sections = scanSections(text);
  if (!sections) return null;
  const deps = sections.filter((s) => s.depth === 2 && s.key === 'dependencies');
  if (deps.length === 0) return [];
  const lines = new Lines(text);
  const refs: StoryRef[] = [];
  for (const s of deps) storyRefsIn(s.bodyStart, s.end, text, lines, refs);
  return [...new Set(refs.map((r) => r.story))];
}

/** A `## 002: Title` (or `## Task 2`) section: a task written one level too high, which `tasks-section` reports. */
const TASK_LIKE_SECTION = /^(?:task\b[ \t]*)?#?\d/;

/**
 * The `##` sections every lint-only parse keeps: what the summary other stories
 * read of a story needs. The rules' own `reads` add to it (src/rules/reads.ts).
 */
export const LINT_SECTIONS: ReadonlySet<string> = new Set(['status', 'dependencies', 'tasks']);

/**
 * The text with the bodies of the `##` sections no lint rule reads (Problem,
 * Acceptance Criteria, Notes...) blanked: every character but line endings
 * becomes a space, so every offset, line and column stays where it was.
 * Sections holding `###` headings (task blocks outside Tasks) are kept, and so
 * are the sections in `keep` (the keys the rules read, `sectionsRead` in
 * src/rules/reads.ts). Null when nothing can be blanked or the scan is unsure:
 * parse the text itself. The same as `blankRanges(text, unreadSections(text, keep))`.
 */
export function blankUnreadSections(text: string, keep: ReadonlySet<string> = LINT_SECTIONS): string | null {
  const ranges = unreadSections(text, keep);
  return ranges && blankRanges(text, ranges);
}

export type { TextRange };

/** A line starting with up to three spaces and `###` (as `/^ {0,3}###/m` finds it). */
const H3_LINE = /^ {0,3}###/gm;

/**
 * The bodies (from the line after the heading to the next section's heading)
 * of the `##` sections `blankUnreadSections` blanks, in order, not
 * overlapping, each starting and ending at a line start (or the end of the
 * text), or null when there are none or the section scan is unsure. The lint
 * path hands them to the scanner (`fastTree(text, skip)`) instead of building
 * the blanked text.
 */
export function unreadSections(text: string, keep: ReadonlySet<string> = LINT_SECTIONS): TextRange[] | null {
  const sections = scanSections(text);
  if (!sections) return null;
  let skip: TextRange[] | null = null;
  /** The first `###` line at or after `H3_LINE.lastIndex` (-1: none): one search for all sections. */
  let h3 = -2;
  for (const s of sections) {
    if (s.depth !== 2 || keep.has(s.key) || TASK_LIKE_SECTION.test(s.key) || s.end <= s.bodyStart) continue;
    if (h3 !== -1 && h3 < s.bodyStart) {
      H3_LINE.lastIndex = s.bodyStart;
      const m = H3_LINE.exec(text);
      h3 = m ? m.index : -1;
    }
    if (h3 !== -1 && h3 < s.end) continue;
    (skip ??= []).push({ start: s.bodyStart, end: s.end });
  }
  return skip;
}

/**
 * `text` with every character in `ranges` (as `unreadSections` gives them)
 * but CR and LF replaced by a space: same length, same lines and columns.
 */
export function blankRanges(text: string, ranges: readonly TextRange[]): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start);
    for (let i = r.start; i < r.end; ) {
      let e = i;
      for (let c = text.charCodeAt(e); e < r.end && c !== 10 && c !== 13; c = text.charCodeAt(++e));
      out += ' '.repeat(e - i);
      i = e;
      while (i < r.end && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) out += text[i++];
    }
    at = r.end;
  }
  return out + text.slice(at);
}
