/**
 * ## task-specific
 *
 * The "bad task" test: a task names a concrete place (a code span, a path, an
 * endpoint, an identifier) and an observable outcome or a way to verify it
 * (a test, a command, what a user sees). "Improve error handling" fails both.
 * A folder glob alone (`backend/**`) is not a place, and a template sentence
 * that names no test ("Done when a test checks each point below") is not a
 * verification.
 *
 * Default severity: warn. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import { anchors, changeStatedIn, hasVerifyField, isVerificationTask, outcomeIn, taskCode, taskText, verificationWordIn } from '../src/rules/signals.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import type { Task } from '../src/story/model.js';
import { placeholderOnly, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-specific',
  description: 'The task names a concrete place and an observable outcome',
  fixable: false,
  url: ruleUrl('task-specific'),
  severity: 'warn',
  reads: ['tasks'],
  docs: {
    summary: `The "bad task" test: a task names a concrete place (a code span, a path, an endpoint, an identifier, a well-known file such as \`Makefile\`) and an observable outcome or a way to verify it (a test, a command, what a user sees, a \`**Test:**\` field, a change stated as from/to, or a change pinned to two or more concrete places). A test or verification task needs no place of its own.

Two things do not count: a folder glob alone (\`under \\\`backend/**\\\`\`) is not a place, and a sentence that promises a check without naming one ("Done when a test checks each point below", "a reviewer can check every item") is not a verification, also when the paragraph wraps it over several lines (a line break inside a paragraph is a space).`,
    why: `"Improve error handling" cannot be picked up, estimated or reviewed.`,
    howToFix: `Name where the change happens (a file, an \`identifier\`, an endpoint or a path; a folder glob alone is not one) and how to verify it (a test, a command, what the user sees, a \`**Test:**\` field; "a test checks each point below" names no test).`,
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
**Depends on:** 001

Improve the handling of requests.
`,
      messages: ["19:1-19:41: Unexpected vague task 002, expected where it changes"],
    },
  ],
};

/** A glob: `*`, `?` or a `{a,b}` alternation (picomatch's syntax). */
const GLOB = /[*?]|\{[^}]*,[^}]*\}/;

/**
 * A sentence promising a check without naming one: "a test checks each point
 * below", "a reviewer can check every item", with no code span in it. Tested
 * per sentence with two linear regexes (no backtracking across the text).
 */
const CHECK_WORD = /\b(?:tests?|reviewers?|reviews?|manual runs?|checks?)\b/i;
const EACH_POINT = /\b(?:each|every|all)\s+(?:points?|criteri(?:on|a)|items?|bullets?)\b/i;

function isGenericCheck(sentence: string): boolean {
  return !sentence.includes('`') && CHECK_WORD.test(sentence) && EACH_POINT.test(sentence);
}

/** The text without its generic check sentences, and whether it had any. */
function withoutGenericChecks(text: string): { text: string; removed: boolean } {
  let removed = false;
  const kept = text.split(/(?<=[.!?\n])/).filter((s) => {
    const generic = isGenericCheck(s);
    removed ||= generic;
    return !generic;
  });
  return { text: kept.join(' '), removed };
}

/**
 * True when the text may hold a generic check sentence: every sentence of
 * withoutGenericChecks is a part of the text ending at `.`, `!`, `?` or a line
 * break, so a sentence matching EACH_POINT makes the whole text match it.
 */
const mayHoldGenericCheck = (text: string) => EACH_POINT.test(text);

/**
 * withoutGenericChecks(text).text for a text with no generic check sentence:
 * the sentences joined with a space, that is a space after every `.`, `!`,
 * `?` and line break but a last character (where the split cuts).
 */
const spacedSentences = (text: string) => text.replace(/[.!?\n](?!$)/g, '$& ');

/**
 * A literal every match of a stated change (changeStatedIn) holds: `from`, `instead of`,
 * `ensure`, `so th`, `follows`, none with a `.`, `!`, `?` or line break, after which alone
 * spacedSentences adds a space; without one, the spaced text is not built.
 */
const MAY_STATE_CHANGE = /from|instead of|ensure|so th|follows/i;

/** The task's concrete anchors, folder globs left out. */
function places(task: Task): string[] {
  return [...anchors(task)].filter((a) => !GLOB.test(a));
}

/**
 * How many places the task names, counted up to `enough` (places(task).length
 * when below it): the code spans are anchors themselves, and when they
 * already hold `enough` distinct non-glob ones, the paths, identifiers and
 * endpoints of the text need not be found.
 */
function placeCount(task: Task, enough: number): number {
  const spans = taskCode(task);
  if (spans.length >= enough) {
    const seen = new Set<string>();
    for (const c of spans) if (!GLOB.test(c) && !seen.has(c) && seen.add(c).size >= enough) return enough;
  }
  return places(task).length;
}

/** An observable outcome or a way to verify stated in words or fields (outcome without the anchors). */
function statedOutcome(task: Task): boolean {
  if (hasVerifyField(task)) return true;
  const text = taskText(task);
  if (mayHoldGenericCheck(text)) {
    if (outcomeIn(withoutGenericChecks(text).text)) return true;
  } else if (verificationWordIn(text) || (MAY_STATE_CHANGE.test(text) && changeStatedIn(spacedSentences(text)))) {
    // Nothing left out: a verification word is found in the text as written (a space added after
    // a sentence's end neither makes nor breaks one); a from/to change counts characters, so it is
    // looked for in the text as withoutGenericChecks joins it.
    return true;
  }
  return false;
}

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    if (task.description.length === 0 || placeholderOnly(task)) continue; // task-description reports it
    // Verified: stated in words or fields, or a change pinned to two or more places (reviewing the diff verifies it).
    const stated = statedOutcome(task);
    const where = placeCount(task, stated ? 1 : 2);
    const verified = stated || where >= 2;
    // A test or verification task changes nothing: what it checks is its place.
    const place = where > 0 || (isVerificationTask(task) && verified);
    if (place && verified) continue;
    const globOnly = !place && anchors(task).size > 0;
    const template = !verified && withoutGenericChecks(taskText(task)).removed;
    const missing = [place ? null : 'where it changes', verified ? null : 'how to verify it'].filter(Boolean);
    const hints = [
      place ? null : `where the change happens (a file, \`identifier\`, endpoint or path${globOnly ? '; a folder glob alone is not a place' : ''})`,
      verified ? null : `how to verify it (a test, a command, what the user sees${template ? '; "a test checks each point" names no test' : ''})`,
    ].filter(Boolean);
    out.push({
      message: `Unexpected vague ${taskLabel(task)}, expected ${missing.join(' and ')}`,
      note: `Name ${hints.join(' and ')}.`,
      span: task.heading.span,
    });
  }
  return out;
};

const remarkLintTaskSpecific = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-specific', url: meta.url }, remarkRule(check));
export default remarkLintTaskSpecific;
