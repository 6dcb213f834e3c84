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
  severity: 'error',
  reads: ['title', 'status', 'tasks'],
  docs: {
    summary: `A story has a status (a \`## Status\` section, or a \`**Status:**\` line above the first \`##\`) that is one configured story status, and it agrees with its tasks: a story with tasks planned is In Progress, not Draft or Ready; a Done story has no unfinished task; a story whose tasks are all done is Done (a warning). A plain \`Status: Done\` line is reported (add the bold markers).`,
    why: `The story status is what planning boards, the scaffolder and the \`/plan-tasks\` prompt key on; a story left Ready with tasks gets planned twice.`,
    howToFix: `Give the story one \`## Status\` section (or one \`**Status:**\` line under the title) holding one of the configured story statuses. Set it to the in-progress status once tasks are written, to the last one only when every task is done. \`--fix\` fixes the case of a status and a plain \`Status:\` label.`,
    options: `\`storyStatuses\` (workflow order: the last is done, the one before it in progress). **Fixable:** case and separators (\`in progress\` -> \`In Progress\`), and a plain \`Status:\` label.`,
    fixableNote: `\`plan-tasks lint --fix\``,
  },
  examples: [
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
    },
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

Done

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["5:1-5:5: Unexpected story status `Done` with 1 unfinished task, expected all done"],
    },
  ],
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
