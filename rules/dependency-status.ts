/**
 * ## dependency-status
 *
 * Work follows the dependencies: a task that is done depends only on done
 * tasks, and a task in progress depends on no task still pending. Within a
 * file this checks the story's own tasks; `plan-tasks lint` also checks refs
 * to other stories' tasks.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';
import { taskPhase } from '../src/status/index.js';
import type { ResolvedConfig } from '../src/config/types.js';
import type { Span, Task } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'dependency-status',
  description: 'A done task depends only on done tasks; an in-progress one on no pending task',
  fixable: false,
  url: ruleUrl('dependency-status'),
};

/** The finding for a task whose dependency is not far enough along, or null. */
export function statusConflict(
  config: ResolvedConfig,
  task: Task,
  depLabel: string,
  depStatus: string | undefined,
  span: Span,
): Finding | null {
  const mine = taskPhase(config, task.status?.value);
  const theirs = taskPhase(config, depStatus);
  if (!mine || !theirs || !task.id) return null;
  const done = config.taskStatuses[config.taskStatuses.length - 1]!;
  if (mine === 'done' && theirs !== 'done') {
    return {
      message: `Unexpected ${code(task.status!.value.trim())} task ${task.id} before its dependency ${depLabel} (${code(depStatus!.trim())}), expected ${depLabel} ${done} first`,
      note: `Or move task ${task.id} back until ${depLabel} is ${done}.`,
      span,
    };
  }
  if (mine === 'active' && theirs === 'pending') {
    return {
      message: `Unexpected ${code(task.status!.value.trim())} task ${task.id} while its dependency ${depLabel} is ${code(depStatus!.trim())}, expected ${depLabel} started first`,
      note: `Start or finish ${depLabel} before task ${task.id}.`,
      span,
    };
  }
  return null;
}

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  const byId = new Map<string, Task>();
  for (const t of story.tasks) if (t.id && !byId.has(t.id)) byId.set(t.id, t);
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story !== undefined && ref.story !== story.id) continue;
      const dep = byId.get(ref.task);
      if (!dep || dep === task) continue;
      const f = statusConflict(config, task, ref.task, dep.status?.value, ref.span);
      if (f) out.push(f);
    }
  }
  return out;
};

const remarkLintDependencyStatus = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-status', url: meta.url }, remarkRule(check));
export default remarkLintDependencyStatus;
