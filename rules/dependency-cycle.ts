/**
 * ## dependency-cycle
 *
 * The tasks of a story form no dependency cycle. The message spells the whole
 * cycle, `001 -> 003 -> 002 -> 001`, read as "001 depends on 003, which
 * depends on 002, which depends on 001". `plan-tasks lint` also reports cycles
 * that run through other stories.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { componentCycle, stronglyConnected } from '../src/graph/cycles.js';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, ProjectCheck, RuleMeta } from '../src/rules/types.js';
import { taskCyclesThrough } from '../src/lint/walk.js';
import { ruleUrl } from '../src/rules/util.js';
import type { Span, Task } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'dependency-cycle',
  description: 'No dependency cycles; the message spells the cycle',
  fixable: false,
  url: ruleUrl('dependency-cycle'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `The tasks of a story form no dependency cycle. The message spells the whole cycle, \`001 -> 003 -> 002 -> 001\`, read as "001 depends on 003, which depends on 002, which depends on 001". \`plan-tasks lint\` also reports cycles that run through other stories.`,
    why: `None of the tasks on a cycle can ever start.`,
    howToFix: `Remove one of the dependencies on the reported path (\`001 -> 003 -> 002 -> 001\`), usually the one that points backwards in the order the work really happens. If two tasks truly need each other, they are one task, or they need a third that holds what both share.`,
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
**Status:** pending
**Depends on:** 002

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** pending
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["13:17-13:20: Unexpected dependency cycle 001 -> 002 -> 001, expected tasks that can be ordered"],
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
**Status:** pending
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
**Depends on:** 015/002

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.
`,
      },
      messages: ["23:17-23:24: Unexpected dependency cycle 015/002 -> 014/001 -> 015/002 across stories, expected tasks that can be ordered"],
    },
  ],
};

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const NO_SUCCESSORS: readonly string[] = [];

export const check: Check = (story) => {
  const out: Finding[] = [];
  // The story's task graph: an edge from a task (the first of its id) to each task of this story it
  // depends on; unknown, cross-story and self refs are left out (their own rules report them).
  const byId = new Map<string, Task>();
  const order = new Map<string, number>();
  for (const task of story.tasks) {
    if (task.id && !byId.has(task.id)) {
      order.set(task.id, byId.size);
      byId.set(task.id, task);
    }
  }
  let edges: Map<string, string[]> | null = null;
  // Edges that all go to an earlier task cannot close a cycle (the tasks' order is a topological one).
  let forward = false;
  for (const [id, task] of byId) {
    for (const ref of task.depends) {
      if (ref.story !== undefined && ref.story !== story.id) continue;
      if (ref.task === id || !byId.has(ref.task)) continue;
      if (order.get(ref.task)! > order.get(id)!) forward = true;
      edges ??= new Map();
      const to = edges.get(id);
      if (to) to.push(ref.task);
      else edges.set(id, [ref.task]);
    }
  }
  if (edges === null || !forward) return out; // no edge to a later task, no cycle
  const graph = edges;
  const successors = (n: string) => graph.get(n) ?? NO_SUCCESSORS;
  // One cycle per strongly connected component of two or more tasks, from its smallest id, in id order.
  const cycles = stronglyConnected(graph.keys(), successors).components
    .filter((c) => c.length >= 2)
    .map((c) => componentCycle(c, successors))
    .sort((a, b) => byCodeUnit(a[0]!, b[0]!));
  for (const cycle of cycles) {
    const first = byId.get(cycle[0]!)!;
    const ref = first.depends.find((r) => r.task === cycle[1] && (r.story === undefined || r.story === story.id));
    out.push({
      message: `Unexpected dependency cycle ${cycle.join(' -> ')}, expected tasks that can be ordered`,
      note: 'Remove one of these dependencies.',
      span: ref ? ref.span : first.heading.span,
    });
  }
  return out;
};

/** Task-level cycles that run through this story and at least one other. */
export const checkProject: ProjectCheck = (story, { project, cycles }) => {
  const self = story.id;
  if (!self || !cycles) return [];
  if (!story.tasks.some((t) => t.depends.some((r) => r.story !== undefined && r.story !== self))) return [];
  const refSpans = new Map<string, Span>();
  for (const t of story.tasks) {
    if (!t.id) continue;
    for (const r of t.depends) {
      const key = `${self}/${t.id}>${r.story ?? self}/${r.task}`;
      if (!refSpans.has(key)) refSpans.set(key, r.span);
    }
  }
  const out: Finding[] = [];
  for (const cycle of taskCyclesThrough(self, story, project)) {
    const i = cycle.findIndex((n) => n.startsWith(`${self}/`));
    const rotated = [...cycle.slice(i, -1), ...cycle.slice(0, i)];
    rotated.push(rotated[0]!);
    const span = refSpans.get(`${rotated[0]}>${rotated[1]}`) ?? story.tasks.find((t) => `${self}/${t.id}` === rotated[0])?.heading.span;
    if (!span) continue;
    out.push({
      message: `Unexpected dependency cycle ${rotated.join(' -> ')} across stories, expected tasks that can be ordered`,
      note: 'Remove one of these dependencies.',
      span,
    });
  }
  return out;
};

const remarkLintDependencyCycle = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-cycle', url: meta.url }, remarkRule(check));
export default remarkLintDependencyCycle;
