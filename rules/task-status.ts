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
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A task's \`**Status:**\` is exactly one configured status (default \`pending\`, \`in_progress\`, \`done\`). Synonyms (\`Complete\`, \`todo\`) get a suggestion, and a word with no safe reading (\`blocked\`: not started, or half done?) gets none: no suggestion beats a wrong one; notes after the status (\`done (via x)\`) belong in the description.`,
    why: `Hooks, CI transitions, \`next\` and the graph compare statuses as exact values.`,
    howToFix: `Write exactly one configured task status, alone on the line: move notes (\`done via X\`) into the description. \`--fix\` fixes the case and separators of a known status (\`In Progress\` -> \`in_progress\`).`,
    options: `\`taskStatuses\`. **Fixable:** case and separators (\`Done\` -> \`done\`, \`In Progress\` -> \`in_progress\`), backticks around a status (\`\` \`done\` \`\` -> \`done\`).`,
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

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** Complete
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["12:13-12:21: Unexpected task status `Complete`, expected `done`?"],
    },
  ],
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
