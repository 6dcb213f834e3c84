/**
 * ## task-depends-format
 *
 * `**Depends on:**` is `none`, or comma-separated task refs: `002` for a task of
 * this story, `014/003` for task 003 of story 014.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-depends-format',
  description: '`none`, or comma-separated task refs (`002`, `014/003`)',
  fixable: false,
  url: ruleUrl('task-depends-format'),
};

function suggestion(raw: string): string {
  const task = /^(?:task\s*)?#?(\d{1,3}[a-z]?)$/i.exec(raw);
  if (task) return code(task[1]!.replace(/^(\d+)([a-z]?)$/i, (_, d: string, l: string) => d.padStart(3, '0') + l.toLowerCase()));
  if (/\d{3}\s*[-–]\s*\d{3}/.test(raw)) return 'each id listed: `001, 002, 003`';
  if (/^#?\d{1,3}[a-z]?(?:(?:\s*[,&]\s*|\s+and\s+|\s+)#?\d{1,3}[a-z]?)+$/i.test(raw)) return 'ids separated by commas: `001, 002`';
  const cross = /^(?:story\s*#?(\d{3,})\D+?|(\d{3,})\s*[:.#]\s*)(?:task\s*#?)?(\d{3}[a-z]?)$/i.exec(raw);
  if (cross) return code(`${cross[1] ?? cross[2]}/${cross[3]}`);
  if (/\band\b|\s/.test(raw)) return 'ids separated by commas: `001, 002`';
  return '`none` or task ids such as `002` or `014/003`';
}

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    const field = task.dependsOn;
    if (!field) continue;
    for (const err of task.dependsErrors) {
      if (!err.raw) {
        out.push({ message: `Missing dependencies in ${taskLabel(task)}, expected \`none\` or task ids such as \`001, 002\``, span: field.span });
      } else if (/^none$/i.test(err.raw)) {
        out.push({ message: `Unexpected \`none\` beside task ids, expected either \`none\` or a list of ids`, span: err.span });
      } else {
        out.push({ message: `Unexpected dependency ${code(err.raw)}, expected ${suggestion(err.raw)}`, span: err.span });
      }
    }
  }
  return out;
};

const remarkLintTaskDependsFormat = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-depends-format', url: meta.url }, remarkRule(check));
export default remarkLintTaskDependsFormat;
