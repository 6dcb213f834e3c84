/**
 * ## story-status-transition
 *
 * A story's status only moves forward through the configured `storyStatuses`
 * (default Draft -> Ready -> In Progress -> Done). Skipping forward is fine
 * (Ready -> Done); moving backwards (Done -> In Progress) is reported.
 * Compares the new version of a story with the old one (HEAD for `--staged`,
 * the merge-base for `--base`).
 *
 * Default severity: error. Not fixable.
 */
import type { Finding, RuleMeta } from '../../rules/types.js';
import { clip, code, ruleUrl } from '../../rules/util.js';
import { canonicalStoryStatus } from '../../status/index.js';
import type { TransitionCheck } from './types.js';

export const meta: RuleMeta = {
  id: 'story-status-transition',
  description: 'The story status did not move backwards',
  fixable: false,
  url: ruleUrl('story-status-transition'),
};

export const check: TransitionCheck = (old, current, { config, before, after }) => {
  if (!old.status || !current.status) return [];
  const from = canonicalStoryStatus(config, old.status.value);
  const to = canonicalStoryStatus(config, current.status.value);
  if (!from || !to || from === to) return [];
  const order = config.storyStatuses;
  if (order.indexOf(to) > order.indexOf(from)) return [];
  const finding: Finding = {
    message: `Unexpected story status change from ${code(clip(old.status.value, 20))} (${before}) to ${code(clip(current.status.value, 20))} (${after}), expected ${code(from)} or later`,
    note: `Story statuses only move forward (${order.join(' -> ')}).`,
    span: current.status.span,
  };
  return [finding];
};
