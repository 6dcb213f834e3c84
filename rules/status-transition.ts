/**
 * ## status-transition
 *
 * A task's status may only move along an edge of the configured workflow
 * (`transitions` in the config; default: pending -> in_progress | done,
 * in_progress -> done | pending, nothing leaves done). An unchanged status is
 * always fine. Compares the new version of a story with the old one (HEAD for
 * `--staged`, the merge-base for `--base`); tasks are matched by id and title,
 * so a renumbered task is still compared with itself.
 *
 * Default severity: error. Not fixable: the old status is the likely fix, but
 * only a person knows whether the work was really undone.
 */
import type { Finding, RuleMeta, TransitionCheck } from '../src/rules/types.js';
import { clip, code, list, ruleUrl } from '../src/rules/util.js';
import { allowedMoves, canonicalTaskStatus } from '../src/status/index.js';
import { matchTasks } from '../src/git/rules/match.js';

export const meta: RuleMeta = {
  id: 'status-transition',
  description: "A task's status moved only along an edge the configured workflow allows",
  fixable: false,
  url: ruleUrl('status-transition'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A task's status may only move along an edge of the configured workflow. The check compares the
new version of a story with its old one: the staged (index) version with HEAD under
\`plan-tasks lint --staged\`, the HEAD version with the merge-base under \`plan-tasks lint --base <rev>\`.
An unchanged status is always fine. Tasks are matched by id and title, so a renumbered task is
still compared with itself (and reported by [\`task-removed\`](task-removed.md)). Under \`--base origin/main\` the versions are named \`origin/main\` (its merge-base with HEAD) and \`HEAD\`; the default edges are \`pending -> in_progress | done\`, \`in_progress -> done | pending\`, and nothing leaves \`done\`.`,
    why: `A task quietly moved from \`done\` back to \`pending\` (or a \`pending\` task flipped to \`done\` in a
workflow that wants \`in_progress\` first) is invisible in a 300-line story diff. It is the
"phantom completion" problem seen the other way round: nobody notices the plan changing under them.`,
    howToFix: `Put the status back to what it was, or move it only along the configured transitions (the note lists where the old status may go). If the team's workflow allows the move, add it under \`transitions\` in \`plan-tasks.config.json\`.`,
    options: `\`transitions\` in \`plan-tasks.config.json\`: for each status, the statuses it may move to.
Statuses are matched like [\`task-status\`](task-status.md) does (\`Done\` is \`done\`; common synonyms such as
\`Complete\` count as the done status); a status that is not configured is left to \`task-status\`.

\`\`\`json
{ "transitions": { "pending": ["in_progress"], "in_progress": ["done", "pending"], "done": ["in_progress"] } }
\`\`\``,
    fixableNote: `only a person knows whether the work was really undone`,
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
**Status:** in_progress
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
**Status:** pending
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["12:13-12:20: Unexpected status change of task 001 from `done` (HEAD) to `pending` (staged), expected `done` to stay"],
    },
  ],
};

export const checkTransition: TransitionCheck = (old, current, { config, before, after }) => {
  const out: Finding[] = [];
  for (const { old: o, current: n } of matchTasks(old, current).pairs) {
    const from = canonicalTaskStatus(config, o.status?.value);
    const to = canonicalTaskStatus(config, n.status?.value);
    if (!from || !to || from === to || !n.status) continue;
    const allowed = allowedMoves(config, from);
    if (allowed.includes(to)) continue;
    const rawFrom = o.status!.value.trim();
    const rawTo = n.status.value.trim();
    const expected = allowed.length ? `expected ${code(from)} or ${list(allowed)}` : `expected ${code(from)} to stay`;
    out.push({
      message: `Unexpected status change of task ${n.id} from ${code(clip(rawFrom, 20))} (${before}) to ${code(clip(rawTo, 20))} (${after}), ${expected}`,
      note: `${code(from)} ${allowed.length ? `may move to ${list(allowed)}` : 'may not move: the configured transitions allow no move out of it'}.`,
      span: n.status.valueSpan,
    });
  }
  return out;
};
