/**
 * Common words for a status that is not configured (`Complete`, `WIP`,
 * `todo`), and the canonical status a written value stands for: exact, loose
 * or such a synonym. The rules suggest these (`task-status`, `story-status`);
 * the transition rules and `plan-tasks status` compare by them.
 */
import type { ResolvedConfig } from '../config/types.js';
import { matchStoryStatus, matchTaskStatus } from './match.js';
import type { TaskPhase } from './phase.js';

const DONE_WORDS = ['done', 'complete', 'completed', 'finished', 'closed', 'resolved', 'shipped', 'merged', 'implemented'];
const PENDING_WORDS = ['todo', 'to do', 'open', 'not started', 'new', 'planned', 'backlog', 'ready'];
// Not `blocked`: a blocked task may be not started or half done; no suggestion beats a wrong one.
const ACTIVE_WORDS = ['in progress', 'wip', 'started', 'doing', 'ongoing', 'active', 'in review', 'review'];

/**
 * The phase a common status word means (`Complete` -> `done`, `WIP` ->
 * `active`, `todo` -> `pending`), or null. Case is ignored, `-`, `_` and
 * white space are one space, and a note after the word is dropped (`Done
 * (via 012)`, `finished: see PR`); the word itself is matched whole.
 */
export function synonymPhase(value: string): TaskPhase | null {
  const v = value.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  const head = v.replace(/(?<!\s)\s*[(:,;.][^]*$/, '');
  if (DONE_WORDS.includes(head)) return 'done';
  if (ACTIVE_WORDS.includes(head)) return 'active';
  if (PENDING_WORDS.includes(head)) return 'pending';
  return null;
}

/**
 * The task status a synonym stands for: `done` words the last status,
 * `pending` words the first, `active` words the middle one only when there
 * are exactly three (with more, which one is a guess). Null otherwise.
 */
export function synonymTaskStatus(statuses: readonly string[], value: string): string | null {
  const phase = synonymPhase(value);
  if (phase === 'done') return statuses[statuses.length - 1] ?? null;
  if (phase === 'pending') return statuses[0] ?? null;
  if (phase === 'active' && statuses.length === 3) return statuses[1]!;
  return null;
}

/**
 * The story status a synonym stands for: `done` words the last status,
 * `active` words the one before it. Null otherwise (a `pending` word names no
 * one planning status).
 */
export function synonymStoryStatus(statuses: readonly string[], value: string): string | null {
  const phase = synonymPhase(value);
  if (phase === 'done') return statuses[statuses.length - 1] ?? null;
  if (phase === 'active' && statuses.length >= 2) return statuses[statuses.length - 2]!;
  return null;
}

/**
 * The configured task status a value means: exact, loose (`Done`), or a
 * common synonym (`Complete`, `done (via 012)`); null when missing, blank or
 * unknown (`task-status` reports those).
 */
export function canonicalTaskStatus(config: Pick<ResolvedConfig, 'taskStatuses'>, value: string | null | undefined): string | null {
  if (value == null || !value.trim()) return null;
  return matchTaskStatus(config, value) ?? synonymTaskStatus(config.taskStatuses, value);
}

/** The configured story status a value means (exact, loose, or a `done`/`active` synonym); null when missing, blank or unknown. */
export function canonicalStoryStatus(config: Pick<ResolvedConfig, 'storyStatuses'>, value: string | null | undefined): string | null {
  if (value == null || !value.trim()) return null;
  return matchStoryStatus(config, value) ?? synonymStoryStatus(config.storyStatuses, value);
}
