/**
 * ## task-id-unique
 *
 * Task ids are unique within a story: a dependency on `003` must mean one task.
 *
 * Default severity: error. Not fixable (renumbering changes what refs mean).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';
import type { Task } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'task-id-unique',
  description: 'Task ids are unique within a story',
  fixable: false,
  url: ruleUrl('task-id-unique'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `Task ids are unique within a story.`,
    why: `A dependency on \`003\` must mean one task.`,
    howToFix: `Give the second task the next free id, and update the \`**Depends on:**\` lists that meant it.`,
    options: null,
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
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 001: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** none

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["19:5-19:8: Unexpected duplicate task id `001` (first at line 9), expected a new id"],
    },
  ],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const seen = new Map<string, Task>();
  for (const task of story.tasks) {
    if (!task.id) continue;
    const first = seen.get(task.id);
    if (first) {
      out.push({
        message: `Unexpected duplicate task id ${code(task.id)} (first at line ${first.heading.span.start.line}), expected a new id`,
        note: 'Give this task the next free id.',
        span: task.heading.idSpan ?? task.heading.span,
      });
    } else seen.set(task.id, task);
  }
  return out;
};

const remarkLintTaskIdUnique = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-id-unique', url: meta.url }, remarkRule(check));
export default remarkLintTaskIdUnique;
