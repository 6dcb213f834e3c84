/**
 * What `graph` and `next` cannot resolve, so that they fail closed: a task is
 * never offered as ready, and never silently loses an edge, on something the
 * tool did not understand. Each problem is reported as the linter reports it
 * (the same rule ids and, for the story-local ones, the same rules' `check`
 * output), and blocks the tasks it makes uncertain:
 *
 * - a story file that cannot be read (binary, invalid UTF-8): refs into it;
 * - two story files with one number: both stories' tasks, and refs into them;
 *   a story file with no number in its name (its tasks), as `lint` reports it;
 * - tasks in another shape (`tasks-section`), task headings without an id
 *   the graph can key (`task-heading`: `### 1: X`, `### 003-006: X`), duplicate task ids
 *   (`task-id-unique`: the duplicated tasks and refs to them), unreadable
 *   depends values or a missing `**Depends on:**` (`task-depends-format`,
 *   `task-fields`), refs to tasks or stories that do not exist
 *   (`dependency-unknown`), `## Dependencies` naming a story that does not
 *   exist, cannot be read, or has no status that says whether it is Done
 *   (`story-dependency`);
 * - a task whose status is missing or not a configured task status (`task-status`,
 *   `task-fields`: whether it is done cannot be told): the task itself, and the
 *   tasks that depend on it.
 *
 * A task whose story depends (`## Dependencies`) on a story not Done is not
 * ready either; that is waiting, not a problem, and is not reported.
 */
import type { ResolvedConfig } from '../config/types.js';
import { unknownStoryRefFinding, unknownTaskFinding } from '../../rules/dependency-unknown.js';
import { unknownStoryDependencyFinding } from '../../rules/story-dependency.js';
import { duplicateFinding, misnamedFinding } from '../../rules/story-id-unique.js';
import { fileStoryId } from '../lint/project.js';
import { makeResult } from '../lint/engine.js';
import type { LintMessage, LintResult } from '../lint/types.js';
import { check as dependencyUnknown } from '../../rules/dependency-unknown.js';
import { check as taskDependsFormat } from '../../rules/task-depends-format.js';
import { check as taskHeading } from '../../rules/task-heading.js';
import { check as taskIdUnique } from '../../rules/task-id-unique.js';
import { check as taskStatus } from '../../rules/task-status.js';
import { check as tasksSection } from '../../rules/tasks-section.js';
import type { Check } from '../rules/types.js';
import { code, storySpan, taskLabel } from '../rules/util.js';
import { storyPhase } from '../status/index.js';
import type { Span, Story } from '../story/model.js';
import { nodeKey, storyKey, type TaskGraph } from './task-graph.js';

/** A story file the graph could not read: its path, its number from the file name, and why. */
export interface UnreadableStory {
  path: string;
  id: string | null;
  message: LintMessage;
}

/** One unresolved problem, where it is, and what the linter calls it. */
export interface Unresolved {
  path: string;
  ruleId: string | null;
  message: string;
  span: Span | null;
  fatal?: boolean;
}

export interface Resolution {
  problems: Unresolved[];
  /** Node keys (`050/003`) that must not be offered as ready, with the reason. */
  blocked: Map<string, string>;
  /** Node keys whose story waits for `## Dependencies` stories that are not Done, with those story ids. */
  waiting: Map<string, string[]>;
}

const LOCAL_CHECKS: Check[] = [tasksSection, taskIdUnique, taskDependsFormat, dependencyUnknown];

/**
 * Everything `graph` / `next` cannot resolve in `tg` (built from `stories`, which
 * may hold several files with one number) and the unreadable files.
 */
export function resolveProject(tg: TaskGraph, stories: readonly Story[], unreadable: readonly UnreadableStory[], config: ResolvedConfig): Resolution {
  const problems: Unresolved[] = [];
  const blocked = new Map<string, string>();
  const waiting = new Map<string, string[]>();
  const block = (key: string, why: string) => {
    if (!blocked.has(key)) blocked.set(key, why);
  };

  const unreadableIds = new Set<string>();
  for (const u of unreadable) {
    problems.push({ path: u.path, ruleId: null, message: u.message.message, span: null, fatal: true });
    if (u.id) unreadableIds.add(u.id);
  }

  // Two files with one number: neither is the story `NNN/MMM` refs mean.
  const byId = new Map<string, Story[]>();
  for (const s of stories) {
    const id = storyKey(s);
    // A file of the glob with no number in its name: `lint` reports it (story-id-unique), and its
    // tasks (keyed by the heading's number, if any) are not ready: `status NNN/TTT` cannot find them.
    if (s.path && fileStoryId(s.path) === null) {
      const f = misnamedFinding(s.path, s.id);
      problems.push({ path: s.path, ruleId: 'story-id-unique', message: f.message, span: f.span });
      if (id === null) continue;
      for (const t of s.tasks) if (t.id) block(nodeKey(id, t.id), `the file of story ${id} has no story number in its name`);
    } else if (id === null) {
      // Its tasks cannot be keyed (`NNN/MMM`): they would vanish from the graph.
      if (s.tasks.length) {
        problems.push({
          path: s.path ?? '(no path)',
          ruleId: 'story-id-unique',
          message: `Missing story number for ${s.tasks.length} task${s.tasks.length === 1 ? '' : 's'}, expected a file name such as 015-slug.md or a \`# Story 015: Title\` heading: graph and next cannot key them`,
          span: storySpan(s),
        });
      }
      continue;
    }
    const list = byId.get(id) ?? [];
    list.push(s);
    byId.set(id, list);
  }
  const duplicated = new Set<string>();
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    duplicated.add(id);
    const paths = list.map((s) => s.path ?? id);
    for (const s of list) {
      const path = s.path ?? id;
      problems.push({ path, ruleId: 'story-id-unique', message: duplicateFinding(id, path, paths.filter((p) => p !== path)).message, span: storySpan(s) });
      for (const t of s.tasks) if (t.id) block(nodeKey(id, t.id), `story ${id} is used by ${list.length} files`);
    }
  }

  for (const info of tg.stories.values()) {
    const story = info.story;
    const sid = info.id;
    const path = info.path ?? sid;
    for (const check of LOCAL_CHECKS) {
      for (const f of check(story, { config })) problems.push({ path, ruleId: ruleIdOf(check), message: f.message, span: f.span });
    }
    // A task whose heading carries no id the graph can key (`### 1: X`, `### 003-006: X`,
    // `### Setup`): it would vanish from the graph, and no ref could reach it. Reported with
    // task-heading's findings on that heading.
    const unkeyed = story.tasks.filter((t) => !t.id);
    if (unkeyed.length) {
      const lines = new Set(unkeyed.map((t) => t.heading.span.start.line));
      for (const f of taskHeading(story, { config })) {
        if (f.span && lines.has(f.span.start.line)) problems.push({ path, ruleId: 'task-heading', message: f.message, span: f.span });
      }
    }
    // Duplicate ids: which task a ref means is unknown.
    const count = new Map<string, number>();
    for (const t of story.tasks) if (t.id) count.set(t.id, (count.get(t.id) ?? 0) + 1);
    for (const [id, n] of count) if (n > 1) block(nodeKey(sid, id), `task id ${id} is used by ${n} tasks`);

    // `## Dependencies`: stories that must be Done first.
    let depProblem: string | null = null;
    const depWaiting: string[] = [];
    for (const d of story.dependencies) {
      if (d.story === sid) continue;
      if (unreadableIds.has(d.story) || duplicated.has(d.story) || !tg.stories.has(d.story)) {
        const why = unreadableIds.has(d.story) ? 'cannot be read' : duplicated.has(d.story) ? 'is used by several files' : 'does not exist';
        if (!unreadableIds.has(d.story) && !duplicated.has(d.story)) {
          problems.push({ path, ruleId: 'story-dependency', message: unknownStoryDependencyFinding(d.story, d.span).message, span: d.span });
        }
        depProblem ??= `story ${d.story} in \`## Dependencies\` ${why}`;
        continue;
      }
      const dep = tg.stories.get(d.story)!.story;
      const phase = storyPhase(config, dep.status?.value);
      if (phase === null) {
        // Whether it is Done cannot be told: unresolved, not waiting.
        const what = dep.status ? `${code(dep.status.value)}, not a configured story status` : 'missing';
        problems.push({
          path,
          ruleId: 'story-dependency',
          message: `Unresolved dependency on story ${d.story}: its status is ${what}, expected one of ${config.storyStatuses.map(code).join(', ')} in ${dep.path?.replace(/^.*[\\/]/, '') ?? `story ${d.story}`}`,
          span: d.span,
        });
        depProblem ??= `story ${d.story} in \`## Dependencies\` has no status it can read`;
      } else if (phase !== 'done' && !depWaiting.includes(d.story)) depWaiting.push(d.story);
    }

    // Task statuses that say neither pending, active nor done: reported with task-status's
    // finding on the value (computed once per story, only when one is unreadable).
    let statusFindings: ReturnType<Check> | null = null;
    for (const task of story.tasks) {
      if (!task.id) continue;
      const key = nodeKey(sid, task.id);
      if (tg.nodes.get(key)?.phase === null) {
        const field = task.status;
        const value = field?.value.trim() ?? '';
        const expected = `expected one of ${config.taskStatuses.map(code).join(', ')}`;
        if (field && value) {
          statusFindings ??= taskStatus(story, { config });
          const f = statusFindings.find((x) => x.span && x.span.start.offset >= field.span.start.offset && x.span.end.offset <= field.span.end.offset);
          problems.push({ path, ruleId: 'task-status', message: f?.message ?? `Unexpected task status ${code(value)} in ${taskLabel(task)}, ${expected}`, span: f?.span ?? field.valueSpan });
        } else {
          problems.push({ path, ruleId: field ? 'task-status' : 'task-fields', message: `Missing status in ${taskLabel(task)}, ${expected}: whether it is done cannot be told`, span: field?.span ?? task.heading.span });
        }
        block(key, value ? `its status ${code(value)} is not a configured task status` : 'it has no status');
      }
      if (depProblem) block(key, depProblem);
      if (depWaiting.length) waiting.set(key, depWaiting);
      if (!task.dependsOn) {
        problems.push({
          path,
          ruleId: 'task-fields',
          message: `Missing \`**Depends on:**\` in ${taskLabel(task)}, expected \`none\` or the ids it needs (\`001, 002\`): its dependencies are unknown`,
          span: task.heading.span,
        });
        block(key, 'it has no `**Depends on:**`');
      }
      if (task.dependsErrors.length) block(key, `its \`**Depends on:**\` cannot be read (${task.dependsErrors.map((e) => code(e.raw || 'empty')).join(', ')})`);
      for (const ref of task.depends) {
        const target = ref.story ?? sid;
        if (target === sid) {
          if (!story.tasks.some((t) => t.id === ref.task)) block(key, `it depends on ${ref.raw}, which does not exist`);
          else if ((count.get(ref.task) ?? 0) > 1) block(key, `it depends on ${ref.raw}, an id used by several tasks`);
          else if (tg.nodes.get(nodeKey(sid, ref.task))?.phase === null) block(key, `it depends on ${ref.raw}, whose status cannot be read`);
          continue;
        }
        if (unreadableIds.has(target)) {
          problems.push({ path, ruleId: 'dependency-unknown', message: `Unresolved dependency ${code(ref.raw)} in ${taskLabel(task)}: story ${target} cannot be read`, span: ref.span });
          block(key, `it depends on ${ref.raw}, in a story that cannot be read`);
        } else if (duplicated.has(target)) {
          problems.push({ path, ruleId: 'dependency-unknown', message: `Unresolved dependency ${code(ref.raw)} in ${taskLabel(task)}: story number ${target} is used by several files`, span: ref.span });
          block(key, `it depends on ${ref.raw}, in a story number used by several files`);
        } else if (!tg.stories.has(target)) {
          problems.push({ path, ruleId: 'dependency-unknown', message: unknownStoryRefFinding(ref.raw, target, ref.span).message, span: ref.span });
          block(key, `it depends on ${ref.raw}, in a story that does not exist`);
        } else {
          const other = tg.stories.get(target)!.story;
          const n = other.tasks.filter((t) => t.id === ref.task).length;
          if (n === 0) {
            const ids = other.tasks.map((t) => t.id).filter((x): x is string => x !== null);
            problems.push({ path, ruleId: 'dependency-unknown', message: unknownTaskFinding(ref.raw, target, ids, ref.span, task).message, span: ref.span });
            block(key, `it depends on ${ref.raw}, which does not exist`);
          } else if (n > 1) block(key, `it depends on ${ref.raw}, an id used by several tasks`);
          else if (tg.nodes.get(nodeKey(target, ref.task))?.phase === null) block(key, `it depends on ${ref.raw}, whose status cannot be read`);
        }
      }
    }
  }
  return { problems, blocked, waiting };
}

function ruleIdOf(check: Check): string {
  return check === tasksSection ? 'tasks-section' : check === taskIdUnique ? 'task-id-unique' : check === taskDependsFormat ? 'task-depends-format' : 'dependency-unknown';
}

/** Problems (and extra messages, such as cycles) as ESLint-shaped results, one per file, sorted. */
export function problemResults(problems: readonly Unresolved[], extra: readonly LintResult[] = []): LintResult[] {
  const byFile = new Map<string, LintResult>();
  const get = (path: string) => {
    let r = byFile.get(path);
    if (!r) {
      r = makeResult(path, []);
      byFile.set(path, r);
    }
    return r;
  };
  for (const p of problems) {
    const r = get(p.path);
    const s = p.span;
    r.messages.push({
      ruleId: p.ruleId,
      severity: 2,
      message: p.message,
      line: s ? s.start.line : 1,
      column: s ? s.start.column : 1,
      endLine: s ? s.end.line : 1,
      endColumn: s ? s.end.column : 1,
      ...(p.fatal ? { fatal: true } : {}),
    });
    r.errorCount++;
    if (p.fatal) r.fatalErrorCount++;
  }
  for (const e of extra) {
    const r = get(e.filePath);
    for (const m of e.messages) r.messages.push(m);
    r.errorCount += e.errorCount;
  }
  for (const r of byFile.values()) {
    const seen = new Set<string>();
    r.messages = r.messages.filter((m) => {
      const k = `${m.line}:${m.column}:${m.ruleId}:${m.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    r.errorCount = r.messages.filter((m) => m.severity === 2).length;
    r.messages.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  return [...byFile.values()].sort((a, b) => (a.filePath < b.filePath ? -1 : 1));
}
