/**
 * A hand-written block scanner for the story format: the same mdast nodes
 * `buildStory` reads (top-level blocks with their positions, lists and their
 * items, headings, paragraphs' inline text and code), built without micromark,
 * or null when the text holds anything it cannot read exactly (the caller then
 * runs the full parse). test/fast-parse.test.ts holds it to the full parse.
 *
 * What it reads: ATX and setext headings, paragraphs (with lazy continuation
 * lines), thematic breaks, fenced code, `<!-- -->` HTML blocks, and bullet and
 * ordered lists nested to any depth, following CommonMark's container rules as
 * micromark implements them. Inline: text, code spans, backslash escapes, hard
 * breaks and emphasis (micromark's delimiter algorithm, flanking classes from
 * micromark's own `classifyCharacter`), and tags without attributes (`<name>`,
 * `</name>`) as inline HTML. A paragraph holding a link, an image, other
 * HTML, an autolink or an entity (`[`, `<`, `&`) has its inline content parsed
 * by micromark alone. YAML (`---`) and TOML (`+++`) front matter at the top becomes one `yaml` /
 * `toml` node, as micromark-extension-frontmatter makes it (`./frontmatter.ts`).
 * Tabs only inside a fenced code block's content, after the indentation
 * micromark strips (Go's and Makefiles' samples). Anything else (other tabs,
 * lone CRs, NUL, block quotes, indented code, other HTML blocks, link
 * definitions, unclosed fences or comments) declines.
 */
import type { Code, Heading, Html, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, ThematicBreak } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { classifyCharacter } from 'micromark-util-classify-character';
import { scanFrontmatter } from './frontmatter.js';
import { lineIndex } from './lines.js';

/** A range of a text: UTF-16 offsets, `end` exclusive (`unreadSections` in ./sections.ts gives them). */
export interface TextRange {
  start: number;
  end: number;
}

type Parent = { children: RootContent[] };
interface ListFrame {
  type: 'list';
  node: List;
  /** `-`, `*`, `+`, or `.` / `)` for ordered lists. */
  marker: string;
}
interface ItemFrame {
  type: 'item';
  node: ListItem;
  /** The column (0-based, no tabs) the item's content starts at. */
  contentCol: number;
  /** End offset of the item's first line (an empty item ends there). */
  firstLineEnd: number;
}
type Frame = ListFrame | ItemFrame;

interface OpenParagraph {
  type: 'paragraph';
  /** Content start (first line) and, for every line, where its content starts and ends. */
  lines: { from: number; to: number }[];
  parent: Parent;
}
interface OpenFence {
  type: 'fence';
  node: Code;
  char: number;
  length: number;
  indent: number;
  lines: string[];
  eols: string[];
}
interface OpenHtml {
  type: 'html';
  node: Html;
  parts: string[];
  /** The line ending of the last line taken. */
  eol: string;
}
type Leaf = OpenParagraph | OpenFence | OpenHtml;

const DECLINE = null;
const LONE_CR = /\r(?!\n)/;

/**
 * Off (`PLAN_TASKS_SCANNER=off`, or `scanner.enabled = false` in the tests that
 * hold the scanner to micromark): every parse goes through micromark.
 */
export const scanner = { enabled: process.env.PLAN_TASKS_SCANNER !== 'off' };

/**
 * The tree for `text` (BOM already stripped), or null when only the full parse can tell.
 *
 * `skip`: ranges of whole lines (as `unreadSections` in src/story/sections.ts
 * gives them: ascending, not overlapping, each from a line start to a line
 * start or the end, after any front matter) to read as if every character in them but CR and LF were
 * a space. The tree (and whether it declines) is the one
 * `fastTree(blankRanges(text, skip))` gives, without building that text;
 * test/fast-skip.test.ts holds the two to each other.
 */
export function fastTree(text: string, skip?: readonly TextRange[], options?: FastTreeOptions): Root | null {
  if (!scanner.enabled) return DECLINE;
  // NUL (replaced) and lone CRs are left to micromark; tabs (virtual spaces) too, except
  // inside a fenced code block's content (`Scanner.line`): Go's and Makefiles' code samples.
  if (outside(text, '\0', skip) || (text.includes('\r') && LONE_CR.test(text))) return DECLINE;
  // A `---` / `+++` first line that opens no front matter (never closed): micromark with
  // micromark-extension-frontmatter reads some of what follows differently, so let it.
  if ((text.startsWith('---') || text.startsWith('+++')) && !scanFrontmatter(text)) return DECLINE;
  try {
    return new Scanner(text, skip, options?.points !== false, outside(text, '\t', skip)).run();
  } catch (error) {
    if (error === DECLINED) return DECLINE;
    throw error;
  }
}

/** Options of `fastTree`. */
export interface FastTreeOptions {
  /**
   * `false`: every point of the tree holds only its `offset` (UTF-16 code units
   * into `text`), with `line` and `column` 0, instead of the line and column
   * micromark gives (default `true`). `buildStory` reads offsets alone, so the
   * lint and parse paths skip the line table and the second set of points;
   * test/fast-offsets.test.ts holds the Story built from such a tree to the one
   * built from the full tree.
   */
  points?: boolean;
}

/** `{ points: false }`: the options of the lint and parse paths, whose trees only `buildStory` reads. */
export const OFFSETS_ONLY: Readonly<FastTreeOptions> = Object.freeze({ points: false });

/** Whether `text` holds `ch` outside the `skip` ranges. */
function outside(text: string, ch: string, skip: readonly TextRange[] | undefined): boolean {
  let at = text.indexOf(ch);
  if (at === -1 || !skip) return at !== -1;
  for (const r of skip) {
    if (at < r.start) return true;
    if (at < r.end) {
      at = text.indexOf(ch, r.end);
      if (at === -1) return false;
    }
  }
  return true;
}

/** The offset of the first character from `from` that is neither a space nor a tab, or `le`. */
function pastBlanks(text: string, from: number, le: number): number {
  let i = from;
  while (i < le && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

const DECLINED = new Error('declined');
function decline(): never {
  throw DECLINED;
}

const pt = (offset: number) => ({ line: 0, column: 0, offset });

class Scanner {
  private readonly root: Root = { type: 'root', children: [] };
  private stack: Frame[] = [];
  private leaf: Leaf | null = null;
  /** Line starts, for the points' line and column. */
  private readonly starts: number[] = [];

  constructor(
    private readonly text: string,
    private readonly skip: readonly TextRange[] = [],
    /** Whether points get their line and column (`FastTreeOptions.points`); without, no line starts are kept. */
    private readonly points = true,
    /** Whether `text` holds a tab outside the `skip` ranges (see `tabIn`). */
    tabs = false,
  ) {
    this.nextTab = tabs ? text.indexOf('\t') : -1;
  }

  /** The first tab at or after the line being read, or -1 when none is left (see `tabIn`). */
  private nextTab: number;

  /**
   * The offset of the first tab in the line `ls`..`le`, or -1. Lines are read in order, so
   * each tab is searched for once.
   */
  private tabIn(ls: number, le: number): number {
    if (this.nextTab === -1) return -1;
    if (this.nextTab < ls) this.nextTab = this.text.indexOf('\t', ls);
    return this.nextTab !== -1 && this.nextTab < le ? this.nextTab : -1;
  }

  run(): Root {
    const text = this.text;
    let ls = 0;
    // YAML / TOML front matter: one node, as micromark-extension-frontmatter makes it.
    const fm = scanFrontmatter(text);
    if (fm) {
      // A tab in front matter: left to micromark (only fenced code content takes tabs here).
      if (this.nextTab !== -1 && this.nextTab < fm.end) decline();
      if (this.points) {
        this.starts.push(0);
        for (let i = 0; i < fm.end; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
      }
      const node = { type: fm.type, value: text.slice(fm.valueStart, fm.valueEnd), position: { start: pt(0), end: pt(fm.end) } };
      this.root.children.push(node as unknown as RootContent);
      if (fm.end >= text.length) ls = -1;
      else {
        ls = fm.end + (text.charCodeAt(fm.end) === 13 ? 2 : 1);
      }
    }
    let next = 0; // the next skip range
    for (; ls !== -1; ) {
      if (next < this.skip.length && ls === this.skip[next]!.start) {
        ls = this.skipLines(this.skip[next++]!);
        continue;
      }
      let nl = text.indexOf('\n', ls);
      const last = nl === -1;
      if (last) nl = text.length;
      const le = !last && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (this.points) this.starts.push(ls);
      this.line(ls, le, last ? '' : text.slice(le, nl + 1));
      if (last) break;
      ls = nl + 1;
    }
    this.closeLeaf();
    this.closeFrames(0);
    this.root.position = { start: pt(0), end: pt(text.length) };
    if (this.points) this.fixPoints(this.root);
    return this.root;
  }

  /**
   * The lines of a skip range, read as blank: the first does what a blank line does (the
   * state after it is one further blank lines leave as it is), the others only add their
   * line starts. Returns where reading goes on: the range's end, or -1 when the range
   * holds the text's last line.
   */
  private skipLines(range: TextRange): number {
    const text = this.text;
    // A fence or comment block open here would take the blanked lines as content.
    if (this.leaf && this.leaf.type !== 'paragraph') decline();
    let matched = 0;
    for (const f of this.stack) {
      if (f.type === 'item' && f.node.children.length === 0 && !(this.leaf && this.leafIn(f))) break;
      matched++;
    }
    this.closeLeaf();
    this.closeFrames(matched);
    let ls = range.start;
    while (ls < range.end) {
      if (this.points) this.starts.push(ls);
      const nl = text.indexOf('\n', ls);
      if (nl === -1) return -1;
      ls = nl + 1;
    }
    return ls;
  }

  // --- containers -----------------------------------------------------------

  private container(depth: number): Parent {
    for (let i = depth - 1; i >= 0; i--) {
      const f = this.stack[i]!;
      if (f.type === 'item') return f.node as unknown as Parent;
      if (f.type === 'list') return f.node as unknown as Parent;
    }
    return this.root as unknown as Parent;
  }

  private closeFrames(keep: number): void {
    while (this.stack.length > keep) {
      const f = this.stack.pop()!;
      if (f.type === 'item') {
        const kids = f.node.children;
        const end = kids.length ? kids[kids.length - 1]!.position!.end.offset! : f.firstLineEnd;
        f.node.position!.end = pt(end);
      } else {
        const kids = f.node.children;
        f.node.position!.end = pt(kids[kids.length - 1]!.position!.end.offset!);
      }
    }
  }

  private closeLeaf(): void {
    const leaf = this.leaf;
    if (!leaf) return;
    this.leaf = null;
    if (leaf.type === 'paragraph') {
      const first = leaf.lines[0]!;
      const last = leaf.lines[leaf.lines.length - 1]!;
      const node: Paragraph = {
        type: 'paragraph',
        children: this.inline(leaf.lines),
        position: { start: pt(first.from), end: pt(last.to) },
      };
      leaf.parent.children.push(node);
    } else {
      // Unclosed fences and comments: where they end is micromark's call.
      decline();
    }
  }

  // --- one line -------------------------------------------------------------

  private line(ls: number, le: number, eol: string): void {
    const text = this.text;
    // A line with a tab is read only as a fenced code block's content (below); where a tab
    // would be indentation (virtual spaces: containers, the fence's own indent, a blank line)
    // or anywhere else, micromark reads the document.
    const tab = this.tabIn(ls, le);
    if (tab !== -1 && (!this.leaf || this.leaf.type !== 'fence')) decline();
    let lineIndent = 0;
    while (ls + lineIndent < le && text.charCodeAt(ls + lineIndent) === 32) lineIndent++;
    const blank = ls + lineIndent === le;

    // Which open containers does this line continue?
    let matched = 0;
    let col = 0;
    for (let k = 0; k < this.stack.length; k++) {
      const f = this.stack[k]!;
      if (f.type === 'list') {
        matched++;
        continue;
      }
      if (blank) {
        if (f.node.children.length === 0 && !(this.leaf && this.leafIn(f))) break;
      } else if (lineIndent < f.contentCol) break;
      col = f.contentCol;
      matched++;
    }
    const all = matched === this.stack.length;

    // Fenced code and HTML blocks take their lines while every container goes on.
    const leaf = this.leaf;
    if (leaf && leaf.type !== 'paragraph') {
      if (!all) decline();
      if (leaf.type === 'fence') {
        const from = ls + Math.min(col, lineIndent);
        let i = from;
        let ind = 0;
        while (i < le && text.charCodeAt(i) === 32) i++, ind++;
        let run = 0;
        while (i + run < le && text.charCodeAt(i + run) === leaf.char) run++;
        let j = i + run;
        while (j < le && text.charCodeAt(j) === 32) j++;
        // A tab: content only when it follows the indentation micromark strips (the
        // containers' columns and the fence's indent, all spaces before it) and the line
        // cannot close the fence: `\`\`\`<tab>` does, and so may a fence run after a tab
        // (tab stops count from the line's start, so in a `- ` item `<tab>\`\`\`` is 2 columns
        // in and closes it): a line whose first other character is the fence's is micromark's,
        // whatever the columns. A whitespace-only line is blank to micromark (its container
        // rules), so it is declined too.
        if (tab !== -1) {
          const first = pastBlanks(text, from, le);
          if (first === le || text.charCodeAt(first) === leaf.char || (tab === from + ind && ind < leaf.indent)) decline();
        }
        if (ind <= 3 && run >= leaf.length && j === le) {
          leaf.node.value = joinLines(leaf.lines, leaf.eols);
          leaf.node.position!.end = pt(le);
          this.leaf = null;
          return;
        }
        const strip = Math.min(ind, leaf.indent);
        leaf.lines.push(text.slice(from + strip, le));
        leaf.eols.push(eol);
        return;
      }
      // An HTML comment block: until a line holding `-->`.
      const from = ls + Math.min(col, lineIndent);
      leaf.parts.push(leaf.eol, text.slice(from, le));
      leaf.eol = eol;
      if (text.slice(from, le).includes('-->')) {
        leaf.node.value = leaf.parts.join('');
        leaf.node.position!.end = pt(le);
        this.leaf = null;
      }
      return;
    }

    if (blank) {
      this.closeLeaf();
      this.closeFrames(matched);
      return;
    }

    let pos = ls + col;
    let depth = matched;
    // Like micromark, a line that starts while a paragraph is open (and every container
    // goes on) interrupts it for all its container starts: no empty item, no number but 1.
    const interruptLine = this.leaf !== null && all;
    for (;;) {
      let indent = 0;
      while (pos + indent < le && text.charCodeAt(pos + indent) === 32) indent++;
      const at = pos + indent;
      const para = this.leaf as OpenParagraph | null;
      const interrupting = para !== null && all && depth === this.stack.length;
      if (at === le) {
        // Only after a list marker: an empty item (handled by the caller's loop).
        return;
      }
      if (indent >= 4) {
        if (para && depth === matched) {
          para.lines.push({ from: pos, to: le });
          return;
        }
        decline(); // indented code
      }
      const c = text.charCodeAt(at);
      // Most lines start with a letter: no block start to look for.
      if (!isBlockStart(c)) return this.paragraphLine(para, depth === matched, depth, pos, at, le);
      const rest = text.slice(at, le);

      // ATX heading.
      if (c === 35) {
        // `/^(#{1,6})(?: +|$)/.exec(rest)` by character codes: `hashes` for the group, `open` for the match.
        let hashes = 1;
        while (hashes < 7 && at + hashes < le && text.charCodeAt(at + hashes) === 35) hashes++;
        if (hashes <= 6 && (at + hashes === le || text.charCodeAt(at + hashes) === 32)) {
          let open = hashes;
          while (at + open < le && text.charCodeAt(at + open) === 32) open++;
          this.startBlock(depth);
          let content = rest.slice(open);
          const close = closingSequence(content);
          if (close !== -1) content = content.slice(0, close);
          content = content.slice(0, spacesEnd(content));
          const contentStart = at + open;
          const node: Heading = {
            type: 'heading',
            depth: hashes as Heading['depth'],
            children: this.inline([{ from: contentStart, to: contentStart + content.length }]),
            position: { start: pt(at), end: pt(le) },
          };
          this.container(this.stack.length).children.push(node);
          return;
        }
      }
      // Fenced code.
      if (c === 96 || c === 126) {
        // `(?!~)`: only the whole `~` run is tried (a shorter one matches nothing more), so a line
        // separator after a long run fails in linear time instead of backtracking over the run.
        const m = c === 96 ? /^(`{3,})([^`]*)$/.exec(rest) : /^(~{3,})(?!~)(.*)$/.exec(rest);
        if (m) {
          if (indent > 3) decline();
          this.startBlock(depth);
          const info = m[2]!.trim();
          const node: Code = { type: 'code', lang: null, meta: null, value: '', position: { start: pt(at), end: pt(le) } };
          if (info) {
            const sp = info.search(/ /);
            node.lang = sp === -1 ? info : info.slice(0, sp);
            node.meta = sp === -1 ? null : info.slice(sp).trim() || null;
            if (/[\\&]/.test(info)) decline();
          }
          this.container(this.stack.length).children.push(node);
          this.leaf = { type: 'fence', node, char: c, length: m[1]!.length, indent, lines: [], eols: [] };
          return;
        }
      }
      // HTML: only comment blocks.
      if (c === 60) {
        if (!/^<!--(?!-?>)/.test(rest)) decline();
        this.startBlock(depth);
        const from = pos;
        const node: Html = { type: 'html', value: '', position: { start: pt(from), end: pt(le) } };
        this.container(this.stack.length).children.push(node);
        const first = text.slice(from, le);
        if (first.indexOf('-->', at - from + 4) !== -1) {
          node.value = first;
        } else {
          this.leaf = { type: 'html', node, parts: [first], eol };
        }
        return;
      }
      if (c === 62) decline(); // block quote
      // Setext underline (takes precedence over a break and a list item).
      if ((c === 61 || c === 45) && para && interrupting && /^(?:=+|-+) *$/.test(rest)) {
        this.leaf = null;
        const first = para.lines[0]!;
        const lines = para.lines.slice();
        const last = lines[lines.length - 1]!;
        // The heading's content: the paragraph without trailing white space.
        let to = last.to;
        while (to > last.from && text.charCodeAt(to - 1) === 32) to--;
        lines[lines.length - 1] = { ...last, to };
        const node: Heading = {
          type: 'heading',
          depth: c === 61 ? 1 : 2,
          children: this.inline(lines),
          position: { start: pt(first.from), end: pt(le) },
        };
        para.parent.children.push(node);
        return;
      }
      // Thematic break.
      if ((c === 42 || c === 45 || c === 95) && isBreak(rest, c)) {
        this.startBlock(depth);
        const node: ThematicBreak = { type: 'thematicBreak', position: { start: pt(at), end: pt(le) } };
        this.container(this.stack.length).children.push(node);
        return;
      }
      // List item.
      const item = listMarker(text, at, le);
      if (item) {
        const markerLen = item.bullet ? 1 : item.digits!.length + 1;
        const spaces = item.spaces;
        const emptyItem = at + markerLen + spaces === le;
        if (spaces > 0 || emptyItem) {
          if (interruptLine && (emptyItem || (item.digits !== undefined && item.digits !== '1'))) {
            // Cannot interrupt a paragraph: a continuation line.
          } else {
            this.startBlock(depth, true);
            const marker = item.bullet ?? item.delim!;
            let top = this.stack[this.stack.length - 1];
            if (!top || top.type !== 'list' || top.marker !== marker) {
              if (top && top.type === 'list') this.closeFrames(this.stack.length - 1);
              const list: List = {
                type: 'list',
                ordered: item.bullet === undefined,
                start: item.bullet === undefined ? Number(item.digits) : null,
                spread: false,
                children: [],
                position: { start: pt(at), end: pt(le) },
              };
              this.container(this.stack.length).children.push(list);
              top = { type: 'list', node: list, marker };
              this.stack.push(top);
            }
            const atCol = at - ls;
            let contentCol: number;
            if (emptyItem) contentCol = atCol + markerLen + 1;
            else if (spaces >= 5) decline(); // indented code in the item
            else contentCol = atCol + markerLen + spaces;
            const node: ListItem = { type: 'listItem', spread: false, checked: null, children: [], position: { start: pt(at), end: pt(le) } };
            top.node.children.push(node);
            this.stack.push({ type: 'item', node, contentCol: contentCol!, firstLineEnd: le });
            depth = this.stack.length;
            if (emptyItem) return;
            pos = ls + contentCol!;
            continue;
          }
        }
      }
      return this.paragraphLine(para, depth === matched, depth, pos, at, le);
    }
  }

  /**
   * A paragraph line: a continuation of the open paragraph (lazy when the containers did not
   * all go on) when no container opened on this line, else the first line of a new one.
   */
  private paragraphLine(para: OpenParagraph | null, continues: boolean, depth: number, pos: number, at: number, le: number): void {
    if (para && continues) {
      para.lines.push({ from: pos, to: le });
      return;
    }
    this.startBlock(depth);
    this.leaf = { type: 'paragraph', lines: [{ from: at, to: le }], parent: this.container(this.stack.length) };
  }

  /** Before a new block at `depth`: close the open leaf and the containers the line did not continue. */
  private startBlock(depth: number, listItem = false): void {
    this.closeLeaf();
    this.closeFrames(depth);
    // A list holds only items: anything else closes it.
    if (!listItem) {
      const top = this.stack[this.stack.length - 1];
      if (top && top.type === 'list') this.closeFrames(this.stack.length - 1);
    }
  }

  private leafIn(f: ItemFrame): boolean {
    const leaf = this.leaf;
    if (!leaf) return false;
    if (leaf.type === 'paragraph') return leaf.parent === (f.node as unknown as Parent);
    return f.node.children.includes(leaf.node);
  }

  // --- inline ---------------------------------------------------------------

  /** Phrasing content of paragraph lines (the first from its content, the others whole). */
  private inline(lines: { from: number; to: number }[]): PhrasingContent[] {
    const text = this.text;
    let src = '';
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (i > 0) {
        const prev = lines[i - 1]!;
        src += text.slice(prev.to, text.indexOf('\n', prev.to) + 1);
      }
      let to = l.to;
      if (i === lines.length - 1) while (to > l.from && text.charCodeAt(to - 1) === 32) to--;
      src += text.slice(l.from, to);
    }
    return inlineContent(src);
  }

  // --- points ---------------------------------------------------------------

  /** The line of the last point asked for (a node's end is mostly on its start's line or the next). */
  private lastLine = 0;
  private point(offset: number): { line: number; column: number; offset: number } {
    const lo = (this.lastLine = lineIndex(this.starts, offset, this.lastLine));
    return { line: lo + 1, column: offset - this.starts[lo]! + 1, offset };
  }

  private fixPoints(root: Root): void {
    // Iterative: lists may nest deeper than the call stack goes.
    type Node = { type: string; position?: { start: { offset?: number }; end: { offset?: number } }; children?: Node[] };
    const todo: Node[] = [root as unknown as Node];
    while (todo.length) {
      const node = todo.pop()!;
      if (node.position) node.position = { start: this.point(node.position.start.offset!), end: this.point(node.position.end.offset!) };
      // A loop, not push(...children): a spread of a list's 300,000 items overflows the stack.
      if (node.children && node.type !== 'paragraph' && node.type !== 'heading') for (const child of node.children) todo.push(child);
    }
  }
}

function joinLines(lines: string[], eols: string[]): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) out += eols[i - 1];
    out += lines[i];
  }
  return out;
}

/** A list item's marker: `bullet` (`-`, `*`, `+`), or `digits` and `delim` (`.`, `)`), and the spaces after it. */
interface ListMarker {
  bullet: string | undefined;
  digits: string | undefined;
  delim: string | undefined;
  /** How many spaces follow the marker. */
  spaces: number;
}

/**
 * `/^(?:([-*+])|(\d{1,9})([.)]))( *)/.exec(text.slice(at, le))` without the
 * slice and the regular expression: its groups as `bullet`, `digits`,
 * `delim`, and the length of the fourth as `spaces`.
 */
function listMarker(text: string, at: number, le: number): ListMarker | null {
  const c = text.charCodeAt(at);
  let end: number;
  let bullet: string | undefined;
  let digits: string | undefined;
  let delim: string | undefined;
  if (c === 45 || c === 42 || c === 43) {
    bullet = text[at]!;
    end = at + 1;
  } else {
    let d = at;
    while (d < le && d - at < 9 && text.charCodeAt(d) >= 48 && text.charCodeAt(d) <= 57) d++;
    const e = text.charCodeAt(d);
    if (d === at || d >= le || (e !== 46 && e !== 41)) return null;
    digits = text.slice(at, d);
    delim = text[d]!;
    end = d + 1;
  }
  let sp = end;
  while (sp < le && text.charCodeAt(sp) === 32) sp++;
  return { bullet, digits, delim, spaces: sp - end };
}

/** Where `/ +$/` would match in `s`: the end of `s` without its trailing spaces (linear, no regex backtracking). */
function spacesEnd(s: string): number {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e;
}

/**
 * Where `/(?:^| +)#+ *$/` would match in an ATX heading's content (its
 * closing sequence with the spaces before it), or -1; in linear time.
 */
function closingSequence(s: string): number {
  const e = spacesEnd(s);
  let h = e;
  while (h > 0 && s.charCodeAt(h - 1) === 35) h--;
  if (h === e) return -1;
  if (h === 0) return 0;
  if (s.charCodeAt(h - 1) !== 32) return -1;
  return spacesEnd(s.slice(0, h));
}

/** `#`, `` ` ``, `~`, `<`, `>`, `=`, `-`, `*`, `_`, `+` or a digit. */
function isBlockStart(c: number): boolean {
  return c === 35 || c === 96 || c === 126 || c === 60 || c === 62 || c === 61 || c === 45 || c === 42 || c === 95 || c === 43 || (c >= 48 && c <= 57);
}

function isBreak(rest: string, c: number): boolean {
  let n = 0;
  for (let i = 0; i < rest.length; i++) {
    const d = rest.charCodeAt(i);
    if (d === c) n++;
    else if (d !== 32) return false;
  }
  return n >= 3;
}

// --- inline content -----------------------------------------------------------

interface Delim {
  ch: number;
  count: number;
  open: boolean;
  close: boolean;
  active: boolean;
}
type Piece = string | Delim | PhrasingContent;

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;
const SPECIAL = /[\n\r\\`*_<&[]/g;

/**
 * The phrasing content of a paragraph's or heading's content: the first line
 * from its first character, later lines from their container's content column,
 * no trailing white space at the end.
 */
export function inlineContent(src: string): PhrasingContent[] {
  return ownInline(src) ?? micromarkInline(src);
}

/** Links, autolinks, inline HTML and entities are micromark's: null when one may start. */
function ownInline(src: string): PhrasingContent[] | null {
  // `[x]`, `[ ]`, `[To be decided]` are text when no `](` follows (no definitions: the
  // scanner declines documents with any); an inline link or image is micromark's.
  const link = src.lastIndexOf('](');
  if (src.charCodeAt(0) === 91 && src.includes(']:')) decline(); // maybe a link definition
  // Most content is text alone: the pieces (and the delimiters) are kept only once something
  // else comes, the text before it in `lead` (what the flattening below would have made of it).
  let pieces: Piece[] | null = null;
  let lead = '';
  let delims: Delim[] | null = null;
  let buf = '';
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) === 10)) {
      const eolLen = c === 13 ? 2 : 1;
      let trail = 0;
      while (trail < buf.length && buf.charCodeAt(buf.length - 1 - trail) === 32) trail++;
      buf = buf.slice(0, buf.length - trail);
      if (trail >= 2) {
        if (buf) {
          if (pieces) pieces.push(buf);
          else lead += buf;
        }
        buf = '';
        (pieces ??= lead ? [lead] : []).push({ type: 'break' });
      } else {
        buf += src.slice(i, i + eolLen);
        if (buf) {
          if (pieces) pieces.push(buf);
          else lead += buf;
        } // `buf` holds one line at most: trimming it stays cheap
        buf = '';
      }
      i += eolLen;
      while (i < n && src.charCodeAt(i) === 32) i++;
      continue;
    }
    if (c === 92) {
      const d = src.charCodeAt(i + 1);
      if (d === 10 || (d === 13 && src.charCodeAt(i + 2) === 10)) {
        if (buf) {
          if (pieces) pieces.push(buf);
          else lead += buf;
        }
        buf = '';
        (pieces ??= lead ? [lead] : []).push({ type: 'break' });
        i += d === 13 ? 3 : 2;
        while (i < n && src.charCodeAt(i) === 32) i++;
        continue;
      }
      if (i + 1 < n && ASCII_PUNCT.test(src[i + 1]!)) {
        buf += src[i + 1];
        i += 2;
        continue;
      }
      buf += '\\';
      i++;
      continue;
    }
    if (c === 96) {
      let run = 1;
      while (i + run < n && src.charCodeAt(i + run) === 96) run++;
      let j = i + run;
      let found = -1;
      while (j < n) {
        const k = src.indexOf('`', j);
        if (k === -1) break;
        let r = 1;
        while (k + r < n && src.charCodeAt(k + r) === 96) r++;
        if (r === run) {
          found = k;
          break;
        }
        j = k + r;
      }
      if (found === -1) {
        buf += src.slice(i, i + run);
        i += run;
        continue;
      }
      if (buf) {
        if (pieces) pieces.push(buf);
        else lead += buf;
      }
      buf = '';
      (pieces ??= lead ? [lead] : []).push({ type: 'inlineCode', value: codeValue(src.slice(i + run, found)) });
      i = found + run;
      continue;
    }
    if (c === 42 || c === 95) {
      let run = 1;
      while (i + run < n && src.charCodeAt(i + run) === c) run++;
      const before = classify(i > 0 ? src.charCodeAt(i - 1) : null);
      const after = classify(i + run < n ? src.charCodeAt(i + run) : null);
      const open = !after || (after === 2 && Boolean(before));
      const close = !before || (before === 2 && Boolean(after));
      const d: Delim = {
        ch: c,
        count: run,
        open: c === 42 ? open : open && (Boolean(before) || !close),
        close: c === 42 ? close : close && (Boolean(after) || !open),
        active: true,
      };
      if (buf) {
        if (pieces) pieces.push(buf);
        else lead += buf;
      }
      buf = '';
      (pieces ??= lead ? [lead] : []).push(d);
      (delims ??= []).push(d);
      i += run;
      continue;
    }
    if (c === 60) {
      // `<` before a letter, `/`, `!`, `?` or an e-mail local part may open HTML or an autolink.
      const d = src.charCodeAt(i + 1);
      if (!(d === 32 || d === 10 || d === 13 || d === 60 || d === 61 || Number.isNaN(d) || (d >= 48 && d <= 57 && !/^<[\w.+-]+@/.test(src.slice(i, i + 80))))) {
        // A bare tag (`<name>`, `<name/>`, `</name>`) is inline HTML: anything longer is micromark's.
        const end = bareTagEnd(src, i);
        if (end === -1) return null;
        if (buf) {
          if (pieces) pieces.push(buf);
          else lead += buf;
        }
        buf = '';
        (pieces ??= lead ? [lead] : []).push({ type: 'html', value: src.slice(i, end) });
        i = end;
        continue;
      }
    } else if (c === 38) {
      // `&` before `#` or an alphanumeric may be a character reference.
      const d = src.charCodeAt(i + 1);
      if (d === 35 || (d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122)) return null;
    } else if (c === 91 && i < link) {
      return null;
    }
    // Plain text up to the next character that may mean something.
    SPECIAL.lastIndex = i + 1;
    const stop = SPECIAL.test(src) ? SPECIAL.lastIndex - 1 : n; // one character: no match array
    buf += src.slice(i, stop);
    i = stop;
  }
  if (buf) {
    if (pieces) pieces.push(buf);
    else lead += buf;
  }
  buf = '';
  if (pieces === null) return lead ? [{ type: 'text', value: lead }] : [];
  if (delims !== null && delims.length > 1) resolveEmphasis(delims);

  // Flatten: emphasis only drops its markers from the text.
  const out: PhrasingContent[] = [];
  let text = '';
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    if (typeof p === 'string') text += p;
    else if ('ch' in p) text += String.fromCharCode(p.ch).repeat(p.count);
    else {
      if (text) out.push({ type: 'text', value: text });
      text = '';
      out.push(p);
    }
  }
  if (text) out.push({ type: 'text', value: text });
  return out;
}

/**
 * The end of a tag without attributes or white space at `at` (`<name>`,
 * `<name/>`, `</name>`; CommonMark's open and closing tags, a name being an
 * ASCII letter then letters, digits and `-`), or -1. Such a tag is never an
 * autolink (those need `:` or `@`).
 */
function bareTagEnd(src: string, at: number): number {
  let i = at + 1;
  const closing = src.charCodeAt(i) === 47;
  if (closing) i++;
  if (!isAlpha(src.charCodeAt(i))) return -1;
  i++;
  for (let c = src.charCodeAt(i); isAlpha(c) || (c >= 48 && c <= 57) || c === 45; c = src.charCodeAt(++i));
  if (!closing && src.charCodeAt(i) === 47) i++;
  return src.charCodeAt(i) === 62 ? i + 1 : -1;
}

function classify(code: number | null): 1 | 2 | undefined {
  if (code === 10 || code === 13) return 1;
  return classifyCharacter(code);
}

/** micromark's attention resolution: which markers each run gives to emphasis. */
function resolveEmphasis(delims: Delim[]): void {
  if (delims.length > 400) decline(); // quadratic in the worst case: leave it to micromark
  for (let index = 0; index < delims.length; index++) {
    const closer = delims[index]!;
    while (closer.close && closer.count > 0) {
      let found = false;
      for (let open = index - 1; open >= 0; open--) {
        const opener = delims[open]!;
        if (!opener.active || !opener.open || opener.count === 0 || opener.ch !== closer.ch) continue;
        if ((opener.close || closer.open) && closer.count % 3 && !((opener.count + closer.count) % 3)) continue;
        const use = opener.count > 1 && closer.count > 1 ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        for (let k = open + 1; k < index; k++) delims[k]!.active = false;
        found = true;
        break;
      }
      if (!found) break;
    }
  }
}

/** An ASCII letter. */
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** A space or line ending: a code span's padding. */
const isPad = (s: string, at: number) => s.charCodeAt(at) === 32 || s.charCodeAt(at) === 10 || s.charCodeAt(at) === 13;

/** A code span's value: one space (or line ending) of padding off each side. */
function codeValue(raw: string): string {
  if (raw.length >= 2 && isPad(raw, 0) && isPad(raw, raw.length - 1) && /[^ \r\n]/.test(raw)) {
    const head = raw.startsWith('\r\n') ? 2 : 1;
    const tail = raw.endsWith('\r\n') ? 2 : 1;
    return raw.slice(head, raw.length - tail);
  }
  return raw;
}

/** Inline content micromark must read (links, images, HTML, entities): parsed alone, as one paragraph. */
function micromarkInline(src: string): PhrasingContent[] {
  // micromark drops a leading U+FEFF as a BOM: not one here.
  if (src.charCodeAt(0) === 0xfeff) decline();
  const tree = fromMarkdown(src);
  if (tree.children.length !== 1 || tree.children[0]!.type !== 'paragraph') decline();
  return (tree.children[0] as Paragraph).children;
}
