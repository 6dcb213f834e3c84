/**
 * The dependency graph of one story's tasks (graphlib), as dependency-cycle
 * built it before story 024 (the rule now walks its own adjacency): kept only
 * for test/rules-before.ts, the reference the fast rules are held to. Nodes are task ids; an edge goes from a
 * task to a task it depends on. Unknown, cross-story and self refs are left
 * out (their own rules report them).
 */
import { Graph } from '@dagrejs/graphlib';
import type { Story, Task } from '../../src/story/model.js';

const cache = new WeakMap<Story, Graph>();

export function storyGraph(story: Story): Graph {
  let graph = cache.get(story);
  if (graph) return graph;
  graph = new Graph({ directed: true });
  const byId = new Map<string, Task>();
  for (const task of story.tasks) {
    if (task.id && !byId.has(task.id)) {
      byId.set(task.id, task);
      graph.setNode(task.id, task);
    }
  }
  for (const [id, task] of byId) {
    for (const ref of task.depends) {
      if (ref.story !== undefined && ref.story !== story.id) continue;
      if (ref.task === id || !byId.has(ref.task)) continue;
      graph.setEdge(id, ref.task);
    }
  }
  cache.set(story, graph);
  return graph;
}
