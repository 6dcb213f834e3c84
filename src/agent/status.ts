/**
 * `plan-tasks status` and the MCP `set_task_status` tool: flip one task's
 * status in place, the way a careful person would. Plans the edit and says
 * what blocks it; writes nothing (the caller writes `output` atomically).
 *
 * Refused (with the blockers named): an unknown or duplicated story or task, a
 * status the story does not state readably, a move the configured
 * `transitions` do not allow, and a move to an in-progress or done status
 * while a dependency is not done or cannot be resolved (fail closed, like
 * `next`). The story-status change that follows (every task done -> the last
 * story status; a task started in a story still being planned -> the
 * in-progress story status) is applied with `story: true`, else suggested.
 */
import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { decodeStory, readStory, storyFiles } from '../lint/files.js';
import { fileStoryId, Project, summarize } from '../lint/project.js';
import { allowedMoves, canonicalStoryStatus, canonicalTaskStatus, matchTaskStatus, storyPhase, storyRoles, taskPhase, taskRoles } from '../status/index.js';
import { parseStory } from '../story/parse.js';
import type { Span, Story } from '../story/model.js';

/** A request: task `story/task` (`015/003`) to `status`. */
export interface StatusRequest {
  story: string;
  task: string;
  /** A configured task status, matched loosely (`Done`, `in progress`). */
  status: string;
  /** Also apply the story-status change that follows. */
  setStory?: boolean;
}

/** The story-status change that follows the task's, if any. */
export interface StoryStatusChange {
  id: string;
  from: string;
  to: string;
  /** Whether `output` holds it (requested with `setStory`). */
  applied: boolean;
}

/** What `planStatusChange` decided. `output` is the new file text (BOM kept) when something changes. */
export interface StatusPlan {
  /** `015/003`. */
  task: string;
  file: string | null;
  /** The status as written before, or null when the task was not found. */
  from: string | null;
  to: string;
  /** True when the task's status value changes. */
  changed: boolean;
  /** Set when the request is refused: why, and each thing in the way. */
  refused: { reason: string; blockers: string[] } | null;
  story: StoryStatusChange | null;
  /** The bytes read (for the atomic write's check) and the new text, when the file changes. */
  original?: Buffer;
  output?: string;
}

const TASK_REF = /^(\d+[a-z]?)\/(\d{3}[a-z]?)$/;

/** `015/003` (or `15/003`) -> `{ story: '015', task: '003' }`; a usage error otherwise. */
export function parseTaskRef(value: string | undefined): { story: string; task: string } {
  const m = value === undefined ? null : TASK_REF.exec(value.trim());
  if (!m) {
    const shown = value === undefined ? 'nothing' : `"${value.replace(/[\u0000-\u001f]/g, '?').slice(0, 60)}"`;
    throw new UsageError(`Unexpected task ${shown}, expected a task ref such as 015/003 (story/task)`, 'Run `plan-tasks status --help`.');
  }
  const story = /^\d+/.exec(m[1]!)![0].padStart(3, '0') + m[1]!.replace(/^\d+/, '');
  return { story, task: m[2]! };
}

/**
 * The part of a value that is the status: without trailing hard breaks (`\\`,
 * `<br>`) and HTML comments, and the white space before them. Walked back from
 * the end: a regular expression anchored at `$` would rescan the value from
 * every position (quadratic on a long run of spaces).
 */
function coreSpan(text: string, span: Span): [number, number] {
  const value = text.slice(span.start.offset, span.end.offset);
  const trim = (end: number): number => {
    while (end > 0 && /\s/.test(value[end - 1]!)) end--;
    return end;
  };
  let end = value.length;
  for (;;) {
    const t = trim(end);
    let start = -1;
    if (value[t - 1] === '\\') start = t - 1;
    else if (value[t - 1] === '>') {
      const lt = value.lastIndexOf('<', t - 1);
      if (lt >= 0 && /^<br\s*\/?>$/i.test(value.slice(lt, t))) start = lt;
    }
    // A comment from the first `<!--` of the value, as the lazy `<!--[^]*?-->` anchored at the end reads it.
    if (start < 0 && value.endsWith('-->', t)) {
      const open = value.indexOf('<!--');
      if (open >= 0 && open + 4 <= t - 3) start = open;
    }
    if (start < 0) break;
    end = trim(start);
  }
  return [span.start.offset, span.start.offset + end];
}

/**
 * Plan the change: read the story, check the move, the dependencies and the
 * story status, and return the new text. Throws a UsageError only for an
 * unknown target status (a usage problem); every other "no" is `refused`.
 */
export function planStatusChange(config: ResolvedConfig, request: StatusRequest): StatusPlan {
  const to = matchTaskStatus(config, request.status);
  if (to === null) {
    throw new UsageError(`Unknown status "${request.status}", expected one of ${config.taskStatuses.join(', ')}`);
  }
  const key = `${request.story}/${request.task}`;
  const plan: StatusPlan = { task: key, file: null, from: null, to, changed: false, refused: null, story: null };
  const refuse = (reason: string, blockers: string[] = []): StatusPlan => {
    plan.refused = { reason, blockers };
    delete plan.output;
    return plan;
  };

  const files = storyFiles(config);
  const project = new Project(files, (p) => {
    const read = readStory(p);
    return 'fatal' in read ? null : summarize(parseStory(read.text, p), p);
  });
  const candidates = project.byId.get(request.story) ?? [];
  if (candidates.length === 0) {
    return refuse(`Unknown story ${request.story}, expected a story file ${request.story}-*.md matching ${config.stories.map((s) => `"${s}"`).join(', ')}`);
  }
  if (candidates.length > 1) return refuse(`Unexpected ${candidates.length} stories numbered ${request.story}, expected one`, candidates);
  const file = candidates[0]!;
  plan.file = file;
  let original: Buffer;
  try {
    original = readFileSync(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const decoded = decodeStory(original);
  if ('fatal' in decoded) return refuse(`Cannot read story ${request.story} (${file}): ${decoded.fatal.message}`);
  const story = parseStory(decoded.text, file);
  project.add(summarize(story, file));

  const tasks = story.tasks.filter((t) => t.id === request.task);
  if (tasks.length === 0) {
    const ids = story.tasks.map((t) => t.id).filter(Boolean);
    return refuse(`Unknown task ${key}, expected one of story ${request.story}'s tasks (${ids.length ? ids.join(', ') : 'it has none'})`);
  }
  if (tasks.length > 1) return refuse(`Unexpected ${tasks.length} tasks numbered ${key}, expected one (task-id-unique): renumber one first`);
  const task = tasks[0]!;
  if (!task.status) return refuse(`Missing **Status:** line in task ${key}, expected one to change (task-fields): add it first`);
  const [coreStart, coreEnd] = coreSpan(story.text, task.status.valueSpan);
  plan.from = story.text.slice(coreStart, coreEnd).trim();
  const from = canonicalTaskStatus(config, plan.from);
  if (from === null) {
    return refuse(`Unexpected status "${plan.from}" of task ${key}, expected one of ${config.taskStatuses.join(', ')} (task-status): fix it first, for example with \`plan-tasks lint --fix\``);
  }

  let text = story.text;
  // Already there (as written, or in another case: `Done`): nothing to change.
  if (from !== to) {
    const allowed = allowedMoves(config, from);
    if (!allowed.includes(to)) {
      return refuse(
        allowed.length
          ? `Unexpected status change of task ${key} from ${from} to ${to}, expected ${from} to stay or move to ${allowed.join(', ')} (status-transition)`
          : `Unexpected status change of task ${key} from ${from} to ${to}, expected ${from} to stay: the configured transitions allow no move out of ${from} (status-transition)`,
      );
    }
    const phase = taskPhase(config, to);
    const { ahead: broken, unreadable } = dependentBlockers(config, story, task.id!, phase, files);
    if (unreadable.length) {
      return refuse(`Unexpected status ${to} for task ${key} while ${unreadable.length === 1 ? 'a story file cannot be read' : `${unreadable.length} story files cannot be read`}, expected every story readable first: a task in ${unreadable.length === 1 ? 'it' : 'them'} may depend on ${key} (dependency-status)`, unreadable);
    }
    if (broken.length) {
      return refuse(`Unexpected status ${to} for task ${key} while ${broken.length === 1 ? 'a task that depends on it is' : `${broken.length} tasks that depend on it are`} further along, expected them moved back first (dependency-status)`, broken);
    }
    if (phase === 'active' || phase === 'done') {
      const blockers = dependencyBlockers(config, story, task.id!, project);
      if (blockers.length) {
        const { done } = taskRoles(config);
        return refuse(`Unexpected status ${to} for task ${key} while ${blockers.length === 1 ? 'a dependency is' : `${blockers.length} dependencies are`} not ${done}, expected every dependency ${done} first (dependency-status)`, blockers);
      }
    }
    text = text.slice(0, coreStart) + to + text.slice(coreEnd);
    plan.changed = true;
  }

  // The story status that follows, computed on the edited story.
  const after = plan.changed ? parseStory(text, file) : story;
  const follow = followingStoryStatus(config, after);
  if (follow && after.status && story.statusCount === 1) {
    const change: StoryStatusChange = { id: story.id ?? request.story, from: after.status.value.trim(), to: follow, applied: false };
    if (request.setStory) {
      const [start, end] = coreSpan(text, after.status.span);
      text = text.slice(0, start) + follow + text.slice(end);
      change.applied = true;
    }
    plan.story = change;
  }
  if (text !== story.text) {
    plan.original = original;
    plan.output = (story.bom ? '\ufeff' : '') + text;
  }
  return plan;
}

/**
 * The tasks (in this story and any other) that depend on `taskId` and that
 * its new phase would leave ahead of it, as `dependency-status` sees it: a
 * done dependent needs it done, an in-progress one needs it started. Fails
 * closed: another story file that cannot be read as a story (conflict
 * markers, invalid UTF-8, empty...) is listed in `unreadable`, since a task
 * in it may depend on this one; I/O failures throw readStory's UsageError.
 */
function dependentBlockers(config: ResolvedConfig, story: Story, taskId: string, phase: ReturnType<typeof taskPhase>, files: readonly string[]): { ahead: string[]; unreadable: string[] } {
  const out: string[] = [];
  const unreadable: string[] = [];
  if (phase === 'done') return { ahead: out, unreadable };
  const check = (label: string, status: string | null | undefined) => {
    const theirs = taskPhase(config, status ?? undefined);
    if (theirs === 'done' || (theirs === 'active' && phase === 'pending')) out.push(`${label} is ${status!.trim()}`);
  };
  for (const t of story.tasks) {
    if (t.id !== taskId && t.depends.some((r) => r.task === taskId && (r.story === undefined || r.story === story.id))) check(t.id ?? t.heading.raw, t.status?.value);
  }
  if (story.id === null) return { ahead: out, unreadable };
  // Other stories: only those whose text holds a ref to this task are parsed, each file on
  // its own (two files with one story number are both read).
  const ref = new RegExp(`(?<![\\d/])${story.id}/${taskId}(?![\\da-z])`);
  for (const file of files) {
    if (file === story.path) continue;
    const read = readStory(file);
    if ('fatal' in read) {
      unreadable.push(`${file}: ${read.fatal.message} (line ${read.fatal.line})`);
      continue;
    }
    if (!ref.test(read.text)) continue;
    const fileId = fileStoryId(file);
    const summary = summarize(parseStory(read.text, file), file);
    for (const t of summary.tasks) {
      if (t.depends.some((r) => r.story === story.id && r.task === taskId)) check(`${summary.id ?? fileId}/${t.id}`, t.status);
    }
  }
  return { ahead: out, unreadable };
}

/** Why a task cannot start or finish: each dependency that is not done, or cannot be resolved. */
function dependencyBlockers(config: ResolvedConfig, story: Story, taskId: string, project: Project): string[] {
  const task = story.tasks.find((t) => t.id === taskId)!;
  const out: string[] = [];
  if (!task.dependsOn) return [`task ${story.id ?? '?'}/${taskId} has no **Depends on:** line (write \`none\` or the refs), so its dependencies are unknown`];
  for (const e of task.dependsErrors) out.push(`unreadable dependency "${e.raw}" in **Depends on:** (expected none, or refs such as 002, 014/003)`);
  for (const ref of task.depends) {
    const sid = ref.story ?? story.id;
    if (sid === null || sid === story.id || ref.story === undefined) {
      const deps = story.tasks.filter((t) => t.id === ref.task);
      if (deps.length === 0) out.push(`${ref.raw}: no such task in this story`);
      else if (deps.length > 1) out.push(`${ref.raw}: ${deps.length} tasks carry this id`);
      else if (deps[0]!.id === taskId) out.push(`${ref.raw}: the task depends on itself`);
      else out.push(...notDone(config, ref.raw, deps[0]!.status?.value));
      continue;
    }
    // Two files with one number: which one the ref means is unknown (story-id-unique).
    const candidates = project.byId.get(sid)?.length ?? 0;
    if (candidates > 1) {
      out.push(`${ref.raw}: ${candidates} story files are numbered ${sid} (story-id-unique)`);
      continue;
    }
    const summary = project.summary(sid);
    if (!summary) {
      out.push(`${ref.raw}: story ${sid} not found or unreadable`);
      continue;
    }
    const deps = summary.tasks.filter((t) => t.id === ref.task);
    if (deps.length === 0) out.push(`${ref.raw}: no such task in story ${sid}`);
    else if (deps.length > 1) out.push(`${ref.raw}: ${deps.length} tasks carry this id`);
    else out.push(...notDone(config, ref.raw, deps[0]!.status ?? undefined));
  }
  return out;
}

/** Nothing when the dependency is done; else why it blocks (its status, or that it has no readable one). */
function notDone(config: ResolvedConfig, ref: string, status: string | undefined): string[] {
  const value = status?.trim();
  if (!value) return [`${ref} has no status`];
  const phase = taskPhase(config, value);
  if (phase === null) return [`${ref} has an unreadable status "${value}" (task-status)`];
  return phase === 'done' ? [] : [`${ref} is ${value}`];
}

/**
 * The story status the tasks call for, when it differs from the current one:
 * every task done -> the last story status; otherwise, a story still in a
 * planning status with tasks -> the in-progress one. Never backwards; null
 * when nothing follows or the status is unreadable.
 */
export function followingStoryStatus(config: ResolvedConfig, story: Story): string | null {
  if (!story.status || story.tasks.length === 0) return null;
  const current = canonicalStoryStatus(config, story.status.value);
  if (current === null) return null;
  const phase = storyPhase(config, current);
  const roles = storyRoles(config);
  const allDone = story.tasks.every((t) => taskPhase(config, t.status?.value) === 'done');
  if (allDone && phase !== 'done') return roles.done;
  // `planning` exists only with three or more statuses: `active` is then the one before the last.
  if (!allDone && phase === 'planning') return roles.active;
  return null;
}
