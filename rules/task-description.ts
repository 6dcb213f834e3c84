/**
 * ## task-description
 *
 * A task says what changes, where, and how to verify it in one to three
 * sentences of prose (configurable: `sizing.sentences`). Lists, code blocks and
 * bold-label fields (`**Files:**`, `**Test:**`) are not counted, nor are a
 * one-line `Label: value` paragraph, a paragraph under a field label written
 * without bold (`Verification: ...`) and a list's lead-in (`Helper functions:`). Placeholder
 * text (`[Description]`, `TODO`, `TBD`) is not a description.
 *
 * Default severity: error when missing or a placeholder; warning when longer
 * than the limit. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, countSentences, placeholderIn, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-description',
  description: '1..3 sentences of prose, no placeholder text',
  fixable: false,
  url: ruleUrl('task-description'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A task says what changes, where, and how to verify it in 1 to 3 sentences of prose. Lists, code blocks, bold-label fields (\`**Files:**\`, \`**Test:**\`), one-line \`Label: value\` paragraphs, paragraphs under a plain field label (\`Verification: ...\`) and list lead-ins (\`Helper functions:\`) are not counted. Placeholder text (\`[Description]\`, \`TODO\`, \`TBD\`) is not a description. Missing or placeholder: error; longer than the limit: warning (even when the rule is \`error\`).`,
    why: `A task that needs more than three sentences is usually two tasks, or carries detail that belongs in a field or a list.`,
    howToFix: `Under the fields, say in 1 to 3 sentences of prose what changes, where, and how to verify it. Replace placeholders (\`[Description]\`, \`TODO\`, \`TBD\`); move detail into fields such as \`**Files:**\` and \`**Test:**\`, or split the task.`,
    options: `\`sizing.sentences\` (\`{ "min": 1, "max": 3 }\`).`,
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
**Depends on:** 001

TODO
`,
      messages: ["25:1-25:5: Unexpected placeholder `TODO` in task 002, expected a description"],
    },
  ],
};

const PLAIN_LABEL = /^[A-Z][A-Za-z /-]{1,30}:[ \t]+[^\n]*$/;
/** Field labels written without bold (`Verification: ...`): the paragraph is that field. */
const FIELD_LABEL = /^(?:verification|verify|tests?|testing|files?(?: to [a-z]+| changed| created| modified| updated)?|notes?|implementation(?: details| notes)?|acceptance(?: criteria)?|done when|result|completion notes)[ \t]*:/i;
/** A list's lead-in (`Helper functions:`) is not a sentence either. */
const LEAD_IN = /^[^.!?\n]{1,60}:$/;

/**
 * Paragraphs that are not prose: a one-line `Label: value` (a field without
 * bold), a paragraph under a known field label, a list's lead-in.
 */
function notProse(text: string): boolean {
  const t = text.trim();
  // PLAIN_LABEL matches no text holding a line ending (neither its label nor `[^\n]*$` takes one),
  // and on such a text its `[ \t]+[^\n]*` would backtrack quadratically over a run of blanks.
  return (!t.includes('\n') && PLAIN_LABEL.test(t) && countSentences(t) <= 1) || FIELD_LABEL.test(t) || LEAD_IN.test(t);
}

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  const { min, max } = config.sizing.sentences;
  for (const task of story.tasks) {
    let placeholder: (typeof task.description)[number] | undefined;
    let m: RegExpExecArray | null = null;
    for (const b of task.description) if ((m = placeholderIn(b.text)) !== null) {
      placeholder = b;
      break;
    }
    if (placeholder && m) {
      out.push({
        message: `Unexpected placeholder ${code(clip(m[0]))} in ${taskLabel(task)}, expected a description`,
        note: 'Say what changes, where, and how to verify it.',
        span: placeholder.span,
      });
      continue;
    }
    // A one-line `Files to modify: x` paragraph is a field without bold markers, not prose.
    const prose = task.description.filter((b) => !notProse(b.text));
    const sentences = prose.reduce((n, b) => n + countSentences(b.text), 0);
    if (task.description.length === 0 || sentences === 0) {
      out.push({
        message: `Missing description in ${taskLabel(task)}, expected ${min}-${max} sentences`,
        note: 'Prose under the fields: what changes, where, and how to verify it.',
        span: task.heading.span,
      });
    } else if (sentences < min) {
      out.push({
        message: `Unexpected ${sentences} sentence${sentences === 1 ? '' : 's'} in the description of ${taskLabel(task)}, expected at least ${min}`,
        span: prose[0]!.span,
      });
    } else if (sentences > max) {
      const first = prose[0]!.span;
      const last = prose[prose.length - 1]!.span;
      out.push({
        message: `Unexpected ${sentences} sentences in ${taskLabel(task)}, expected at most ${max}`,
        note: 'Keep what, where and how to verify; move detail into fields (`**Files:**`, `**Test:**`) or split the task.',
        span: { start: first.start, end: last.end },
        warnOnly: true,
      });
    }
  }
  return out;
};

const remarkLintTaskDescription = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-description', url: meta.url }, remarkRule(check));
export default remarkLintTaskDescription;
