/**
 * The configured statuses by the role their position gives them, for the
 * commands that write or name a status (`scaffold`, `status`, `init --agent`).
 */
import type { ResolvedConfig } from '../config/types.js';

/** Task statuses by role (`taskStatuses` in workflow order). */
export interface TaskRoles {
  /** The first status: not started; what `scaffold` writes. */
  first: string;
  /** The statuses between the first and the last: in progress (none with two statuses). */
  active: string[];
  /** The last status: done. */
  done: string;
}

/** Story statuses by role (`storyStatuses` in workflow order). */
export interface StoryRoles {
  /** The status before `active`, the one a story is broken into tasks in (the first when there are fewer than three). */
  ready: string;
  /** The status before the last: in progress. */
  active: string;
  /** The last status: done. */
  done: string;
}

/** The task statuses by role. The config holds at least two statuses (the schema's minimum). */
export function taskRoles(config: Pick<ResolvedConfig, 'taskStatuses'>): TaskRoles {
  const s = config.taskStatuses;
  return { first: s[0]!, active: s.slice(1, -1), done: s[s.length - 1]! };
}

/** The story statuses by role. The config holds at least two statuses (the schema's minimum). */
export function storyRoles(config: Pick<ResolvedConfig, 'storyStatuses'>): StoryRoles {
  const s = config.storyStatuses;
  const n = s.length;
  return { ready: s[Math.max(0, n - 3)]!, active: s[Math.max(0, n - 2)]!, done: s[n - 1]! };
}
