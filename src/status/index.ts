/**
 * Statuses in one place: matching a written value to a configured status
 * (`match.ts`), what it means in the workflow (`phase.ts`), common synonyms
 * and the canonical status of a value (`synonyms.ts`), the allowed moves
 * (`transitions.ts`) and the statuses by role (`roles.ts`). Used by the rules,
 * the transition rules, `graph`, `next`, `status`, `scaffold` and `init --agent`.
 */
export { matchStatus, matchStoryStatus, matchTaskStatus, statusKey } from './match.js';
export { storyPhase, taskPhase, type StoryPhase, type TaskPhase } from './phase.js';
export { canonicalStoryStatus, canonicalTaskStatus, synonymPhase, synonymStoryStatus, synonymTaskStatus } from './synonyms.js';
export { storyRoles, taskRoles, type StoryRoles, type TaskRoles } from './roles.js';
export { allowedMoves, defaultTransitions, mayMove } from './transitions.js';
