/**
 * The dependency graph of every task in the project: one graphlib graph built
 * from the Story models, and one topological pass over it for waves (how long
 * a task's longest dependency chain is), a critical path (a longest chain) and
 * the tasks that can start now.
 *
 * Nodes are `story/task` keys (`050/001`). As in the linter's graphs, an edge
 * goes from a task to a task it depends on, so `findCyclePaths` spells cycles
 * the way `dependency-cycle` does. Unknown refs and self refs are left out:
 * the linter reports them. Everything here is linear in tasks + dependencies.
 */
import { Graph } from '@dagrejs/graphlib';
import type { ResolvedConfig } from '../config/types.js';
import { taskPhase, type TaskPhase } from '../status/index.js';
import type { Story } from '../story/model.js';
import { findCyclePaths } from './cycles.js';

export interface TaskNode {
  /** `050/001` */
  id: string;
  story: string;
  task: string;
  title: string;
  /** The Domain value as written ('' when missing). */
  domain: string;
  /** The Status value as written ('' when missing). */
  status: string;
  /** done / active (in progress) / pending, via the configured statuses; null when unknown. */
  phase: TaskPhase | null;
}

export interface StoryInfo {
  id: string;
  title: string | null;
  path: string | undefined;
  story: Story;
}

export interface TaskGraph {
  /** Edges from a task to each task it depends on; node labels are `TaskNode`s. */
  graph: Graph;
  nodes: Map<string, TaskNode>;
  /** Stories by id, in id order. */
  stories: Map<string, StoryInfo>;
}

/** The id other stories use for a story: the file name's number, else the title's. */
export function storyKey(story: Story): string | null {
  return story.fileId ?? story.id;
}

export const nodeKey = (story: string, task: string): string => `${story}/${task}`;

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Build the graph of all tasks. Stories without an id and tasks without one
 * are skipped; of two stories with the same id, or two tasks with the same id,
 * the first wins (the linter reports the duplicates).
 */
export function buildTaskGraph(stories: readonly Story[], config: ResolvedConfig): TaskGraph {
  const graph = new Graph({ directed: true });
  const nodes = new Map<string, TaskNode>();
  const infos: StoryInfo[] = [];
  const seen = new Set<string>();
  for (const story of stories) {
    const sid = storyKey(story);
    if (sid === null || seen.has(sid)) continue;
    seen.add(sid);
    infos.push({ id: sid, title: story.title, path: story.path, story });
  }
  infos.sort((a, b) => byKey(a.id, b.id));
  const phases = new Map<string, TaskPhase | null>();
  const phaseOf = (value: string): TaskPhase | null => {
    let p = phases.get(value);
    if (p === undefined && !phases.has(value)) {
      p = taskPhase(config, value);
      phases.set(value, p);
    }
    return p ?? null;
  };
  for (const info of infos) {
    for (const task of info.story.tasks) {
      if (!task.id) continue;
      const id = nodeKey(info.id, task.id);
      if (nodes.has(id)) continue;
      const status = task.status?.value.trim() ?? '';
      const node: TaskNode = {
        id,
        story: info.id,
        task: task.id,
        title: task.title,
        domain: task.domain?.value.trim() ?? '',
        status,
        phase: phaseOf(status),
      };
      nodes.set(id, node);
      graph.setNode(id, node);
    }
  }
  for (const info of infos) {
    const done = new Set<string>();
    for (const task of info.story.tasks) {
      if (!task.id) continue;
      const from = nodeKey(info.id, task.id);
      if (done.has(from)) continue; // a duplicate id: the first task's refs only
      done.add(from);
      for (const ref of task.depends) {
        const to = nodeKey(ref.story ?? info.id, ref.task);
        if (to === from || !nodes.has(to)) continue;
        graph.setEdge(from, to);
      }
    }
  }
  return { graph, nodes, stories: new Map(infos.map((i) => [i.id, i])) };
}

export interface Analysis {
  /** The nodes analysed, in id order. */
  ids: string[];
  /** Wave of each analysed node: edges in its longest dependency chain. */
  wave: Map<string, number>;
  /** waves[k]: the nodes whose longest dependency chain has k edges, in id order. */
  waves: string[][];
  /** A longest chain, dependency first. */
  criticalPath: string[];
  /** Cycles among the analysed nodes, spelled like `dependency-cycle` (task -> dependency). */
  cycles: string[][];
}

/**
 * Waves and a critical path in one topological pass (Kahn's algorithm) over
 * the nodes `include` accepts (default: all), and the edges between them.
 * Linear in nodes + edges; cycles are only searched for when the pass leaves
 * nodes behind.
 */
export function analyze(tg: TaskGraph, include?: (id: string) => boolean): Analysis {
  const { graph } = tg;
  const ids: string[] = [];
  for (const id of tg.nodes.keys()) if (!include || include(id)) ids.push(id);
  ids.sort(byKey);
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i]!, i);
  const n = ids.length;
  const remaining = new Int32Array(n);
  const level = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    let deps = 0;
    for (const d of (graph.successors(ids[i]!) as string[] | undefined) ?? []) if (index.has(d)) deps++;
    remaining[i] = deps;
    if (deps === 0) queue[tail++] = i;
  }
  for (let head = 0; head < tail; head++) {
    const u = queue[head]!;
    const next = level[u]! + 1;
    for (const p of (graph.predecessors(ids[u]!) as string[] | undefined) ?? []) {
      const j = index.get(p);
      if (j === undefined) continue;
      if (next > level[j]! || (next === level[j]! && parent[j]! > u)) {
        level[j] = next;
        parent[j] = u;
      }
      if (--remaining[j]! === 0) queue[tail++] = j;
    }
  }
  const wave = new Map<string, number>();
  const waves: string[][] = [];
  let end = -1;
  for (let i = 0; i < n; i++) {
    if (remaining[i]! > 0) continue; // on or behind a cycle
    const k = level[i]!;
    wave.set(ids[i]!, k);
    (waves[k] ??= []).push(ids[i]!);
    if (end === -1 || k > level[end]!) end = i;
  }
  const criticalPath: string[] = [];
  for (let i = end; i !== -1; i = parent[i]!) criticalPath.push(ids[i]!);
  criticalPath.reverse();
  let cycles: string[][] = [];
  if (tail < n) {
    const sub = include ? induced(graph, ids) : graph;
    cycles = findCyclePaths(sub);
  }
  return { ids, wave, waves: waves.filter(Boolean), criticalPath, cycles };
}

function induced(graph: Graph, ids: readonly string[]): Graph {
  const keep = new Set(ids);
  const sub = new Graph({ directed: true });
  for (const id of ids) sub.setNode(id);
  for (const id of ids) for (const d of (graph.successors(id) as string[] | undefined) ?? []) if (keep.has(d)) sub.setEdge(id, d);
  return sub;
}

/** The tasks `id` depends on (in the graph: known refs only), in id order. */
export function dependenciesOf(tg: TaskGraph, id: string): string[] {
  return [...((tg.graph.successors(id) as string[] | undefined) ?? [])].sort(byKey);
}

/**
 * Pending tasks whose every dependency is done, in id order. `notReady` holds
 * the tasks that must not be offered whatever their edges say: those with a
 * dependency the graph cannot resolve, or whose story waits for another
 * (`resolveProject` in ./unresolved.ts).
 */
export function readyTasks(tg: TaskGraph, notReady?: (id: string) => boolean): string[] {
  const out: string[] = [];
  for (const node of tg.nodes.values()) {
    if (node.phase !== 'pending') continue;
    if (notReady?.(node.id)) continue;
    let ok = true;
    for (const d of (tg.graph.successors(node.id) as string[] | undefined) ?? []) {
      if (tg.nodes.get(d)!.phase !== 'done') {
        ok = false;
        break;
      }
    }
    if (ok) out.push(node.id);
  }
  return out.sort(byKey);
}

/**
 * What can start now, most urgent first: the ready tasks on a critical path of
 * the remaining (not done) work, then the rest by story and task id.
 */
export function nextTasks(tg: TaskGraph, notReady?: (id: string) => boolean): { ready: string[]; critical: Set<string>; cycles: string[][] } {
  const ready = readyTasks(tg, notReady);
  const left = analyze(tg, (id) => tg.nodes.get(id)!.phase !== 'done');
  const critical = new Set(left.criticalPath);
  const first = ready.filter((id) => critical.has(id));
  const rest = ready.filter((id) => !critical.has(id));
  return { ready: [...first, ...rest], critical, cycles: left.cycles };
}

/**
 * The part of the graph a view of one story shows: its tasks, plus the tasks
 * of other stories they depend on or that depend on them.
 */
export function storyView(tg: TaskGraph, storyId: string): Set<string> {
  const keep = new Set<string>();
  for (const node of tg.nodes.values()) {
    if (node.story !== storyId) continue;
    keep.add(node.id);
    for (const d of (tg.graph.successors(node.id) as string[] | undefined) ?? []) keep.add(d);
    for (const d of (tg.graph.predecessors(node.id) as string[] | undefined) ?? []) keep.add(d);
  }
  return keep;
}

/** Edges among `ids`, from a dependency to the task that needs it, sorted. */
export function edgesAmong(tg: TaskGraph, ids: readonly string[], keep?: Set<string>): { from: string; to: string }[] {
  const set = keep ?? new Set(ids);
  const out: { from: string; to: string }[] = [];
  for (const id of ids) {
    for (const d of dependenciesOf(tg, id)) if (set.has(d)) out.push({ from: d, to: id });
  }
  return out.sort((a, b) => byKey(a.from, b.from) || byKey(a.to, b.to));
}
