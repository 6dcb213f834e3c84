/**
 * `plan-tasks scaffold NNN`: find the story, refuse what must not be touched,
 * plan the tasks, render them, check that the result lints clean, and hand the
 * new text back. Writing (atomically) is the caller's job.
 */
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { DEFAULT_DOMAINS } from '../config/defaults.js';
import type { DomainConfig, ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { decodeStory, storyFiles } from '../lint/files.js';
import type { Project } from '../lint/project.js';
import { lintStoryText, makeProject } from '../lint/lint.js';
import { matchStoryStatus, storyRoles, taskPhase } from '../status/index.js';
import type { Story } from '../story/model.js';
import { parseStory } from '../story/parse.js';
import { planTasks, type PlannedTask, type Warning } from './plan.js';
import { pushback, type OtherStory } from './pushback.js';
import { applyScaffold, renderTasks } from './render.js';
import { gitRepoIndex, withoutStories, type RepoIndex } from './repo.js';
import { storyMatcher } from '../lint/files.js';

export type { PlannedTask, Warning } from './plan.js';

export const STORY_NUMBER = /^\d{3,}[a-z]?$/;

/** The story id an argument names, or a usage error saying why it does not. */
export function parseStoryNumber(arg: string | undefined): string {
  if (arg === undefined || arg === '') {
    throw new UsageError('Missing story number, expected three digits such as `015`', 'Usage: plan-tasks scaffold <NNN> [--dry-run] [--force] [--stdout]');
  }
  if (STORY_NUMBER.test(arg)) return arg;
  const hint = /^\d{1,2}$/.test(arg) ? `Did you mean \`${arg.padStart(3, '0')}\`?` : 'Pass the number of a story file, such as `015` for docs/stories/015-token-auth.md.';
  throw new UsageError(`Unexpected story number "${arg.replace(/[\u0000-\u001f]/g, '?').slice(0, 80)}", expected three digits such as \`015\``, hint);
}

/** The one story file numbered `id` in the configured glob. */
export function findStory(id: string, config: ResolvedConfig, cwd: string): string {
  const files = storyFiles(config).filter((f) => {
    const name = basename(f);
    return name.startsWith(`${id}-`) || name === `${id}.md`;
  });
  const where = config.stories.map((s) => `"${s}"`).join(', ');
  if (files.length === 0) {
    throw new UsageError(`Missing story ${id}, expected one file ${id}-*.md matching ${where} in ${config.root}`, 'Check the number, or set "stories" in plan-tasks.config.json.');
  }
  if (files.length > 1) {
    throw new UsageError(
      `Unexpected ${files.length} stories numbered ${id} (${files.map((f) => relative(cwd, f) || f).join(', ')}), expected exactly one`,
      'Renumber one of them, then run the scaffold again.',
    );
  }
  return files[0]!;
}

export interface ScaffoldOptions {
  config: ResolvedConfig;
  cwd: string;
  force?: boolean;
  /** The repository index; default: `git ls-files` at the config root. Null: no codebase signals. */
  repo?: RepoIndex | null;
  /** Stories for dependency statuses and the lint check; default: the configured glob. */
  project?: Project;
  /** The other stories' text and status; default: every file of the configured glob. */
  others?: readonly OtherStory[];
}

export interface ScaffoldResult {
  path: string;
  /** The bytes read (for the atomic write's changed-since-read check). */
  original: Buffer;
  story: Story;
  tasks: PlannedTask[];
  /** The `## Tasks` section alone. */
  section: string;
  /** The whole new file. */
  output: string;
  warnings: Warning[];
  /**
   * Why the story is not ready (most criteria untestable, open questions, too
   * much work, identifiers only an unfinished story provides). Non-empty means
   * the CLI exits 1 and writes nothing, unless `--force`.
   */
  refusals: Warning[];
}

/**
 * The other stories of the configured glob (not `path`): id, status, text.
 * A file that cannot be read or decoded is skipped here: `plan-tasks lint`
 * reports it, and the lint check below reads the project again.
 */
export function otherStories(config: ResolvedConfig, path: string): OtherStory[] {
  const out: OtherStory[] = [];
  for (const f of storyFiles(config)) {
    if (f === path) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch {
      continue;
    }
    const decoded = decodeStory(bytes);
    if ('fatal' in decoded) continue;
    const s = parseStory(decoded.text, f);
    out.push({ id: s.id ?? basename(f).slice(0, 3), status: s.status?.value.trim() ?? null, text: decoded.text, story: s });
  }
  return out;
}

/**
 * The configured domains, where a domain listed by name alone (no keywords, no
 * paths) borrows the built-in hints of the default domain of that name
 * (`"backend"` -> Go, HTTP, `backend/**`, `internal/**` ...). For planning only:
 * the linter keeps the configuration as written.
 */
export function hintedDomains(domains: readonly DomainConfig[]): DomainConfig[] {
  return domains.map((d) => {
    if (d.keywords.length || d.paths.length) return d;
    const builtin = DEFAULT_DOMAINS.find((b) => b.name.toLowerCase() === d.name.toLowerCase());
    return builtin ? { ...d, keywords: [...builtin.keywords], paths: [...builtin.paths] } : d;
  });
}

/**
 * True when `domains` are the built-in defaults (no config file, a config
 * without `domains`, or the starter config `init` writes, unedited): the
 * names, keywords and paths of DEFAULT_DOMAINS, in order.
 */
export function isDefaultDomains(domains: readonly DomainConfig[]): boolean {
  const key = (list: readonly DomainConfig[]) => JSON.stringify(list.map((d) => [d.name, d.keywords, d.paths]));
  return key(domains) === key(DEFAULT_DOMAINS);
}

/** Files earlier stories' tasks named that exist in the repository, per task domain. */
function priorFiles(others: readonly OtherStory[], repo: RepoIndex | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const files = repo ? new Set(repo.files()) : new Set<string>();
  if (files.size === 0) return out;
  for (const o of others) {
    if (!o.story) continue;
    for (const t of o.story.tasks) {
      const domain = t.domain?.value.trim();
      if (!domain) continue;
      const text = o.text.slice(t.heading.span.start.offset, t.span.end.offset);
      for (const m of text.matchAll(/`\.?\/?([^`\s]+)`/g)) {
        if (!files.has(m[1]!)) continue;
        const list = out.get(domain) ?? [];
        if (!list.includes(m[1]!)) list.push(m[1]!);
        out.set(domain, list);
      }
    }
  }
  return out;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Plan and render the scaffold for story `id`; throws a UsageError for every refusal. */
export function scaffoldStory(id: string, options: ScaffoldOptions): ScaffoldResult {
  const { config, cwd } = options;
  const path = findStory(id, config, cwd);
  const original = readBytes(path);
  const decoded = decodeStory(original);
  const rel = relative(cwd, path) || path;
  if ('fatal' in decoded) throw new UsageError(`Cannot scaffold ${rel}: ${decoded.fatal.message}`);
  return scaffoldText(decoded.text, path, original, options);
}

/** The same for a story's text (the file at `path` is not read). */
export function scaffoldText(text: string, path: string, original: Buffer, options: ScaffoldOptions): ScaffoldResult {
  const { config, cwd } = options;
  const force = Boolean(options.force);
  const rel = relative(cwd, path) || path;
  const story = parseStory(text, path);
  const statuses = config.storyStatuses;
  const { active, ready } = storyRoles(config);

  if (story.tasksSections.length && !force) {
    const line = story.tasksSections[0]!.heading.start.line;
    throw new UsageError(
      `Unexpected \`## Tasks\` section in ${rel} (line ${line}), expected none: the story is already broken down`,
      'Edit the tasks by hand, or run with --force to keep the old section under `## Previous Tasks` and scaffold again.',
    );
  }
  const status = story.status?.value.trim() ?? '';
  if (!status) {
    throw new UsageError(
      `Missing story status in ${rel}, expected \`${ready}\``,
      `Add a \`## Status\` section and make the story ${ready} once its criteria are agreed.`,
    );
  }
  const matched = matchStoryStatus(config, status);
  const allowed = force ? [ready, active] : [ready];
  if (!matched || !allowed.includes(matched)) {
    throw new UsageError(
      `Unexpected story status \`${status}\` in ${rel} (line ${story.status!.span.start.line}), expected \`${ready}\`${force ? ` (or \`${active}\` with --force)` : ''}`,
      matched === active || (matched && statuses.indexOf(matched) > statuses.indexOf(active))
        ? 'The story is already past planning; edit its tasks by hand.'
        : `Set its \`## Status\` to ${ready} once its criteria are agreed, then scaffold it.`,
    );
  }
  if (story.criteria.length === 0) {
    throw new UsageError(
      `Missing acceptance criteria in ${rel}, expected \`- [ ] ...\` items under \`## Acceptance Criteria\``,
      `Write the criteria (\`- [ ] ...\`, each one a test could check) before the story is ${ready}.`,
    );
  }
  if (story.criteria.every((c) => c.checked === true)) {
    throw new UsageError(
      `Unexpected story with all ${story.criteria.length} acceptance criteria checked in ${rel}, expected open \`- [ ]\` criteria to plan`,
      'Checked criteria are done and get no task; uncheck the ones that still need work.',
    );
  }

  const indexed = options.repo === undefined ? gitRepoIndex(config.root) : options.repo;
  const isStory = storyMatcher(config);
  const repo = indexed && withoutStories(indexed, (rel) => isStory(join(config.root, rel)));
  const project = options.project ?? makeProject(config, [path]);
  const others = options.others ?? otherStories(config, path);
  const planConfig: ResolvedConfig = { ...config, domains: hintedDomains(config.domains) };
  const defaultDomains = isDefaultDomains(config.domains) ? { configFile: config.configFile } : undefined;
  const plan = planTasks(story, planConfig, { repo, priorFiles: priorFiles(others, repo), defaultDomains });
  const section = renderTasks(plan.tasks, config, story.eol);
  const output = applyScaffold(story, section, { status: active, force });

  const pb = pushback(story, plan.tasks, { config, project, repo, others });
  const byLine = (list: Warning[]) =>
    list
      .map((w, i) => ({ w, i }))
      .sort((a, b) => (a.w.line ?? Infinity) - (b.w.line ?? Infinity) || a.i - b.i)
      .map((x) => x.w);
  const warnings = byLine([...plan.warnings, ...pb.warnings]);
  const refusals = byLine(pb.refusals);
  if (force) {
    const started = story.tasks.filter((t) => taskPhase(config, t.status?.value) !== 'pending' && taskPhase(config, t.status?.value) !== null);
    if (started.length) {
      warnings.push({
        message: `Unexpected replacement of ${started.length} started or done task${started.length === 1 ? '' : 's'} (${started.map((t) => t.id ?? t.heading.raw).slice(0, 6).join(', ')}), expected only pending tasks to be re-planned: their text is kept under \`## Previous Tasks\``,
        line: story.tasksSections[0]!.heading.start.line,
      });
    }
  }

  // The promise: the output lints with no errors that the story did not already have.
  const key = (m: { ruleId: string | null; message: string }) => `${m.ruleId}\u0000${m.message}`;
  const before = new Map<string, number>();
  for (const m of lintStoryText(text, path, { config, project }).messages) {
    if (m.severity === 2) before.set(key(m), (before.get(key(m)) ?? 0) + 1);
  }
  const introduced = lintStoryText(output, path, { config, project }).messages.filter((m) => {
    if (m.severity !== 2) return false;
    const left = before.get(key(m)) ?? 0;
    if (left > 0) {
      before.set(key(m), left - 1);
      return false;
    }
    return true;
  });
  if (introduced.length) {
    const first = introduced[0]!;
    throw new UsageError(
      `Cannot scaffold ${rel}: the new tasks would not lint (${first.ruleId ?? 'parse'} at line ${first.line}: ${first.message}); nothing was written`,
      'This is a plan-tasks bug when the story itself is well-formed; please report it with the story attached.',
    );
  }
  return { path, original, story, tasks: plan.tasks, section, output, warnings, refusals };
}
