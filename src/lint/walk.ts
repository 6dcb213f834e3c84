/**
 * Cheap pre-checks for the cross-story cycle checks (src/lint/project.ts): a
 * cycle through a story exists only if the walk from it comes back to it.
 * The walks visit the same stories as the checks' own (so the same summaries
 * are read) without building graphs; on a corpus where most stories are on no
 * cycle, this skips most of the graph work of a warm `--cache` run.
 */
import type { Story } from '../story/model.js';
import type { StorySummary } from './project.js';

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
