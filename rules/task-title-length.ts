/**
 * ## task-title-length
 *
 * A task title fits on one line of a board, a commit subject or a `next`
 * listing: at most 80 characters (Unicode code points of the title as
 * written, after the `### NNN: `).
 *
 * Default severity: warn. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { ruleUrl } from '../src/rules/util.js';

/** The longest title, in characters (code points). */
const MAX = 80;

export const meta: RuleMeta = {
  id: 'task-title-length',
  description: `Task titles are at most ${MAX} characters`,
  severity: 'warn',
  fixable: false,
  reads: ['tasks'],
  url: ruleUrl('task-title-length'),
  docs: {
    summary: `A task title is at most ${MAX} characters: Unicode code points of the title as written after the \`### NNN: \` (an emoji is one character, backticks count).`,
    why: 'The title is what boards, `plan-tasks next`, graphs and commit subjects show. A title that does not fit on one line is usually a description in the wrong place, or two tasks.',
    howToFix: 'Say what the task delivers in a few words and move the how into the description; if the title joins two outcomes with "and", split the task.',
    options: null,
    fixableNote: 'only a person can shorten a title',
  },
  examples: [
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

Ready

## Tasks

### 001: Reject requests without a token

**Domain:** compute
**Status:** pending
**Depends on:** none

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
    },
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

Ready

## Tasks

### 001: Reject requests without a token in handle_request and log them with the client address and time

**Domain:** compute
**Status:** pending
**Depends on:** none

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ['9:10-9:105: Unexpected task title of 95 characters, expected at most 80'],
    },
  ],
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    const length = [...task.title].length;
    if (length <= MAX) continue;
    const { heading } = task;
    out.push({
      message: `Unexpected task title of ${length} characters, expected at most ${MAX}`,
      note: 'Keep what the task delivers in the title and move the how into the description.',
      span: { start: heading.separatorSpan?.end ?? heading.span.start, end: heading.span.end },
    });
  }
  return out;
};

const remarkLintTaskTitleLength = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-title-length', url: meta.url }, remarkRule(check));
export default remarkLintTaskTitleLength;
