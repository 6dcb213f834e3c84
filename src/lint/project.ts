/**
 * Cross-story checks: `014/003` refs and `## Dependencies` story refs resolve
 * against every story in the configured glob, status agreement across
 * stories, and cycles that run through more than one story. Only the stories
 * a linted file reaches are read, through summaries that a cache can hold.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Story, Span, Task } from '../story/model.js';
import { statusConflict } from '../../rules/dependency-status.js';
import { code, idRuns, ruleUrl, storyKey } from '../rules/util.js';

export { storyKey };
export type { StorySummary };
import { toMessage } from './engine.js';
import type { Finding } from '../rules/types.js';
import type { LintMessage, StorySummary } from './types.js';
import { storyCyclesThrough, taskCyclesThrough } from './walk.js';

/** Metadata of the rule only the cross-story checks report (for formatters and docs). */
export const storyDependencyMeta = {
  id: 'story-dependency',
  description: '`## Dependencies` names stories that exist, and the stories form no dependency cycle',
  fixable: false,
  url: ruleUrl('story-dependency'),
};

export function summarize(story: Story, path: string): StorySummary {
  return {
    id: story.id,
    path,
    status: story.status?.value ?? null,
    tasks: story.tasks
      .filter((t): t is Task & { id: string } => t.id !== null)
      .map((t) => ({ id: t.id, status: t.status?.value.trim() ?? null, depends: t.depends.map((r) => (r.story ? { story: r.story, task: r.task } : { task: r.task })) })),
    dependencies: [...new Set(story.dependencies.map((d) => d.story))],
  };
}

/** The story number in a story file's name (`020-alpha.md`, `1042.md`), or null. */
export function fileStoryId(file: string): string | null {
  const m = /(?:^|[\\/])(\d{3,}[a-z]?)(?:-[^\\/]*)?\.md$/i.exec(file);
  return m ? m[1]! : null;
}

/** Story files by story number; `get` and `has` take any spelling of a number (`0123`, `123`). */
class StoryIndex extends Map<string, string[]> {
  override get(id: string): string[] | undefined {
    return super.get(storyKey(id));
  }
  override has(id: string): boolean {
    return super.has(storyKey(id));
  }
}

/**
 * The stories of the configured glob, by the number in their file name, plus
 * `extra` files linted from outside the glob (named on the command line): those
 * resolve refs too, after the glob's files, but take no part in `story-id-unique`.
 */
export class Project {
  readonly byId: Map<string, string[]> = new StoryIndex();
  /** The files of the stories glob. */
  readonly members: ReadonlySet<string>;
  private readonly summaries = new Map<string, StorySummary | null>();

  constructor(
    files: readonly string[],
    private readonly load: (path: string) => StorySummary | null,
    extra: readonly string[] = [],
  ) {
    this.members = new Set(files);
    for (const file of new Set([...files, ...extra])) {
      const id = fileStoryId(file);
      if (id === null) continue;
      const key = storyKey(id);
      const list = Map.prototype.get.call(this.byId, key) as string[] | undefined;
      if (list) list.push(file);
      else Map.prototype.set.call(this.byId, key, [file]);
    }
  }

  /** Register a story already parsed in this run (so it is not read twice). */
  add(summary: StorySummary): void {
    this.summaries.set(summary.path, summary);
  }

  summary(id: string): StorySummary | null {
    const files = this.byId.get(id);
    if (!files || files.length === 0) return null;
    const path = files[0]!;
    if (!this.summaries.has(path)) {
      let s: StorySummary | null = null;
      try {
        s = this.load(path);
      } catch {
        s = null;
      }
      this.summaries.set(path, s);
    }
    return this.summaries.get(path) ?? null;
  }
}

function sev(config: ResolvedConfig, id: string): 'warn' | 'error' | null {
  const s = config.rules[id] ?? 'error';
  return s === 'off' ? null : s;
}

/**
 * Cross-story findings for one linted story at `path`: unknown stories and
 * tasks, status conflicts, cycles through other stories, and (with `path`) a
 * story number another file of the project carries too (`story-id-unique`).
 * `cycles: false` skips the walks for story- and task-level cycles (a caller
 * that checks the other end of a ref, where the cycle is reported anyway).
 */
export function crossStoryMessages(story: Story, project: Project, config: ResolvedConfig, path?: string, options: { cycles?: boolean } = {}): LintMessage[] {
  const out: LintMessage[] = [];
  const push = (rule: string, finding: Finding) => {
    const s = sev(config, rule);
    if (s) out.push(toMessage(rule, s, finding));
  };
  const self = story.id;

  const fileId = path ? fileStoryId(path) : null;
  const twins = fileId === null || !project.members.has(path!) ? [] : (project.byId.get(fileId) ?? []).filter((f) => f !== path && project.members.has(f));
  if (twins.length) push('story-id-unique', duplicateFinding(fileId!, path!, twins));

  // Task refs to other stories.
  for (const task of story.tasks) {
    for (const ref of task.depends) {
      if (ref.story === undefined || ref.story === self) continue;
      const other = project.summary(ref.story);
      if (!other) {
        push('dependency-unknown', unknownStoryRefFinding(ref.raw, ref.story, ref.span));
        continue;
      }
      const dep = other.tasks.find((t) => t.id === ref.task);
      if (!dep) {
        push('dependency-unknown', unknownTaskFinding(ref.raw, ref.story, other.tasks.map((t) => t.id), ref.span));
        continue;
      }
      const conflict = statusConflict(config, task, ref.raw, dep.status ?? undefined, ref.span);
      if (conflict) push('dependency-status', conflict);
    }
  }

  // `## Dependencies` story refs.
  const seen = new Set<string>();
  for (const dep of story.dependencies) {
    if (dep.story === self || seen.has(dep.story)) continue;
    seen.add(dep.story);
    if (!project.byId.has(dep.story)) {
      push('story-dependency', unknownStoryDependencyFinding(dep.story, dep.span));
    }
  }

  if (self && options.cycles !== false) {
    storyCycles(story, self, project, push);
    taskCycles(story, self, project, push);
  }
  return out;
}

/**
 * The `dependency-unknown` finding for a ref `NNN/TTT` to a task story NNN does
 * not have; `lint` and `graph` / `next` (src/graph/unresolved.ts) both report it.
 */
export function unknownTaskFinding(raw: string, storyId: string, ids: readonly string[], span: Span): Finding {
  return {
    message: `Unexpected dependency on unknown task ${code(raw)}, expected one of story ${storyId}'s task ids (${ids.length ? idRuns(ids) : 'it has none'})`,
    note: ids.length ? 'Use one of those ids, or add the task to that story.' : 'Add the task to that story, or remove the ref.',
    span,
  };
}

/** The `dependency-unknown` finding for a ref `NNN/TTT` into a story no file of the glob carries. */
export function unknownStoryRefFinding(raw: string, storyId: string, span: Span): Finding {
  return {
    message: `Unexpected dependency on unknown story ${storyId} in ${code(raw)}, expected a story file ${storyId}-*.md in the configured stories`,
    note: 'Stories are the files of the configured `stories` glob.',
    span,
  };
}

/** The `story-dependency` finding for a `## Dependencies` entry naming a story no file of the glob carries. */
export function unknownStoryDependencyFinding(storyId: string, span: Span): Finding {
  return {
    message: `Unexpected dependency on unknown story ${code(storyId)}, expected a story file ${storyId}-*.md in the configured stories`,
    note: 'Stories are the files of the configured `stories` glob.',
    span,
  };
}

/** The `story-id-unique` finding for a file whose story number other files carry too. */
export function duplicateFinding(id: string, path: string, others: readonly string[]): Finding {
  const name = (f: string) => f.replace(/^.*[\\/]/, '');
  const at = { line: 1, column: 1, offset: 0 };
  return {
    message: `Unexpected story number ${id} in ${code(name(path))}, also used by ${others.map((f) => code(name(f))).join(', ')}, expected one file per story number`,
    note: 'Renumber one of them (file name and heading) and update the refs that meant it.',
    span: { start: at, end: at },
  };
}

/** Story-level cycles through `## Dependencies` that include this story. */
function storyCycles(story: Story, self: string, project: Project, push: (rule: string, f: Finding) => void): void {
  if (story.dependencies.length === 0) return;
  for (const cycle of storyCyclesThrough(self, story, project)) {
    const i = cycle.indexOf(self);
    const rotated = [...cycle.slice(i, -1), ...cycle.slice(0, i), self];
    const next = rotated[1]!;
    const ref = story.dependencies.find((d) => d.story === next);
    push('story-dependency', {
      message: `Unexpected story dependency cycle ${rotated.join(' -> ')}, expected stories that can be ordered`,
      note: 'Remove one of these dependencies.',
      span: ref?.span ?? story.dependencies[0]!.span,
    });
  }
}

/** Task-level cycles that pass through another story. */
function taskCycles(story: Story, self: string, project: Project, push: (rule: string, f: Finding) => void): void {
  if (!story.tasks.some((t) => t.depends.some((r) => r.story !== undefined && r.story !== self))) return;
  const refSpans = new Map<string, Span>();
  for (const t of story.tasks) {
    if (!t.id) continue;
    for (const r of t.depends) {
      const key = `${self}/${t.id}>${r.story ?? self}/${r.task}`;
      if (!refSpans.has(key)) refSpans.set(key, r.span);
    }
  }
  for (const cycle of taskCyclesThrough(self, story, project)) {
    const i = cycle.findIndex((n) => n.startsWith(`${self}/`));
    const rotated = [...cycle.slice(i, -1), ...cycle.slice(0, i)];
    rotated.push(rotated[0]!);
    const span = refSpans.get(`${rotated[0]}>${rotated[1]}`) ?? story.tasks.find((t) => `${self}/${t.id}` === rotated[0])?.heading.span;
    if (!span) continue;
    push('dependency-cycle', {
      message: `Unexpected dependency cycle ${rotated.join(' -> ')} across stories, expected tasks that can be ordered`,
      note: 'Remove one of these dependencies.',
      span,
    });
  }
}
