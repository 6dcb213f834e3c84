/**
 * Markdown -> mdast -> Story. One parse per file; the Story is cached per tree
 * so every remark-lint rule in a run reads the same model.
 */
import type { Root, RootContent, Heading, Paragraph, List, ListItem, PhrasingContent, Html } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatter } from 'micromark-extension-frontmatter';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { fastTree, OFFSETS_ONLY } from './fast.js';
import { lineIndex } from './lines.js';
import type {
  Block,
  BlockKind,
  Criterion,
  Field,
  LintComment,
  LooseTask,
  Point,
  Section,
  Separator,
  Span,
  Story,
  StoryRef,
  StrayTask,
  Task,
  TaskHeading,
  TaskRef,
} from './model.js';

export const TASK_ID = /^\d{3}[a-z]?$/;
const TASK_REF = /^(?:(\d{3,}[a-z]?)\/)?(\d{3}[a-z]?)$/;
const FIELD_LINE = /^[ \t]{0,3}(\*\*|__)([^*_\r\n]+?)(:?)\1(:?)[ \t]*(?![ \t])((?:[^ \t\r\n\u2028\u2029]|[ \t]+(?=[^ \t\r\n\u2028\u2029]))*)[ \t]*$/;
const TABLE_DELIMITER = /^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?$/;
const LINT_COMMENT = /^<!--\s*lint\s+(disable|enable|ignore)\b([^]*?)-->\s*$/;

/** Strip a leading BOM; the model's offsets are relative to the stripped text. */
export function stripBom(text: string): { text: string; bom: boolean } {
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** YAML (`---`) and TOML (`+++`) front matter, as remark-frontmatter reads it. */
const FRONTMATTER = ['yaml', 'toml'] as const;
let frontmatterExtensions: { micromark: unknown; mdast: unknown } | undefined;

/**
 * The text's mdast from micromark (mdast-util-from-markdown), with front
 * matter read by micromark-extension-frontmatter (as a `yaml` / `toml` node).
 * CommonMark without GFM: the Story is the same either way (tables, task lists
 * and autolinks are never fields, headings or refs), as test/parse.test.ts
 * checks against remark-parse with remark-gfm, the tree editors build.
 */
export function parseMarkdown(text: string): Root {
  frontmatterExtensions ??= { micromark: frontmatter([...FRONTMATTER]), mdast: frontmatterFromMarkdown([...FRONTMATTER]) };
  const micromark: unknown[] = [frontmatterExtensions.micromark];
  const mdast: unknown[] = [frontmatterExtensions.mdast];
  return fromMarkdown(text, { extensions: micromark as never, mdastExtensions: mdast as never });
}

/** Parse a story file's text (BOM allowed) into a Story. */
export function parseStory(raw: string, path?: string): Story {
  const { text, bom } = stripBom(raw);
  // The hand-written scanner when it can read the text exactly (src/story/fast.ts), else micromark.
  const tree = fastTree(text, undefined, OFFSETS_ONLY) || parseMarkdown(text);
  return buildStory(tree, text, path, bom);
}

const cache = new WeakMap<Root, Story>();

/** The Story for a tree, built once and shared by every rule that reads it. */
export function storyFromTree(tree: Root, text: string, path?: string): Story {
  let story = cache.get(tree);
  if (!story) {
    const stripped = stripBom(text);
    story = buildStory(tree, stripped.text, path, stripped.bom);
    cache.set(tree, story);
  }
  return story;
}

// ---------------------------------------------------------------------------

/**
 * Line starts of a text and offset -> point conversion. LF, CRLF and a bare CR
 * each end a line (as in CommonMark and micromark), so every line ending gives
 * the same lines, columns and line texts.
 */
class Lines {
  /** Offsets at which each line starts. */
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    if (!text.includes('\r')) {
      // LF only (most files): a native search per line.
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) this.starts.push(nl + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  /** The line (index into `starts`) of the last point asked for: points are mostly asked for in order. */
  private last = 0;
  point(offset: number): Point {
    const starts = this.starts;
    let lo = this.last;
    // The line of the last point, else lineIndex (which tries the next line, then searches).
    if (!(starts[lo]! <= offset && (lo + 1 === starts.length || starts[lo + 1]! > offset))) lo = this.last = lineIndex(starts, offset, lo);
    return { line: lo + 1, column: offset - starts[lo]! + 1, offset };
  }
  span(start: number, end: number): Span {
    return { start: this.point(start), end: this.point(end) };
  }
  /** The text of the first line of [start, end) without its ending (`split(start, end)[0]?.text ?? ''` without splitting the rest). */
  firstLine(start: number, end: number): string {
    if (start > end) return '';
    const text = this.text;
    let nl = start;
    while (nl < end && text.charCodeAt(nl) !== 10 && text.charCodeAt(nl) !== 13) nl++;
    return text.slice(start, nl);
  }
  /**
   * The paragraph `peekFields` read last and its fields: a task's paragraph is
   * read by the block before it (`hasTaskFields`: do task fields follow?) and
   * then by `buildTasks`, which takes the fields (`takeFields`).
   */
  peeked: Paragraph | null = null;
  peekedFields: Field[] | null = null;
  /** split's results by range: a paragraph is split by several readers (block kind, fields, loose tasks). */
  private readonly splits = new Map<number, { end: number; lines: readonly { readonly text: string; readonly offset: number }[] }>();
  /** The lines of [start, end) with their start offsets, without line endings (shared: read-only). */
  split(start: number, end: number): readonly { readonly text: string; readonly offset: number }[] {
    // Keyed by start (a small integer), the last range asked for from there.
    const kept = this.splits.get(start);
    if (kept && kept.end === end) return kept.lines;
    const out = this.splitLines(start, end);
    this.splits.set(start, { end, lines: out });
    return out;
  }
  private splitLines(start: number, end: number): { text: string; offset: number }[] {
    const out: { text: string; offset: number }[] = [];
    const text = this.text;
    let pos = start;
    while (pos <= end) {
      let nl = pos;
      while (nl < end && text.charCodeAt(nl) !== 10 && text.charCodeAt(nl) !== 13) nl++;
      out.push({ text: text.slice(pos, nl), offset: pos });
      if (nl >= end) break;
      pos = nl + (text.charCodeAt(nl) === 13 && text.charCodeAt(nl + 1) === 10 ? 2 : 1);
      if (pos > end) break;
    }
    return out;
  }
}

/**
 * The line ending of the line that holds `offset` (`\n`, `\r\n` or a bare `\r`),
 * or `fallback` on the last line: inserted lines take the ending of the line they
 * join, so a file with mixed endings keeps each line's own.
 */
export function eolAt(text: string, offset: number, fallback: Story['eol']): Story['eol'] {
  for (let i = Math.max(0, offset); i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return '\n';
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
  }
  return fallback;
}

/** The dominant line ending of a text (the first one found), `\n` when it has none. */
export function dominantEol(text: string): Story['eol'] {
  return eolAt(text, 0, '\n');
}

function nodeSpan(node: { position?: { start: { offset?: number }; end: { offset?: number } } }, lines: Lines): Span {
  const p = node.position;
  const start = p?.start.offset ?? 0;
  const end = p?.end.offset ?? start;
  return lines.span(start, end);
}

function startOf(node: RootContent): number {
  return node.position?.start.offset ?? 0;
}
function endOf(node: RootContent): number {
  return node.position?.end.offset ?? startOf(node);
}

/** `\r\n` and a bare `\r` as `\n` (micromark keeps a value's line endings as written). */
const lf = (value: string): string => (crFree || !value.includes('\r') ? value : value.replace(/\r\n?/g, '\n'));
/**
 * True while `buildStory` reads a tree from a text without `\r`: node values are
 * slices of that text (or of the same text with sections blanked, line endings
 * kept), so none holds one and `lf` need not look.
 */
let crFree = false;

/** Plain text of phrasing content: code keeps its backticks, markup is dropped. Line endings are `\n`. */
export function inlineText(nodes: readonly PhrasingContent[]): string {
  return lf(inlineTextRaw(nodes));
}

function inlineTextRaw(nodes: readonly PhrasingContent[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.value;
        break;
      case 'inlineCode':
        out += '`' + node.value + '`';
        break;
      case 'break':
        out += '\n';
        break;
      case 'image':
        out += node.alt ?? '';
        break;
      case 'html':
        break;
      default:
        if ('children' in node) out += inlineTextRaw(node.children as PhrasingContent[]);
    }
  }
  return out;
}

function collectCode(nodes: readonly PhrasingContent[], into: string[]): void {
  for (const node of nodes) {
    if (node.type === 'inlineCode') into.push(node.value);
    else if (node.type === 'link') {
      // A GFM autolink literal (`http://x`, `www.x`) is text without GFM: keep the model the same.
      const label = inlineText(node.children);
      if (node.url !== label && node.url !== `http://${label}` && node.url !== `mailto:${label}`) into.push(node.url);
      collectCode(node.children, into);
    } else if ('children' in node) collectCode(node.children as PhrasingContent[], into);
  }
}

function headingText(node: Heading): string {
  return collapseSpace(inlineText(node.children)).trim();
}

/** White space other than single spaces: where `/\s+/g` -> `' '` would change a string. */
const NOT_COLLAPSED = /[^\S ]| \s/;
/** `s.replace(/\s+/g, ' ')`, returning `s` itself (no new string) when that would not change it. */
function collapseSpace(s: string): string {
  return NOT_COLLAPSED.test(s) ? s.replace(/\s+/g, ' ') : s;
}

/** Field keys by label (labels repeat: `Domain`, `Status`...), at most KEY_MEMO_MAX of them per process. */
const keyMemo = new Map<string, string>();
const KEY_MEMO_MAX = 1024;
/** A field's key: its label without invisible characters, lower-cased, white space collapsed (`Depends on` -> `depends on`). */
function fieldKey(label: string): string {
  if (label === 'Domain') return 'domain';
  if (label === 'Status') return 'status';
  if (label === 'Depends on') return 'depends on';
  let key = keyMemo.get(label);
  if (key === undefined) {
    key = collapseSpace(label.replace(INVISIBLE, '').toLowerCase());
    if (keyMemo.size < KEY_MEMO_MAX) keyMemo.set(label, key);
  }
  return key;
}

/**
 * Whether a line can start with `**` or `__` after at most three spaces or tabs,
 * the start FIELD_LINE and BOLD_TITLE_RE need: lines that cannot are not run
 * through them (most lines are prose).
 */
function boldStart(line: string): boolean {
  let i = 0;
  while (i < 3 && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const c = line.charCodeAt(i);
  return (c === 42 || c === 95) && line.charCodeAt(i + 1) === c;
}

/**
 * Whether a line can hold a task field label in another shape (OTHER_FORM_FIELD):
 * after spaces, tabs, `*` and `_`, a `d` or `s` in either case.
 */
function otherFormStart(line: string): boolean {
  let i = 0;
  for (let c = line.charCodeAt(0); c === 32 || c === 9 || c === 42 || c === 95; c = line.charCodeAt(++i));
  const c = line.charCodeAt(i) | 0x20;
  return c === 100 || c === 115;
}

/** True for an ATX heading (`## X`); false for a setext one (`X` over `---`). */
function isAtx(node: Heading, text: string): boolean {
  const start = node.position?.start.offset ?? 0;
  let i = start;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '#';
}

/** The length of `s` without its trailing spaces and tabs. */
function trimEndSpaces(s: string): number {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  return end;
}

function headingSource(node: Heading, text: string): { raw: string; offset: number } {
  // The content of an ATX heading's line, without `###` and a closing sequence.
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const line = text.slice(start, end);
  const open = /^[ \t]*#+[ \t]*/.exec(line);
  let contentStart = open ? open[0].length : 0;
  let content = line.slice(contentStart);
  // A closing sequence ends in `#` before trailing spaces and tabs: only then is the regex run.
  if (content.charCodeAt(trimEndSpaces(content) - 1) === 35) {
    const close = /(?<![ \t])[ \t]+#+[ \t]*$|^#+[ \t]*$/.exec(content);
    if (close) content = content.slice(0, close.index);
  }
  // `content.replace(/(?<![ \t])[ \t]+$/, '')`: without its trailing spaces and tabs.
  const trimmed = content.slice(0, trimEndSpaces(content));
  return { raw: trimmed, offset: start + contentStart };
}

/** Parse `Task 001: Title`, `001: Title`, `003-006: Title`, `Design notes`. */
export function parseTaskHeading(node: Heading, text: string, lines: Lines): TaskHeading {
  const { raw, offset } = headingSource(node, text);
  const span = nodeSpan(node, lines);
  let rest = raw;
  let pos = 0;
  let taskPrefix: Span | null = null;
  const prefix = /^task[ \t]*(?=\d)/i.exec(rest);
  if (prefix) {
    taskPrefix = lines.span(offset, offset + prefix[0].length);
    pos = prefix[0].length;
  }
  const idMatch = /^\d+[A-Za-z]?(?:[-–][ \t]*\d+[A-Za-z]?)?/.exec(rest.slice(pos));
  if (!idMatch) {
    return { raw, span, id: null, rawId: null, taskPrefix: null, idSpan: null, separatorSpan: null, hasColon: false, title: raw.trim() };
  }
  const rawId = idMatch[0];
  const idStart = offset + pos;
  pos += rawId.length;
  rest = rest.slice(pos);
  const colon = /^[ \t]*:[ \t]*/.exec(rest);
  const sep = colon ?? /^[ \t]*(?:[-–—.)][ \t]*)?/.exec(rest)!;
  const title = rest.slice(sep[0].length).trim();
  const idEnd = idStart + rawId.length;
  return {
    raw,
    span,
    id: TASK_ID.test(rawId) ? rawId : null,
    rawId,
    taskPrefix,
    idSpan: lines.span(idStart, idEnd),
    separatorSpan: lines.span(idEnd, idEnd + sep[0].length),
    hasColon: Boolean(colon),
    title,
  };
}

/** A second bold label with a colon later on a field's line (`**Domain:** x **Status:** y`). */
const INLINE_LABEL = /[ \t](\*\*|__)([^*_\r\n]+?)(?::\1|\1:)(?=[ \t]|$)/;
/** Whether a text holds `**` or `__`, as INLINE_LABEL needs. */
const hasBoldMarker = (s: string): boolean => s.includes('**') || s.includes('__');
const BR_TAIL = /<br[ \t]*\/?>$/i;
/** Characters that render as nothing (zero-width spaces and joiners, word joiner, BOM). */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;
/**
 * A space, a tab, or white space or nothing as rendered at the edge of a value
 * (a no-break space, an invisible character: `[\u00a0\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]`),
 * by UTF-16 code unit (NaN, past the end: false). References to one (`&nbsp;`, `&#32;`): BLANK_REF.
 */
function isBlankCode(c: number): boolean {
  if (c === 32 || c === 9) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || (c >= 0x2000 && c <= 0x200d) || c === 0x202f || c === 0x205f || c === 0x2060 || c === 0x3000 || c === 0xfeff;
}
const BLANK_REF = /&(?:nbsp|ensp|emsp|thinsp|zwsp|ZeroWidthSpace|NoBreak|#(?:32|160|8203|8288|65279|x20|xa0|x200b|x2060|xfeff));$/i;
const BLANK_REF_START = /^&(?:nbsp|ensp|emsp|thinsp|zwsp|ZeroWidthSpace|NoBreak|#(?:32|160|8203|8288|65279|x20|xa0|x200b|x2060|xfeff));/i;

/**
 * The rendered part of a field value as written on its line: without a hard
 * break at its end (`\` when another line follows, `<br>`; trailing spaces are
 * already gone) and without HTML comments before or after it. Offsets relative
 * to `raw`. Linear: each step strips what it scanned.
 */
function renderedValue(raw: string, hardBreakAllowed: boolean): { start: number; end: number } {
  let start = 0;
  let end = raw.length;
  for (;;) {
    while (end > start && isBlankCode(raw.charCodeAt(end - 1))) end--;
    if (end === start) break;
    if (raw[end - 1] === ';') {
      const ref = BLANK_REF.exec(raw.slice(Math.max(start, end - 16), end));
      if (ref) {
        end -= ref[0].length;
        continue;
      }
    }
    if (raw[end - 1] === '>') {
      const br = BR_TAIL.exec(raw.slice(Math.max(start, end - 12), end));
      if (br) {
        end -= br[0].length;
        continue;
      }
      if (raw.endsWith('-->', end)) {
        const open = raw.lastIndexOf('<!--', end - 3);
        if (open >= start) {
          end = open;
          continue;
        }
      }
      break;
    }
    if (hardBreakAllowed && raw[end - 1] === '\\' && raw[end - 2] !== '\\' && end - start > 1) {
      end--;
      continue;
    }
    break;
  }
  for (;;) {
    while (start < end && isBlankCode(raw.charCodeAt(start))) start++;
    const ref = raw[start] === '&' ? BLANK_REF_START.exec(raw.slice(start, Math.min(end, start + 16))) : null;
    if (ref) {
      start += ref[0].length;
      continue;
    }
    if (!raw.startsWith('<!--', start)) break;
    const close = raw.indexOf('-->', start + 4);
    if (close === -1 || close + 3 > end) break;
    start = close + 3;
  }
  return { start, end };
}

/**
 * The fields on one line (`**Label:** value`), several when more labels follow on
 * the same line (each later one `inline`), or null when the line is not a field.
 */
function lineFields(line: { text: string; offset: number }, lines: Lines, block: number, hardBreakAllowed: boolean): Field[] | null {
  const m = boldStart(line.text) ? FIELD_LINE.exec(line.text) : null;
  if (!m || !(m[3] || m[4])) return block >= 0 ? otherFormField(line, lines, block, hardBreakAllowed) : null;
  const out: Field[] = [];
  const markerAt = line.text.indexOf(m[1]!);
  let labelRaw = m[2]!;
  let labelStart = line.offset + markerAt + 2 + (labelRaw.length - labelRaw.trimStart().length);
  let fieldStart = line.offset;
  let valueStart = line.offset + line.text.length - m[5]!.length - (line.text.length - line.text.trimEnd().length);
  let rest = m[5]!;
  for (;;) {
    // INLINE_LABEL needs a `**` or `__` marker: most values have none.
    const next = hasBoldMarker(rest) ? INLINE_LABEL.exec(rest) : null;
    const own = next ? rest.slice(0, next.index).replace(/(?<![ \t])[ \t]+$/, '') : rest;
    const r = renderedValue(own, next ? false : hardBreakAllowed);
    const label = labelRaw.trim();
    const field: Field = {
      label,
      key: fieldKey(label),
      value: own.slice(r.start, r.end),
      continuation: '',
      span: lines.span(fieldStart, next ? valueStart + own.length : line.offset + line.text.length),
      labelSpan: lines.span(labelStart, labelStart + label.length),
      valueSpan: lines.span(valueStart + r.start, valueStart + r.end),
      block,
      inline: out.length > 0,
      listItem: null,
    };
    out.push(field);
    if (!next) break;
    // The next label starts after the space the match began with.
    const at = next.index + 1;
    fieldStart = valueStart + at;
    labelRaw = next[2]!;
    labelStart = fieldStart + 2 + (labelRaw.length - labelRaw.trimStart().length);
    let after = at + next[0].length - 1;
    while (rest[after] === ' ' || rest[after] === '\t') after++;
    valueStart += after;
    rest = rest.slice(after);
  }
  return out;
}

/**
 * A task field whose label is in another shape than `**Label:**` / `**Label**:`:
 * `**Status** : x`, `*Status:* x`, `_Status:_ x`, `Status: x`, a fullwidth colon,
 * invisible characters in the label. Only the three task fields are read this
 * way (a `Note: ...` line stays prose).
 */
const OTHER_FORM_FIELD =
  /^([ \t]{0,3})([*_]{0,2})[ \t]*((?:domain|status|depends[ \t]+on)[\u200b-\u200d\u2060\ufeff]*)[ \t]*(?:([*_]{1,2})[ \t]*)?([:：])[ \t]*(?:([*_]{1,2})[ \t]*)?(?![ \t])(.*)$/i;
function otherFormField(line: { text: string; offset: number }, lines: Lines, block: number, hardBreakAllowed: boolean): Field[] | null {
  const m = otherFormStart(line.text) ? OTHER_FORM_FIELD.exec(line.text) : null;
  if (!m) return null;
  // `before` / `after` are undefined without markers (the optional groups keep the regex linear).
  const [, indent, open, labelRaw, before, , after, rest] = m as unknown as string[];
  // The markers must pair up: `*Status:*`, `**Status** :`, or none at all.
  if (before && after) return null;
  if ((before || after || '') !== open) return null;
  const labelStart = line.offset + indent!.length + line.text.slice(indent!.length).indexOf(labelRaw!);
  const label = labelRaw!.replace(/[\u200b-\u200d\u2060\ufeff]/g, '').replace(/[ \t]+/g, ' ');
  const formStart = line.offset + indent!.length;
  const formEnd = line.offset + line.text.length - rest!.length;
  const formText = line.text.slice(indent!.length, formEnd - line.offset);
  let formEnd2 = formText.length;
  while (formEnd2 > 0 && (formText[formEnd2 - 1] === ' ' || formText[formEnd2 - 1] === '\t')) formEnd2--;
  const formTrimmed = formText.slice(0, formEnd2); // `/[ \t]+$/` dropped without its quadratic backtracking
  const valueStart = formEnd;
  const r = renderedValue(rest!, hardBreakAllowed);
  return [
    {
      label,
      key: label.toLowerCase(),
      value: rest!.slice(r.start, r.end),
      continuation: '',
      span: lines.span(line.offset, line.offset + line.text.length),
      labelSpan: lines.span(labelStart, labelStart + labelRaw!.length),
      valueSpan: lines.span(valueStart + r.start, valueStart + r.end),
      block,
      inline: false,
      listItem: null,
      labelForm: lines.span(formStart, formStart + formTrimmed.length),
    },
  ];
}

/** `paragraphFields(node, lines, 0)`, to read and not to change: the last one is kept for `takeFields`. */
function peekFields(node: Paragraph, lines: Lines): readonly Field[] | null {
  if (lines.peeked !== node) {
    lines.peekedFields = paragraphFields(node, lines, 0);
    lines.peeked = node;
  }
  return lines.peekedFields;
}

/** `paragraphFields(node, lines, block)` (block >= 0): the fields `peekFields` read of the node, if it was the last one, else new ones. */
function takeFields(node: Paragraph, lines: Lines, block: number): Field[] | null {
  if (lines.peeked !== node) return paragraphFields(node, lines, block);
  const fields = lines.peekedFields;
  lines.peeked = lines.peekedFields = null;
  if (fields) for (const f of fields) f.block = block;
  return fields;
}

/** Bold-label fields of a paragraph, or null when its first line is not a field. */
function paragraphFields(node: Paragraph, lines: Lines, block: number): Field[] | null {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const split = lines.split(start, end);
  const fields: Field[] = [];
  for (let i = 0; i < split.length; i++) {
    const line = split[i]!;
    const found = lineFields(line, lines, block, i < split.length - 1);
    if (found) {
      for (const f of found) fields.push(f);
    } else if (fields.length === 0) {
      return null;
    } else {
      const last = fields[fields.length - 1]!;
      const more = line.text.trim();
      last.continuation = last.continuation ? `${last.continuation} ${more}` : more;
    }
  }
  return fields.length ? fields : null;
}

const TASK_FIELD_KEYS = new Set(['domain', 'status', 'depends on']);

/**
 * Task fields written as list items (`- **Domain:** backend`), one item each:
 * the fields with `listItem` set to the marker, or null when the list is not
 * made of task fields (an item without a field, or no Domain / Status /
 * Depends on among them).
 */
function listFields(node: List, lines: Lines, block: number): Field[] | null {
  const out: Field[] = [];
  for (const item of node.children) {
    const para = item.children[0];
    if (!para || para.type !== 'paragraph' || item.children.length > 1) return null;
    const fields = paragraphFields(para, lines, block);
    if (!fields) return null;
    const marker = lines.span(startOf(item as unknown as RootContent), startOf(para));
    for (const f of fields) {
      f.listItem = marker;
      f.span = { start: marker.start, end: f.span.end };
    }
    for (const f of fields) out.push(f);
  }
  return out.some((f) => TASK_FIELD_KEYS.has(f.key)) ? out : null;
}

function parseRefs(field: Field, lines: Lines): { refs: TaskRef[]; errors: { raw: string; span: Span }[] } {
  const refs: TaskRef[] = [];
  const errors: { raw: string; span: Span }[] = [];
  const value = field.value;
  if (/^none$/i.test(value.trim())) return { refs, errors };
  const base = field.valueSpan.start.offset;
  if (!value.trim()) {
    errors.push({ raw: '', span: field.valueSpan });
    return { refs, errors };
  }
  let pos = 0;
  for (const part of value.split(',')) {
    const lead = part.length - part.trimStart().length;
    const item = part.trim();
    const s = base + pos + lead;
    const span = lines.span(s, s + item.length);
    const m = TASK_REF.exec(item);
    if (m) refs.push({ raw: item, story: m[1], task: m[2]!, span });
    else errors.push({ raw: item, span });
    pos += part.length + 1;
  }
  return { refs, errors };
}

function blockKind(node: RootContent, lines: Lines): BlockKind {
  switch (node.type) {
    case 'paragraph': {
      const split = lines.split(startOf(node), endOf(node));
      if (split.length >= 2 && split[0]!.text.includes('|') && TABLE_DELIMITER.test(split[1]!.text)) return 'table';
      return 'paragraph';
    }
    case 'list':
      return 'list';
    case 'code':
      return 'code';
    case 'html':
      return 'html';
    case 'heading':
      return 'heading';
    case 'table':
      return 'table';
    case 'blockquote':
      return 'blockquote';
    default:
      return 'other';
  }
}

function listText(list: List): { text: string; code: string[] } {
  const parts: string[] = [];
  const code: string[] = [];
  // Depth first, in source order, without recursion (lists may nest thousands deep).
  const todo: RootContent[] = [];
  for (let i = list.children.length - 1; i >= 0; i--) {
    const kids = list.children[i]!.children;
    for (let j = kids.length - 1; j >= 0; j--) todo.push(kids[j]!);
  }
  while (todo.length) {
    const child = todo.pop()!;
    if (child.type === 'paragraph') {
      parts.push(inlineText(child.children));
      collectCode(child.children, code);
    } else if (child.type === 'list') {
      for (let i = child.children.length - 1; i >= 0; i--) {
        const kids = child.children[i]!.children;
        for (let j = kids.length - 1; j >= 0; j--) todo.push(kids[j]!);
      }
    }
  }
  return { text: parts.join('\n'), code };
}

function makeBlock(node: RootContent, lines: Lines, kind: BlockKind): Block {
  const span = nodeSpan(node, lines);
  let codeSpans: string[] = [];
  let text = '';
  if (node.type === 'paragraph') {
    text = inlineText(node.children);
    // A leading `[ ]` / `[x]` box is dropped: only a text starting with `[` can hold one.
    if (text.charCodeAt(0) === 91) text = text.replace(/^\[[ xX]\][ \t]+/, '');
    collectCode(node.children, codeSpans);
  } else if (node.type === 'list') {
    const lt = listText(node);
    text = lt.text;
    codeSpans = lt.code;
  } else if (node.type === 'heading') {
    text = inlineText(node.children);
    collectCode(node.children, codeSpans);
  } else if (node.type === 'code') {
    text = lf(node.value);
  }
  const block: Block = { kind, span, text, codeSpans };
  if (node.type === 'list') {
    block.ordered = Boolean(node.ordered);
    block.items = node.children.length;
  }
  return block;
}

function criterionOf(item: ListItem, text: string, lines: Lines, group: string | null): Criterion {
  const span = nodeSpan(item as unknown as RootContent, lines);
  // Read the checkbox from the source so the model is the same with and without GFM.
  const first = lines.firstLine(span.start.offset, span.end.offset);
  const box = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[([ xX])\](?=[ \t]|$)/.exec(first);
  let checked: boolean | null = box ? box[1] !== ' ' : null;
  if (checked === null && typeof item.checked === 'boolean') checked = item.checked;
  const para = item.children.find((c) => c.type === 'paragraph') as Paragraph | undefined;
  let body = para ? inlineText(para.children) : '';
  // The box is not the text: an empty `- [ ]` has none.
  body = collapseSpace(body.replace(/^\[[ xX]\](?:[ \t]+|$)/, '')).trim();
  const items: Criterion[] = [];
  for (const child of item.children) {
    if (child.type === 'list') for (const sub of child.children) items.push(criterionOf(sub, text, lines, group));
  }
  return { text: body, checked, group, span, items };
}

/**
 * A story named in prose: `Story 012`, `Story #012`, `story-012`, `Stories 012 and 013`, or a
 * story file name `012-slug.md`. A number under three digits after the word (`Story 3` is
 * story 003, as `scaffold 3` is) counts only where it opens the entry (`ENTRY_LEAD`).
 */
const STORY_REF = /\bstor(?:y|ies)(?:[ \t]+|[ \t]*[-_][ \t]*)?#?(\d+[a-z]?)\b|(?:^|[\s(\[/])(\d{3,}[a-z]?)-[a-z0-9-]+\.md\b/gi;
/**
 * A list item that starts with a story number, in the shapes that cannot be prose: the
 * number alone (`- 003`, `- #003`, `- 3`, `- 104.`), three or more digits before `: ` or a
 * task id (`- 104: Auth`, `- 003/002`), or a zero-padded number before a space or a
 * separator (`- 012 Auth`, `- #012 (auth)`). Not a number that starts prose: `- 1.0 release
 * of the SDK`, `- 100 beta users`, `- 404 page from the web team`, `- 2: sign-off from UX`,
 * `- #1234 (backend repo)`, `- 12:00 cutover`.
 */
const BARE_ITEM = /^([ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?[*_]*)(?:#?(\d+[a-z]?)(?=[*_]*[.,;]?[ \t]*$)|(\d{3,}[a-z]?)(?=[*_]*(?::[ \t]|\/\d))|#?(0\d{2,}[a-z]?)(?=[*_]*(?:[ \t]|[,;:)])))/;
/** What may stand before `Story 3` (a number under three digits) at the start of an entry: a list marker, a checkbox, emphasis. */
const ENTRY_LEAD = /^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?[*_]*$/;
/** A list marker opening a line: a new item of `## Dependencies`. */
const ITEM_START = /^[ \t]*(?:[-*+]|\d+[.)])(?:[ \t]|$)/;
/** An entry that says there is no dependency (`None.`, `**None** - this builds on story 004`, `N/A`). */
const NO_DEPENDENCY = /^(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+)?[*_]*(?:none|n\/a|nothing)\b/i;

/** A story number as the files spell it: at least three digits (`3` -> `003`). */
function storyNumber(id: string): string {
  const m = /^(\d{1,2})([a-z]?)$/i.exec(id);
  return m ? m[1]!.padStart(3, '0') + m[2]! : id;
}

/**
 * The stories `## Dependencies` names in [start, end) of `text`, into `into`. The
 * range is read entry by entry (a paragraph, or a list item: a blank line or a
 * list marker starts the next), so that the section body read at once
 * (`dependencyIds`) and node by node (`buildStory`) give the same refs. An entry
 * that starts with `None` names no dependency, whatever story it mentions ("None.
 * This updates the client of story 004."); a list item that starts with a story
 * number (`- 003`, `- #003`, `- 3`) names that story.
 */
export function storyRefsIn(start: number, end: number, text: string, lines: Lines, into: StoryRef[]): void {
  const split = lines.split(start, end);
  let i = 0;
  while (i < split.length) {
    // One entry: from this line to the next blank line or list marker.
    const first = split[i]!;
    let j = i + 1;
    if (first.text.trim() !== '') while (j < split.length && split[j]!.text.trim() !== '' && !ITEM_START.test(split[j]!.text)) j++;
    const last = split[j - 1]!;
    const entryStart = first.offset;
    const entryEnd = Math.min(end, last.offset + last.text.length);
    i = j;
    if (first.text.trim() === '' || NO_DEPENDENCY.test(first.text)) continue;
    const bare = BARE_ITEM.exec(first.text);
    if (bare) {
      const id = (bare[2] ?? bare[3] ?? bare[4])!;
      const at = entryStart + bare[1]!.length + (first.text[bare[1]!.length] === '#' ? 1 : 0);
      into.push({ story: storyNumber(id), raw: first.text.trim(), span: lines.span(at, at + id.length) });
    }
    refsInProse(entryStart, entryEnd, text, lines, into);
  }
}

function refsInProse(start: number, end: number, text: string, lines: Lines, into: StoryRef[]): void {
  const slice = text.slice(start, end);
  STORY_REF.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STORY_REF.exec(slice))) {
    const id = (m[1] ?? m[2])!;
    // `Story 3` (under three digits) only opening the entry (`- Story 3: Auth`), not in prose
    // ("the mobile team's user story 7 in their backlog").
    if (m[1] && m[1].replace(/[a-z]$/i, '').length < 3 && !ENTRY_LEAD.test(slice.slice(0, m.index))) continue;
    const at = start + m.index + m[0].indexOf(id);
    into.push({ story: storyNumber(id), raw: m[0].trim(), span: lines.span(at, at + id.length) });
    if (m[1]) {
      // "Stories 012 and 013", "Story 012, 013" ("Stories 3 and 4": short numbers after a short one only)
      const moreRe = m[1].length - (/[a-z]$/i.test(m[1]) ? 1 : 0) < 3 ? /^[ \t]*(?:,|\band\b|&)[ \t]*#?(\d+[a-z]?)\b/i : /^[ \t]*(?:,|\band\b|&)[ \t]*#?(\d{3,}[a-z]?)\b/i;
      let rest = slice.slice(m.index + m[0].length);
      let consumed = m.index + m[0].length;
      let more: RegExpExecArray | null;
      while ((more = moreRe.exec(rest))) {
        const mid = more[1]!;
        const mat = start + consumed + more[0].lastIndexOf(mid);
        into.push({ story: storyNumber(mid), raw: mid, span: lines.span(mat, mat + mid.length) });
        consumed += more[0].length;
        rest = rest.slice(more[0].length);
      }
      STORY_REF.lastIndex = consumed;
    }
  }
}

function isNone(text: string): boolean {
  return /^(?:none|n\/a|no(?:ne)? (?:open )?questions?|nothing|-)\b/i.test(text.trim());
}

function lintComment(node: Html, lines: Lines, next: RootContent | undefined): LintComment | null {
  const m = LINT_COMMENT.exec(node.value.trim());
  if (!m) return null;
  const ids = m[2]!.trim().split(/\s+/).filter(Boolean);
  return {
    kind: m[1] as LintComment['kind'],
    ids,
    span: nodeSpan(node, lines),
    target: next ? nodeSpan(next, lines) : null,
  };
}

function collectComments(root: readonly RootContent[], lines: Lines, into: LintComment[]): void {
  // Depth first, in source order, without recursion (lists may nest thousands deep).
  const frames: { nodes: readonly RootContent[]; i: number }[] = [{ nodes: root, i: 0 }];
  while (frames.length) {
    const frame = frames[frames.length - 1]!;
    if (frame.i >= frame.nodes.length) {
      frames.pop();
      continue;
    }
    const i = frame.i++;
    const node = frame.nodes[i]!;
    if (node.type === 'html') {
      const c = lintComment(node, lines, frame.nodes[i + 1]);
      if (c) into.push(c);
    } else if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading') {
      frames.push({ nodes: node.children as RootContent[], i: 0 });
    }
  }
}

/** Build the Story model from an mdast tree and the text it was parsed from. */
export function buildStory(tree: Root, text: string, path: string | undefined, bom = false): Story {
  crFree = !text.includes('\r');
  try {
    return buildStoryFrom(tree, text, path, bom);
  } finally {
    crFree = false;
  }
}

function buildStoryFrom(tree: Root, text: string, path: string | undefined, bom: boolean): Story {
  const lines = new Lines(text);
  const nodes = tree.children;
  const fileName = path ? path.replace(/^.*[\\/]/, '') : '';
  const fileIdMatch = /^(\d{3,}[a-z]?)(?:-|\.md$)/.exec(fileName);
  const story: Story = {
    path,
    text,
    bom,
    id: null,
    fileId: fileIdMatch ? fileIdMatch[1]! : null,
    title: null,
    titleSpan: null,
    status: null,
    statusCount: 0,
    extraStatuses: [],
    sections: [],
    criteria: [],
    dependencies: [],
    openQuestions: [],
    tasksSections: [],
    tasks: [],
    tasksPreamble: [],
    strayTasks: [],
    looseTasks: [],
    comments: [],
    frontmatter: null,
    eol: dominantEol(text),
  };
  // A lint comment is an HTML node holding `<!--`, a text without one has none.
  if (text.includes('<!--')) collectComments(nodes, lines, story.comments);
  const first = nodes[0];
  if (first && (first.type === 'yaml' || (first.type as string) === 'toml')) story.frontmatter = nodeSpan(first, lines);

  // Split the top level into sections at `#`/`##` ATX headings (and setext ones
  // outside a Tasks section; inside it a `---` under text is a separator gone wrong).
  // `bare`: the key without a trailing colon or white space (`Tasks:`).
  type Sec = { heading: Heading | null; title: string; key: string; bare: string; nodes: RootContent[] };
  const secs: Sec[] = [{ heading: null, title: '', key: '', bare: '', nodes: [] }];
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    const current = secs[secs.length - 1]!;
    if (node.type === 'heading' && node.depth <= 2) {
      const atx = isAtx(node, text);
      if (!atx && current.key === 'tasks' && node.depth === 2) {
        current.nodes.push(node);
        continue;
      }
      if (node.depth === 1 && story.titleSpan === null) {
        const title = headingText(node);
        story.titleSpan = nodeSpan(node, lines);
        const m = /^story[ \t]*#?(\d{3,}[a-z]?)?[ \t]*[:.\-–—]?[ \t]*(.*)$/is.exec(title);
        story.title = m ? m[2]!.trim() || title : title;
        if (m && m[1]) story.id = m[1];
      }
      const title = headingText(node);
      const key = node.depth === 2 ? title.toLowerCase() : '';
      secs.push({ heading: node, title, key, bare: /[:\s]$/.test(key) ? key.replace(/(?<![:\s])[:\s]+$/, '') : key, nodes: [] });
      continue;
    }
    current.nodes.push(node);
  }
  if (story.id === null) story.id = story.fileId;

  for (const sec of secs) {
    if (!sec.heading) continue;
    const last = sec.nodes[sec.nodes.length - 1];
    const section: Section = {
      title: sec.title,
      key: sec.key,
      heading: nodeSpan(sec.heading, lines),
      span: lines.span(startOf(sec.heading), last ? endOf(last) : endOf(sec.heading)),
    };
    if (sec.heading.depth === 2) story.sections.push(section);
  }

  // Status: `**Status:** X` above the first `##`, or a `## Status` section.
  const preamble: RootContent[] = [];
  for (const sec of secs) {
    if (sec.heading && sec.heading.depth === 2) break;
    for (const n of sec.nodes) preamble.push(n); // not push(...): a section's nodes are input-sized
  }
  for (const node of preamble) {
    if (node.type !== 'paragraph') continue;
    const fields = paragraphFields(node, lines, -1) ?? [];
    // A status line may follow other lines of a paragraph (`**Epic:** x\n**Status:** y`).
    const all = fields.length ? fields : [];
    for (const f of all) {
      if (f.key === 'status') {
        story.statusCount++;
        if (story.status) story.extraStatuses.push(f.span);
        story.status ??= { value: f.value, span: f.valueSpan, source: 'line' };
      }
    }
    if (fields.length) continue;
    // A plain `Status: Done` line (no bold markers) still says what the status is.
    for (const line of lines.split(startOf(node), endOf(node))) {
      const m = /^([ \t]{0,3})(Status:)[ \t]*(\S.*?)[ \t]*$/i.exec(line.text);
      if (!m) continue;
      const labelAt = line.offset + m[1]!.length;
      const valueAt = line.offset + line.text.indexOf(m[3]!, m[1]!.length + m[2]!.length);
      story.statusCount++;
      if (story.status) story.extraStatuses.push(lines.span(line.offset, line.offset + line.text.length));
      story.status ??= {
        value: m[3]!,
        span: lines.span(valueAt, valueAt + m[3]!.length),
        source: 'plain',
        labelSpan: lines.span(labelAt, labelAt + m[2]!.length),
      };
    }
  }

  let acGroup: string | null = null;
  for (const sec of secs) {
    if (!sec.heading || sec.heading.depth !== 2) continue;
    const key = sec.bare;
    if (key === 'status') {
      story.statusCount++;
      if (story.status) story.extraStatuses.push(nodeSpan(sec.heading, lines));
      const first = sec.nodes.find((n) => n.type === 'paragraph') as Paragraph | undefined;
      if (!story.status) {
        if (first) {
          const split = lines.split(startOf(first), endOf(first));
          const line = split[0]!;
          const lead = line.text.length - line.text.trimStart().length;
          const value = line.text.trim();
          story.status = { value, span: lines.span(line.offset + lead, line.offset + lead + value.length), source: 'section' };
        } else {
          const h = nodeSpan(sec.heading, lines);
          story.status = { value: '', span: h, source: 'section' };
        }
      }
    } else if (key === 'acceptance criteria') {
      acGroup = null;
      for (const node of sec.nodes) {
        if (node.type === 'heading') acGroup = headingText(node);
        else if (node.type === 'list') {
          for (const item of node.children) story.criteria.push(criterionOf(item, text, lines, acGroup));
        }
      }
    } else if (key === 'dependencies') {
      for (const node of sec.nodes) storyRefsIn(startOf(node), endOf(node), text, lines, story.dependencies);
    } else if (key === 'open questions') {
      for (const node of sec.nodes) {
        if (node.type === 'list') {
          for (const item of node.children) {
            const para = item.children.find((c) => c.type === 'paragraph') as Paragraph | undefined;
            const t = para ? inlineText(para.children).trim() : '';
            if (t && !isNone(t) && !/^\[[xX]\]/.test(t) && !/~~/.test(text.slice(startOf(item as never), endOf(item as never)))) {
              story.openQuestions.push({ text: collapseSpace(t), span: nodeSpan(item as never, lines) });
            }
          }
        } else if (node.type === 'paragraph') {
          const t = inlineText(node.children).trim();
          if (t && !isNone(t) && /\?/.test(t)) story.openQuestions.push({ text: collapseSpace(t), span: nodeSpan(node, lines) });
        }
      }
    } else if (key === 'tasks') {
      const section = story.sections.find((s) => s.heading.start.offset === startOf(sec.heading as RootContent))!;
      story.tasksSections.push(section);
      if (story.tasksSections.length === 1) buildTasks(sec.nodes, story, text, lines);
    }
  }

  // `## 002: Title` (or `# 002:`): a task one level too high, when it has task fields
  // or follows `## Tasks` (directly or after other such sections).
  let afterTasks = false;
  for (const sec of secs) {
    if (!sec.heading) continue;
    const key = sec.bare;
    if (sec.heading.depth <= 2 && key === 'tasks') {
      afterTasks = true;
      continue;
    }
    const title = TASK_TITLE.exec(sec.title);
    const first = sec.nodes[0];
    const hasFields = first?.type === 'paragraph' && hasTaskFields(first, lines);
    if (title && (hasFields || (afterTasks && /^(?:task[ \t]*)?[#T]?\d{3}/i.test(sec.title)))) {
      const span = nodeSpan(sec.heading, lines);
      const id = padId(title[1]!);
      const text = `### ${id}: ${title[2] ?? ''}`.trimEnd();
      story.looseTasks.push({
        shape: 'heading-level',
        raw: lines.split(span.start.offset, span.end.offset)[0]!.text.trim(),
        id,
        title: title[2] ?? '',
        span,
        hasFields,
        replace: hasFields && afterTasks ? { span, text } : null,
      });
      continue;
    }
    afterTasks = false;
  }
  // Front matter that runs over the story (opened with `---`, "closed" with YAML's
  // `...` or not at all, so the next `---`, a task separator, closes it): the task
  // headings inside it are read by nothing.
  if (story.frontmatter) {
    const fm = story.frontmatter;
    for (const line of lines.split(fm.start.offset, fm.end.offset)) {
      const h = atxHeadingText(line.text);
      const t = h !== null ? TASK_TITLE.exec(plainTitle(h)) : null;
      if (!t) continue;
      const span = lines.span(line.offset, line.offset + line.text.length);
      const id = padId(t[1]!);
      story.looseTasks.push({ shape: 'frontmatter', raw: line.text.trim(), id, title: t[2] ?? '', span, hasFields: false, replace: null, frontmatterEnd: fm.end.line });
    }
  }
  story.looseTasks.sort((a, b) => a.span.start.offset - b.span.start.offset);

  // Task blocks outside `## Tasks`: a `### NNN:` heading followed by task fields.
  for (const sec of secs) {
    if (sec.key === 'tasks' && story.tasksSections.length && sec.heading && startOf(sec.heading) === story.tasksSections[0]!.heading.start.offset) continue;
    for (let i = 0; i < sec.nodes.length; i++) {
      const node = sec.nodes[i]!;
      if (node.type !== 'heading' || node.depth !== 3) continue;
      const next = sec.nodes[i + 1];
      if (next?.type !== 'paragraph') continue;
      const heading = parseTaskHeading(node, text, lines);
      if (heading.rawId === null) continue;
      const fields = peekFields(next, lines);
      // Only bold labels make a stray task (`Status: Accepted` under an ADR-style heading is prose).
      if (fields?.some((f) => (f.key === 'domain' || f.key === 'status' || f.key === 'depends on') && !f.labelForm)) {
        story.strayTasks.push({ heading, section: sec.heading ? sec.title : null });
      }
    }
  }
  return story;
}

const ATX_START = /^[ \t]{0,3}#{1,6}[ \t]+/;
/**
 * What `/^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/` captures in a line, or null
 * when it does not match; in linear time (the lazy group backtracks
 * quadratically on a long ` #` run).
 */
function atxHeadingText(line: string): string | null {
  if (/[\n\r\u2028\u2029]/.test(line)) return null; // `.` and `$` stop at a line terminator
  const m = ATX_START.exec(line);
  if (!m) return null;
  const from = m[0].length;
  let end = line.length;
  while (end > from && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '#')) end--;
  return line.slice(from, end);
}

/** A task-like title: `002: Title`, `Task 2 - Title`, `T002. Title`, `#002: Title`. */
const TASK_TITLE_RE = /^(?:task[ \t]*)?[#T]?(\d{1,3}[a-z]?)[ \t]*[:.\-–—)](.*)$/i;
/** `[text, id, title]` of a task-like title (title trimmed, possibly empty), or null. */
const TASK_TITLE = {
  exec(text: string): [string, string, string] | null {
    const m = TASK_TITLE_RE.exec(text);
    return m ? [m[0], m[1]!, m[2]!.trim()] : null;
  },
};
const HASH_NO_SPACE = /^[ \t]{0,3}(#{1,6})(?![ \t#])()(.*)$/;
/** Whether a line can start with `#` after at most three spaces or tabs, as HASH_NO_SPACE needs. */
function hashStart(line: string): boolean {
  let i = 0;
  while (i < 3 && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return line.charCodeAt(i) === 35;
}
const BOLD_TITLE_RE = /^[ \t]{0,3}(\*\*|__)(?:task[ \t]*)?[#T]?(\d{1,3}[a-z]?)[ \t]*[:.\-–—)](.*)$/i;
/** `[line, marker, id, title]` of a bold title line (`**002: Title**`), or null. */
const BOLD_TITLE = {
  exec(text: string): [string, string, string, string] | null {
    const m = BOLD_TITLE_RE.exec(text);
    if (!m) return null;
    const rest = m[3]!.trim();
    if (!rest.endsWith(m[1]!)) return null;
    return [m[0], m[1]!, m[2]!, rest.slice(0, -2).trim()];
  },
};
/**
 * Whether a line can be a checkbox item (CHECKBOX_ITEM, EMOJI_BOX_ITEM): after
 * spaces and tabs, a bullet, spaces or tabs, then `[` or a character from
 * U+2300 up (every box emoji is, or starts with a surrogate that is).
 */
function boxStart(line: string): boolean {
  let i = 0;
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  const b = line.charCodeAt(i);
  if (b !== 45 && b !== 42 && b !== 43) return false;
  const from = ++i;
  while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  if (i === from) return false;
  const c = line.charCodeAt(i);
  return c === 91 || c >= 0x2300;
}
const CHECKBOX_ITEM = /^[ \t]*[-*+][ \t]+\[[ xX]\][ \t]+(?![ \t])(.*)$/;
const TASKISH_ITEM_RE = /^(?:task[ \t]*)?[#T]?-?(\d{1,3}[a-z]?)\b(.*)$/i;
/** `[text, id, title]` of an item or cell that starts with a task id (`T001 Add header`), or null. */
const TASKISH_ITEM = {
  exec(text: string): [string, string, string] | null {
    const m = TASKISH_ITEM_RE.exec(text);
    return m ? [m[0], m[1]!, m[2]!.replace(/^[ \t]*[:.\-–—)]?/, '').trim()] : null;
  },
};
const NUMBERED_ITEM = /^[ \t]*(\d{1,9})[.)][ \t]+(.*)$/;
/** A checkbox written as an emoji (`- ✅ 002 Title`, `- ⬜ ...`). */
const EMOJI_BOX_ITEM = /^[ \t]*[-*+][ \t]+(?:✅|☑️?|✔️?|☐|⬜|🔲|🔳|❌|✖️?|⏳|🚧)[ \t]*(?![ \t])(.*)$/u;
/** A bullet item's first line (`- 002: Title`). */
const BULLET_ITEM = /^[ \t]*[-*+][ \t]+(.*)$/;
/** A line as it renders, for reading a title: emphasis markers (`**002** Title`, `*002: Title*`) dropped. */
const plainTitle = (line: string): string => stripEmphasisEdges(line.replace(/(\*\*|__|~~)/g, '').trim()).trim();
/** `*` or `_`. */
const isEmphasisMarker = (c: number) => c === 42 || c === 95;
/** `s.replace(/^[*_]+|[*_]+$/g, '')` in linear time (the regex backtracks quadratically on a long `_` run). */
function stripEmphasisEdges(s: string): string {
  let start = 0;
  while (start < s.length && isEmphasisMarker(s.charCodeAt(start))) start++;
  let end = s.length;
  while (end > start && isEmphasisMarker(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}
/** The task id at the start of a title, followed by a separator or a space (`002: X`, `Task 2 - X`, `002 X`), with its title. */
const TITLE_WITH_ID = /^(?:task[ \t]*)?[#T]?-?(\d{1,3}[a-z]?)(?:[ \t]*[:.\-–—)][ \t]*|[ \t]+)(\S.*)$/i;

const padId = (id: string): string => id.replace(/^(\d+)([a-z]?)$/i, (_, d: string, l: string) => d.padStart(3, '0') + l.toLowerCase());

function isTaskField(f: Field): boolean {
  return TASK_FIELD_KEYS.has(f.key);
}

/** Whether a paragraph is (or starts with) task field lines. */
function hasTaskFields(node: RootContent, lines: Lines): boolean {
  if (node.type !== 'paragraph') return false;
  return peekFields(node, lines)?.some(isTaskField) ?? false;
}

/** Whether the source line is a task field line. */
function isFieldLine(line: string | undefined): boolean {
  if (line === undefined) return false;
  const m = boldStart(line) ? FIELD_LINE.exec(line) : null;
  return Boolean(m && (m[3] || m[4]) && TASK_FIELD_KEYS.has(m[2]!.trim().toLowerCase().replace(/\s+/g, ' ')));
}

/**
 * Task-like blocks in other shapes among the nodes of `## Tasks` (see
 * `LooseTask`). `next` is the node after `node` (fields in a paragraph of their
 * own); `preamble` is true before the first `###` task.
 */
function looseTasksIn(node: RootContent, next: RootContent | undefined, text: string, lines: Lines, into: LooseTask[], preamble: boolean, kind: BlockKind): void {
  const nextFields = next !== undefined && hasTaskFields(next, lines);
  if (node.type === 'heading' && node.depth >= 4) {
    const { raw } = headingSource(node, text);
    const title = TASK_TITLE.exec(raw);
    if (!title || !(nextFields || /^\D*\d{3}[a-z]?[ \t]*:/i.test(raw))) return;
    const span = nodeSpan(node, lines);
    const id = padId(title[1]!);
    into.push({
      shape: 'heading-level',
      raw: lines.split(span.start.offset, span.end.offset)[0]!.text.trim(),
      id,
      title: title[2] ?? '',
      span,
      hasFields: nextFields,
      replace: nextFields ? { span, text: `### ${id}: ${title[2] ?? ''}`.trimEnd() } : null,
    });
    return;
  }
  if (node.type === 'heading' && node.depth <= 2 && !isAtx(node, text)) {
    // A setext heading in `## Tasks` (`002: Title` over `---`) over task fields.
    const t = TITLE_WITH_ID.exec(plainTitle(headingText(node)));
    if (!t || !nextFields) return;
    const span = nodeSpan(node, lines);
    const id = padId(t[1]!);
    into.push({
      shape: 'heading-level',
      raw: lines.split(span.start.offset, span.end.offset)[0]!.text.trim(),
      id,
      title: t[2]!.trim(),
      span,
      hasFields: true,
      replace: { span, text: `### ${id}: ${t[2]!.trim()}` },
    });
    return;
  }
  if (node.type === 'blockquote') {
    // A task quoted (`> ### 002: Title` with its fields): no task is read inside a quote.
    const inner = node.children as RootContent[];
    const titled = inner.some((c) => c.type === 'heading' && TITLE_WITH_ID.test(plainTitle(headingText(c))));
    if (!titled && !inner.some((c) => hasTaskFields(c, lines))) return;
    const span = nodeSpan(node, lines);
    const first = lines.split(span.start.offset, span.end.offset)[0]!;
    const heading = inner.find((c) => c.type === 'heading') as Heading | undefined;
    const t = heading ? TITLE_WITH_ID.exec(plainTitle(headingText(heading))) : null;
    into.push({
      shape: 'blockquote',
      raw: first.text.trim(),
      id: t ? padId(t[1]!) : null,
      title: t ? t[2]!.trim() : '',
      span: lines.span(first.offset, first.offset + first.text.length),
      hasFields: inner.some((c) => hasTaskFields(c, lines)),
      replace: null,
    });
    return;
  }
  if (node.type === 'paragraph' && kind === 'paragraph') {
    const split = lines.split(startOf(node), endOf(node));
    // Whether the next line is a field line, kept for the next turn: each line is looked at once.
    let nextIsField: boolean | undefined;
    for (let i = 0; i < split.length; i++) {
      const line = split[i]!;
      const isField = nextIsField;
      nextIsField = i + 1 < split.length ? isFieldLine(split[i + 1]!.text) : undefined;
      const fieldsFollow = nextIsField ?? nextFields;
      const hash = hashStart(line.text) ? HASH_NO_SPACE.exec(line.text) : null;
      if (hash) {
        const title = TASK_TITLE.exec(hash[3]!);
        if (!title) continue;
        const id = padId(title[1]!);
        const span = lines.span(line.offset, line.offset + line.text.length);
        into.push({
          shape: 'heading-space',
          raw: line.text.trim(),
          id,
          title: title[2] ?? '',
          span,
          hasFields: fieldsFollow,
          replace: { span, text: `### ${id}: ${title[2] ?? ''}`.trimEnd() },
        });
        continue;
      }
      const bold = boldStart(line.text) ? BOLD_TITLE.exec(line.text) : null;
      if (bold && (fieldsFollow || /^\d{3}/.test(bold[2]!))) {
        const id = padId(bold[2]!);
        const span = lines.span(line.offset, line.offset + line.text.length);
        into.push({
          shape: 'bold-title',
          raw: line.text.trim(),
          id,
          title: bold[3]!,
          span,
          hasFields: fieldsFollow,
          replace: fieldsFollow && bold[3] ? { span, text: `### ${id}: ${bold[3]}` } : null,
        });
        continue;
      }
      // A plain (or partly emphasized) title line over task fields: `002: Title`, `Task 2 - Title`, `**002** Title`.
      const plain = fieldsFollow && !(isField ?? isFieldLine(line.text)) ? TITLE_WITH_ID.exec(plainTitle(line.text)) : null;
      if (plain) {
        const id = padId(plain[1]!);
        const title = plain[2]!.trim();
        const span = lines.span(line.offset, line.offset + line.text.length);
        into.push({ shape: 'text-title', raw: line.text.trim(), id, title, span, hasFields: true, replace: { span, text: `### ${id}: ${title}` } });
      }
    }
    return;
  }
  if (node.type === 'list') {
    for (const item of node.children) {
      const itemStart = startOf(item as unknown as RootContent);
      const split = lines.split(itemStart, endOf(item as unknown as RootContent));
      const first = split[0]!;
      let fields = false;
      for (let k = 1; k < split.length && !fields; k++) fields = isFieldLine(split[k]!.text.trim());
      const box = boxStart(first.text) ? (CHECKBOX_ITEM.exec(first.text) ?? EMOJI_BOX_ITEM.exec(first.text)) : null;
      if (box) {
        const t = TASKISH_ITEM.exec(plainTitle(box[1]!));
        if (!preamble && !t && !fields) continue;
        into.push({ shape: 'checkbox', raw: first.text.trim(), id: t ? padId(t[1]!) : null, title: t ? t[2]! : plainTitle(box[1]!), span: firstLineSpan(lines, first), hasFields: fields, replace: null });
        continue;
      }
      const bullet = node.ordered || !fields ? null : BULLET_ITEM.exec(first.text);
      if (bullet && fields) {
        // `- 002: Title` with task fields under it.
        const t = TASKISH_ITEM.exec(plainTitle(bullet[1]!));
        into.push({ shape: 'list-item', raw: first.text.trim(), id: t ? padId(t[1]!) : null, title: t ? t[2]! : plainTitle(bullet[1]!), span: firstLineSpan(lines, first), hasFields: true, replace: null });
        continue;
      }
      const num = node.ordered ? NUMBERED_ITEM.exec(first.text) : null;
      if (num && (num[1]!.length === 3 || fields)) {
        // `1. **005: Title**` / `1. 005: Title`: the id and title the content carries, else the number's.
        const inner = BOLD_TITLE.exec(num[2]!);
        const plain = inner ? null : TASK_TITLE.exec(plainTitle(num[2]!));
        const id = inner ? padId(inner[2]) : plain ? padId(plain[1]) : num[1]!.length <= 3 ? padId(num[1]!) : null;
        const title = inner ? inner[3] : plain ? plain[2] : plainTitle(num[2]!);
        into.push({ shape: 'numbered', raw: first.text.trim(), id, title, span: firstLineSpan(lines, first), hasFields: fields, replace: null });
      }
    }
    return;
  }
  if (kind === 'table') {
    const span = nodeSpan(node, lines);
    const rows = lines.split(span.start.offset, span.end.offset);
    if (rows.length < 3) return;
    const cellsOf = (line: string) => line.replace(/^[ \t]*\|/, '').split('|').map((c) => c.trim());
    // A cell that is a task id (`001`, `T001`, `#001`, `Task 1`, `001: Title`), not a number in prose (`100 users`).
    const idCell = (cell: string) => /^(?:task[ \t]*)?[#T]?-?\d{3}[a-z]?(?:[ \t]*[:.\-–—)].*)?$/i.test(plainTitle(cell));
    const header = cellsOf(rows[0]!.text);
    const statusLike = /\b(?:status|domain|depends)\b/i.test(rows[0]!.text);
    const taskColumns = statusLike || /\b(?:state|progress|done|area|dependencies|blocked[ \t]+by)\b/i.test(rows[0]!.text);
    const idRows = rows.slice(2).some((r) => idCell(cellsOf(r.text)[0] ?? ''));
    if (!statusLike && !(taskColumns && idRows)) return;
    // Under a task, a table with a status column may be a test matrix (`| Code | Status |` of HTTP codes):
    // only a table whose first column names task ids (`ID`, `#`, `Task`) or that has a domain / depends column.
    const idHeader = /^(?:#|id|ids|task|task[ \t]*id|no\.?|nr\.?)$/i.test(plainTitle(header[0] ?? '')) || /\b(?:domain|depends)\b/i.test(rows[0]!.text);
    if (!preamble && !idHeader) return;
    const notField = (h: string) => !/\b(?:status|state|progress|domain|area|depends|id)\b/i.test(h);
    const named = header.findIndex((h) => /\b(?:title|name|summary|description|what)\b/i.test(h) && notField(h));
    // A `Task` column names the task unless it is the first one (the id).
    const titleCol = named >= 0 ? named : header.findIndex((h, k) => k > 0 && /\btask\b/i.test(h) && notField(h));
    for (const row of rows.slice(2)) {
      if (!row.text.trim()) continue;
      const cells = cellsOf(row.text);
      const t = TASKISH_ITEM.exec(plainTitle(cells[0] ?? ''));
      // Under a task, a table with a status column may be a test matrix: only rows that name a task id.
      if (!preamble && !(t && idCell(cells[0] ?? ''))) continue;
      into.push({
        shape: 'table-row',
        raw: row.text.trim(),
        id: t ? padId(t[1]!) : null,
        title: titleCol >= 0 ? (cells[titleCol] ?? '') : '',
        span: lines.span(row.offset, row.offset + row.text.length),
        hasFields: true,
        replace: null,
      });
    }
  }
}

/** The span of a split line (a list item's first line). */
function firstLineSpan(lines: Lines, line: { readonly text: string; readonly offset: number }): Span {
  return lines.span(line.offset, line.offset + line.text.length);
}

/** Loose task shapes that stand for themselves: the blocks after them still belong to the task above. */
const OWN_BLOCK_SHAPES: ReadonlySet<LooseTask['shape']> = new Set(['checkbox', 'numbered', 'table-row', 'list-item', 'blockquote']);

function buildTasks(nodes: RootContent[], story: Story, text: string, lines: Lines): void {
  let task: Task | null = null;
  let leading = true;
  const finish = () => {
    if (!task) return;
    const lastBlock = task.blocks[task.blocks.length - 1];
    const end = task.separator ? task.separator.span.end : lastBlock ? lastBlock.span.end : task.heading.span.end;
    task.span = { start: task.heading.span.start, end };
    if (!task.separator) task.bodyEnd = lastBlock ? lastBlock.span.end : task.heading.span.end;
    story.tasks.push(task);
  };
  // After a task-like block in another shape that has fields (`#### 002: X` and its
  // fields): its blocks belong to no task (not to the task above it) up to the next task.
  let inLoose = false;
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    // The block kind of every node but a `###` heading, read by looseTasksIn and below.
    const nodeKind = node.type === 'heading' && node.depth === 3 ? 'heading' : blockKind(node, lines);
    if (!(node.type === 'heading' && node.depth === 3)) {
      const before = story.looseTasks.length;
      looseTasksIn(node, nodes[n + 1], text, lines, story.looseTasks, task === null && !inLoose, nodeKind);
      const found = story.looseTasks[before];
      if (found && found.hasFields && !OWN_BLOCK_SHAPES.has(found.shape) && found.span.start.offset === startOf(node)) {
        finish();
        task = null;
        inLoose = true;
      }
      if (inLoose) continue;
    } else inLoose = false;
    if (node.type === 'heading' && node.depth === 3) {
      finish();
      const heading = parseTaskHeading(node, text, lines);
      task = {
        id: heading.id,
        title: heading.title,
        heading,
        fields: [],
        leadingFields: [],
        domain: null,
        status: null,
        dependsOn: null,
        depends: [],
        dependsErrors: [],
        blocks: [],
        description: [],
        separator: null,
        span: heading.span,
        bodyEnd: heading.span.end,
      };
      leading = true;
      continue;
    }
    if (!task) {
      // Preamble of the Tasks section.
      story.tasksPreamble.push(makeBlock(node, lines, nodeKind));
      continue;
    }
    if (node.type === 'thematicBreak') {
      if (!task.separator) {
        task.bodyEnd = task.blocks.length ? task.blocks[task.blocks.length - 1]!.span.end : task.heading.span.end;
        task.separator = { span: nodeSpan(node, lines), setext: false };
      }
      leading = false;
      continue;
    }
    if (node.type === 'heading' && node.depth === 2) {
      // Setext: `text\n---`. The text is a paragraph, the underline a separator.
      const start = startOf(node);
      const end = endOf(node);
      const split = lines.split(start, end);
      const underline = split[split.length - 1]!;
      const contentEnd = split.length >= 2 ? split[split.length - 2]!.offset + split[split.length - 2]!.text.length : start;
      const block: Block = {
        kind: 'paragraph',
        span: lines.span(start, contentEnd),
        text: inlineText(node.children),
        codeSpans: [],
      };
      collectCode(node.children, block.codeSpans);
      task.blocks.push(block);
      task.description.push(block);
      if (!task.separator) {
        task.bodyEnd = block.span.end;
        const lead = underline.text.length - underline.text.trimStart().length;
        task.separator = {
          span: lines.span(underline.offset + lead, underline.offset + underline.text.length),
          setext: true,
        };
      }
      leading = false;
      continue;
    }
    if (task.separator && !task.separator.setext) {
      // Content after the separator but before the next task still belongs to it.
    }
    const index = task.blocks.length;
    let kind = nodeKind;
    let fields: Field[] | null = null;
    if (kind === 'paragraph') {
      fields = takeFields(node as Paragraph, lines, index);
      // A label in another shape (`Status: x`) is a field only right under the heading; later it is prose.
      if (fields && !leading && fields.some((f) => f.labelForm)) fields = null;
      if (fields) kind = 'fields';
    } else if (kind === 'list' && leading) {
      fields = listFields(node as List, lines, index);
      if (fields) kind = 'fields';
    }
    const block = makeBlock(node, lines, kind);
    task.blocks.push(block);
    if (fields) {
      for (const f of fields) task.fields.push(f);
      if (leading) for (const f of fields) task.leadingFields.push(f);
      for (const f of fields) {
        if (f.key === 'domain') task.domain ??= f;
        else if (f.key === 'status') task.status ??= f;
        else if (f.key === 'depends on') {
          if (!task.dependsOn) {
            task.dependsOn = f;
            const { refs, errors } = parseRefs(f, lines);
            task.depends = refs;
            task.dependsErrors = errors;
          }
        }
      }
    } else {
      if (kind !== 'html') leading = false;
      if (kind === 'paragraph') task.description.push(block);
    }
  }
  finish();
}

export type { Story } from './model.js';
export { Lines };
export type { StrayTask };

/**
 * The cheap tests that guard the model's regexes and string rewrites, with
 * what each stands in for, for test/model-prechecks.test.ts (each must never
 * say no where its regex or rewrite would match or change something).
 */
export const modelPrechecks = {
  boldStart: { test: boldStart, regexes: [FIELD_LINE, BOLD_TITLE_RE] },
  otherFormStart: { test: otherFormStart, regexes: [OTHER_FORM_FIELD] },
  hashStart: { test: hashStart, regexes: [HASH_NO_SPACE] },
  boxStart: { test: boxStart, regexes: [CHECKBOX_ITEM, EMOJI_BOX_ITEM] },
  hasBoldMarker: { test: hasBoldMarker, regexes: [INLINE_LABEL] },
  collapseSpace,
  isBlankCode,
  trimEndSpaces,
} as const;
