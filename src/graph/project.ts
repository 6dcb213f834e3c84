/**
 * The task graph of a repository's stories for the `graph` and `next`
 * commands: read every story of the configured glob once, parse it into the
 * Story model, build one graph. Also how those commands report cycles (as the
 * linter's `dependency-cycle` messages) and resolve a story argument.
 */
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { makeResult } from '../lint/engine.js';
import { duplicateFinding } from '../../rules/story-id-unique.js';
import { fileStoryId, storyKey } from '../lint/project.js';
import { noStoryFiles } from '../lint/files.js';
import { workingTreeSnapshot } from '../lint/snapshot.js';
import type { LintResult } from '../lint/types.js';
import { parseStory } from '../story/parse.js';
import type { Story } from '../story/model.js';
import { buildTaskGraph, type TaskGraph } from './task-graph.js';
import { resolveProject, type Resolution, type UnreadableStory } from './unresolved.js';

export interface LoadedProject {
  tg: TaskGraph;
  /** The raw text each story was parsed from, by path (for `--write`). */
  raw: Map<string, string>;
  /**
   * `story-id-unique` errors, one result per file, when two files carry one
   * story number: the graph would hold only one of them, so `graph` and `next`
   * refuse (exit 1) instead.
   */
  duplicates: LintResult[];
  /** What cannot be resolved, and the tasks it keeps from being ready (`./unresolved.ts`). */
  resolution: Resolution;
}

/**
 * The working tree's stories (the lint pipeline's snapshot) as one task graph.
 * A file that cannot be read is not skipped: it is an unresolved problem, and
 * refs into it block the tasks that hold them. No story file at all is a usage
 * error (exit 2), with `lint`'s message.
 */
export function loadProjectGraph(config: ResolvedConfig, cwd: string): LoadedProject {
  const stories: Story[] = [];
  const unreadable: UnreadableStory[] = [];
  const raw = new Map<string, string>();
  const snapshot = workingTreeSnapshot(config);
  // A glob that matches nothing is a wrong glob, not an empty plan (as `lint` says).
  if (snapshot.files.length === 0) throw noStoryFiles(config, cwd);
  const byNumber = new Map<string, string[]>();
  for (const file of snapshot.files) {
    const id = fileStoryId(file);
    if (id !== null) byNumber.set(storyKey(id), [...(byNumber.get(storyKey(id)) ?? []), file]);
  }
  const duplicates: LintResult[] = [];
  for (const files of byNumber.values()) {
    if (files.length < 2) continue;
    for (const file of files) {
      const f = duplicateFinding(fileStoryId(file)!, file, files.filter((o) => o !== file));
      duplicates.push(makeResult(file, [{ ruleId: 'story-id-unique', severity: 2, message: f.message, line: 1, column: 1, endLine: 1, endColumn: 1 }]));
    }
  }
  duplicates.sort((a, b) => (a.filePath < b.filePath ? -1 : 1));
  for (const file of snapshot.files) {
    const read = snapshot.read(file);
    if ('fatal' in read) {
      const id = fileStoryId(file);
      unreadable.push({ path: file, id, message: read.fatal });
      continue;
    }
    raw.set(file, read.text);
    stories.push(parseStory(read.text, file));
  }
  const tg = buildTaskGraph(stories, config);
  return { tg, raw, duplicates, resolution: resolveProject(tg, stories, unreadable, config) };
}

/** `015`, `15` -> `015`; `all` -> null; anything else is a usage error. */
export function storyArg(value: string | undefined, command: string, allowAll: boolean): string | null {
  const what = allowAll ? 'a story number (015) or all' : 'a story number (015)';
  if (value === undefined) throw new UsageError(`Missing story, expected ${what}`, `Run \`plan-tasks ${command} --help\`.`);
  if (allowAll && value === 'all') return null;
  const m = /^(\d+)([a-z]?)$/.exec(value);
  if (!m) throw new UsageError(`Unexpected story "${value}", expected ${what}`, `Run \`plan-tasks ${command} --help\`.`);
  return m[1]!.padStart(3, '0') + m[2]!;
}

export function requireStory(tg: TaskGraph, id: string, config: ResolvedConfig): void {
  if (tg.stories.has(id)) return;
  const ids = [...tg.stories.keys()];
  const shown = ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, ...` : ids.join(', ');
  throw new UsageError(
    `Unknown story "${id}", expected one of the stories matching ${config.stories.map((s) => `"${s}"`).join(', ')}${ids.length ? ` (${shown})` : ' (none found)'}`,
  );
}

/**
 * Cycles as the linter reports them: a `dependency-cycle` error at the ref
 * that starts the cycle, with the same message text (`001 -> 003 -> 001` in
 * one story, full `050/001 -> 051/002 -> 050/001` keys across stories).
 */
export function cycleResults(tg: TaskGraph, cycles: readonly string[][]): LintResult[] {
  const byFile = new Map<string, LintResult>();
  for (const cycle of cycles) {
    const first = tg.nodes.get(cycle[0]!)!;
    const info = tg.stories.get(first.story)!;
    const story = info.story;
    const local = cycle.every((k) => k.startsWith(`${first.story}/`));
    const second = cycle[1]!;
    const task = story.tasks.find((t) => t.id === first.task)!;
    const ref = task.depends.find((r) => `${r.story ?? first.story}/${r.task}` === second);
    const span = ref ? ref.span : task.heading.span;
    const message = local
      ? `Unexpected dependency cycle ${cycle.map((k) => k.slice(first.story.length + 1)).join(' -> ')}, expected tasks that can be ordered`
      : `Unexpected dependency cycle ${cycle.join(' -> ')} across stories, expected tasks that can be ordered`;
    const path = info.path ?? first.story;
    const result = byFile.get(path) ?? makeResult(path, []);
    result.messages.push({
      ruleId: 'dependency-cycle',
      severity: 2,
      message,
      note: 'Remove one of these dependencies.',
      line: span.start.line,
      column: span.start.column,
      endLine: span.end.line,
      endColumn: span.end.column,
    });
    result.errorCount++;
    byFile.set(path, result);
  }
  for (const r of byFile.values()) r.messages.sort((a, b) => a.line - b.line || a.column - b.column);
  return [...byFile.values()].sort((a, b) => (a.filePath < b.filePath ? -1 : 1));
}

export const GRAPH_START = '<!-- plan-tasks:graph:start -->';
export const GRAPH_END = '<!-- plan-tasks:graph:end -->';

/**
 * The story text with `mermaid` as the graph block under `## Tasks`: the
 * block between the markers replaced if there is one (nothing else touched),
 * else inserted right under the heading. Null when the text already holds it.
 */
export function withGraphBlock(story: Story, mermaid: string): string | null {
  const section = story.tasksSections[0];
  if (!section) {
    throw new UsageError(
      `Missing \`## Tasks\` section in ${story.path ?? 'the story'}, expected one to put the graph under`,
      'Plan the tasks first, for example with `plan-tasks scaffold`.',
    );
  }
  const eol = story.eol;
  const body = mermaid.replace(/\n$/, '').split('\n').join(eol);
  const block = `${GRAPH_START}${eol}\`\`\`mermaid${eol}${body}${eol}\`\`\`${eol}${GRAPH_END}`;
  const text = story.text;
  const isMarker = (kind: string, value: string, start: number, end: number) => kind === 'html' && text.slice(start, end).trim() === value;
  const pre = story.tasksPreamble;
  const startAt = pre.findIndex((b) => isMarker(b.kind, GRAPH_START, b.span.start.offset, b.span.end.offset));
  let out: string;
  if (startAt !== -1) {
    const start = pre[startAt]!;
    const end = pre.slice(startAt + 1).find((b) => isMarker(b.kind, GRAPH_END, b.span.start.offset, b.span.end.offset));
    if (!end) {
      throw new UsageError(
        `Missing ${GRAPH_END} after ${GRAPH_START} at line ${start.span.start.line} of ${story.path ?? 'the story'}, expected both markers around the graph block`,
        'Add the end marker after the block, or remove the start marker, and run again.',
      );
    }
    out = text.slice(0, start.span.start.offset) + block + text.slice(end.span.end.offset);
  } else {
    const at = section.heading.end.offset;
    const rest = text.slice(at);
    // Keep a blank line between the block and what follows it.
    const blankAfter = rest.startsWith(`${eol}${eol}`) || rest.startsWith('\n\n') || /^\r?\n$/.test(rest);
    out = text.slice(0, at) + eol + eol + block + (blankAfter || rest === '' ? '' : eol) + (rest === '' ? eol : rest);
  }
  return out === text ? null : out;
}
