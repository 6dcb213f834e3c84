/**
 * ## tasks-section
 *
 * A story has at most one `## Tasks` section, and task blocks (a `### NNN:`
 * heading followed by task fields) live only inside it. A `### 003: ...`
 * heading in Notes with no fields is not a task and is left alone.
 *
 * Nothing that looks like a task is ignored: inside `## Tasks`, a task in
 * another shape (`#### 002:` or a setext heading over fields, `###002:`,
 * `**002: Title**` or a plain `002: Title` line over fields, `002. Title`, a
 * checklist `- [ ] T001 ...` or `- ✅ 002 ...`, a bullet item holding task
 * fields, a task in a block quote, a task heading inside front matter that
 * runs over the story (closed with `...`, so a task's `---` closes it), a table with a status-like column (status,
 * state, progress, domain, area, depends) or rows of task ids) and a `## 002: Title` section after `## Tasks` or over task
 * fields are reported at their line: no rule, `graph` or `next` would see them.
 *
 * Default severity: error. Fixable where the intent is unambiguous: a task-like
 * title over task fields becomes `### NNN: Title`, and `###002:` gets its space.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, ruleUrl } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'tasks-section',
  description: 'At most one `## Tasks` section, and no task blocks outside it',
  fixable: true,
  url: ruleUrl('tasks-section'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A story has at most one \`## Tasks\` section, and task blocks (a \`### NNN:\` heading followed by task fields) live only inside it. A \`### 003: ...\` heading elsewhere with no task fields is not a task (design notes, test checklists) and is left alone.

Nothing that looks like a task is ignored. Each of these is reported at its line, in any story (a Done one too):

| Written as | Where | Fixable |
|---|---|---|
| \`## 002: Title\` (a task one level too high) | right after \`## Tasks\` (with a three-digit id), or over task fields anywhere | yes, to \`### 002: Title\`, when it has task fields and follows \`## Tasks\` |
| \`#### 002: Title\` (or deeper), or a setext heading (\`002: Title\` over \`---\`) | inside \`## Tasks\` | yes, when task fields follow |
| \`###002: Title\` (no space: Markdown reads it as text) | inside \`## Tasks\` | yes |
| \`**002: Title**\` (a bold title line) | inside \`## Tasks\`, over task fields or with a three-digit id | yes, when task fields follow |
| \`002: Title\`, \`Task 2 - Title\`, \`**002** Title\` (a plain or partly bold title line) | inside \`## Tasks\`, over task fields | yes |
| \`002. Title\` (a numbered list item) | inside \`## Tasks\`, a three-digit number or task fields in the item | no |
| \`- [ ] T001 Add header\` (a checklist) | inside \`## Tasks\`: every item before the first task; items with a task id after it | no |
| \`- ✅ 002 Title\` (a checklist with emoji boxes: ✅ ☑ ✔ ☐ ⬜ 🔲 ❌ ⏳ 🚧) | as a checklist | no |
| \`- 002: Title\` (a bullet item with task fields in it) | inside \`## Tasks\` | no |
| \`### 001: Title\` inside front matter that runs over the story (opened with \`---\` and "closed" with YAML's \`...\`, which Markdown does not know: the next \`---\`, a task separator, closes it) | anywhere in the front matter | no |
| \`> ### 002: Title\` (a task in a block quote) | inside \`## Tasks\`, a task-like heading or task fields in the quote | no |
| a table with a \`Status\`, \`Domain\` or \`Depends\` column, or a \`State\`, \`Progress\`, \`Area\` column and rows that start with a task id (\`002\`, \`T002\`, \`002: Title\`) | inside \`## Tasks\`: before the first task, one finding per row; under a task, only rows with a task id in a table whose first column is \`ID\`, \`#\` or \`Task\` or that has a \`Domain\` / \`Depends\` column (a \`Code\` / \`Status\` table of HTTP codes is a test matrix) | no |

The blocks after a task-like block with fields (up to the next \`###\` task) belong to no task, so its fields are not reported a second time as fields of the task above.`,
    why: `Tools that read the plan (the graph, \`next\`, the scaffolder, status transitions) only read \`### NNN: Title\` blocks inside \`## Tasks\`; a task block anywhere else, or in any other shape, is silently ignored by all of them: \`next\` would never offer it, a task depending on it would look blocked by nothing. \`graph\` and \`next\` report these findings too, and exit 1.`,
    howToFix: `Keep one \`## Tasks\` section and every task block (\`### NNN: Title\` with its fields) inside it; move tasks from a second section or from other sections into it.`,
    options: null,
    fixableNote: `\`plan-tasks lint --fix\`: the unambiguous cases above`,
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

**002: Reject requests without a token**

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["19:1-19:41: Unexpected task title in bold `**002: Reject requests without a token**`, expected a heading `### 002: Reject requests without a token`"],
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

## Notes

### 003: Log rejected requests

**Domain:** compute
**Status:** pending
**Depends on:** 002

Log each rejected request in \`daemon/server.c\` with the client address. The test in \`daemon/test_server.c\` checks the log line.
`,
      messages: ["29:1-29:31: Unexpected task `003` under `## Notes`, expected it in `## Tasks`"],
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

---

## 003: Log rejected requests

**Domain:** compute
**Status:** pending
**Depends on:** 002

Log each rejected request in \`daemon/server.c\` with the client address. The test in \`daemon/test_server.c\` checks the log line.
`,
      messages: ["29:1-29:30: Unexpected task heading `## 003: Log rejected requests`, expected a level-3 heading `### 003: Log rejected requests`"],
    },
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Tasks

- [x] T001 Add the token field
- [ ] T002 Reject requests without a token
`,
      messages: ["9:1-9:31: Unexpected task as a checklist item `- [x] T001 Add the token field`, expected a heading `### 001: Add the token field` with `**Domain:**`, `**Status:**` and `**Depends on:**` lines", "10:1-10:43: Unexpected task as a checklist item `- [ ] T002 Reject requests without a token`, expected a heading `### 002: Reject requests without a token` with `**Domain:**`, `**Status:**` and `**Depends on:**` lines"],
    },
  ],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const [first, ...rest] = story.tasksSections;
  for (const extra of rest) {
    out.push({
      message: `Unexpected second \`## Tasks\` section (first at line ${first!.heading.start.line}), expected one`,
      note: 'Move these tasks into the first section.',
      span: extra.heading,
    });
  }
  for (const stray of story.strayTasks) {
    // Tasks in a second `## Tasks` section are covered by the finding above.
    if (stray.section !== null && stray.section.toLowerCase().replace(/(?<![:\s])[:\s]+$/, '') === 'tasks') continue;
    const where = stray.section ? ` under \`## ${stray.section}\`` : '';
    out.push({
      message: `Unexpected task ${code(clip(stray.heading.rawId ?? stray.heading.raw, 30))}${where}, expected it in \`## Tasks\``,
      note: 'Move the task into the `## Tasks` section.',
      span: stray.heading.span,
    });
  }
  for (const loose of story.looseTasks) {
    const want = loose.replace?.text ?? `### ${loose.id ?? 'NNN'}: ${loose.title || 'Title'}`;
    const fields = '`**Domain:**`, `**Status:**` and `**Depends on:**` lines';
    const message =
      loose.shape === 'heading-level'
        ? `Unexpected task heading ${code(loose.raw)}, expected a level-3 heading ${code(want)}${loose.hasFields ? '' : ` with ${fields}`}`
        : loose.shape === 'heading-space'
          ? `Unexpected task heading ${code(loose.raw)} without a space after the \`#\`s (Markdown reads it as text), expected ${code(want)}`
          : loose.shape === 'bold-title'
            ? `Unexpected task title in bold ${code(loose.raw)}, expected a heading ${code(want)}${loose.hasFields ? '' : ` with ${fields}`}`
            : loose.shape === 'text-title'
              ? `Unexpected task title as a line of text ${code(loose.raw)}, expected a heading ${code(want)}`
            : loose.shape === 'list-item'
              ? `Unexpected task as a list item ${code(loose.raw)}, expected a heading ${code(want)} with ${fields} (not list items)`
            : loose.shape === 'blockquote'
              ? `Unexpected task in a block quote ${code(loose.raw)}, expected a heading ${code(want)} with ${fields} outside the quote`
            : loose.shape === 'frontmatter'
              ? `Unexpected task heading ${code(loose.raw)} inside the front matter (lines 1-${loose.frontmatterEnd}: only a \`---\` line closes it, not \`...\`), expected the front matter closed before the story`
            : loose.shape === 'numbered'
              ? `Unexpected task as a numbered list item ${code(loose.raw)}, expected a heading ${code(want)} with ${fields}`
              : loose.shape === 'checkbox'
                ? `Unexpected task as a checklist item ${code(loose.raw)}, expected a heading ${code(want)} with ${fields}`
                : `Unexpected task as a table row ${code(loose.raw)}, expected a heading ${code(want)} with ${fields}`;
    out.push({
      message,
      span: loose.span,
      ...(loose.replace ? { fix: { range: [loose.replace.span.start.offset, loose.replace.span.end.offset] as [number, number], text: loose.replace.text } } : {}),
    });
  }
  return out;
};

const remarkLintTasksSection = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:tasks-section', url: meta.url }, remarkRule(check));
export default remarkLintTasksSection;
