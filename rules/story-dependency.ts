/**
 * ## story-dependency
 *
 * `## Dependencies` names stories that exist in the configured stories glob,
 * and the stories' dependencies form no cycle. A cross-story rule: it runs in
 * `plan-tasks lint` (and markdownlint), not in remark, where one file cannot
 * show it.
 *
 * Default severity: error. Not fixable.
 */
import { storyCyclesThrough } from '../src/lint/walk.js';
import type { Finding, ProjectCheck, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';
import type { Span } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'story-dependency',
  description: '`## Dependencies` names stories that exist, and the stories form no dependency cycle',
  fixable: false,
  url: ruleUrl('story-dependency'),
  severity: 'error',
  reads: ['dependencies'],
  docs: {
    summary: `\`## Dependencies\` names stories that exist in the configured stories glob (\`Story 012\`, \`story 12\`, \`story-012\`, \`012-slug.md\`, an item \`- 012\`, \`- #012\` or \`- 12\`; an entry that starts with \`None\` names none), and the stories' dependencies form no cycle. A cross-file check: it runs in \`plan-tasks lint\`, not in editors.`,
    why: `A story that depends on a missing or circular story cannot be scheduled.`,
    howToFix: `Name a story that exists: a file \`NNN-*.md\` matched by the configured \`stories\` glob. For a cycle, remove one of the \`## Dependencies\` entries on the reported path.`,
    options: `\`stories\` (the glob the refs resolve against).`,
  },
  examples: [
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Dependencies

- Story 014: Protocol

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
      files: {
        "014-protocol.md": `# Story 014: Protocol

## Status

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.
`,
      },
    },
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Dependencies

- Story 099

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
      messages: ["9:9-9:12: Unexpected dependency on unknown story `099`, expected a story file 099-*.md in the configured stories"],
    },
  ],
};

export const checkProject: ProjectCheck = (story, { project, cycles }) => {
  const out: Finding[] = [];
  const self = story.id;
  const seen = new Set<string>();
  for (const dep of story.dependencies) {
    if (dep.story === self || seen.has(dep.story)) continue;
    seen.add(dep.story);
    if (!project.byId.has(dep.story)) out.push(unknownStoryDependencyFinding(dep.story, dep.span));
  }
  if (!self || !cycles || story.dependencies.length === 0) return out;
  for (const cycle of storyCyclesThrough(self, story, project)) {
    const i = cycle.indexOf(self);
    const rotated = [...cycle.slice(i, -1), ...cycle.slice(0, i), self];
    const next = rotated[1]!;
    const ref = story.dependencies.find((d) => d.story === next);
    out.push({
      message: `Unexpected story dependency cycle ${rotated.join(' -> ')}, expected stories that can be ordered`,
      note: 'Remove one of these dependencies.',
      span: ref?.span ?? story.dependencies[0]!.span,
    });
  }
  return out;
};

/** The finding for a `## Dependencies` entry naming a story no file of the glob carries (`lint`, `graph`, `next`). */
export function unknownStoryDependencyFinding(storyId: string, span: Span): Finding {
  return {
    message: `Unexpected dependency on unknown story ${code(storyId)}, expected a story file ${storyId}-*.md in the configured stories`,
    note: 'Stories are the files of the configured `stories` glob.',
    span,
  };
}
