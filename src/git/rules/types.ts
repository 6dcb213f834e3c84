/**
 * Transition rules compare two versions of one story: the old one (HEAD, or
 * the merge-base with `--base <rev>`) and the new one (the index, or HEAD).
 * Pure functions like the single-file rules; positions are in the new story.
 */
import type { ResolvedConfig } from '../../config/types.js';
import type { Finding, RuleMeta } from '../../rules/types.js';
import type { Story } from '../../story/model.js';

export interface TransitionContext {
  config: ResolvedConfig;
  /** Names the old version in messages: `HEAD`, `origin/main`. */
  before: string;
  /** Names the new version in messages: `staged`, `HEAD`. */
  after: string;
}

export type TransitionCheck = (old: Story, current: Story, ctx: TransitionContext) => Finding[];

export interface TransitionRule {
  meta: RuleMeta;
  check: TransitionCheck;
}
