/**
 * ## task-status
 *
 * A task's `**Status:**` is exactly one configured status (default `pending`,
 * `in_progress`, `done`). Notes after the status (`done (via x)`) belong in the
 * description.
 *
 * Default severity: error. Fixable: case and separators (`Done` -> `done`,
 * `in progress` -> `in_progress`).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, list, ruleUrl, shortList, taskLabel } from '../src/rules/util.js';
import { matchTaskStatus, synonymTaskStatus } from '../src/status/index.js';

export const meta: RuleMeta = {
  id: 'task-status',
  description: 'The status is exactly one configured task status',
  fixable: true,
  url: ruleUrl('task-status'),
};

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  const statuses = config.taskStatuses;
  for (const task of story.tasks) {
    const field = task.status;
    if (!field) continue;
    const value = field.value.trim();
    const span = field.valueSpan;
    if (!value) {
      out.push({ message: `Missing status in ${taskLabel(task)}, expected one of ${shortList(statuses)}`, ...(statuses.length > 5 ? { note: `The task statuses: ${list(statuses)}.` } : {}), span: field.span });
      continue;
    }
    if (statuses.includes(value)) continue;
    const inner = /^(`+)[ ]?([^`]+?)[ ]?\1$/.exec(value);
    const unquoted = inner ? (statuses.includes(inner[2]!) ? inner[2]! : matchTaskStatus(config, inner[2]!)) : null;
    if (unquoted) {
      // `` `done` ``: a code span around a status; the fix keeps the status alone.
      out.push({
        message: `Unexpected backticks around task status ${code(value)}, expected the plain value ${code(unquoted)}`,
        span,
        fix: { range: [span.start.offset, span.end.offset], text: unquoted },
      });
      continue;
    }
    const exact = matchTaskStatus(config, value);
    if (exact) {
      out.push({
        message: `Unexpected task status ${code(value)}, expected ${code(exact)}`,
        span,
        fix: { range: [span.start.offset, span.end.offset], text: exact },
      });
      continue;
    }
    const note = value.length <= 200 ? /^([^\s(,;:–—-]+(?:[ _-][^\s(,;:–—-]+)?)\s*[(,;:–—-]\s*(.+)$/.exec(value) : null;
    if (note) {
      const head = matchTaskStatus(config, note[1]!);
      if (head) {
        out.push({
          message: `Unexpected text ${code(clip(note[2]!.replace(/\)$/, ''), 30))} after status ${code(head)}, expected the status alone`,
          note: 'Move the note into the description.',
          span,
        });
        continue;
      }
    }
    const target = synonymTaskStatus(statuses, value);
    out.push({
      message: target ? `Unexpected task status ${code(clip(value))}, expected ${code(target)}?` : `Unexpected task status ${code(clip(value))}, expected one of ${shortList(statuses)}`,
      ...(target || statuses.length > 5 ? { note: `The task statuses: ${list(statuses)}.` } : {}),
      span,
    });
  }
  return out;
};

const remarkLintTaskStatus = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-status', url: meta.url }, remarkRule(check));
export default remarkLintTaskStatus;
