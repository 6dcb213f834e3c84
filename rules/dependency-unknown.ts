/**
 * ## dependency-unknown
 *
 * Every task ref in `**Depends on:**` names a task that exists. Within a file
 * this checks refs to the story's own tasks (`002`, or `015/002` in story 015);
 * `plan-tasks lint` also resolves cross-story refs (`014/003`) against every
 * story in the configured glob.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, idRuns, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'dependency-unknown',
  description: 'Dependencies name tasks (and stories) that exist',
  fixable: false,
  url: ruleUrl('dependency-unknown'),
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const ids = story.tasks.map((t) => t.id).filter((id): id is string => id !== null);
  const known = new Set(ids);
  const range = idRuns(ids);
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story !== undefined && ref.story !== story.id) continue;
      if (known.has(ref.task)) continue;
      const loose = story.looseTasks.find((l) => l.id === ref.task);
      if (loose) {
        out.push({
          message: `Unexpected dependency on task ${code(ref.raw)} in ${taskLabel(task)}, which is written in another shape at line ${loose.span.start.line}, expected a \`### ${ref.task}: Title\` task (see \`tasks-section\`)`,
          span: ref.span,
        });
        continue;
      }
      out.push({
        message: `Unexpected unknown task ${code(ref.raw)} in the dependencies of ${taskLabel(task)}, expected one of ${range}`,
        note: 'Name a task of this story, or a task of another story as `NNN/MMM`.',
        span: ref.span,
      });
    }
  }
  return out;
};

const remarkLintDependencyUnknown = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-unknown', url: meta.url }, remarkRule(check));
export default remarkLintDependencyUnknown;
