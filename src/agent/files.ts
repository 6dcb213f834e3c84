/**
 * The files `plan-tasks init --agent <kind>` writes for AI coding agents,
 * generated from the repository's resolved config (domains with what each
 * covers, statuses, sizing limits, the stories glob):
 *
 * - `claude`: `.claude/commands/plan-tasks.md`, the `/plan-tasks NNN` slash
 *   command (a tech lead's breakdown of a Ready story), and a `PostToolUse`
 *   hook on `Edit|Write|MultiEdit` running `plan-tasks hook claude`, merged
 *   into `.claude/settings.json` (every other key kept; once there, unchanged);
 * - `agents-md`: the same guidance as a section of `AGENTS.md` (read by Codex,
 *   Cursor, Gemini CLI and others) between `<!-- plan-tasks:agents:start -->`
 *   and `:end` markers; text outside the markers is never touched.
 *
 * They follow init's rule for what the user wrote: a slash command, a section
 * or a hook entry that differs from what this init writes (an edit, or an
 * earlier config or version) is kept, with a note naming the `--force FILE`
 * that replaces it (only the section, or only our hook entry, in a file init
 * merges into); an earlier version's unedited section is brought up to date.
 *
 * Plans only (init writes): each file is a change like init's own, with the
 * bytes read so the atomic write refuses if the file changed in between.
 */
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { wholeFileChange, type Change } from '../init/change.js';
import { formatJsonLike } from '../init/json.js';
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

/**
 * The settings file with the hook added, or why it cannot be. An entry that
 * already runs `plan-tasks hook claude` but differs from init's (another
 * matcher or timeout, other hooks beside it) is the user's: a `conflict` whose
 * replacement puts init's entry in its place (the other hooks of that entry
 * kept, the hook dropped from any further entry), every other key kept.
 */
export function claudeSettingsChange(root: string, self: boolean): Change {
  const path = CLAUDE_SETTINGS;
  const command = hookCommandLine(self);
  const entry = { matcher: HOOK_MATCHER, hooks: [{ type: 'command', command, timeout: 30 }] };
  const before = read(join(root, path));
  if (before === null) {
    return { path, action: 'create', detail: `PostToolUse hook on ${HOOK_MATCHER}: plan-tasks hook claude`, before, after: `${JSON.stringify({ hooks: { PostToolUse: [entry] } }, null, 2)}\n` };
  }
  const bad = (why: string): Change => ({ path, action: 'conflict', detail: `${why}; add ${JSON.stringify(entry)} to hooks.PostToolUse by hand`, before });
  let value: unknown;
  try {
    value = JSON.parse(before.replace(/^\uFEFF/, ''));
  } catch (error) {
    return bad(`is not valid JSON (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return bad('is not a JSON object');
  const settings = value as Record<string, unknown>;
  const hooks = settings.hooks ?? {};
  if (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)) return bad('"hooks" is not an object');
  const post = (hooks as Record<string, unknown>).PostToolUse ?? [];
  if (!Array.isArray(post)) return bad('"hooks.PostToolUse" is not a list');
  const withHook = post.filter(hasHook);
  if (withHook.length === 1 && isDeepStrictEqual(withHook[0], entry)) return { path, action: 'unchanged', detail: 'runs plan-tasks hook claude', before };
  if (withHook.length > 0) {
    const first = post.findIndex(hasHook);
    const replaced = post.flatMap((m, i) => {
      if (!hasHook(m)) return [m];
      const others = (m as { hooks: unknown[] }).hooks.filter((h) => !runsHook(h));
      if (i === first) return [others.length ? { ...(m as object), matcher: HOOK_MATCHER, hooks: [...others, ...entry.hooks] } : entry];
      return others.length ? [{ ...(m as object), hooks: others }] : [];
    });
    const next = { ...settings, hooks: { ...(hooks as Record<string, unknown>), PostToolUse: replaced } };
    return {
      path,
      action: 'conflict',
      detail: `its PostToolUse hook running plan-tasks hook claude differs from what init writes (${JSON.stringify(entry)}): an edit, or an earlier version`,
      before,
      after: formatJsonLike(before, next),
      replacement: 'that hook entry is init\'s again (every other key and hook kept)',
      part: 'that hook entry',
    };
  }
  const next = { ...settings, hooks: { ...(hooks as Record<string, unknown>), PostToolUse: [...post, entry] } };
  return { path, action: 'update', detail: `PostToolUse hook on ${HOOK_MATCHER}: plan-tasks hook claude (other settings kept)`, before, after: formatJsonLike(before, next) };
}

/**
 * AGENTS.md with our section: created, appended at the end, or (an earlier
 * version's unedited section) brought up to date; a section that differs from
 * what this init writes is a `conflict` whose replacement rewrites the section
 * alone. Text outside the markers is never changed.
 */
export function agentsMdChange(root: string, config: ResolvedConfig, cli = 'npx plan-tasks'): Change {
  const path = AGENTS_MD;
  const before = read(join(root, path));
  if (before === null) return { path, action: 'create', detail: 'the plan-tasks section', before, after: `# AGENTS.md\n\n${agentsSection(config, root, '\n', cli)}\n` };
  const eol = /\r\n/.test(before) ? '\r\n' : '\n';
  const section = agentsSection(config, root, eol, cli);
  const start = before.indexOf(AGENTS_START);
  const end = before.indexOf(AGENTS_END);
  if (start === -1 && end === -1) {
    const sep = before === '' ? '' : before.endsWith(`${eol}${eol}`) ? '' : before.endsWith(eol) ? eol : eol + eol;
    return { path, action: 'update', detail: 'the plan-tasks section added at the end', before, after: `${before}${sep}${section}${eol}` };
  }
  if (start === -1 || end === -1 || end < start || before.indexOf(AGENTS_START, start + 1) !== -1 || before.indexOf(AGENTS_END, end + 1) !== -1) {
    return { path, action: 'conflict', detail: `expected one ${AGENTS_START} line and one ${AGENTS_END} line after it; fix the markers by hand`, before };
  }
  const current = before.slice(start, end + AGENTS_END.length);
  if (current === section) return { path, action: 'unchanged', detail: 'the plan-tasks section', before };
  const after = before.slice(0, start) + section + before.slice(end + AGENTS_END.length);
  if (EARLIER_AGENTS_NOTES.some((note) => agentsSection(config, root, eol, cli, note) === current)) {
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
    out.push(wholeFileChange(root, SLASH_COMMAND, slashCommandText(config, root, cli), 'the /plan-tasks slash command, from the config'));
    out.push(claudeSettingsChange(root, self));
  }
  if (kinds.includes('agents-md')) out.push(agentsMdChange(root, config, cli));
  return out;
}

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

