/**
 * ## task-fields
 *
 * Each task carries `**Domain:**`, `**Status:**` and `**Depends on:**`, each
 * exactly once, in that order, right under the heading (one per line in one
 * paragraph, or in separate paragraphs). Further bold-label fields
 * (`**Files:**`, `**Test:**`, `**Estimate:**`) may follow anywhere.
 *
 * One field per line: `**Domain:** backend **Status:** pending` is reported
 * (fixable: the line is broken before the second label). Fields written as
 * list items (`- **Domain:** backend`) are read, and reported (fixable: the
 * markers are removed). A task field whose label is written another way
 * (`*Status:*`, `**Status** :`, `Status:`, a fullwidth colon) is read as that
 * field and reported (fixable: the label becomes `**Status:**`), not called
 * missing.
 *
 * Default severity: error. Fixable: the case of a label (`**domain:**`), one
 * field per line, list markers, labels in another shape.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import type { Field, Task } from '../src/story/model.js';
import { eolAt } from '../src/story/parse.js';
import { code, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-fields',
  description: 'Domain, Status and Depends on: each once, in that order, right under the heading',
  fixable: true,
  url: ruleUrl('task-fields'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `Each task carries \`**Domain:**\`, \`**Status:**\` and \`**Depends on:**\`, each exactly once, in that order, right under the heading (one per line in one paragraph, or in separate paragraphs). Further bold-label fields (\`**Files:**\`, \`**Test:**\`, \`**Estimate:**\`) may follow.

Values are read as rendered: a trailing hard break (two spaces, a \`\\\` before the next line, \`<br>\`), HTML comments before or after the value, and surrounding white space are not part of it, so \`**Domain:** compute\\\` (what mdformat writes for a two-space break) and \`**Status:** done <!-- pending | in_progress | done -->\` read as \`compute\` and \`done\`. A no-break space, a zero-width space (or another character that renders as nothing) and a reference to one (\`&nbsp;\`, \`&#32;\`, \`&ZeroWidthSpace;\`) at either end of a value are white space too.

One field per line: \`**Domain:** backend **Status:** pending\` is read as two fields and reported ("expected one field per line"; the fix breaks the line before the second label). Fields written as list items (\`- **Domain:** backend\`) right under the heading are read too, and reported ("expected fields written as lines, not list items"; the fix removes the markers). A task field whose label is written another way (\`**Status** : done\`, \`*Status:* done\`, \`_Status:_\`, \`Status: done\`, a fullwidth \`：\`) is read as that field and reported ("Unexpected field label \`*Status:*\`, expected \`**Status:**\`"; the fix rewrites the label), never called missing; an invisible character inside a label (\`**Status\\u200b:**\`) is reported and removed by the fix.`,
    why: `The three fields are what the graph, \`next\`, the hook and CI read; a missing \`Depends on\` makes ordering a guess.`,
    howToFix: `Put \`**Domain:**\`, \`**Status:**\` and \`**Depends on:**\` right under the task heading, each once, in that order, before the description. \`--fix\` fixes the case of a label.`,
    options: `None. **Fixable:** the case of a label (\`**domain:**\` -> \`**Domain:**\`).`,
    fixableNote: `\`plan-tasks lint --fix\`: a label's case, one field per line, list markers`,
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

**Status:** in_progress
**Domain:** compute
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["19:1-19:41: Unexpected field order Status, Domain, Depends on in task 002, expected Domain, Status, Depends on"],
    },
  ],
};

const REQUIRED = [
  { key: 'domain', label: 'Domain', example: '**Domain:** backend' },
  { key: 'status', label: 'Status', example: '**Status:** pending' },
  { key: 'depends on', label: 'Depends on', example: '**Depends on:** none' },
] as const;

/**
 * True when the checks below find nothing in the task: no field written
 * inline, in another label form or as a list item, and Domain, Status and
 * Depends on each once, with their standard labels, among the leading fields,
 * in that order. Most tasks are so; one pass over the fields, no allocation.
 */
function plainFields(task: Task): boolean {
  let next = 0; // the index in REQUIRED of the field expected next
  let at = -1;
  for (const f of task.fields) {
    if (f.inline || f.labelForm || f.listItem) return false;
    if (f.key !== 'domain' && f.key !== 'status' && f.key !== 'depends on') continue;
    const req = REQUIRED[next];
    if (req === undefined || f.key !== req.key || f.label !== req.label || f.span.start.offset <= at || !task.leadingFields.includes(f)) return false;
    at = f.span.start.offset;
    next++;
  }
  return next === REQUIRED.length;
}

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    if (plainFields(task)) continue;
    let previous: Field | null = null;
    for (const f of task.fields) {
      if (f.inline && previous) {
        // `**Domain:** x **Status:** y`: break the line before the second label.
        const from = previous.valueSpan.end.offset;
        out.push({
          message: `Unexpected ${code(`**${f.label}:**`)} on the line of ${code(`**${previous.label}:**`)} in ${taskLabel(task)}, expected one field per line`,
          // From the end of the previous value: the span covers what the fix replaces.
          span: { start: previous.valueSpan.end, end: f.span.end },
          fix: { range: [from, f.span.start.offset], text: eolAt(story.text, f.span.start.offset, story.eol) },
        });
      }
      if (f.labelForm) {
        // `*Status:*`, `**Status** :`, `Status:`: read as the field, written another way.
        const form = story.text.slice(f.labelForm.start.offset, f.labelForm.end.offset);
        const want = REQUIRED.find((r) => r.key === f.key)?.label ?? f.label;
        out.push({
          message: `Unexpected field label ${code(form)} in ${taskLabel(task)}, expected ${code(`**${want}:**`)}`,
          span: f.labelForm,
          fix: { range: [f.labelForm.start.offset, f.labelForm.end.offset], text: `**${want}:**` },
        });
      }
      if (f.listItem) {
        out.push({
          message: `Unexpected list item for ${code(`**${f.label}:**`)} in ${taskLabel(task)}, expected fields written as lines, not list items`,
          span: f.span,
          fix: { range: [f.listItem.start.offset, f.listItem.end.offset], text: '' },
        });
      }
      previous = f;
    }
    const present: { key: string; line: number }[] = [];
    for (const req of REQUIRED) {
      const fields = task.fields.filter((f) => f.key === req.key);
      if (fields.length === 0) {
        const expected =
          req.key === 'domain'
            ? `one of ${config.domains.map((d) => d.name).join(', ')}`
            : req.key === 'status'
              ? `one of ${config.taskStatuses.join(', ')}`
              : '`none` or the ids it needs (`001, 002`)';
        out.push({
          message: `Missing ${code(`**${req.label}:**`)} in ${taskLabel(task)}, expected it under the heading`,
          note: `A ${code(`**${req.label}:**`)} line right under the heading with ${expected}.`,
          span: task.heading.span,
        });
        continue;
      }
      const [first, ...dups] = fields;
      if (first!.label !== req.label && !first!.labelForm) {
        out.push({
          message: /[\u200b-\u200d\u2060\ufeff]/.test(first!.label)
            ? `Unexpected invisible character in the field label ${code(first!.label)}, expected ${code(req.label)}`
            : `Unexpected field label ${code(first!.label)}, expected ${code(req.label)}`,
          span: first!.labelSpan,
          fix: { range: [first!.labelSpan.start.offset, first!.labelSpan.end.offset], text: req.label },
        });
      }
      for (const dup of dups) {
        out.push({
          message: `Unexpected second ${code(`**${req.label}:**`)} in ${taskLabel(task)}, expected one`,
          note: `The first is at line ${first!.span.start.line}; keep one.`,
          span: dup.span,
        });
      }
      if (!task.leadingFields.includes(first!)) {
        out.push({
          message: `Unexpected ${code(`**${req.label}:**`)} after the description of ${taskLabel(task)}, expected it above`,
          note: 'Task fields go right under the heading, before the description.',
          span: first!.span,
        });
      } else present.push({ key: req.key, line: first!.span.start.offset });
    }
    const order = [...present].sort((a, b) => a.line - b.line).map((p) => p.key);
    const wanted = REQUIRED.map((r) => r.key).filter((k) => order.includes(k));
    if (order.join('|') !== wanted.join('|')) {
      const name = (k: string) => REQUIRED.find((r) => r.key === k)!.label;
      out.push({
        message: `Unexpected field order ${order.map(name).join(', ')} in ${taskLabel(task)}, expected Domain, Status, Depends on`,
        span: task.heading.span,
      });
    }
  }
  return out;
};

const remarkLintTaskFields = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-fields', url: meta.url }, remarkRule(check));
export default remarkLintTaskFields;
