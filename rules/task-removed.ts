/**
 * ## task-removed
 *
 * A task that was in progress or done in the old version of a story may not
 * disappear from the new one, and may not change its id (other tasks and
 * stories refer to it as `003` or `014/003`). A task whose title reappears
 * under another id is reported as renumbered; pending tasks may be removed or
 * renumbered freely.
 *
 * Default severity: error. Not fixable.
 */
import type { Finding, RuleMeta, TransitionCheck, TransitionContext } from '../src/rules/types.js';
import { clip, code, ruleUrl, storySpan } from '../src/rules/util.js';
import { canonicalTaskStatus } from '../src/status/index.js';
import { matchTasks } from '../src/git/rules/match.js';
import type { Story } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'task-removed',
  description: 'A task that was in progress or done was not removed or renumbered',
  fixable: false,
  url: ruleUrl('task-removed'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A task that was in progress or done in the old version of a story may not disappear from the
new one, nor change its id. A task whose title reappears under another id is reported as
renumbered; pending tasks may be removed or renumbered freely. Old and new versions are the same
as for [\`status-transition\`](status-transition.md): index vs HEAD under \`--staged\`, HEAD vs the
merge-base under \`--base <rev>\` (renamed story files are followed).`,
    why: `Deleting a finished task erases the record that the work was done; renumbering one breaks every
\`003\` and \`014/003\` ref that points at it, in this story and in others.`,
    howToFix: `Keep started and finished tasks in the plan with their ids; a started task that is no longer wanted stays, its description saying why. Renumber or remove only tasks that have not started, and insert a task between started ones with a letter (\`011a\`), which [\`task-id-sequence\`](task-id-sequence.md) accepts.`,
    options: `Which statuses count as started: every configured \`taskStatuses\` entry but the first. A story
file deleted as a whole (or moved out of the configured \`stories\`) is reported too, once per
started or finished task, at line 1 of the old path: \`1:1 error Unexpected removal of task 001
(done in HEAD) with its deleted story file, expected it to stay\` (for a move: \`... with its
story file, moved to docs/archive/001-auth.md outside the configured stories, expected it to
stay\`). A story renamed within the stories (\`git mv\`, or a new name with the same story
number) is followed, not removed.`,
  },
  examples: [
    {
      name: '015-token-auth.md',
      before: `# Story 015: Token authentication

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
**Status:** pending
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.

---

### 003: Log rejected requests

**Domain:** compute
**Status:** pending
**Depends on:** 002

Log each rejected request in \`daemon/server.c\`. The test checks the log line.
`,
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
**Status:** pending
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
    },
    {
      name: '015-token-auth.md',
      before: `# Story 015: Token authentication

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
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.
`,
      messages: ["7:1-7:9: Unexpected removal of task 002 (in_progress in HEAD), expected it to stay"],
    },
    {
      name: '015-token-auth.md',
      before: `# Story 015: Token authentication

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
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Tasks

### 001: Read the token from the config

**Domain:** compute
**Status:** pending
**Depends on:** none

Read \`token\` from \`daemon.toml\` in \`daemon/config.c\`. A unit test in \`daemon/test_config.c\` checks a missing file.

---

### 002: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 003: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 002

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["19:5-19:8: Unexpected renumbering of task 001 (done in HEAD) to 002, expected id 001", "29:5-29:8: Unexpected renumbering of task 002 (in_progress in HEAD) to 003, expected id 002"],
    },
  ],
};

export const checkTransition: TransitionCheck = (old, current, { config, before }) => {
  const out: Finding[] = [];
  const first = config.taskStatuses[0];
  const started = (value: string | undefined) => {
    const s = canonicalTaskStatus(config, value);
    return s !== null && s !== first;
  };
  const { pairs, removed } = matchTasks(old, current);
  for (const { old: o, current: n, kind } of pairs) {
    if (kind !== 'renumbered' || !started(o.status?.value)) continue;
    out.push({
      message: `Unexpected renumbering of task ${o.id} (${clip(o.status!.value, 20)} in ${before}) to ${n.id}, expected id ${o.id}`,
      note: `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks keep their ids.`,
      span: n.heading.idSpan ?? n.heading.span,
    });
  }
  const where = current.tasksSections[0]?.heading ?? storySpan(current);
  for (const o of removed) {
    if (!started(o.status?.value)) continue;
    out.push({
      message: `Unexpected removal of task ${o.id} (${clip(o.status!.value, 20)} in ${before}), expected it to stay`,
      note: `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks are kept in the plan.`,
      span: where,
    });
  }
  return out;
};

/**
 * A story file deleted by the change (no new version paired with it by git's
 * rename detection or by story number): every task that was in progress or
 * done in the old version is a removal. Spans are at the file's first line
 * (there is no new text to point into).
 */
export function checkDeleted(old: Story, { config, before }: TransitionContext, movedTo?: string): Finding[] {
  const first = config.taskStatuses[0];
  const at = { line: 1, column: 1, offset: 0 };
  const out: Finding[] = [];
  for (const o of old.tasks) {
    const s = canonicalTaskStatus(config, o.status?.value);
    if (o.id === null || s === null || s === first) continue;
    out.push({
      message: movedTo
        ? `Unexpected removal of task ${o.id} (${clip(o.status!.value, 20)} in ${before}) with its story file, moved to ${clip(movedTo, 60)} outside the configured stories, expected it to stay`
        : `Unexpected removal of task ${o.id} (${clip(o.status!.value, 20)} in ${before}) with its deleted story file, expected it to stay`,
      note: movedTo
        ? `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks are kept in the plan. Keep the story among the configured "stories" (or add its new folder to them).`
        : `Task ${o.id} is ${code(clip(o.title))}: started and finished tasks are kept in the plan.`,
      span: { start: at, end: at },
    });
  }
  return out;
}
