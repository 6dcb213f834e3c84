/**
 * The `## Tasks` section in the enforced format, and the minimal edit that
 * puts it in the story: the story status value replaced, the section appended
 * (every other byte kept, line endings and BOM included), and with `--force`
 * each old Tasks section kept verbatim in a fenced block under
 * `## Previous Tasks`.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Story } from '../story/model.js';
import type { PlannedTask } from './plan.js';
import { taskRoles } from '../status/index.js';

/** Escape what Markdown would read as markup outside code spans. */
export function escapeInline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\\*<[\]])/g, '\\$1').replace(/(^|\W)_/g, '$1\\_').replace(/_(?=\W|$)/g, '\\_')))
    .join('');
}

/** A list item's text that Markdown will not read as another block (`1. x`, `# x`, `> x`). */
function itemText(text: string): string {
  const t = escapeInline(text.replace(/\s+/g, ' ').trim());
  return t.replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2').replace(/^([-+#>=|~])/, '\\$1');
}

/** A heading title with no closing `#` sequence and no line break. */
function headingText(text: string): string {
  const t = escapeInline(text.replace(/\s+/g, ' ').trim());
  // Drop a closing `#` run and the space before it (a loop: `\s*#+$` is quadratic on long runs).
  let end = t.length;
  while (end > 0 && t[end - 1] === '#') end--;
  if (end === t.length) return t;
  while (end > 0 && /\s/.test(t[end - 1]!)) end--;
  return t.slice(0, end);
}

/** markdownlint's default line length (MD013): the section's prose and list items wrap under it. */
export const LINE_WIDTH = 80;

/**
 * `text` (one line) as lines of at most `width` characters, the first prefixed
 * with `first` and the rest with `rest`: broken at spaces outside code spans,
 * and never so that a line starts with what Markdown would read as a new block
 * (a list marker, `#`, `>`, a setext underline, a table pipe); a word longer than
 * the width stays whole on its own line (markdownlint allows a line with no space past the limit).
 */
export function wrapLine(text: string, first: string, rest: string, width = LINE_WIDTH): string[] {
  // Words: runs without spaces, a code span with its spaces kept as one word.
  const words = text.match(/(?:`[^`]*`|[^\s`]+|`)+/g) ?? [];
  const blockStart = (w: string) => /^(?:[-+*>#=|]|\d+[.)](?:\s|$))/.test(w);
  const lines: string[] = [];
  let prefix = first;
  let current: string[] = [];
  const length = () => prefix.length + current.reduce((n, w, i) => n + (i ? 1 : 0) + w.length, 0);
  for (const w of words) {
    if (current.length && length() + 1 + w.length > width) {
      // A word that would open a line as a block (`1.`, `>`, `-`) takes words before it down
      // with it, so that the new line opens with one that cannot; none such: the line runs long.
      let cut = current.length;
      if (blockStart(w)) {
        cut--;
        while (cut > 0 && blockStart(current[cut]!)) cut--;
      }
      if (cut > 0) {
        lines.push(prefix + current.slice(0, cut).join(' '));
        current = current.slice(cut);
        prefix = rest;
      }
    }
    current.push(w);
  }
  lines.push(prefix + current.join(' '));
  return lines;
}

export function renderTasks(tasks: readonly PlannedTask[], config: ResolvedConfig, eol: string): string {
  const status = taskRoles(config).first;
  const lines: string[] = ['## Tasks', ''];
  for (const t of tasks) {
    // A blank line under the heading (markdownlint's MD022); the fields are still the first thing under it.
    lines.push(`### ${t.id}: ${headingText(t.title)}`);
    lines.push('');
    lines.push(`**Domain:** ${t.domain}`);
    lines.push(`**Status:** ${status}`);
    lines.push(`**Depends on:** ${t.dependsOn.length ? t.dependsOn.join(', ') : 'none'}`);
    lines.push('');
    lines.push(...wrapLine(t.prose, '', ''));
    lines.push('');
    t.criteria.forEach((c, i) => {
      lines.push(...wrapLine(itemText(c.text), '- ', '  '));
      // Nested sub-bullets keep their depth under the criterion.
      for (const sub of t.nested?.[i] ?? []) {
        const m = /^(\s*)- (.*)$/.exec(sub)!;
        lines.push(...wrapLine(itemText(m[2]!), `${m[1]}- `, `${m[1]}  `));
      }
    });
    lines.push('');
    lines.push('---');
    lines.push('');
  }
  lines.pop();
  return lines.join(eol) + eol;
}

/** The longest run of backticks in a text. */
function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

export interface EditOptions {
  /** The story status to set (the configured in-progress status). */
  status: string;
  /** Keep existing Tasks sections under `## Previous Tasks` (else there must be none). */
  force: boolean;
}

/** The new file text: the story with its status set and the section appended. */
export function applyScaffold(story: Story, section: string, options: EditOptions): string {
  const text = story.text;
  const eol = story.eol;
  const edits: { start: number; end: number; text: string }[] = [];
  if (story.status) {
    edits.push({ start: story.status.span.start.offset, end: story.status.span.end.offset, text: options.status });
    // A plain `Status: Ready` line gets its bold label, as `lint --fix` would do.
    const label = story.status.source === 'plain' ? story.status.labelSpan : undefined;
    if (label) edits.push({ start: label.start.offset, end: label.end.offset, text: '**Status:**' });
  }
  if (options.force) {
    for (const sec of story.tasksSections) {
      const old = text.slice(sec.heading.start.offset, sec.span.end.offset);
      const fence = '`'.repeat(Math.max(3, longestRun(old, '`') + 1));
      edits.push({
        start: sec.heading.start.offset,
        end: sec.span.end.offset,
        text: ['## Previous Tasks', '', 'Kept by `plan-tasks scaffold --force`; the new breakdown is under `## Tasks`.', '', `${fence}markdown`, old, fence].join(eol),
      });
    }
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (out.length && !/[\r\n]$/.test(out)) out += eol;
  if (out.length && !/(?:^|\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)$/.test(out)) out += eol;
  out += section;
  return (story.bom ? '\ufeff' : '') + out;
}
