/**
 * Cycles in a dependency graph, spelled as paths. Edges point from a task to
 * the task it depends on, so `001 -> 003 -> 002 -> 001` reads "001 depends on
 * 003, which depends on 002, which depends on 001".
 */
import { Graph } from '@dagrejs/graphlib';

/** The nodes a node has edges to (each may be listed more than once). */
export type Successors = (node: string) => Iterable<string>;

/**
 * State of {@link stronglyConnected} kept between calls on the same graph, so
 * that many start nodes cost one pass over the graph in all.
 */
export interface SccState {
  /** The component (its index in `components`) of every node finished so far. */
  component: Map<string, number>;
  components: string[][];
}

export const newSccState = (): SccState => ({ component: new Map(), components: [] });

/**
 * Tarjan's strongly connected components of everything reachable from `roots`,
 * without recursion (an explicit stack, so a 3,000-node ring is no deeper for
 * the JavaScript stack than a single node). Linear in nodes plus edges; nodes
 * already in `state` are not visited again. Returns the state (components in
 * reverse topological order, as Tarjan finds them).
 */
export function stronglyConnected(roots: Iterable<string>, successors: Successors, state: SccState = newSccState()): SccState {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let next = 0;
  // One frame per node on the DFS path: the node and its successor iterator.
  const frames: { node: string; it: Iterator<string> }[] = [];
  const open = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    frames.push({ node, it: successors(node)[Symbol.iterator]() });
  };
  for (const root of roots) {
    if (state.component.has(root) || index.has(root)) continue;
    open(root);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const step = frame.it.next();
      if (!step.done) {
        const w = step.value;
        if (state.component.has(w)) continue; // finished in an earlier call: another component
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const v = frame.node;
      if (frames.length) {
        const parent = frames[frames.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const members: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          members.push(w);
          state.component.set(w, state.components.length);
        } while (w !== v);
        state.components.push(members);
      }
    }
  }
  return state;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A shortest cycle through the smallest node of `component` (a strongly
 * connected component of two or more nodes), as a path that starts and ends
 * there: breadth-first search over successors in sorted order, so the result
 * is the same whatever order the edges were added in.
 */
export function componentCycle(component: readonly string[], successors: Successors): string[] {
  const members = new Set(component);
  const start = [...component].sort(byCodeUnit)[0]!;
  const prev = new Map<string, string>();
  const queue: string[] = [start];
  let found = false;
  for (let head = 0; head < queue.length && !found; head++) {
    const node = queue[head]!;
    const next = [...new Set(successors(node))].filter((n) => members.has(n)).sort(byCodeUnit);
    for (const n of next) {
      if (n === start) {
        prev.set(start, node);
        found = true;
        break;
      }
      if (!prev.has(n)) {
        prev.set(n, node);
        queue.push(n);
      }
    }
  }
  const back: string[] = [];
  for (let cur = prev.get(start)!; cur !== start; cur = prev.get(cur)!) back.push(cur);
  return [start, ...back.reverse(), start];
}

/**
 * One concrete cycle per strongly connected component (self-loops excluded),
 * each starting and ending at the component's smallest node.
 */
export function findCyclePaths(graph: Graph): string[][] {
  const successors: Successors = (n) => (graph.successors(n) as string[] | undefined) ?? [];
  const { components } = stronglyConnected(graph.nodes(), successors);
  return components
    .filter((c) => c.length >= 2)
    .map((c) => componentCycle(c, successors))
    .sort((a, b) => byCodeUnit(a[0]!, b[0]!));
}

export { Graph };
