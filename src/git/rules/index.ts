/**
 * The transition rules (`--staged` / `--base`): the registry's rules with a
 * `checkTransition` (rules/status-transition.ts, rules/task-removed.ts,
 * rules/story-status-transition.ts), and the task matching they share.
 */
import { rules } from '../../../rules/index.js';
import type { Rule, TransitionCheck } from '../../rules/types.js';

/** A registry entry that compares two versions of a story, with its `checkTransition` as `check`. */
export interface TransitionRule {
  meta: Rule['meta'];
  check: TransitionCheck;
}

/**
 * The registry entries of the transition rules, as a rule list for
 * `parseForLint`: an old version is parsed with only the `##` sections they
 * and the cross-story summary read (Status, Dependencies, Tasks), the rest
 * read as blank lines, as the lint parse does for rules a config turns off.
 */
export const transitionReaders: readonly Rule[] = rules.filter((r) => r.checkTransition !== undefined);

export const transitionRules: TransitionRule[] = rules.flatMap((r) => (r.checkTransition ? [{ meta: r.meta, check: r.checkTransition }] : []));

export { checkDeleted } from '../../../rules/task-removed.js';

export type { TransitionCheck, TransitionContext } from '../../rules/types.js';
export { matchTasks, titleKey } from './match.js';
