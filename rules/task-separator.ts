/**
 * ## task-separator
 *
 * Tasks are separated by a thematic break (`---`) on its own line after a blank
 * line. A `---` right under a line of text is not a separator: Markdown reads
 * it as a setext heading underline, which turns the text into a `##` heading.
 * The last task of the section needs none.
 *
 * Default severity: warn. Fixable: a missing `---` is inserted after the task;
 * a blank line is inserted above a `---` that underlines text.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { eolAt } from '../src/story/parse.js';
import { ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-separator',
  description: 'A `---` after every task but the last',
  fixable: true,
  url: ruleUrl('task-separator'),
  severity: 'warn',
  reads: ['tasks'],
  docs: {
    summary: `Tasks are separated by a thematic break (\`---\`) after a blank line; the last task of the section needs none. A \`---\` right under a line of text is not a separator: Markdown reads it as a setext heading underline, which turns the text into a heading.`,
    why: `The separator is what makes a long task list readable, and a setext \`---\` silently changes the document's structure.`,
    howToFix: `Put a \`---\` line after each task, with a blank line above it: right under text, Markdown reads \`---\` as a heading underline. \`--fix\` adds a missing separator.`,
    options: `None. **Fixable:** a missing \`---\` is inserted after the task; a blank line is inserted above a \`---\` that underlines text.`,
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

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["15:130-15:130: Missing `---` after task 001, expected a thematic break between tasks"],
    },
  ],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const tasks = story.tasks;
  tasks.forEach((task, i) => {
    const sep = task.separator;
    if (sep?.setext) {
      const lineStart = sep.span.start.offset - (sep.span.start.column - 1);
      out.push({
        message: `Unexpected \`---\` right under text in ${taskLabel(task)}, expected a blank line above`,
        note: 'Markdown reads `---` right under text as a heading underline.',
        span: sep.span,
        fix: { range: [lineStart, lineStart], text: eolAt(story.text, Math.max(0, lineStart - 2), story.eol) },
      });
      return;
    }
    if (sep || i === tasks.length - 1) return;
    const at = task.bodyEnd;
    out.push({
      message: `Missing \`---\` after ${taskLabel(task)}, expected a thematic break between tasks`,
      span: { start: at, end: at },
      fix: (() => {
        const eol = eolAt(story.text, at.offset, story.eol);
        return { range: [at.offset, at.offset] as [number, number], text: `${eol}${eol}---` };
      })(),
    });
  });
  return out;
};

const remarkLintTaskSeparator = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-separator', url: meta.url }, remarkRule(check));
export default remarkLintTaskSeparator;
