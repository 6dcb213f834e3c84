/**
 * The pre-checks that let the cross-story cycle checks skip their graphs
 * (src/lint/walk.ts) never skip a story that is on a cycle: compared with a
 * transitive closure of the same edges on random story graphs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StorySummary } from '../src/lint/project.js';
import { dependencyWalkReturns, taskWalkReturns } from '../src/lint/walk.js';

const IDS = ['001', '002', '003', '004', '005', '006'];
const TASKS = ['001', '002', '003'];

/** Reachability (one or more edges) over the given edges. */
function closure(edges: [string, string][]): (a: string, b: string) => boolean {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) (next.get(a) ?? next.set(a, new Set()).get(a)!).add(b);
  return (a, b) => {
    const seen = new Set<string>();
    const stack = [...(next.get(a) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === b) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(next.get(n) ?? []));
    }
    return false;
  };
}

const ref = fc.record({ story: fc.option(fc.constantFrom(...IDS, '099'), { nil: undefined }), task: fc.constantFrom(...TASKS) });
const story = fc.record({
  dependencies: fc.array(fc.constantFrom(...IDS, '099'), { maxLength: 3 }),
  tasks: fc.array(fc.record({ id: fc.constantFrom(...TASKS), depends: fc.array(ref, { maxLength: 3 }) }), { maxLength: 3 }),
});
const world = fc.record({ stories: fc.dictionary(fc.constantFrom(...IDS), story), self: fc.constantFrom(...IDS) });

function project(stories: Record<string, { dependencies: string[]; tasks: { id: string; depends: { story?: string; task: string }[] }[] }>) {
  const byId = new Map(Object.keys(stories).map((id) => [id, [`${id}-x.md`]]));
  const summary = (id: string): StorySummary | null => (stories[id] ? { id, path: `${id}-x.md`, status: null, dependencies: stories[id]!.dependencies, tasks: stories[id]!.tasks.map((t) => ({ ...t, status: null })) } : null);
  return { byId, summary };
}

describe('cycle pre-checks (src/lint/walk.ts)', () => {
  it('dependencyWalkReturns is true exactly when the story is on a `## Dependencies` cycle', () => {
    fc.assert(
      fc.property(world, ({ stories, self }) => {
        const p = project(stories);
        const mine = stories[self] ?? { dependencies: [], tasks: [] };
        // storyCycles' edges: no self-loops, only to stories that exist.
        const edges: [string, string][] = [];
        for (const [id, s] of Object.entries({ ...stories, [self]: mine })) {
          for (const d of s.dependencies) if (d !== id && p.byId.has(d)) edges.push([id, d]);
        }
        const onCycle = p.byId.has(self) && closure(edges)(self, self);
        expect(dependencyWalkReturns(self, { dependencies: mine.dependencies.map((d) => ({ story: d, raw: d, span: null as never })) }, p)).toBe(onCycle);
      }),
      { numRuns: 2000 },
    );
  });

  it('taskWalkReturns is true whenever a task cycle runs through the story and another one', () => {
    fc.assert(
      fc.property(world, ({ stories, self }) => {
        const p = project(stories);
        const mine = stories[self] ?? { dependencies: [], tasks: [] };
        // taskCycles' edges: task -> task, a ref without a story stays in the task's story.
        const edges: [string, string][] = [];
        for (const [sid, s] of Object.entries({ ...stories, [self]: mine })) {
          for (const t of s.tasks) for (const r of t.depends) edges.push([`${sid}/${t.id}`, `${r.story ?? sid}/${r.task}`]);
        }
        const reach = closure(edges);
        const nodes = [...new Set(edges.flat())];
        const crossCycle = nodes.some((u) => u.startsWith(`${self}/`) && nodes.some((v) => !v.startsWith(`${self}/`) && reach(u, v) && reach(v, u)));
        const walk = taskWalkReturns(self, { tasks: mine.tasks.map((t) => ({ ...t, depends: t.depends.map((r) => ({ ...r, raw: r.task, span: null as never })) })) as never }, p);
        if (crossCycle) expect(walk).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
