/**
 * ## story-size
 *
 * A story with more tasks than `sizing.maxTasks` (default 15) is more than one
 * story: split it.
 *
 * Default severity: warn. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'story-size',
  description: 'At most 15 tasks per story',
  fixable: false,
  url: ruleUrl('story-size'),
  severity: 'warn',
  reads: ['tasks'],
  docs: {
    summary: `A story with more than \`sizing.maxTasks\` tasks (default 15) is more than one story: split it.`,
    why: `Big stories never finish; their status says little.`,
    howToFix: `Split the story into two or more stories, each with its own acceptance criteria and fewer than \`sizing.maxTasks\` tasks, and link them under \`## Dependencies\`.`,
    options: `\`sizing.maxTasks\`.`,
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
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      config: {"sizing": {"maxTasks": 1}},
      messages: ["7:1-7:9: Unexpected 2 tasks in one story, expected at most 1"],
    },
  ],
};

export const check: Check = (story, { config }) => {
  const max = config.sizing.maxTasks;
  const n = story.tasks.length;
  if (n <= max || !story.tasksSections[0]) return [];
  return [
    {
      message: `Unexpected ${n} tasks in one story, expected at most ${max}`,
      note: 'Split the story.',
      span: story.tasksSections[0].heading,
    } satisfies Finding,
  ];
};

const remarkLintStorySize = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:story-size', url: meta.url }, remarkRule(check));
export default remarkLintStorySize;
