/**
 * The files `plan-tasks init --agent <kind>` writes for AI coding agents,
 * generated from the repository's resolved config (domains with what each
 * covers, statuses, sizing limits, the stories glob):
 *
 * - `claude`: `.claude/commands/plan-tasks.md`, the `/plan-tasks NNN` slash
 *   command (a tech lead's breakdown of a Ready story), and a `PostToolUse`
 *   hook on `Edit|Write|MultiEdit` running `plan-tasks hook claude`, merged
 *   into `.claude/settings.json` in place (every other byte kept; once there,
 *   unchanged);
 * - `agents-md`: the same guidance as a section of `AGENTS.md` (read by Codex,
 *   Cursor, Gemini CLI and others) between `<!-- plan-tasks:agents:start -->`
 *   and `:end` marker lines (outside code: quoted ones are text); text outside
 *   the markers is never touched.
 *
 * They follow init's rule for what the user wrote: a slash command, a section
 * or a hook entry that differs from what this init writes (an edit, or an
 * earlier config or version) is kept, with a note naming the
 * `--agent KIND --force FILE` that replaces it (only the section, or only our
 * hook entry, in a file init merges into, never an entry holding a hook of the
 * user's); an earlier version's unedited section is brought up to date.
 *
 * Plans only (init writes): each file is a change like init's own, with the
 * bytes read so the atomic write refuses if the file changed in between.
 */
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { wholeFileChange, type Change } from '../init/change.js';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { appendItem, insertProperty, majorityEol, parseJsonTree, propertyOf, replaceValue, type JsonNode } from '../init/json.js';
import { storyRoles, taskRoles } from '../status/index.js';
import { readTextIfExists as read } from '../fs/read.js';

/** The agents init can set up. */
export const AGENT_KINDS = ['claude', 'agents-md'] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

export const SLASH_COMMAND = '.claude/commands/plan-tasks.md';
export const CLAUDE_SETTINGS = '.claude/settings.json';
export const AGENTS_MD = 'AGENTS.md';
export const AGENTS_START = '<!-- plan-tasks:agents:start -->';
export const AGENTS_END = '<!-- plan-tasks:agents:end -->';
/** The tools whose edits the hook checks (Claude Code's file-editing tools). */
export const HOOK_MATCHER = 'Edit|Write|MultiEdit';

/**
 * The hook's command line: this repository's own bin when it is plan-tasks
 * itself, else the installed one (`node_modules/.bin`, no npx start-up cost).
 */
export function hookCommandLine(self: boolean): string {
  return self ? 'node "$CLAUDE_PROJECT_DIR/bin/plan-tasks.js" hook claude' : '"$CLAUDE_PROJECT_DIR/node_modules/.bin/plan-tasks" hook claude';
}


/** The story statuses by role: ready to plan, in progress, done. */
const inline = (s: string) => `\`${s}\``;

/**
 * The guidance both files carry, in Markdown, headings from `level` down.
 * `story` is how the story number is written (`$ARGUMENTS` in the slash command);
 * `cli` how plan-tasks is run (`npx plan-tasks`, or its own bin in this repository).
 */
export function agentGuide(config: ResolvedConfig, root: string, story: string, level: number, cli = 'npx plan-tasks'): string {
  const h = (n: number) => '#'.repeat(level + n);
  const glob = config.stories.map((g) => inline(relative(root, join(config.root, g)) || g)).join(', ');
  const roles = storyRoles(config);
  const { first, active, done } = taskRoles(config);
  const z = config.sizing;
  const domains = config.domains.map((d) => {
    const covers = [d.keywords.length ? d.keywords.slice(0, 12).join(', ') : '', d.paths.length ? `files ${d.paths.slice(0, 6).map(inline).join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    return `- ${inline(d.name)}${covers ? `: ${covers}` : ''}`;
  });
  const transitions = Object.entries(config.transitions).map(([from, to]) => `${inline(from)} -> ${to.length ? to.map(inline).join(' | ') : 'nothing'}`);
  return `${h(0)} Breaking a story into tasks

Stories live in ${glob} (\`NNN-slug.md\`). Only a story whose status is ${inline(roles.ready)}
is broken down; a story still being drafted or with open questions goes back to its
author with what is missing.

1. Read the story ${story}: problem, acceptance criteria, out of scope, dependencies.
   \`${cli} scaffold ${story} --dry-run\` prints a starting breakdown to check and improve.
2. Write a \`## Tasks\` section, one \`###\` task per piece of work, in this shape:

   \`\`\`markdown
   ### 001: Imperative title naming the change
   **Domain:** ${config.domains[0]?.name ?? 'backend'}
   **Status:** ${first}
   **Depends on:** none

   What changes, where (a file, function or endpoint in backticks), and how to
   verify it (the test and the command that runs it).

   ---
   \`\`\`

   - Ids are three digits from 001 up (\`011a\` for a task inserted later), unique in the story.
   - **Domain**: exactly one of these (split a task that spans two, the shared contract first):
${domains.map((d) => `     ${d}`).join('\n')}
   - **Status**: one of ${config.taskStatuses.map(inline).join(', ')}; new tasks are ${inline(first)}.
   - **Depends on**: ${inline('none')}, or task refs: ${inline('002')}, ${inline('001, 002')}, ${inline('014/003')} (task 003 of story 014). No cycles.
   - Size: ${z.sentences.min} to ${z.sentences.max} sentences of description; a task is ${z.estimate.min}h to ${z.estimate.max}h of work
     (an optional \`**Estimate:**\` field), names at most ${z.maxFiles} files and ${z.maxSteps} steps; at most ${z.maxTasks} tasks
     per story (split the story beyond that).
   - Every task names a concrete place and an observable way to verify it; no placeholders (TODO, TBD).
3. Set the story status to ${inline(roles.active)}.
4. Run \`${cli} lint <story file>\` and fix every finding, errors and warnings, before you hand
   off (\`${cli} lint --fix <story file>\` fixes the mechanical ones). Hand off only a clean story.

${h(0)} Implementing a story

- \`${cli} next\` lists the tasks that can start now (every dependency ${inline(done)}), critical path first.
- Flip statuses with \`${cli} status NNN/TTT <status>\`, never by hand: it checks the workflow
  (${transitions.join('; ')}) and refuses ${active.length ? `${active.map(inline).join(' or ')} or ` : ''}${inline(done)} while a dependency is not ${inline(done)}.
  Start a task with ${inline(active[0] ?? done)}, finish it with ${inline(done)}; add \`--story\` to the last one to set the
  story to ${inline(roles.done)}.
- \`${cli} graph NNN\` shows the dependency graph, its waves and critical path.
- Every story edit is linted (\`${cli} lint\`; in Claude Code, by the hook after each edit): fix what it reports.
`;
}

/** The `/plan-tasks` slash command file. */
export function slashCommandText(config: ResolvedConfig, root: string, cli = 'npx plan-tasks'): string {
  return `---
description: Break a Ready story into small, testable, one-domain tasks that pass plan-tasks lint
argument-hint: <story number, e.g. 015>
---
<!-- Written by \`plan-tasks init --agent claude\` from this repository's plan-tasks config; after changing the config, run \`plan-tasks init --agent claude --force .claude/commands/plan-tasks.md\`. -->

You are the tech lead for story $ARGUMENTS. Break it into tasks a developer (or an agent) can
pick up one at a time, each small, testable and in one domain.

${agentGuide(config, root, '$ARGUMENTS', 2, cli)}`;
}

/** The note at the top of the AGENTS.md section: what wrote it, and how to rewrite it. */
export const AGENTS_NOTE = "<!-- Written by `plan-tasks init --agent agents-md` from this repository's plan-tasks config; after changing the config, run `plan-tasks init --agent agents-md --force AGENTS.md` (it rewrites this section only). -->";

/** The notes earlier versions of init wrote there: a section that differs from ours by its note alone is ours, unedited. */
export const EARLIER_AGENTS_NOTES: readonly string[] = [
  "<!-- Written by `plan-tasks init --agent agents-md` from this repository's plan-tasks config; a re-run replaces this section only. -->",
];

/** The AGENTS.md section, markers included, in line ending `eol`; `note` is the comment under its heading. */
export function agentsSection(config: ResolvedConfig, root: string, eol: string, cli = 'npx plan-tasks', note = AGENTS_NOTE): string {
  const body = `${AGENTS_START}
## Task plans (plan-tasks)

${note}

Work is planned in Markdown story files and checked by \`plan-tasks\`.

${agentGuide(config, root, 'NNN', 3, cli)}${AGENTS_END}`;
  return body.split('\n').join(eol);
}

/** A hook (an item of a PostToolUse entry's `hooks`) that runs `plan-tasks hook claude`. */
const runsHook = (h: unknown): boolean => /\bplan-tasks(\.js)?"?\s+hook\s+claude\b/.test(String((h as { command?: unknown } | null)?.command ?? ''));
/** A PostToolUse entry with such a hook among its `hooks`. */
const hasHook = (m: unknown): boolean => Array.isArray((m as { hooks?: unknown } | null)?.hooks) && (m as { hooks: unknown[] }).hooks.some(runsHook);
/** A PostToolUse entry holding nothing but such hooks: the entry init wrote, edited (matcher, timeout, keys added). */
const onlyHook = (m: unknown): boolean => hasHook(m) && (m as { hooks: unknown[] }).hooks.every(runsHook);

/**
 * The settings file with the hook added, or why it cannot be, edited in place
 * (src/init/json.ts): the entry appended to `hooks.PostToolUse`, every other
 * byte kept. Init's hook is there when an entry on init's matcher holds it as
 * init writes it (whatever else the entry holds: the user's). An entry that
 * runs `plan-tasks hook claude` otherwise (another matcher or timeout) is the
 * user's: a `conflict` whose replacement never changes an entry holding a hook
 * of the user's (init's entry goes beside it); an entry holding only the hook
 * (init's, edited) gets init's matcher and hook back, its other keys kept.
 */
export function claudeSettingsChange(root: string, self: boolean): Change {
  const path = CLAUDE_SETTINGS;
  const command = hookCommandLine(self);
  const hook = { type: 'command', command, timeout: 30 };
  const entry = { matcher: HOOK_MATCHER, hooks: [hook] };
  const before = read(join(root, path));
  if (before === null) {
    return { path, action: 'create', detail: `PostToolUse hook on ${HOOK_MATCHER}: plan-tasks hook claude`, before, after: `${JSON.stringify({ hooks: { PostToolUse: [entry] } }, null, 2)}\n` };
  }
  const bad = (why: string): Change => ({ path, action: 'conflict', detail: `${why}; add ${JSON.stringify(entry)} to hooks.PostToolUse by hand`, before });
  let value: unknown;
  let tree: JsonNode;
  try {
    value = JSON.parse(before.replace(/^\uFEFF/, ''));
    tree = parseJsonTree(before);
  } catch (error) {
    return bad(`is not valid JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || tree.kind !== 'object') return bad('is not a JSON object');
  const added = `PostToolUse hook on ${HOOK_MATCHER}: plan-tasks hook claude (every other byte kept)`;
  const hooksProp = propertyOf(tree, 'hooks');
  if (!hooksProp) return { path, action: 'update', detail: added, before, after: insertProperty(before, tree, 'hooks', { PostToolUse: [entry] }) };
  const hooksNode = hooksProp.value;
  if (hooksNode.kind !== 'object') return bad('"hooks" is not an object');
  const postProp = propertyOf(hooksNode, 'PostToolUse');
  if (!postProp) return { path, action: 'update', detail: added, before, after: insertProperty(before, hooksNode, 'PostToolUse', [entry]) };
  const postNode = postProp.value;
  if (postNode.kind !== 'array') return bad('"hooks.PostToolUse" is not a list');
  const post = (value as { hooks: { PostToolUse: unknown[] } }).hooks.PostToolUse;
  const present = post.some((m) => (m as { matcher?: unknown } | null)?.matcher === HOOK_MATCHER && hasHook(m) && (m as { hooks: unknown[] }).hooks.some((h) => isDeepStrictEqual(h, hook)));
  if (present) return { path, action: 'unchanged', detail: 'runs plan-tasks hook claude', before };
  if (!post.some(hasHook)) return { path, action: 'update', detail: added, before, after: appendItem(before, postNode, entry) };
  const mine = post.findIndex(onlyHook);
  const differs = `its PostToolUse hook running plan-tasks hook claude differs from what init writes (${JSON.stringify(entry)}): an edit, or an earlier version`;
  if (mine === -1) {
    return {
      path,
      action: 'conflict',
      detail: differs,
      before,
      after: appendItem(before, postNode, entry),
      replacement: "init's entry added beside yours (your entries, their matchers and hooks, and every other byte kept)",
      forceDoes: "adds init's entry beside yours, which it leaves as they are",
    };
  }
  const node = postNode.items[mine]!;
  let after = before;
  // Later offsets first, so earlier ones stay true: the hooks value, then the matcher (or a matcher added at the end).
  const edits: { at: number; apply: (text: string) => string }[] = [];
  const hooksOf = propertyOf(node, 'hooks')!;
  if (!isDeepStrictEqual((post[mine] as { hooks: unknown }).hooks, entry.hooks)) edits.push({ at: hooksOf.value.start, apply: (t) => replaceValue(t, hooksOf.value, entry.hooks) });
  const matcher = propertyOf(node, 'matcher');
  if (matcher) {
    if ((post[mine] as { matcher?: unknown }).matcher !== HOOK_MATCHER) edits.push({ at: matcher.value.start, apply: (t) => replaceValue(t, matcher.value, HOOK_MATCHER) });
  } else {
    edits.push({ at: node.end, apply: (t) => insertProperty(t, node as JsonNode & { kind: 'object' }, 'matcher', HOOK_MATCHER) });
  }
  for (const e of edits.sort((a, b) => b.at - a.at)) after = e.apply(after);
  return {
    path,
    action: 'conflict',
    detail: differs,
    before,
    after,
    replacement: "init's matcher and hook back in that entry (its other keys, every other entry and every other byte kept)",
    part: 'that hook entry',
  };
}

/**
 * Where the markers are in AGENTS.md: the offsets of each line that is a
 * marker alone, as a Markdown HTML block at the top level of the document. A
 * marker quoted in fenced or indented code, inside a longer HTML comment, in a
 * list or a quote, or sharing its line with other text is the user's text.
 */
export function agentsMarkers(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  // micromark drops a leading BOM and counts its offsets after it: they are put back on the text's.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const node of fromMarkdown(bom ? text.slice(1) : text).children) {
    if (node.type !== 'html' || node.position?.start.offset === undefined) continue;
    const at = node.position.start.offset + bom;
    // Trailing blanks on a marker's line are not part of it (an editor may leave them).
    const value = node.value.replace(/[ \t]+$/, '');
    if (value === AGENTS_START) starts.push(at);
    else if (value === AGENTS_END) ends.push(at);
  }
  return { starts, ends };
}

/**
 * AGENTS.md with our section: created, appended at the end, or (an earlier
 * version's unedited section) brought up to date; a section that differs from
 * what this init writes is a `conflict` whose replacement rewrites the section
 * alone. The section is compared with its line endings read as `\n`, and
 * written in the line ending it already uses (a new one: the file's dominant
 * one). Text outside the markers is never changed.
 */
export function agentsMdChange(root: string, config: ResolvedConfig, cli = 'npx plan-tasks'): Change {
  const path = AGENTS_MD;
  const before = read(join(root, path));
  if (before === null) return { path, action: 'create', detail: 'the plan-tasks section', before, after: `# AGENTS.md\n\n${agentsSection(config, root, '\n', cli)}\n` };
  const { starts, ends } = agentsMarkers(before);
  if (starts.length === 0 && ends.length === 0) {
    const eol = majorityEol(before);
    const section = agentsSection(config, root, eol, cli);
    const sep = before === '' ? '' : before.endsWith(`${eol}${eol}`) ? '' : before.endsWith(eol) ? eol : eol + eol;
    const after = `${before}${sep}${section}${eol}`;
    // A file ending in an unclosed code fence would take the section in as code, and every run would append it again.
    const found = agentsMarkers(after);
    if (found.starts.length !== 1 || found.ends.length !== 1) {
      return { path, action: 'conflict', detail: `ends inside a code block (a fence not closed), so a section appended would be code; close it by hand`, before };
    }
    return { path, action: 'update', detail: 'the plan-tasks section added at the end', before, after };
  }
  if (starts.length !== 1 || ends.length !== 1 || ends[0]! < starts[0]!) {
    const quoted = before.split(AGENTS_START).length - 1 > starts.length || before.split(AGENTS_END).length - 1 > ends.length;
    const lines = (offsets: number[]) => (offsets.length ? `line ${offsets.map((o) => before.slice(0, o).split('\n').length).join(', ')}` : 'none');
    return {
      path,
      action: 'conflict',
      detail: `expected one ${AGENTS_START} line and one ${AGENTS_END} line after it, outside code blocks (found start: ${lines(starts)}; end: ${lines(ends)})${quoted ? '; a fenced sample holding a ``` line closes there, so one that quotes the section needs a longer fence (````)' : ''}; fix the markers by hand`,
      before,
    };
  }
  const start = starts[0]!;
  const end = ends[0]! + AGENTS_END.length;
  const current = before.slice(start, end);
  // Read with `\n` line endings and no trailing blanks (neither is an edit of the text).
  const lf = current.replace(/\r\n/g, '\n').replace(/[ \t]+$/gm, '');
  const eol = majorityEol(current.includes('\n') ? current : before);
  if (lf === agentsSection(config, root, '\n', cli)) return { path, action: 'unchanged', detail: 'the plan-tasks section', before };
  const after = before.slice(0, start) + agentsSection(config, root, eol, cli) + before.slice(end);
  if (EARLIER_AGENTS_NOTES.some((note) => agentsSection(config, root, '\n', cli, note) === lf)) {
    return { path, action: 'update', detail: 'the plan-tasks section an earlier version of init wrote, brought up to date (the rest kept)', before, after };
  }
  return {
    path,
    action: 'conflict',
    detail: 'its plan-tasks section differs from what init writes now (an edit, or an earlier config or version)',
    before,
    after,
    replacement: 'the plan-tasks section rewritten from the config (the rest of AGENTS.md kept)',
    part: 'that section',
  };
}

/**
 * Plan the agent files for `kinds` in the repository at `root`. When the
 * repository is plan-tasks itself (package.json "name"), the hook runs its
 * own bin.
 */
export function planAgentFiles(root: string, kinds: readonly AgentKind[], config: ResolvedConfig): Change[] {
  const out: Change[] = [];
  let self = false;
  try {
    self = (JSON.parse((read(join(root, 'package.json')) ?? '{}').replace(/^\uFEFF/, '')) as { name?: unknown }).name === 'plan-tasks';
  } catch {
    // init reports a bad package.json itself
  }
  const cli = self ? 'node bin/plan-tasks.js' : 'npx plan-tasks';
  if (kinds.includes('claude')) {
    out.push({ ...wholeFileChange(root, SLASH_COMMAND, slashCommandText(config, root, cli), 'the /plan-tasks slash command, from the config'), agent: 'claude' });
    out.push({ ...claudeSettingsChange(root, self), agent: 'claude' });
  }
  if (kinds.includes('agents-md')) out.push({ ...agentsMdChange(root, config, cli), agent: 'agents-md' });
  return out;
}

/** The files each agent kind writes, by path: `--force FILE` of one sets its kind up too. */
export const AGENT_FILES: Readonly<Record<string, AgentKind>> = { [SLASH_COMMAND]: 'claude', [CLAUDE_SETTINGS]: 'claude', [AGENTS_MD]: 'agents-md' };

/** `--agent` values -> kinds; a usage error names the unknown one. */
export function parseAgentKinds(values: readonly string[]): AgentKind[] {
  const out: AgentKind[] = [];
  for (const v of values.flatMap((x) => x.split(','))) {
    const k = v.trim().toLowerCase();
    if (!(AGENT_KINDS as readonly string[]).includes(k)) throw new UsageError(`Unknown agent "${v}", expected one of ${AGENT_KINDS.join(', ')}`);
    if (!out.includes(k as AgentKind)) out.push(k as AgentKind);
  }
  return out;
}

