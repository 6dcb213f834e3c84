import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, run } from './graph-helpers.js';

const PLAN = join(FIXTURES, 'plan');

describe('plan-tasks next', () => {
  it('lists pending tasks whose dependencies are all done, critical path first', async () => {
    const r = await run(PLAN, ['next', '--format', 'json']);
    expect(r.code).toBe(0);
    // 050/004 waits for 050/002 (in progress); 051/003 waits for 050/004 (cross-story);
    // 051/004 starts the longest chain of remaining work (051/004 -> 005 -> 006 -> 007).
    // 050/003 has its one dependency done, but story 050 lists story 051 (In Progress)
    // under `## Dependencies`: it is not offered (issue 13).
    expect(JSON.parse(r.stdout)).toEqual([{ id: '051/004', title: 'Add the release checklist', domain: 'packaging' }]);
  });

  it('prints a readable list', async () => {
    const r = await run(PLAN, ['next']);
    expect(r.stdout).toBe(
      '1 task can start now:\n\n' +
        '  051/004  packaging  Add the release checklist  (critical path)\n' +
        '\nWaiting for a story in `## Dependencies` to be Done:\n' +
        '  050/003  (story 051)\n',
    );
  });

  it('filters by domain (case-insensitive) and by story', async () => {
    expect(JSON.parse((await run(PLAN, ['next', '--domain', 'backend', '--format', 'json'])).stdout)).toEqual([]);
    expect(JSON.parse((await run(PLAN, ['next', '--domain', 'Packaging', '--format', 'json'])).stdout).map((t: { id: string }) => t.id)).toEqual(['051/004']);
    expect(JSON.parse((await run(PLAN, ['next', '051', '--format', 'json'])).stdout).map((t: { id: string }) => t.id)).toEqual(['051/004']);
    expect(JSON.parse((await run(PLAN, ['next', '050', '--format', 'json'])).stdout).map((t: { id: string }) => t.id)).toEqual([]);
    const none = await run(PLAN, ['next', '050', '--domain', 'electron']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No task can start now in story 050 in domain electron: no pending task has all its dependencies done.\n');
  });

  it('follows the configured statuses', async () => {
    const r = await run(join(FIXTURES, 'custom'), ['next', '--format', 'json']);
    // 001 shipped (done), 002 in review (in progress), 005 has an unknown status: not offered,
    // reported, exit 1 (story 039; test/graph-fail-closed.test.ts).
    expect(JSON.parse(r.stdout).map((t: { id: string }) => t.id)).toEqual(['090/003']);
    expect(r.code).toBe(1);
  });

  it('rejects an unknown domain, story or format with exit 2', async () => {
    const d = await run(PLAN, ['next', '--domain', 'frontend']);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/Unknown domain "frontend", expected one of backend, compute, electron, packaging/);
    expect((await run(PLAN, ['next', '099'])).code).toBe(2);
    expect((await run(PLAN, ['next', '--format', 'sarif'])).code).toBe(2);
    expect((await run(PLAN, ['next', 'all'])).code).toBe(2);
  });

  it('still lists what can start on a cyclic plan, reports the cycle and exits 1', async () => {
    const r = await run(join(FIXTURES, 'cycle'), ['next', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((t: { id: string }) => t.id)).toEqual(['060/004']);
    expect(r.stderr).toContain('Unexpected dependency cycle 001 -> 003 -> 002 -> 001');
  });
});
