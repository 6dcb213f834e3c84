/**
 * The transition rules (`--staged` / `--base`), in the order of DESIGN.md's
 * table. Listed beside the single-file rules by the CLI, SARIF and docs.
 */
import * as statusTransition from './status-transition.js';
import * as taskRemoved from './task-removed.js';
import * as storyStatusTransition from './story-status-transition.js';
import type { TransitionRule } from './types.js';

export const transitionRules: TransitionRule[] = [statusTransition, taskRemoved, storyStatusTransition].map((m) => ({ meta: m.meta, check: m.check }));

export type { TransitionCheck, TransitionContext, TransitionRule } from './types.js';
export { matchTasks, titleKey } from './match.js';
