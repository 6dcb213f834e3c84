/**
 * ## dependency-self
 *
 * A task does not depend on itself.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'dependency-self',
  description: 'No task depends on itself',
  fixable: false,
  url: ruleUrl('dependency-self'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A task does not depend on itself.`,
    why: `It can never start.`,
    howToFix: `Remove the task's own id from its \`**Depends on:**\` list; list the other tasks it needs, or write \`none\`.`,
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

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001, 002

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["23:22-23:25: Unexpected dependency of task 002 on itself, expected other task ids or `none`"],
    },
  ],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    if (!task.id) continue;
    for (const ref of task.depends) {
      if (ref.task === task.id && (ref.story === undefined || ref.story === story.id)) {
        out.push({
          message: `Unexpected dependency of task ${task.id} on itself, expected other task ids or \`none\``,
          note: `Remove ${code(ref.raw)} from its \`**Depends on:**\` list.`,
          span: ref.span,
        });
      }
    }
  }
  return out;
};

const remarkLintDependencySelf = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-self', url: meta.url }, remarkRule(check));
export default remarkLintDependencySelf;
