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

const TOP_FENCE = /^(`{3,}|~{3,})(.*)$/;
const CLOSE_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const NESTED_FENCE = /^[ \t>*+\-.)\d]*(?:`{3,}|~{3,})/;
const HTML_START = /^[ \t>*+\-.)\d]*</;
const SETEXT = /^[ \t>]*(?:=+|-+)[ \t]*$/;
const INDENTED_HEADING = /^[ \t]+#{1,6}(?:[ \t]|$)/;
const DEFINITION = /^[ \t>]*\[[^\]]*\]:/;
const TOP_HEADING = /^(#{1,2})(?:[ \t]|$)/;
const MARKUP = /[*_`[\]<>&\\!]/;

/**
 * The story ids named in the `## Dependencies` sections, in order, without
 * duplicates (what `summarize(parseStory(text)).dependencies` holds), or null
 * when only the full parse can tell.
 */
export function dependencyIds(raw: string): string[] | null {
  const { text } = stripBom(raw);
  if (/\r(?!\n)/.test(text)) return null;
  const ranges: [number, number][] = [];
  let open: [number, number] | null = null; // the [start, end) of a Dependencies section being read
  let fence: { char: string; length: number } | null = null;
  let prevBlank = true;
  let pos = 0;
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
          if (open) {
            ranges.push([open[0], pos]);
            open = null;
          }
          let content = line.slice(heading[1]!.length).replace(/^[ \t]+/, '');
          const close = /[ \t]+#+[ \t]*$|^#+[ \t]*$/.exec(content);
          if (close) content = content.slice(0, close.index);
          if (MARKUP.test(content)) return null;
          const key = content.replace(/\s+/g, ' ').trim().toLowerCase().replace(/[:\s]+$/, '');
          if (heading[1]!.length === 2 && key === 'dependencies') open = [Math.min(nl + 1, text.length), text.length];
        }
      }
    }
    prevBlank = blank;
    if (nl >= text.length) break;
    pos = nl + 1;
  }
  if (open) ranges.push(open);
  if (ranges.length === 0) return [];
  const lines = new Lines(text);
  const refs: StoryRef[] = [];
  for (const [start, end] of ranges) storyRefsIn(start, end, text, lines, refs);
  return [...new Set(refs.map((r) => r.story))];
}
