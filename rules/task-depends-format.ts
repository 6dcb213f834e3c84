/**
 * ## task-depends-format
 *
 * `**Depends on:**` is `none`, or comma-separated task refs: `002` for a task of
 * this story, `014/003` for task 003 of story 014.
 *
 * Messages suggest what the value itself says (`003 and 004` -> `003, 004`,
 * `` `003` `` -> `003`, `Task 3` -> `003`); a whole story (`Story 1`) is sent to
 * `## Dependencies`.
 *
 * Default severity: error. Fixable where the intent is unambiguous: a lone id
 * in another spelling, ids joined by `and`/`&`/spaces, an id in a code span.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-depends-format',
  description: '`none`, or comma-separated task refs (`002`, `014/003`)',
  fixable: true,
  url: ruleUrl('task-depends-format'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `\`**Depends on:**\` is \`none\`, or comma-separated task refs: \`002\` for a task of this story, \`014/003\` for task 003 of story 014.`,
    why: `Refs are resolved mechanically; \`Task 1\`, \`001 and 002\` or \`story 14 task 3\` cannot be. \`graph\` and \`next\` never offer a task whose \`**Depends on:**\` they cannot read (they report it and exit 1). The suggestion is derived from the value itself; a value in backticks is echoed as written, not quoted again.`,
    howToFix: `Write \`none\`, or the ids of the tasks it needs, comma-separated: \`001, 002\` in this story, \`014/003\` in another. A dependency on a whole story (\`Story 14\`) is not a task ref: it belongs under \`## Dependencies\` (\`- Story 014\`), or name the task it needs (\`014/003\`).`,
    options: null,
    fixableNote: `\`plan-tasks lint --fix\`, where the value says what it means: \`Task 3\` -> \`003\`, \`#003\` -> \`003\`, \`\` \`003\` \`\` -> \`003\`, \`003 and 004\` -> \`003, 004\`, \`story 14 task 3\` -> \`014/003\``,
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
**Status:** pending
**Depends on:** 001 and 014/003

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["23:17-23:32: Unexpected dependency `001 and 014/003`, expected task ids separated by commas, such as `001, 002`"],
    },
  ],
};

const pad = (id: string) => id.replace(/^(\d+)([a-z]?)$/i, (_, d: string, l: string) => d.padStart(3, '0') + l.toLowerCase());

/**
 * What to suggest for a dependency item the parser could not read, derived from
 * the value itself: the message text, and the replacement when the intent is
 * unambiguous (a lone id in another spelling, ids joined by `and`, a code span).
 */
function suggestion(raw: string): { text: string; replacement: string | null; note?: string } {
  const exact = (ids: string[]) => {
    const r = ids.join(', ');
    return { text: code(r), replacement: r };
  };
  // `003` written as a code span: the plain id.
  const inCode = /^`([^`]+)`$/.exec(raw);
  if (inCode) {
    const inner = inCode[1]!.trim();
    if (/^(?:(\d{3,}[a-z]?)\/)?\d{3}[a-z]?$/.test(inner)) return exact([inner]);
    return { text: '`none` or task ids such as `002` or `014/003`, without backticks', replacement: null };
  }
  const task = /^(?:task\s*)?#?(\d{1,3}[a-z]?)$/i.exec(raw);
  if (task) return exact([pad(task[1]!)]);
  if (/\d{3}\s*[-–]\s*\d{3}/.test(raw)) return { text: 'each id listed: `001, 002, 003`', replacement: null };
  // Ids joined by `and`, `&`, `+`, `;` or spaces (`003 and 004`, `Task 3 & Task 4`).
  const ID = /^#?t?(\d{1,3}[a-z]?)$/i;
  const parts = (raw.match(/[^\s,&+;]+/g) ?? []).filter((p) => !/^(?:and|tasks?)$/i.test(p));
  if (parts.length > 1 && parts.every((p) => ID.test(p))) return exact(parts.map((p) => pad(ID.exec(p)![1]!)));
  const cross = /^(?:story\s*#?(\d{3,})\D+?|(\d{3,})\s*[:.#]\s*)(?:task\s*#?)?(\d{3}[a-z]?)$/i.exec(raw);
  if (cross) return exact([`${cross[1] ?? cross[2]}/${cross[3]}`]);
  // A whole story (`Story 1`, `story #014`, `Epic 3`): not a task ref; it belongs under `## Dependencies`.
  const story = /^(?:stor(?:y|ies)|epic)\s*#?(\d{1,}[a-z]?)?(?:\s*\(.*\))?$/i.exec(raw);
  if (story) {
    const id = story[1] ? pad(story[1]) : 'NNN';
    return {
      text: 'a task ref; a whole story belongs under `## Dependencies`',
      replacement: null,
      note: `Move it to \`## Dependencies\` as \`- Story ${id}\`, or name the task it needs here as \`${id}/TTT\` (\`${id}/001\`).`,
    };
  }
  if (/\band\b|\s/.test(raw)) return { text: 'task ids separated by commas, such as `001, 002`', replacement: null };
  return { text: '`none` or task ids such as `002` or `014/003`', replacement: null };
}

export const check: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    const field = task.dependsOn;
    if (!field) continue;
    for (const err of task.dependsErrors) {
      if (!err.raw) {
        out.push({ message: `Missing dependencies in ${taskLabel(task)}, expected \`none\` or task ids such as \`001, 002\``, span: field.span });
      } else if (/^none$/i.test(err.raw)) {
        out.push({ message: `Unexpected \`none\` beside task ids, expected either \`none\` or a list of ids`, span: err.span });
      } else {
        const hint = suggestion(err.raw);
        const what = /^`[^`]+`$/.test(err.raw) ? `backticks around dependency ${err.raw}` : `dependency ${code(err.raw)}`;
        out.push({
          message: `Unexpected ${what}, expected ${hint.replacement !== null && what.startsWith('back') ? `the plain id ${hint.text}` : hint.text}`,
          ...(hint.note ? { note: hint.note } : {}),
          span: err.span,
          ...(hint.replacement !== null ? { fix: { range: [err.span.start.offset, err.span.end.offset] as [number, number], text: hint.replacement } } : {}),
        });
      }
    }
  }
  return out;
};

const remarkLintTaskDependsFormat = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-depends-format', url: meta.url }, remarkRule(check));
export default remarkLintTaskDependsFormat;
