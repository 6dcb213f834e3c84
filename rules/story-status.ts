/**
 * ## story-status
 *
 * A story has a status (a `## Status` section, or a `**Status:**` line above
 * the first `##`) that is one configured story status, and it agrees with its
 * tasks: a story with tasks planned is In Progress (not Draft or Ready); a Done
 * story has no unfinished task; a story whose tasks are all done is Done (a
 * warning).
 *
 * Default severity: error (the all-done case is a warning). Fixable: case and
 * separators (`in progress` -> `In Progress`), and a plain `Status: Done` line
 * (the label gets its bold markers).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, list, shortList, ruleUrl, storySpan } from '../src/rules/util.js';
import { matchStoryStatus, storyPhase, synonymStoryStatus, taskPhase } from '../src/status/index.js';

export const meta: RuleMeta = {
  id: 'story-status',
  description: 'The story status is present, configured, and agrees with its tasks',
  fixable: true,
  url: ruleUrl('story-status'),
};

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  const statuses = config.storyStatuses;
  const status = story.status;
  if (!status || !status.value) {
    out.push({
      message: 'Missing story status, expected a `## Status` section',
      note: `Or a \`**Status:**\` line under the title; the statuses: ${list(statuses)}.`,
      span: status ? status.span : storySpan(story),
    });
    return out;
  }
  if (status.source === 'plain' && status.labelSpan) {
    const label = status.labelSpan;
    out.push({
      message: 'Unexpected plain `Status:` label, expected `**Status:**`',
      note: 'Or a `## Status` section.',
      span: label,
      fix: { range: [label.start.offset, label.end.offset], text: '**Status:**' },
    });
  }
  for (const extra of story.extraStatuses) {
    out.push({
      message: `Unexpected second story status (first at line ${status.span.start.line}), expected one`,
      note: 'Keep one `## Status` section or `**Status:**` line and remove this one.',
      span: extra,
    });
  }
  const value = status.value.trim();
  const matched = matchStoryStatus(config, value);
  if (!matched) {
    const guess = synonymStoryStatus(statuses, value);
    out.push({
      message: guess ? `Unexpected story status ${code(clip(value))}, expected ${code(guess)}?` : `Unexpected story status ${code(clip(value))}, expected one of ${shortList(statuses)}`,
      ...(guess || statuses.length > 5 ? { note: `The story statuses: ${list(statuses)}.` } : {}),
      span: status.span,
    });
    return out;
  }
  if (matched !== value) {
    out.push({
      message: `Unexpected story status ${code(value)}, expected ${code(matched)}`,
      span: status.span,
      fix: { range: [status.span.start.offset, status.span.end.offset], text: matched },
    });
  }
  const tasks = story.tasks;
  if (tasks.length === 0) return out;
  const phase = storyPhase(config, matched);
  const active = statuses[statuses.length - 2]!;
  const done = statuses[statuses.length - 1]!;
  const unfinished = tasks.filter((t) => taskPhase(config, t.status?.value) !== 'done');
  if (phase === 'planning') {
    out.push({
      message: `Unexpected story status ${code(matched)} with ${tasks.length} task${tasks.length === 1 ? '' : 's'} planned, expected ${code(active)}`,
      note: `Set Status to ${active} once the tasks are written.`,
      span: status.span,
    });
  } else if (phase === 'done' && unfinished.length) {
    const ids = unfinished.map((t) => t.id ?? t.heading.raw);
    out.push({
      message: `Unexpected story status ${code(done)} with ${unfinished.length} unfinished task${unfinished.length === 1 ? '' : 's'}, expected all done`,
      note: `Unfinished: ${ids.slice(0, 6).map((id) => clip(id, 20)).join(', ')}${ids.length > 6 ? ', …' : ''}. Finish them, or set Status to ${code(active)}.`,
      span: status.span,
    });
  } else if (phase === 'active' && unfinished.length === 0 && story.looseTasks.length === 0) {
    // (Tasks in another shape, which `tasks-section` reports, may be unfinished: no claim then.)
    out.push({
      message: `Unexpected story status ${code(matched)} with ${tasks.length === 1 ? 'its only task' : `all ${tasks.length} tasks`} done, expected ${code(done)}`,
      span: status.span,
      warnOnly: true,
    });
  }
  return out;
};

const remarkLintStoryStatus = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:story-status', url: meta.url }, remarkRule(check));
export default remarkLintStoryStatus;
