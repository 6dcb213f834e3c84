/**
 * ## task-id-unique
 *
 * Task ids are unique within a story: a dependency on `003` must mean one task.
 *
 * Default severity: error. Not fixable (renumbering changes what refs mean).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';
import type { Task } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'task-id-unique',
  description: 'Task ids are unique within a story',
  fixable: false,
  url: ruleUrl('task-id-unique'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `Task ids are unique within a story.`,
    why: `A dependency on \`003\` must mean one task.`,
    howToFix: `Give the second task the next free id, and update the \`**Depends on:**\` lists that meant it.`,
    options: null,
  },
  examples: [],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const seen = new Map<string, Task>();
  for (const task of story.tasks) {
    if (!task.id) continue;
    const first = seen.get(task.id);
    if (first) {
      out.push({
        message: `Unexpected duplicate task id ${code(task.id)} (first at line ${first.heading.span.start.line}), expected a new id`,
        note: 'Give this task the next free id.',
        span: task.heading.idSpan ?? task.heading.span,
      });
    } else seen.set(task.id, task);
  }
  return out;
};

const remarkLintTaskIdUnique = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-id-unique', url: meta.url }, remarkRule(check));
export default remarkLintTaskIdUnique;
