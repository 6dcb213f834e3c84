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

const TOP_FENCE = /^(`{3,}(?!`)|~{3,}(?!~))(.*)$/;
const CLOSE_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const NESTED_FENCE = /^[ \t>*+\-.)\d]*(?:`{3,}|~{3,})/;
const HTML_START = /^[ \t>*+\-.)\d]*</;
const SETEXT = /^[ \t>]*(?:=+|-+)[ \t]*$/;
const INDENTED_HEADING = /^[ \t]+#{1,6}(?:[ \t]|$)/;
const DEFINITION = /^[ \t>]*\[[^\]]*\]:/;
const TOP_HEADING = /^(#{1,2})(?:[ \t]|$)/;
const MARKUP = /[*_`[\]<>&\\!]/;

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

/**
 * The top-level `#` / `##` ATX sections of a story (BOM already stripped), or
 * null when a line scan cannot be sure where they are.
 */
export function scanSections(text: string): ScannedSection[] | null {
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
      } else if (
        NESTED_FENCE.test(line) ||
        HTML_START.test(line) ||
        INDENTED_HEADING.test(line) ||
        DEFINITION.test(line) ||
        (!prevBlank && SETEXT.test(line))
      ) {
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
 * parse the text itself.
 */
export function blankUnreadSections(text: string, keep: ReadonlySet<string> = LINT_SECTIONS): string | null {
  const sections = scanSections(text);
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
