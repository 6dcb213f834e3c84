/**
 * ## dependency-status
 *
 * Work follows the dependencies: a task that is done depends only on done
 * tasks, and a task in progress depends on no task still pending. Within a
 * file this checks the story's own tasks; `plan-tasks lint` also checks refs
 * to other stories' tasks.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, ProjectCheck, ProjectStory, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';
import { taskPhase } from '../src/status/index.js';
import type { ResolvedConfig } from '../src/config/types.js';
import type { Span, Task } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'dependency-status',
  description: 'A done task depends only on done tasks; an in-progress one on no pending task',
  fixable: false,
  url: ruleUrl('dependency-status'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `Work follows the dependencies: a done task depends only on done tasks, and an in-progress task on no pending one. \`plan-tasks lint\` also checks refs to other stories' tasks.`,
    why: `A done task whose dependency is pending means one of the two statuses is wrong.`,
    howToFix: `Finish (or start) the dependency first, or move the task back until its dependency gets there. If the task does not really need the other one, take it off the \`**Depends on:**\` list.`,
    options: `\`taskStatuses\` (the first is not started, the last is done).`,
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
**Status:** pending
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** done
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["23:17-23:20: Unexpected `done` task 002 before its dependency 001 (`pending`), expected 001 done first"],
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
**Depends on:** 014/001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      files: {
        "014-protocol.md": `# Story 014: Protocol

## Status

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** pending
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.
`,
      },
      messages: ["23:17-23:24: Unexpected `in_progress` task 002 while its dependency 014/001 is `pending`, expected 014/001 started first"],
    },
  ],
};

/** The finding for a task whose dependency is not far enough along, or null. */
export function statusConflict(
  config: ResolvedConfig,
  task: Pick<Task, 'id' | 'status'>,
  depLabel: string,
  depStatus: string | undefined,
  span: Span,
): Finding | null {
  const mine = taskPhase(config, task.status?.value);
  const theirs = taskPhase(config, depStatus);
  if (!mine || !theirs || !task.id) return null;
  const done = config.taskStatuses[config.taskStatuses.length - 1]!;
  if (mine === 'done' && theirs !== 'done') {
    return {
      message: `Unexpected ${code(task.status!.value.trim())} task ${task.id} before its dependency ${depLabel} (${code(depStatus!.trim())}), expected ${depLabel} ${done} first`,
      note: `Or move task ${task.id} back until ${depLabel} is ${done}.`,
      span,
    };
  }
  if (mine === 'active' && theirs === 'pending') {
    return {
      message: `Unexpected ${code(task.status!.value.trim())} task ${task.id} while its dependency ${depLabel} is ${code(depStatus!.trim())}, expected ${depLabel} started first`,
      note: `Start or finish ${depLabel} before task ${task.id}.`,
      span,
    };
  }
  return null;
}

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  const byId = new Map<string, Task>();
  for (const t of story.tasks) if (t.id && !byId.has(t.id)) byId.set(t.id, t);
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story !== undefined && ref.story !== story.id) continue;
      const dep = byId.get(ref.task);
      if (!dep || dep === task) continue;
      const f = statusConflict(config, task, ref.task, dep.status?.value, ref.span);
      if (f) out.push(f);
    }
  }
  return out;
};

/** Refs `NNN/TTT` into other stories: the task there is far enough along. */
export const checkProject: ProjectCheck = (story: ProjectStory, { config, project }) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story === undefined || ref.story === story.id) continue;
      const dep = project.summary(ref.story)?.tasks.find((t) => t.id === ref.task);
      if (!dep) continue; // dependency-unknown
      const f = statusConflict(config, task, ref.raw, dep.status ?? undefined, ref.span);
      if (f) out.push(f);
    }
  }
  return out;
};

const remarkLintDependencyStatus = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-status', url: meta.url }, remarkRule(check));
export default remarkLintDependencyStatus;
