/**
 * Cycles in a dependency graph, spelled as paths. Edges point from a task to
 * the task it depends on, so `001 -> 003 -> 002 -> 001` reads "001 depends on
 * 003, which depends on 002, which depends on 001".
 */
import { alg, Graph } from '@dagrejs/graphlib';

/**
 * One concrete cycle per strongly connected component (self-loops excluded),
 * each starting and ending at the component's smallest node.
 */
export function findCyclePaths(graph: Graph): string[][] {
  const out: string[][] = [];
  for (const component of alg.tarjan(graph)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    // BFS inside the component from start's successors back to start: a shortest cycle.
    const prev = new Map<string, string>();
    const queue: string[] = [start];
    let found = false;
    while (queue.length && !found) {
      const node = queue.shift()!;
      const next = [...((graph.successors(node) as string[] | undefined) ?? [])].filter((n) => members.has(n)).sort();
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
    const path: string[] = [start];
    let cur = prev.get(start)!;
    while (cur !== start) {
      path.push(cur);
      cur = prev.get(cur)!;
    }
    path.push(start);
    // path is start <- ... reversed; flip to follow the edges.
    const forward = [start, ...path.slice(1, -1).reverse(), start];
    out.push(forward);
  }
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
}

export { Graph };
