/**
 * What a status means in the workflow, from its position in the configured
 * list: a task is pending, active or done; a story is planning, active or
 * done.
 */
import type { ResolvedConfig } from '../config/types.js';
import { matchStoryStatus, matchTaskStatus } from './match.js';

/** A task's phase: `pending` (the first task status), `done` (the last), `active` (any between). */
export type TaskPhase = 'pending' | 'active' | 'done';

/** A story's phase: `done` (the last story status), `active` (the one before it), `planning` (any earlier). */
export type StoryPhase = 'planning' | 'active' | 'done';

/**
 * The phase of a task status value, matched exactly or loosely
 * (`matchTaskStatus`; synonyms are not read): the first configured status is
 * `pending`, the last `done`, anything between `active`. Null for a missing
 * or unknown value.
 */
export function taskPhase(config: Pick<ResolvedConfig, 'taskStatuses'>, value: string | undefined | null): TaskPhase | null {
  if (value == null) return null;
  const status = matchTaskStatus(config, value);
  if (status === null) return null;
  const statuses = config.taskStatuses;
  const i = statuses.indexOf(status);
  if (i === statuses.length - 1) return 'done';
  if (i === 0) return 'pending';
  return 'active';
}

/**
 * The phase of a story status value, matched exactly or loosely
 * (`matchStoryStatus`): the last configured status is `done`, the one before
 * it `active`, every earlier one `planning`. Null for a missing or unknown
 * value.
 */
export function storyPhase(config: Pick<ResolvedConfig, 'storyStatuses'>, value: string | undefined | null): StoryPhase | null {
  if (value == null) return null;
  const status = matchStoryStatus(config, value);
  if (status === null) return null;
  const statuses = config.storyStatuses;
  const i = statuses.indexOf(status);
  if (i === statuses.length - 1) return 'done';
  if (i === statuses.length - 2) return 'active';
  return 'planning';
}
