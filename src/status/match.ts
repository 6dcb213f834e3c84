/**
 * Matching a written status value against the configured statuses: exactly,
 * or loosely (case, `-`, `_` and white space ignored: `In Progress` ~
 * `in_progress`).
 */
import type { ResolvedConfig } from '../config/types.js';

/**
 * The loose key of a status value: trimmed, lower-cased, every run of `-`,
 * `_` and white space removed (`In Progress` -> `inprogress`). Two values with
 * one key name one status.
 */
export function statusKey(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The status of `statuses` that `value` means: the trimmed value when it is
 * one of them exactly, else the first whose `statusKey` equals the value's;
 * null when none does (synonyms such as `Complete` are not matched here: see
 * `canonicalTaskStatus`). A blank value matches nothing, not even a status
 * made of separators only (`-`, whose key is empty too).
 */
export function matchStatus(statuses: readonly string[], value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  if (statuses.includes(v)) return v;
  const key = statusKey(v);
  return statuses.find((s) => statusKey(s) === key) ?? null;
}

/** The configured task status (`config.taskStatuses`) a value means, exactly or loosely (`Done` -> `done`), or null. */
export function matchTaskStatus(config: Pick<ResolvedConfig, 'taskStatuses'>, value: string): string | null {
  return matchStatus(config.taskStatuses, value);
}

/** The configured story status (`config.storyStatuses`) a value means, exactly or loosely (`in progress` -> `In Progress`), or null. */
export function matchStoryStatus(config: Pick<ResolvedConfig, 'storyStatuses'>, value: string): string | null {
  return matchStatus(config.storyStatuses, value);
}
