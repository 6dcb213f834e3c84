/**
 * ## task-specific
 *
 * The "bad task" test: a task names a concrete place (a code span, a path, an
 * endpoint, an identifier) and an observable outcome or a way to verify it
 * (a test, a command, what a user sees). "Improve error handling" fails both.
 *
 * Default severity: warn. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import { namesConcretePlace, namesOutcome } from '../src/rules/signals.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { placeholderOnly, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-specific',
  description: 'The task names a concrete place and an observable outcome',
  fixable: false,
  url: ruleUrl('task-specific'),
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    if (task.description.length === 0 || placeholderOnly(task)) continue; // task-description reports it
    const place = namesConcretePlace(task);
    const outcome = namesOutcome(task);
    if (place && outcome) continue;
    const missing = [place ? null : 'where it changes', outcome ? null : 'how to verify it'].filter(Boolean);
    const hints = [
      place ? null : 'where the change happens (a file, `identifier`, endpoint or path)',
      outcome ? null : 'how to verify it (a test, a command, what the user sees)',
    ].filter(Boolean);
    out.push({
      message: `Unexpected vague ${taskLabel(task)}, expected ${missing.join(' and ')}`,
      note: `Name ${hints.join(' and ')}.`,
      span: task.heading.span,
    });
  }
  return out;
};

const remarkLintTaskSpecific = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-specific', url: meta.url }, remarkRule(check));
export default remarkLintTaskSpecific;
