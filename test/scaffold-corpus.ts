/**
 * The weave corpus as scaffolder input: each story with its Tasks section
 * stripped, its status set to Ready and its criteria unchecked (a story fresh
 * from /write-story), then scaffolded, linted, and compared with the domains
 * its authors chose. Used by test/scaffold-corpus.test.ts and
 * bench/scaffold-weave.mjs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { lintStoryText, makeProject } from '../src/lint/lint.js';
import type { LintMessage } from '../src/lint/types.js';
import { scaffoldStory, type PlannedTask, type Warning } from '../src/scaffold/index.js';
import { parseStory } from '../src/story/parse.js';

import { writeWeaveRepo } from './weave-repo.js';

export const WEAVE_STORIES = new URL('./fixtures/weave/stories/', import.meta.url).pathname;
export const WEAVE_CONFIG = new URL('./fixtures/scaffold/weave/plan-tasks.config.json', import.meta.url).pathname;

/** Strip the Tasks sections, set the status to Ready, uncheck the criteria. */
export function prepareStory(text: string): string {
  const story = parseStory(text);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const sec of story.tasksSections) edits.push({ start: sec.heading.start.offset, end: sec.span.end.offset, text: '' });
  for (const c of story.criteria) {
    if (c.checked !== true) continue;
    const at = story.text.slice(c.span.start.offset, c.span.end.offset).search(/\[[xX]\]/);
    if (at >= 0) edits.push({ start: c.span.start.offset + at, end: c.span.start.offset + at + 3, text: '[ ]' });
  }
  if (story.status) edits.push({ start: story.status.span.start.offset, end: story.status.span.end.offset, text: 'Ready' });
  else {
    const first = story.sections[0];
    const at = first ? first.heading.start.offset : story.text.length;
    edits.push({ start: at, end: at, text: `## Status${story.eol}${story.eol}Ready${story.eol}${story.eol}` });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = story.text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out.replace(/(?:\r?\n[ \t]*)+$/, '') + story.eol;
}

/** The domains the authors gave each task (`weave + compute` is two), and its local dependencies. */
export function authorTasks(text: string): { id: string; title: string; text: string; domains: string[]; depends: string[] }[] {
  return parseStory(text).tasks.map((t) => ({
    id: t.id ?? '',
    depends: t.depends.filter((d) => !d.story).map((d) => d.task),
    title: t.title,
    text: [t.title, ...t.blocks.map((b) => b.text)].join(' '),
    domains: (t.domain?.value ?? '').split(/\s*(?:\+|,|\/|\band\b)\s*/).map((d) => d.trim().toLowerCase()).filter(Boolean),
  }));
}

const STOP = new Set(['with', 'that', 'this', 'from', 'into', 'when', 'each', 'have', 'will', 'should', 'must', 'they', 'them', 'their', 'there', 'what', 'which', 'would', 'also', 'than', 'then', 'only', 'more', 'able', 'does', 'done', 'test', 'tests']);
function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z][a-z0-9_]{3,}/g)?.filter((w) => !STOP.has(w)) ?? []);
}

export interface StoryComparison {
  file: string;
  tasks: number;
  authorTasks: number;
  /** Overlap of the two domain distributions, 0..100. */
  distribution: number;
  /** Scaffolded tasks whose best-matching author task has the same domain, 0..100. */
  perTask: number;
  misses: string[];
  ours: Record<string, number>;
  theirs: Record<string, number>;
  /** Tasks whose description names a file that exists in the repository. */
  existingFile: number;
  /** Tasks whose description names a command that verifies them. */
  command: number;
  /** Tasks with no dependency. */
  noDeps: number;
  /** Dependency pairs between tasks that map to two different author tasks. */
  pairs: number;
  /** Of those, pairs the authors' dependencies (transitively) agree with. */
  pairsAgree: number;
}

/** A code span that runs something: a test runner, make, a package manager, a builder. */
export const COMMAND = /`(?:cd \S+ && )?(?:go (?:test|vet|build)|go -C \S+ test|make\b|npm (?:test|run)|npm --prefix|npx |node |flatpak-builder|pytest|cargo test|ctest|\.\/\S+\.sh)[^`]*`/;

function namesExisting(prose: string, files: ReadonlySet<string>): boolean {
  for (const m of prose.matchAll(/`([^`]+)`/g)) {
    const p = m[1]!.replace(/^\.\//, '');
    if (files.has(p)) return true;
  }
  return false;
}

export function compare(file: string, tasks: readonly PlannedTask[], authors: ReturnType<typeof authorTasks>, files: ReadonlySet<string> = new Set()): StoryComparison {
  const ours: Record<string, number> = {};
  for (const t of tasks) ours[t.domain] = (ours[t.domain] ?? 0) + 1;
  const theirs: Record<string, number> = {};
  for (const a of authors) for (const d of a.domains) theirs[d] = (theirs[d] ?? 0) + 1 / a.domains.length;
  const total = (r: Record<string, number>) => Object.values(r).reduce((s, v) => s + v, 0) || 1;
  const to = total(ours);
  const tt = total(theirs);
  let distribution = 0;
  for (const d of new Set([...Object.keys(ours), ...Object.keys(theirs)])) distribution += Math.min((ours[d] ?? 0) / to, (theirs[d] ?? 0) / tt);
  let agree = 0;
  const misses: string[] = [];
  const authorWords = authors.map((a) => words(a.text));
  const matchOf = new Map<string, number>();
  for (const t of tasks) {
    const w = words([t.title, ...t.criteria.map((c) => c.text)].join(' '));
    let best = -1;
    let bestScore = -1;
    authorWords.forEach((aw, i) => {
      let s = 0;
      for (const x of w) if (aw.has(x)) s++;
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    matchOf.set(t.id, best);
    const match = authors[best];
    if (match && match.domains.includes(t.domain)) agree++;
    else if (match) misses.push(`${t.id} "${t.title}": ${t.domain}, authors ${match.domains.join(' + ')} ("${match.title}")`);
  }
  // The authors' dependencies, transitively closed, as index pairs.
  const byId = new Map(authors.map((a, i) => [a.id, i]));
  const reach = (from: number): Set<number> => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length) {
      const i = stack.pop()!;
      for (const d of authors[i]!.depends) {
        const j = byId.get(d);
        if (j !== undefined && !seen.has(j)) {
          seen.add(j);
          stack.push(j);
        }
      }
    }
    return seen;
  };
  let pairs = 0;
  let pairsAgree = 0;
  for (const t of tasks) {
    const a = matchOf.get(t.id) ?? -1;
    for (const d of t.dependsOn) {
      const b = matchOf.get(d) ?? -1;
      if (a < 0 || b < 0 || a === b) continue;
      pairs++;
      if (reach(a).has(b)) pairsAgree++;
    }
  }
  return {
    existingFile: tasks.filter((t) => namesExisting(t.prose, files)).length,
    command: tasks.filter((t) => COMMAND.test(t.prose)).length,
    noDeps: tasks.filter((t) => t.dependsOn.length === 0).length,
    pairs,
    pairsAgree,
    file,
    tasks: tasks.length,
    authorTasks: authors.length,
    distribution: Math.round(distribution * 100),
    perTask: tasks.length ? Math.round((agree / tasks.length) * 100) : 100,
    misses,
    ours,
    theirs: Object.fromEntries(Object.entries(theirs).map(([k, v]) => [k, Math.round(v * 10) / 10])),
  };
}

export interface CorpusRun {
  file: string;
  id: string;
  tasks: PlannedTask[];
  warnings: Warning[];
  refusals: Warning[];
  output: string;
  errors: LintMessage[];
  warningsAfter: LintMessage[];
  comparison: StoryComparison;
}

/** Prepare every weave story in a temp folder, scaffold each, lint each output. */
export async function runWeaveCorpus(options: { repo?: boolean; only?: string } = {}): Promise<{ root: string; config: ResolvedConfig; runs: CorpusRun[] }> {
  const root = mkdtempSync(join(tmpdir(), 'plan-tasks-weave-'));
  const repoFiles = new Set(options.repo ? writeWeaveRepo(root) : []);
  mkdirSync(join(root, 'stories'));
  copyFileSync(WEAVE_CONFIG, join(root, 'plan-tasks.config.json'));
  const files = readdirSync(WEAVE_STORIES).filter((f) => f.endsWith('.md')).sort();
  const originals = new Map<string, string>();
  for (const f of files) {
    const text = readFileSync(join(WEAVE_STORIES, f), 'utf8');
    originals.set(f, text);
    writeFileSync(join(root, 'stories', f), prepareStory(text));
  }
  const config = await loadConfig({ cwd: root });
  const project = makeProject(config);
  const runs: CorpusRun[] = [];
  for (const f of files) {
    const id = f.slice(0, 3);
    if (options.only && id !== options.only) continue;
    const result = scaffoldStory(id, { config, cwd: root, project, force: true, ...(options.repo ? {} : { repo: null }) });
    const messages = lintStoryText(result.output, result.path, { config, project }).messages;
    runs.push({
      file: f,
      id,
      tasks: result.tasks,
      warnings: result.warnings,
      refusals: result.refusals,
      output: result.output,
      errors: messages.filter((m) => m.severity === 2),
      warningsAfter: messages.filter((m) => m.severity === 1),
      comparison: compare(f, result.tasks, authorTasks(originals.get(f)!), repoFiles),
    });
  }
  return { root, config, runs };
}

/** The four plan-quality figures over all runs (percentages, 0..100). */
export function corpusMetrics(runs: readonly CorpusRun[]): { tasks: number; domain: number; existingFile: number; command: number; noDeps: number; pairs: number; pairsAgree: number } {
  const sum = (f: (c: StoryComparison) => number) => runs.reduce((s, r) => s + f(r.comparison), 0);
  const tasks = sum((c) => c.tasks) || 1;
  const pct = (n: number, d: number) => Math.round((n / (d || 1)) * 100);
  const pairs = sum((c) => c.pairs);
  return {
    tasks: sum((c) => c.tasks),
    domain: pct(sum((c) => (c.perTask * c.tasks) / 100), tasks),
    existingFile: pct(sum((c) => c.existingFile), tasks),
    command: pct(sum((c) => c.command), tasks),
    noDeps: pct(sum((c) => c.noDeps), tasks),
    pairs,
    pairsAgree: pct(sum((c) => c.pairsAgree), pairs),
  };
}

/** The comparison as a Markdown report. */
export function comparisonReport(runs: readonly CorpusRun[]): string {
  const lines = [
    '# Scaffolded domains vs the weave authors\' domains',
    '',
    'Generated by `node bench/scaffold-weave.mjs --write` (do not edit by hand). Each story of',
    '`test/fixtures/weave/stories` had its Tasks stripped, its status set to Ready and its criteria',
    'unchecked, then was scaffolded (with `--force`: some are refused as not ready) with',
    '`test/fixtures/scaffold/weave/plan-tasks.config.json`, in the skeleton of the weave',
    'repository that `test/weave-repo.ts` builds from the paths the stories name.',
    '',
    '- *distribution*: overlap of the two domain distributions (100 = same mix of domains);',
    '- *per task*: scaffolded tasks whose closest author task (most shared words) has the same domain;',
    '- *file*: tasks whose description names a file that exists in the repository;',
    '- *command*: tasks whose description names a command that verifies them;',
    '- *pairs*: dependency pairs between tasks matched to two different author tasks, and how many',
    '  of them the authors\' dependencies (transitively) agree with.',
    '',
    '| story | tasks (ours / theirs) | distribution % | per task % | file | command | pairs agreeing | ours | theirs |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const fmt = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  for (const r of runs) {
    const c = r.comparison;
    lines.push(`| ${r.file.replace(/\.md$/, '')} | ${c.tasks} / ${c.authorTasks} | ${c.distribution} | ${c.perTask} | ${c.existingFile} | ${c.command} | ${c.pairsAgree} / ${c.pairs} | ${fmt(c.ours)} | ${fmt(c.theirs)} |`);
  }
  const avg = (f: (c: StoryComparison) => number) => Math.round(runs.reduce((s, r) => s + f(r.comparison), 0) / (runs.length || 1));
  const tasks = runs.reduce((s, r) => s + r.comparison.tasks, 0);
  const agreeing = runs.reduce((s, r) => s + Math.round((r.comparison.perTask * r.comparison.tasks) / 100), 0);
  lines.push('');
  lines.push(`**Mean distribution agreement: ${avg((c) => c.distribution)}%. Per task: ${agreeing} of ${tasks} scaffolded tasks (${Math.round((agreeing / (tasks || 1)) * 100)}%) match the closest author task's domain.**`);
  const m = corpusMetrics(runs);
  lines.push('');
  lines.push(`**Naming an existing file: ${m.existingFile}%. Naming a verification command: ${m.command}%. Without a dependency: ${m.noDeps}%. Dependency pairs the authors agree with: ${m.pairsAgree}% of ${m.pairs}.**`);
  lines.push('');
  lines.push('## Notable misses');
  lines.push('');
  for (const r of runs) {
    if (!r.comparison.misses.length) continue;
    lines.push(`- ${r.file}: ${r.comparison.misses.slice(0, 3).join('; ')}${r.comparison.misses.length > 3 ? `; and ${r.comparison.misses.length - 3} more` : ''}`);
  }
  lines.push('');
  return lines.join('\n');
}
