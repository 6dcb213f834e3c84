/**
 * ## story-id-unique
 *
 * A story number names one story: the `# Story NNN` heading agrees with the
 * number in the file name. Two files with the same number (`020-alpha.md`,
 * `020-beta.md`, what two branches that each add "the next" story give) are
 * reported by the CLI's cross-story checks under the same id, on both files,
 * and so is a file of the stories glob with no number in its name.
 *
 * Default severity: error. Not fixable (renumbering changes what refs mean).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, ProjectCheck, RuleMeta } from '../src/rules/types.js';
import { fileStoryId } from '../src/lint/project.js';
import { code, ruleUrl, storyKey } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'story-id-unique',
  description: 'One file per story number, and the `# Story NNN` heading agrees with the file name',
  fixable: false,
  url: ruleUrl('story-id-unique'),
  severity: 'error',
  reads: ['title'],
  docs: {
    summary: `A story number names one story. Two story files with the same number (\`020-alpha.md\` and
\`020-beta.md\`, what two branches that each add "the next" story leave after both merge) are
reported on both files, naming the other; a \`# Story NNN\` heading that disagrees with the number
in the file name is reported at the heading. A file of the configured \`stories\` glob whose name
carries no story number (\`7-token-auth.md\`, \`notes.md\`) is reported too, in \`plan-tasks lint\`,
\`graph\` and \`next\` alike: refs, \`status NNN/TTT\` and \`scaffold NNN\` find a story by the number in
its file name. Numbers have three or more digits (\`007\`, \`0123\`, \`1042\`); leading zeros beyond three
digits do not make another number (\`0123\` is \`123\`).`,
    why: `\`020/003\` must mean one task. With two stories numbered 020 a ref resolves to whichever file is
read first, and the graph silently drops the other story.`,
    howToFix: `Give the later story the next free number (rename the file and its \`# Story NNN\` heading), and
update every \`NNN/TTT\` ref and \`## Dependencies\` entry that meant it; or make the heading
agree with the file name.`,
    options: null,
    fixableNote: `renumbering a story changes what every \`020/003\` ref means`,
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
      name: '016-token-auth.md',
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
      messages: ["1:1-1:34: Unexpected heading `Story 015` in the file of story 016, expected `Story 016`: the file name and the heading name one story (rename the file or fix the heading)"],
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
`,
      files: {
        "015-other.md": `# Story 015: Other

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
      messages: ["1:1-1:1: Unexpected story number 015 in `015-token-auth.md`, also used by `015-other.md`, expected one file per story number"],
    },
    {
      name: '7-token-auth.md',
      markdown: `# Story 007: Token authentication

## Status

Draft
`,
      messages: ["1:1-1:1: Unexpected file name `7-token-auth.md` for story 007, expected `007-token-auth.md`: a story file's name starts with its number"],
    },
  ],
};

export const check: Check = (story) => {
  if (story.id === null || story.fileId === null || story.titleSpan === null) return [];
  if (storyKey(story.id) === storyKey(story.fileId)) return [];
  return [
    {
      message: `Unexpected heading ${code(`Story ${story.id}`)} in the file of story ${story.fileId}, expected ${code(`Story ${story.fileId}`)}: the file name and the heading name one story (rename the file or fix the heading)`,
      span: story.titleSpan,
    } satisfies Finding,
  ];
};

/**
 * Another file of the stories glob carries this file's story number; or this
 * file of the glob has no story number in its name (`7-misnamed.md`,
 * `notes.md`), where refs, `status NNN/TTT` and `scaffold NNN` look for one.
 */
export const checkProject: ProjectCheck = (story, { project, path }) => {
  if (!path || !project.members.has(path)) return [];
  const fileId = fileStoryId(path);
  if (fileId === null) return [misnamedFinding(path, story.id)];
  const twins = (project.byId.get(fileId) ?? []).filter((f) => f !== path && project.members.has(f));
  return twins.length ? [duplicateFinding(fileId, path, twins)] : [];
};

/**
 * The finding for a file of the stories glob whose name carries no story
 * number (`lint`, `graph`, `next`): the name it should have when its
 * `# Story NNN` heading gives the number (`7-misnamed.md` -> `007-misnamed.md`),
 * else the shape of a story file's name. At 1:1, as a finding on the whole file.
 */
export function misnamedFinding(path: string, headingId: string | null): Finding {
  const name = path.replace(/^.*[\\/]/, '');
  const at = { line: 1, column: 1, offset: 0 };
  if (headingId !== null) {
    const slug = name.replace(/\.md$/i, '').replace(/^\d+[-_. ]*/, '') || 'story';
    return {
      message: `Unexpected file name ${code(name)} for story ${headingId}, expected ${code(`${headingId}-${slug}.md`)}: a story file's name starts with its number`,
      note: `Rename the file (git mv): refs, \`status ${headingId}/TTT\` and \`scaffold ${headingId}\` find a story by the number in its file name.`,
      span: { start: at, end: at },
    };
  }
  return {
    message: `Missing story number in the file name ${code(name)}, expected a story file named like ${code('015-slug.md')} with a ${code('# Story 015: Title')} heading`,
    note: 'Every file of the configured `stories` glob is a story: number it, move it out of the stories folder, or narrow the glob (`"stories": "docs/stories/[0-9]*.md"` in plan-tasks.config.json).',
    span: { start: at, end: at },
  };
}

/** The finding for a file whose story number other files carry too (`lint`, `graph`, `next`). */
export function duplicateFinding(id: string, path: string, others: readonly string[]): Finding {
  const name = (f: string) => f.replace(/^.*[\\/]/, '');
  const at = { line: 1, column: 1, offset: 0 };
  return {
    message: `Unexpected story number ${id} in ${code(name(path))}, also used by ${others.map((f) => code(name(f))).join(', ')}, expected one file per story number`,
    note: 'Renumber one of them (file name and heading) and update the refs that meant it.',
    span: { start: at, end: at },
  };
}

const remarkLintStoryIdUnique = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:story-id-unique', url: meta.url }, remarkRule(check));
export default remarkLintStoryIdUnique;
