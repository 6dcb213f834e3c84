/**
 * ## task-heading
 *
 * Every `###` heading inside `## Tasks` reads `### NNN: Title`: a three-digit
 * id (optionally one lower-case letter for a task inserted later, `011a`), a
 * colon, and a non-empty title.
 *
 * Default severity: error. Fixable: a `Task ` prefix (`### Task 001: X`) and a
 * missing colon (`### 001 - X`).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-heading',
  description: 'Task headings read `### NNN: Title`',
  fixable: true,
  url: ruleUrl('task-heading'),
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    const h = task.heading;
    if (h.rawId === null) {
      out.push({
        message: `Unexpected heading ${code(clip('### ' + h.raw))} in \`## Tasks\`, expected \`### NNN: Title\``,
        note: 'Use `####` for a sub-heading inside a task.',
        span: h.span,
      });
      continue;
    }
    if (h.taskPrefix) {
      const canonical = `### ${h.rawId}: ${h.title}`;
      out.push({
        message: `Unexpected \`Task\` prefix, expected ${code(clip(canonical))}`,
        span: h.span,
        fix: { range: [h.taskPrefix.start.offset, h.taskPrefix.end.offset], text: '' },
      });
    }
    if (h.id === null) {
      let expected = 'three digits and an optional lower-case letter, such as `001` or `011a`';
      if (/[-–]/.test(h.rawId)) expected = 'one id per task: split the range into one task per id';
      else if (/^\d{3}[A-Z]$/.test(h.rawId)) expected = code(h.rawId.toLowerCase());
      else if (/^\d{1,2}$/.test(h.rawId)) expected = code(h.rawId.padStart(3, '0'));
      out.push({ message: `Unexpected task id ${code(h.rawId)}, expected ${expected}`, span: h.idSpan ?? h.span });
    }
    if (!h.hasColon && h.separatorSpan) {
      out.push({
        message: `Missing colon after task id ${code(h.rawId)}, expected ${code(clip(`### ${h.rawId}: ${h.title || 'Title'}`))}`,
        span: h.span,
        fix: h.title ? { range: [h.separatorSpan.start.offset, h.separatorSpan.end.offset], text: ': ' } : undefined,
      });
    }
    if (!h.title) {
      out.push({ message: `Missing title after task id ${code(h.rawId)}, expected \`### ${h.rawId}: Title\``, note: 'A title that says what the task does.', span: h.span });
    }
  }
  return out;
};

const remarkLintTaskHeading = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-heading', url: meta.url }, remarkRule(check));
export default remarkLintTaskHeading;
