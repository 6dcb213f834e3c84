/**
 * ## story-status-transition
 *
 * A story's status only moves forward through the configured `storyStatuses`
 * (default Draft -> Ready -> In Progress -> Done). Skipping forward is fine
 * (Ready -> Done); moving backwards (Done -> In Progress) is reported.
 * Compares the new version of a story with the old one (HEAD for `--staged`,
 * the merge-base for `--base`).
 *
 * Default severity: error. Not fixable.
 */
import type { Finding, RuleMeta, TransitionCheck } from '../src/rules/types.js';
import { clip, code, ruleUrl } from '../src/rules/util.js';
import { canonicalStoryStatus } from '../src/status/index.js';

export const meta: RuleMeta = {
  id: 'story-status-transition',
  description: 'The story status did not move backwards',
  fixable: false,
  url: ruleUrl('story-status-transition'),
  severity: 'error',
  reads: ['title', 'status'],
  docs: {
    summary: `A story's status only moves forward through the configured \`storyStatuses\` (default
\`Draft -> Ready -> In Progress -> Done\`). Skipping forward is fine (\`Ready -> Done\`); moving
backwards (\`Done -> In Progress\`) is reported. Old and new versions are the same as for
[\`status-transition\`](status-transition.md): index vs HEAD under \`--staged\`, HEAD vs the merge-base
under \`--base <rev>\`, following renamed story files.`,
    why: `A Done story that silently reopens changes what the team believes is shipped; if more work is
needed, a new story says so where everyone looks.`,
    howToFix: `Put the story status back: story statuses only move forward (by default Draft -> Ready -> In Progress -> Done). If work on a Done story resumes, open a new story for it.`,
    options: `\`storyStatuses\` sets the order. Statuses are matched loosely (\`in progress\` is \`In Progress\`;
\`Complete\` counts as the last status); one that is not configured is left to
[\`story-status\`](story-status.md).`,
  },
  examples: [
    {
      name: '015-token-auth.md',
      before: `# Story 015: Token authentication

## Status

Ready

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
      messages: ["5:1-5:12: Unexpected story status change from `Done` (HEAD) to `In Progress` (staged), expected `Done` or later"],
    },
  ],
};

export const checkTransition: TransitionCheck = (old, current, { config, before, after }) => {
  if (!old.status || !current.status) return [];
  const from = canonicalStoryStatus(config, old.status.value);
  const to = canonicalStoryStatus(config, current.status.value);
  if (!from || !to || from === to) return [];
  const order = config.storyStatuses;
  if (order.indexOf(to) > order.indexOf(from)) return [];
  const finding: Finding = {
    message: `Unexpected story status change from ${code(clip(old.status.value, 20))} (${before}) to ${code(clip(current.status.value, 20))} (${after}), expected ${code(from)} or later`,
    note: `Story statuses only move forward (${order.join(' -> ')}).`,
    span: current.status.span,
  };
  return [finding];
};
