/**
 * ## task-id-sequence
 *
 * Task ids ascend from `001` without gaps. A letter-suffixed id (`011a`) sits
 * right after its base (`011`) or the previous letter (`011a`, `011b`); a task
 * split into `011a`, `011b` with no `011` is fine too.
 *
 * Default severity: warn. Not fixable (renumbering changes what refs mean).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-id-sequence',
  description: 'Task ids ascend from 001 without gaps',
  fixable: false,
  url: ruleUrl('task-id-sequence'),
  severity: 'warn',
  reads: ['tasks'],
  docs: {
    summary: `Task ids ascend from \`001\` without gaps. A letter-suffixed id sits right after its base or the previous letter (\`011\`, \`011a\`, \`011b\`); a task split into \`011a\`, \`011b\` with no \`011\` is fine too. Ids a malformed heading covers (\`### 003-006:\`) count as used.`,
    why: `Gaps usually mean a deleted task that others may still depend on, or a renumbering in progress.`,
    howToFix: `Renumber so ids ascend from \`001\` without gaps, updating every \`**Depends on:**\` that names a renumbered task; a task inserted between two others may take a letter (\`011a\`). Started and finished tasks keep their ids (see \`task-removed\`).`,
    options: `None. Not fixable: renumbering changes what refs mean.`,
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

### 004: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["19:5-19:8: Unexpected task id `004` after `001`, expected `002`"],
    },
  ],
};

const pad = (n: number) => String(n).padStart(3, '0');

export const check: Check = (story) => {
  const out: Finding[] = [];
  let prev: { num: number; letter: string; id: string } | null = null;
  const seen = new Set<string>();
  for (const task of story.tasks) {
    // A range heading (`### 003-006: X`) is reported by task-heading; the ids
    // it covers count as used so the next task is not reported again.
    const range = task.id ? null : /^(\d{3})[-–][ \t]*(\d{3})$/.exec(task.heading.rawId ?? '');
    if (range) {
      prev = { num: Number(range[2]), letter: '', id: range[2]! };
      continue;
    }
    // A malformed id (`5`, `002A`) is reported by task-heading; sequence it by its value.
    const loose = task.id ? null : /^(\d{1,3})([A-Za-z]?)$/.exec(task.heading.rawId ?? '');
    if (loose) {
      prev = { num: Number(loose[1]), letter: loose[2]!.toLowerCase(), id: loose[1]!.padStart(3, '0') + loose[2]!.toLowerCase() };
      continue;
    }
    if (!task.id || seen.has(task.id)) continue;
    seen.add(task.id);
    const num = Number(task.id.slice(0, 3));
    const letter = task.id.slice(3);
    const span = task.heading.idSpan ?? task.heading.span;
    let expected: string | null = null;
    if (!prev) {
      if (num !== 1 || letter) expected = '`001` for the first task';
    } else if (letter) {
      // `011a` after `011` or `011a`; or `011a` right after `010` when 011 was split.
      const ok = (num === prev.num && letter > prev.letter) || (num === prev.num + 1 && letter === 'a');
      if (!ok) expected = `${code(pad(prev.num + 1))}, or ${code(pad(prev.num) + String.fromCharCode((prev.letter || '`').charCodeAt(0) + 1))} for a task inserted after ${code(prev.id)}`;
    } else if (num !== prev.num + 1) {
      expected = code(pad(prev.num + 1));
    }
    if (expected) {
      const after = prev ? ` after ${code(prev.id)}` : '';
      out.push({ message: `Unexpected task id ${code(task.id)}${after}, expected ${expected}`, span });
    }
    prev = { num, letter, id: task.id };
  }
  return out;
};

const remarkLintTaskIdSequence = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-id-sequence', url: meta.url }, remarkRule(check));
export default remarkLintTaskIdSequence;
