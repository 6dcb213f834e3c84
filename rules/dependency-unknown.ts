/**
 * ## dependency-unknown
 *
 * Every task ref in `**Depends on:**` names a task that exists. Within a file
 * this checks refs to the story's own tasks (`002`, or `015/002` in story 015);
 * `plan-tasks lint` also resolves cross-story refs (`014/003`) against every
 * story in the configured glob.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, ProjectCheck, RuleMeta } from '../src/rules/types.js';
import type { Span } from '../src/story/model.js';
import { code, idRuns, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'dependency-unknown',
  description: 'Dependencies name tasks (and stories) that exist',
  fixable: false,
  url: ruleUrl('dependency-unknown'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `Every ref in \`**Depends on:**\` names a task that exists. Within a file this checks refs to the story's own tasks (\`002\`, or \`015/002\` in story 015); \`plan-tasks lint\` also resolves cross-story refs (\`014/003\`) against every story in the configured glob, even when only some files are linted.

A ref to a task written in another shape (\`#### 002:\`, \`**002: Title**\`, which \`tasks-section\` reports) says so, with that task's line.`,
    why: `A ref to a missing task blocks its task forever in \`next\` and breaks the graph.`,
    howToFix: `Name a task that exists in this story (the message lists the range of ids), or a task of another story as \`NNN/MMM\`. A task that was renumbered or removed leaves refs to fix in the tasks that needed it.`,
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
**Depends on:** 003

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["23:17-23:20: Unexpected dependency on unknown task `003` in task 002, expected one of story 015's task ids (001, 002)"],
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
**Depends on:** 001, 014/009

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
      messages: ["23:22-23:29: Unexpected dependency on unknown task `014/009` in task 002, expected one of story 014's task ids (001)"],
    },
  ],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  // A loop rather than map + filter: an empty story's array has another map, which made V8 drop this check's optimized code.
  const ids: string[] = [];
  for (const t of story.tasks) if (t.id !== null) ids.push(t.id);
  const known = new Set(ids);
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story !== undefined && ref.story !== story.id) continue;
      if (known.has(ref.task)) continue;
      const loose = story.looseTasks.find((l) => l.id === ref.task);
      if (loose) {
        out.push({
          message: `Unexpected dependency on task ${code(ref.raw)} in ${taskLabel(task)}, which is written in another shape at line ${loose.span.start.line}, expected a \`### ${ref.task}: Title\` task (see \`tasks-section\`)`,
          span: ref.span,
        });
        continue;
      }
      out.push({
        ...unknownTaskFinding(ref.raw, story.id, ids, ref.span, task),
        note: ids.length ? 'Name a task of this story, or a task of another story as `NNN/MMM`.' : 'No task of this story has a valid id yet: fix its headings (`task-heading`) first.',
      });
    }
  }
  return out;
};

/** Refs `NNN/TTT` into other stories: the story and the task exist. */
export const checkProject: ProjectCheck = (story, { project }) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story === undefined || ref.story === story.id) continue;
      const other = project.summary(ref.story);
      if (!other) out.push(unknownStoryRefFinding(ref.raw, ref.story, ref.span));
      else if (!other.tasks.some((t) => t.id === ref.task)) out.push(unknownTaskFinding(ref.raw, ref.story, other.tasks.map((t) => t.id), ref.span, task));
    }
  }
  return out;
};

/**
 * The finding for a ref to a task that story `storyId` (null: the linted story,
 * whose heading has no number) does not have, held by task `from` (named when
 * it has an id); the same words for a ref within the story (`007`) and into
 * another one (`014/009`). `lint` and `graph` / `next` (src/graph/unresolved.ts)
 * both report it.
 */
export function unknownTaskFinding(raw: string, storyId: string | null, ids: readonly string[], span: Span, from?: { id: string | null }): Finding {
  return {
    message: `Unexpected dependency on unknown task ${code(raw)}${from?.id ? ` in task ${from.id}` : ''}, expected one of ${storyId === null ? 'this story' : `story ${storyId}`}'s task ids (${ids.length ? idRuns(ids) : 'it has none'})`,
    note: ids.length ? 'Use one of those ids, or add the task to that story.' : 'Add the task to that story, or remove the ref.',
    span,
  };
}

/** The finding for a ref `NNN/TTT` into a story no file of the glob carries. */
export function unknownStoryRefFinding(raw: string, storyId: string, span: Span): Finding {
  return {
    message: `Unexpected dependency on unknown story ${storyId} in ${code(raw)}, expected a story file ${storyId}-*.md in the configured stories`,
    note: 'Stories are the files of the configured `stories` glob.',
    span,
  };
}

const remarkLintDependencyUnknown = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-unknown', url: meta.url }, remarkRule(check));
export default remarkLintDependencyUnknown;
