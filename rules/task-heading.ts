/**
 * ## task-heading
 *
 * Every `###` heading inside `## Tasks` reads `### NNN: Title`: a three-digit
 * id (optionally one lower-case letter for a task inserted later, `011a`), a
 * colon, and a non-empty title.
 *
 * Default severity: error. Fixable: a `Task ` prefix (`### Task 001: X`), a
 * missing colon (`### 001 - X`), and a short or upper-case id (`### 1: X` ->
 * `### 001: X`, `### 002A: X` -> `### 002a: X`) when no other task has that id.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-heading',
  description: 'Task headings read `### NNN: Title`',
  fixable: true,
  url: ruleUrl('task-heading'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `Every \`###\` heading inside \`## Tasks\` reads \`### NNN: Title\`: a three-digit id, optionally one lower-case letter for a task inserted later (\`011a\`), a colon, and a non-empty title. Ranges (\`### 003-006:\`), short ids (\`### 5:\`) and other \`###\` headings are reported; use \`####\` for a sub-heading inside a task.`,
    why: `Ids are what dependencies, the graph and git transitions refer to; one canonical form keeps \`Depends on: 003\` unambiguous.`,
    howToFix: `Write the heading as \`### NNN: Title\`: three digits (a letter for a task inserted later, \`011a\`), a colon, and a title that says what the task does. Use \`####\` for a sub-heading inside a task. \`--fix\` removes a \`Task \` prefix, adds a missing colon, and writes a short or upper-case id in full (\`### 1:\` -> \`### 001:\`, \`### 002A:\` -> \`### 002a:\`) when no other task of the story has that id.`,
    options: `None. **Fixable:** a \`Task \` prefix is removed, a missing colon (\`### 002 - X\`) becomes \`: \`, a short or upper-case id is padded to three digits and lower-cased (\`### Task 1 - X\` -> \`### 001: X\`) unless another task already has that id.`,
    fixableNote: `\`plan-tasks lint --fix\``,
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

### Task 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["19:1-19:46: Unexpected `Task` prefix, expected `### 002: Reject requests without a token`"],
    },
  ],
};

/**
 * The canonical spelling of a short or upper-case id (`1` -> `001`, `12b` ->
 * `012b`, `002A` -> `002a`), or null when there is none (a range, four digits).
 */
function canonicalId(rawId: string): string | null {
  const m = /^(\d{1,3})([A-Za-z]?)$/.exec(rawId);
  return m ? m[1]!.padStart(3, '0') + m[2]!.toLowerCase() : null;
}

export const check: Check = (story) => {
  const out: Finding[] = [];
  // How many tasks each canonical id would name: a spelling is fixed only when its id is free.
  const uses = new Map<string, number>();
  for (const task of story.tasks) {
    const id = task.heading.id ?? (task.heading.rawId === null ? null : canonicalId(task.heading.rawId));
    if (id) uses.set(id, (uses.get(id) ?? 0) + 1);
  }
  for (const task of story.tasks) {
    const h = task.heading;
    if (h.rawId === null) {
      out.push({
        message: `Unexpected heading ${code(clip('### ' + h.raw))} in \`## Tasks\`, expected \`### NNN: Title\``,
        note: 'Use `####` for a sub-heading inside a task.',
        span: h.span,
      });
      continue;
    }
    // The id the heading should carry: its own, or its canonical spelling when no other task has that.
    const fixed = h.id === null ? canonicalId(h.rawId) : null;
    const free = fixed !== null && uses.get(fixed) === 1;
    const id = h.id ?? (free ? fixed : h.rawId);
    if (h.taskPrefix) {
      const canonical = `### ${id}: ${h.title}`;
      out.push({
        message: `Unexpected \`Task\` prefix, expected ${code(clip(canonical))}`,
        span: h.span,
        fix: { range: [h.taskPrefix.start.offset, h.taskPrefix.end.offset], text: '' },
      });
    }
    if (h.id === null) {
      let expected = 'three digits and an optional lower-case letter, such as `001` or `011a`';
      let note: string | undefined;
      if (/[-–]/.test(h.rawId)) expected = 'one id per task: split the range into one task per id';
      else if (free) expected = code(fixed);
      else if (fixed !== null) {
        expected = 'an id no other task uses';
        note = `Another task already has id ${code(fixed)}: renumber one of them and update the refs that meant it.`;
      }
      out.push({
        message: `Unexpected task id ${code(h.rawId)}, expected ${expected}`,
        ...(note ? { note } : {}),
        span: h.idSpan ?? h.span,
        ...(free && h.idSpan ? { fix: { range: [h.idSpan.start.offset, h.idSpan.end.offset] as [number, number], text: fixed } } : {}),
      });
    }
    if (!h.hasColon && h.separatorSpan) {
      out.push({
        message: `Missing colon after task id ${code(h.rawId)}, expected ${code(clip(`### ${id}: ${h.title || 'Title'}`))}`,
        span: h.span,
        fix: h.title ? { range: [h.separatorSpan.start.offset, h.separatorSpan.end.offset], text: ': ' } : undefined,
      });
    }
    if (!h.title) {
      out.push({ message: `Missing title after task id ${code(h.rawId)}, expected \`### ${id}: Title\``, note: 'A title that says what the task does.', span: h.span });
    }
  }
  return out;
};

const remarkLintTaskHeading = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-heading', url: meta.url }, remarkRule(check));
export default remarkLintTaskHeading;
