/**
 * ## tasks-section
 *
 * A story has at most one `## Tasks` section, and task blocks (a `### NNN:`
 * heading followed by task fields) live only inside it. A `### 003: ...`
 * heading in Notes with no fields is not a task and is left alone.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'tasks-section',
  description: 'At most one `## Tasks` section, and no task blocks outside it',
  fixable: false,
  url: ruleUrl('tasks-section'),
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const [first, ...rest] = story.tasksSections;
  for (const extra of rest) {
    out.push({
      message: `Unexpected second \`## Tasks\` section (first at line ${first!.heading.start.line}), expected one`,
      note: 'Move these tasks into the first section.',
      span: extra.heading,
    });
  }
  for (const stray of story.strayTasks) {
    // Tasks in a second `## Tasks` section are covered by the finding above.
    if (stray.section !== null && stray.section.toLowerCase().replace(/(?<![:\s])[:\s]+$/, '') === 'tasks') continue;
    const where = stray.section ? ` under \`## ${stray.section}\`` : '';
    out.push({
      message: `Unexpected task ${code(clip(stray.heading.rawId ?? stray.heading.raw, 30))}${where}, expected it in \`## Tasks\``,
      note: 'Move the task into the `## Tasks` section.',
      span: stray.heading.span,
    });
  }
  return out;
};

const remarkLintTasksSection = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:tasks-section', url: meta.url }, remarkRule(check));
export default remarkLintTasksSection;
