import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND, corpusMetrics, runWeaveCorpus, type CorpusRun } from './scaffold-corpus.js';

// Every weave story, stripped of its Tasks, set Ready and unchecked, scaffolds
// into a file that `plan-tasks lint` accepts with no errors.
// In the skeleton of the weave repository (test/weave-repo.ts), as a developer runs it.
let runs: CorpusRun[] = [];
let bare: CorpusRun[] = [];
const roots: string[] = [];
beforeAll(async () => {
  let root: string;
  ({ runs, root } = await runWeaveCorpus({ repo: true }));
  roots.push(root);
  ({ runs: bare, root } = await runWeaveCorpus({ repo: false }));
  roots.push(root);
});
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('scaffolding the weave corpus', () => {
  it('scaffolds all 28 stories', () => {
    expect(runs.length).toBe(28);
    for (const r of runs) expect(r.tasks.length, r.file).toBeGreaterThan(0);
  });

  it('produces output that lints with no errors, for every story, with and without the repository', () => {
    const errors = [...runs, ...bare].flatMap((r) => r.errors.map((m) => `${r.file}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(errors).toEqual([]);
    expect(bare.length).toBe(28);
  });

  it('leaves only story-size warnings (stories with more than 15 criteria)', () => {
    const rules = new Set(runs.flatMap((r) => r.warningsAfter.map((m) => m.ruleId)));
    expect([...rules]).toEqual(['story-size']);
  });

  it('refuses ("Split the story") exactly when it plans more than 15 tasks', () => {
    for (const r of runs) {
      const warned = r.refusals.some((w) => /Split the story/.test(w.message));
      expect(warned, r.file).toBe(r.tasks.length > 15);
    }
  });

  it('agrees with the authors on most domains (see test/fixtures/scaffold/weave-domains.md)', () => {
    const tasks = runs.reduce((n, r) => n + r.comparison.tasks, 0);
    const agreeing = runs.reduce((n, r) => n + (r.comparison.perTask * r.comparison.tasks) / 100, 0);
    expect(agreeing / tasks).toBeGreaterThan(0.75);
    // The protocol story: compute and weave work split per domain, docs on their own.
    const s001 = runs.find((r) => r.id === '001')!;
    expect(new Set(s001.tasks.map((t) => t.domain))).toEqual(new Set(['compute', 'weave', 'documentation']));
  });

  it('plans around the code: most tasks name an existing file and a command, and few stand without a dependency', () => {
    const m = corpusMetrics(runs);
    // Before (one task per criterion, folder globs, "a test checks each point"): 8 %, 0 %, 78 %.
    expect(m.existingFile).toBeGreaterThanOrEqual(55);
    expect(m.command).toBeGreaterThanOrEqual(85);
    expect(m.noDeps).toBeLessThanOrEqual(40);
    for (const r of runs) {
      for (const t of r.tasks) {
        expect(t.prose, `${r.file} ${t.id}`).not.toMatch(/`[^`]*\*\*[^`]*`|a test checks each point/);
        expect(t.title.length, `${r.file} ${t.id}`).toBeLessThanOrEqual(72);
        expect((t.title.match(/`/g) ?? []).length % 2, `${r.file} ${t.id}`).toBe(0);
      }
    }
    expect(runs.every((r) => r.tasks.some((t) => COMMAND.test(t.prose)))).toBe(true);
  });
});
