/** Helpers shared by the rules: spans, wording, suggestions (statuses are in `src/status/`). */
import type { Span, Story, Task } from '../story/model.js';

export const DOCS_BASE = 'https://github.com/plan-tasks/plan-tasks/blob/main/docs/rules/';

export function ruleUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

/**
 * A value as an inline code span for a message. A value that already is one
 * code span (`` `003` `` as written) is echoed as it is, not quoted again; other
 * backticks become `'`.
 */
export function code(value: string): string {
  // A value that holds backticks keeps them (`` `done` ``): the message shows what was written.
  if (value.includes('`')) {
    let longest = 0; // not Math.max(...runs): a value may hold 500,000 runs
    for (const r of value.match(/`+/g) ?? []) if (r.length > longest) longest = r.length;
    const fence = '`'.repeat(longest + 1);
    return `${fence} ${value} ${fence}`;
  }
  return '`' + value + '`';
}

/** `value` cut to `max` characters with an ellipsis, for quoting user text in a one-line message. */
export function clip(value: string, max = 40): string {
  const v = value.trim();
  return v.length <= max ? v : `${v.slice(0, max - 1).trimEnd()}…`;
}

export function list(values: readonly string[]): string {
  return values.map(code).join(', ');
}

/** The values for a one-line message: all of them up to `max`, else the first `max` and how many more (the note then lists them all). */
export function shortList(values: readonly string[], max = 5): string {
  return values.length <= max ? list(values) : `${list(values.slice(0, max))} and ${values.length - max} more`;
}

/**
 * The ids of a story as runs (`001-003, 005`): a range only where no id is
 * missing from it, so a message never suggests an id that does not exist. At
 * most five runs, then how many more ids.
 */
export function idRuns(ids: readonly string[]): string {
  if (ids.length === 0) return 'none';
  const runs: string[][] = [];
  const num = (id: string) => (/^\d+$/.test(id) ? Number(id) : null);
  for (const id of ids) {
    const last = runs[runs.length - 1];
    const prev = last?.[last.length - 1];
    if (last && prev !== undefined && num(prev) !== null && num(id) === num(prev)! + 1) last.push(id);
    else runs.push([id]);
  }
  const text = (run: string[]) => (run.length > 2 ? `${run[0]}-${run[run.length - 1]}` : run.join(', '));
  const shown = runs.slice(0, 5);
  const rest = runs.slice(5).reduce((n, r) => n + r.length, 0);
  return shown.map(text).join(', ') + (rest ? ` and ${rest} more` : '');
}

export function taskLabel(task: Task): string {
  return task.id ? `task ${task.id}` : `task ${code(clip(task.heading.raw, 30))}`;
}

/** Where to report a story-level problem: the title, or the first line. */
export function storySpan(story: Story): Span {
  if (story.titleSpan) return story.titleSpan;
  // The first line, up to its line ending (LF, CRLF or a bare CR).
  const end = story.text.search(/[\r\n]/);
  const e = end === -1 ? story.text.length : end;
  return {
    start: { line: 1, column: 1, offset: 0 },
    end: { line: 1, column: e + 1, offset: e },
  };
}

/** Levenshtein distance, for "did you mean" suggestions (short strings only). */
export function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function closest(value: string, options: readonly string[]): string | null {
  const v = value.toLowerCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of options) {
    const d = distance(v, o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(best.length / 3)) ? best : null;
}

/** Count sentences of prose: ends at `.`, `!` or `?` followed by a capital, a digit or the end. */
export function countSentences(text: string): number {
  // Each replacement runs only on a text it can change (a code span holds a backtick, a URL `://`,
  // an abbreviation a `.` before a space): the same string, fewer scans.
  let prose = text;
  if (prose.includes('`')) prose = prose.replace(/`[^`]*`/g, 'code');
  if (prose.includes('://')) prose = prose.replace(/\bhttps?:\/\/\S+/g, 'url');
  if (DOT_SPACE.test(prose)) prose = prose.replace(/\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|Mr|Mrs|Dr|St|No)\.(?=\s)/gi, 'abbr');
  // Spaces are not collapsed nor trimmed: a sentence end matches before `\s+` as before a single
  // space and before `\s*$` as at the end, and only parts holding two letters in a row count, which
  // a run of spaces neither makes nor breaks.
  // Without a `.`, `!` or `?` the split finds no end: the whole text is one part.
  if (!SENTENCE_MARK.test(prose)) return /[A-Za-z]{2}/.test(prose) ? 1 : 0;
  // `prose.split(SENTENCE_END)` and the parts holding two letters in a row counted, without
  // the parts: the ends are found left to right as split finds them (no match is empty), and
  // the first letter pair at or after a part's start, found once, serves every part before it.
  let count = 0;
  let from = 0; // where the current part starts
  let pair = -1; // the first letter pair at or after `from`, once looked for (Infinity: none)
  SENTENCE_END.lastIndex = 0;
  for (;;) {
    const end = SENTENCE_END.exec(prose);
    const to = end ? end.index : prose.length;
    if (pair < from) {
      LETTER_PAIR.lastIndex = from;
      pair = LETTER_PAIR.test(prose) ? LETTER_PAIR.lastIndex - 2 : Infinity;
    }
    // An end starts with `.`, `!` or `?`: no pair runs across it.
    if (pair + 2 <= to) count++;
    if (!end) return count;
    from = SENTENCE_END.lastIndex;
  }
}

/** Where a sentence ends (what countSentences splits prose at). */
const SENTENCE_END = /(?<![.!?])[.!?]+["')\]]*(?=\s+["'(\[]?[A-Z0-9`*_]|\s*$)/g;
const LETTER_PAIR = /[A-Za-z]{2}/g;

const DOT_SPACE = /\.\s/;
const SENTENCE_MARK = /[.!?]/;

/** Placeholder text where a description should be (`[Description]`, `TODO`, `TBD`). */
export const PLACEHOLDER = /^\s*(?:\[[^\]]*\]|<[^>]*>|\.{3}|…)\s*$|\b(?:TODO|TBD|FIXME|XXX)\b|\blorem ipsum\b/;

/**
 * The first PLACEHOLDER match in `text`, or null. PLACEHOLDER's unanchored
 * alternatives are tried at every position; they only run on a text holding
 * one of their words (its anchored one needs `[`, `<`, `.` or `…` first).
 */
export function placeholderIn(text: string): RegExpExecArray | null {
  const may = PLACEHOLDER_START.test(text) || text.includes('TODO') || text.includes('TBD') ||
    text.includes('FIXME') || text.includes('XXX') || text.includes('lorem ipsum');
  return may ? PLACEHOLDER.exec(text) : null;
}

const PLACEHOLDER_START = /^\s*[[<.…]/;

/** True when a task's only prose is placeholder text (task-description reports it). */
export function placeholderOnly(task: Task): boolean {
  return task.description.length > 0 && task.description.every((b) => placeholderIn(b.text) !== null);
}

/**
 * A story number as one key: leading zeros beyond three digits dropped, so
 * `0123` and `123` name one story and `007` stays `007`; a letter suffix
 * is kept. Story numbers have three or more digits.
 */
export function storyKey(id: string): string {
  const m = /^0*(\d+?)([a-z]?)$/i.exec(id);
  return m ? m[1]!.padStart(3, '0') + m[2]!.toLowerCase() : id;
}
