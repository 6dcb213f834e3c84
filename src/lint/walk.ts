/**
 * Cheap pre-checks for the cross-story cycle checks (src/lint/project.ts): a
 * cycle through a story exists only if the walk from it comes back to it.
 * The walks visit the same stories as the checks' own (so the same summaries
 * are read) without building graphs; on a corpus where most stories are on no
 * cycle, this skips most of the graph work of a warm `--cache` run.
 */
import type { Story } from '../story/model.js';
import type { StorySummary } from './types.js';
import { componentCycle, newSccState, stronglyConnected, type SccState } from '../graph/cycles.js';

interface Stories {
  byId: Map<string, string[]>;
  summary(id: string): StorySummary | null;
}

/** Whether the `## Dependencies` walk from `self` reaches `self` again (storyCycles' edges). */
export function dependencyWalkReturns(self: string, story: Pick<Story, 'dependencies'>, project: Stories): boolean {
  if (!project.byId.has(self)) return false;
  const seen = new Set([self]);
  const queue: string[] = [];
  for (const d of story.dependencies) {
    if (!seen.has(d.story) && project.byId.has(d.story)) {
      seen.add(d.story);
      queue.push(d.story);
    }
  }
  while (queue.length) {
    const id = queue.pop()!;
    for (const d of project.summary(id)?.dependencies ?? []) {
      if (d === self) return true;
      if (d !== id && !seen.has(d) && project.byId.has(d)) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  return false;
}

/** Whether the walk along cross-story task refs from `self` reaches a task of `self` again (taskCycles' edges). */
export function taskWalkReturns(self: string, story: Pick<Story, 'tasks'>, project: Stories): boolean {
  const seen = new Set([self]);
  const queue: string[] = [];
  const enqueue = (id: string) => {
    if (!seen.has(id) && project.byId.has(id)) {
      seen.add(id);
      queue.push(id);
    }
  };
  for (const t of story.tasks) if (t.id) for (const r of t.depends) if (r.story !== undefined && r.story !== self) enqueue(r.story);
  while (queue.length) {
    const sid = queue.pop()!;
    for (const t of project.summary(sid)?.tasks ?? []) {
      for (const r of t.depends) {
        if (r.story === undefined || r.story === sid) continue;
        if (r.story === self) return true;
        enqueue(r.story);
      }
    }
  }
  return false;
}

// --- cycles through a story, linear over a whole run ---------------------------
//
// Each linted story asks for the cycles through it. Building a graph of
// everything it reaches for every story costs the square of a ring's length
// (a ring of 1,000 stories: 30-57 s). Instead the strongly connected
// components are computed once per Project, node by node as stories ask
// (src/graph/cycles.ts, iterative), and each component's concrete cycle once;
// a story then only looks its components up.

interface CycleMemo {
  storyScc: SccState;
  storyCycles: Map<number, string[]>;
  taskScc: SccState;
  taskCycles: Map<number, string[]>;
  taskEdges: WeakMap<StorySummary, Map<string, string[]>>;
}
const memos = new WeakMap<object, CycleMemo>();
function memoOf(project: object): CycleMemo {
  let m = memos.get(project);
  if (!m) {
    m = { storyScc: newSccState(), storyCycles: new Map(), taskScc: newSccState(), taskCycles: new Map(), taskEdges: new WeakMap() };
    memos.set(project, m);
  }
  return m;
}

const sameSet = (a: readonly string[], b: readonly string[]) => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

/**
 * The `## Dependencies` cycles through story `self` (at most one: the cycle
 * of its strongly connected component, from the component's smallest story),
 * each as a path of story ids starting and ending at that story. Edges: a
 * story's dependencies that name a story in the project, self-loops excluded;
 * `self`'s own from `story` (the text being linted).
 */
export function storyCyclesThrough(self: string, story: Pick<Story, 'dependencies'>, project: Stories): string[][] {
  const mine = story.dependencies.map((d) => d.story);
  const deps = (id: string): string[] => (id === self ? mine : (project.summary(id)?.dependencies ?? [])).filter((d) => d !== id && project.byId.has(d));
  // The shared memo holds only when the project's summary of self has the same edges.
  const shared = sameSet(mine, project.summary(self)?.dependencies ?? []);
  const memo = shared ? memoOf(project) : { storyScc: newSccState(), storyCycles: new Map<number, string[]>() };
  stronglyConnected([self], deps, memo.storyScc);
  const c = memo.storyScc.component.get(self)!;
  const members = memo.storyScc.components[c]!;
  if (members.length < 2) return [];
  let cycle = memo.storyCycles.get(c);
  if (!cycle) memo.storyCycles.set(c, (cycle = componentCycle(members, deps)));
  return cycle.includes(self) ? [cycle] : [];
}

type TaskLike = { id: string | null; depends: readonly { story?: string; task: string }[] };

/** `sid/tid` -> the `story/task` nodes it depends on (duplicate task ids merged, self-loops dropped). */
function taskEdgeIndex(sid: string, tasks: readonly TaskLike[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of tasks) {
    if (!t.id) continue;
    const list = out.get(t.id) ?? [];
    for (const r of t.depends) {
      const target = r.story ?? sid;
      if (target === sid && r.task === t.id) continue;
      list.push(`${target}/${r.task}`);
    }
    out.set(t.id, list);
  }
  return out;
}

/**
 * The task-level cycles that run through a task of story `self` and at least
 * one other story: one per strongly connected component of `story/task` nodes
 * (its shortest cycle through its smallest node), sorted by that node.
 * `self`'s tasks come from `story`, the others from the project's summaries.
 */
export function taskCyclesThrough(self: string, story: { tasks: readonly TaskLike[] }, project: Stories): string[][] {
  const summary = project.summary(self);
  const mineIndex = taskEdgeIndex(self, story.tasks);
  const theirs = summary ? taskEdgeIndex(self, summary.tasks) : null;
  const shared = theirs !== null && theirs.size === mineIndex.size && [...mineIndex].every(([k, v]) => sameSet(v, theirs.get(k) ?? ['\0']));
  const memo = shared ? memoOf(project) : { taskScc: newSccState(), taskCycles: new Map<number, string[]>(), taskEdges: new WeakMap<StorySummary, Map<string, string[]>>() };
  const edges = (node: string): string[] => {
    const slash = node.indexOf('/');
    const sid = node.slice(0, slash);
    const tid = node.slice(slash + 1);
    if (sid === self) return mineIndex.get(tid) ?? [];
    const s = project.summary(sid);
    if (!s) return [];
    let index = memo.taskEdges.get(s);
    if (!index) memo.taskEdges.set(s, (index = taskEdgeIndex(sid, s.tasks)));
    return index.get(tid) ?? [];
  };
  const roots = [...mineIndex.keys()].map((t) => `${self}/${t}`);
  stronglyConnected(roots, edges, memo.taskScc);
  const found = new Set<number>();
  const out: string[][] = [];
  for (const root of roots) {
    const c = memo.taskScc.component.get(root)!;
    if (found.has(c)) continue;
    found.add(c);
    const members = memo.taskScc.components[c]!;
    if (members.length < 2) continue;
    let cycle = memo.taskCycles.get(c);
    if (!cycle) memo.taskCycles.set(c, (cycle = componentCycle(members, edges)));
    const stories = new Set(cycle.map((n) => n.slice(0, n.indexOf('/'))));
    if (stories.size >= 2 && stories.has(self)) out.push(cycle);
  }
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}
