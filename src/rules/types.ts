import type { ResolvedConfig } from '../config/types.js';
import type { Span, Story } from '../story/model.js';

/** A text edit: replace `range` [start, end) offsets of Story.text with `text`. */
export interface Fix {
  range: [number, number];
  text: string;
}

/** What a rule reports. Positions come from the Story model. */
export interface Finding {
  /** The short problem, remark-lint style (`Unexpected X, expected Y`): what the one-line reporters print. */
  message: string;
  /**
   * How to fix it, when that takes more than the message says (vfile's
   * `note`): carried by json (`note`), sarif, github, markdown and remark
   * (where editors show it under the message), not by the one-line stylish
   * report, whose rule link and rule doc say it instead.
   */
  note?: string;
  span: Span;
  fix?: Fix;
  /**
   * Caps this finding at a warning even when the rule is set to `error`
   * (`task-description` is an error when empty, a warning when long).
   */
  warnOnly?: boolean;
}

export interface RuleContext {
  config: ResolvedConfig;
}

export interface RuleMeta {
  id: string;
  /** One line: what the rule checks. */
  description: string;
  /** Whether some of its findings carry a fix. */
  fixable: boolean;
  /** The rule's documentation. */
  url: string;
}

/** A rule: pure function from the Story model to findings. */
export type Check = (story: Story, ctx: RuleContext) => Finding[];

export interface Rule {
  meta: RuleMeta;
  check: Check;
}
