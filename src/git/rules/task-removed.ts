/**
 * ## task-removed
 *
 * A task that was in progress or done in the old version of a story may not
 * disappear from the new one, and may not change its id (other tasks and
 * stories refer to it as `003` or `014/003`). A task whose title reappears
 * under another id is reported as renumbered; pending tasks may be removed or
 * renumbered freely.
 *
 * Default severity: error. Not fixable.
 */
import type { Finding, RuleMeta } from '../../rules/types.js';
import { clip, code, ruleUrl, storySpan } from '../../rules/util.js';
import { canonicalTaskStatus } from '../../status/index.js';
import { matchTasks } from './match.js';
import type { Story } from '../../story/model.js';
import type { TransitionCheck, TransitionContext } from './types.js';

export const meta: RuleMeta = {
  id: 'task-removed',
  description: 'A task that was in progress or done was not removed or renumbered',
  fixable: false,
  url: ruleUrl('task-removed'),
};

export const check: TransitionCheck = (old, current, { config, before }) => {
  const out: Finding[] = [];
  const first = config.taskStatuses[0];
  const started = (value: string | undefined) => {
    const s = canonicalTaskStatus(config, value);
    return s !== null && s !== first;
  };
  const { pairs, removed } = matchTasks(old, current);
  for (const { old: o, current: n, kind } of pairs) {
    if (kind !== 'renumbered' || !started(o.status?.value)) continue;
    out.push({
      message: `Unexpected renumbering of task ${o.id} (${clip(o.status!.value, 20)} in ${before}) to ${n.id}, expected id ${o.id}`,
      note: `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks keep their ids.`,
      span: n.heading.idSpan ?? n.heading.span,
    });
  }
  const where = current.tasksSections[0]?.heading ?? storySpan(current);
  for (const o of removed) {
    if (!started(o.status?.value)) continue;
    out.push({
      message: `Unexpected removal of task ${o.id} (${clip(o.status!.value, 20)} in ${before}), expected it to stay`,
      note: `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks are kept in the plan.`,
      span: where,
    });
  }
  return out;
};

/**
 * A story file deleted by the change (no new version paired with it by git's
 * rename detection or by story number): every task that was in progress or
 * done in the old version is a removal. Spans are at the file's first line
 * (there is no new text to point into).
 */
export function checkDeleted(old: Story, { config, before }: TransitionContext, movedTo?: string): Finding[] {
  const first = config.taskStatuses[0];
  const at = { line: 1, column: 1, offset: 0 };
  const out: Finding[] = [];
  for (const o of old.tasks) {
    const s = canonicalTaskStatus(config, o.status?.value);
    if (o.id === null || s === null || s === first) continue;
    out.push({
      message: movedTo
        ? `Unexpected removal of task ${o.id} (${clip(o.status!.value, 20)} in ${before}) with its story file, moved to ${clip(movedTo, 60)} outside the configured stories, expected it to stay`
        : `Unexpected removal of task ${o.id} (${clip(o.status!.value, 20)} in ${before}) with its deleted story file, expected it to stay`,
      note: movedTo
        ? `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks are kept in the plan. Keep the story among the configured "stories" (or add its new folder to them).`
        : `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks are kept in the plan.`,
      span: { start: at, end: at },
    });
  }
  return out;
}
