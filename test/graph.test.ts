import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/load.js';
import { analyze, buildTaskGraph, nextTasks, readyTasks } from '../src/graph/task-graph.js';
import { dotText, graphView, mermaidText, toDot, toMermaid } from '../src/graph/render.js';
import { parseStory } from '../src/story/parse.js';
import { FIXTURES, run } from './graph-helpers.js';

const PLAN = join(FIXTURES, 'plan');
const config = resolveConfig({}, '/', null);

function story(id: string, tasks: [string, string, string][]): string {
  // [task id, status, depends]
  return `# Story ${id}: S${id}\n\n## Tasks\n\n${tasks
    .map(([t, status, deps]) => `### ${t}: Task ${t}\n**Domain:** compute\n**Status:** ${status}\n**Depends on:** ${deps}\n\nDo it.\n\n---\n`)
    .join('\n')}`;
}
const graphOf = (...stories: [string, [string, string, string][]][]) =>
  buildTaskGraph(stories.map(([id, tasks]) => parseStory(story(id, tasks), `/p/${id}-s.md`)), config);

describe('task graph analysis', () => {
  it('puts each task in the wave of its longest dependency chain', () => {
    // 001 -> 002 -> 004, 001 -> 004 (shortcut), 003 alone, 005 after 004 and 003.
    const tg = graphOf(['010', [['001', 'done', 'none'], ['002', 'pending', '001'], ['003', 'pending', 'none'], ['004', 'pending', '001, 002'], ['005', 'pending', '004, 003']]]);
    const a = analyze(tg);
    expect(a.waves).toEqual([['010/001', '010/003'], ['010/002'], ['010/004'], ['010/005']]);
    expect(a.criticalPath).toEqual(['010/001', '010/002', '010/004', '010/005']);
    expect(a.cycles).toEqual([]);
  });

  it('breaks ties between equally long chains by the smaller id', () => {
    const tg = graphOf(['010', [['001', 'pending', 'none'], ['002', 'pending', 'none'], ['003', 'pending', '002, 001']]]);
    expect(analyze(tg).criticalPath).toEqual(['010/001', '010/003']);
  });

  it('follows refs into other stories and ignores unknown and self refs', () => {
    const tg = graphOf(['010', [['001', 'pending', '011/002, 099/001, 001'], ['002', 'pending', '007']]], ['011', [['001', 'done', 'none'], ['002', 'done', '001']]]);
    expect(tg.graph.edgeCount()).toBe(2);
    expect(analyze(tg).criticalPath).toEqual(['011/001', '011/002', '010/001']);
  });

  it('finds cycles only when the topological pass leaves tasks behind', () => {
    const tg = graphOf(['010', [['001', 'pending', '003'], ['002', 'pending', '001'], ['003', 'pending', '002'], ['004', 'pending', 'none'], ['005', 'pending', '004']]]);
    const a = analyze(tg);
    expect(a.cycles).toEqual([['010/001', '010/003', '010/002', '010/001']]);
    // The acyclic part still gets its waves.
    expect(a.waves).toEqual([['010/004'], ['010/005']]);
  });

  it('lists ready tasks: pending, every dependency done', () => {
    const tg = graphOf(['010', [['001', 'done', 'none'], ['002', 'in_progress', '001'], ['003', 'pending', '001'], ['004', 'pending', '002'], ['005', 'pending', 'none']]]);
    expect(readyTasks(tg)).toEqual(['010/003', '010/005']);
  });

  it('puts the ready task on the critical path of the remaining work first', () => {
    const tg = graphOf(['010', [['001', 'pending', 'none'], ['002', 'pending', 'none'], ['003', 'pending', '002'], ['004', 'pending', '003']]]);
    expect(nextTasks(tg).ready).toEqual(['010/002', '010/001']);
  });
});

describe('plan-tasks graph --format json', () => {
  it('pins nodes, cross-story edges, waves and the critical path for all', async () => {
    const r = await run(PLAN, ['graph', 'all', '--format', 'json']);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g.nodes[1]).toEqual({
      id: '050/002',
      story: '050',
      task: '002',
      title: 'Validate "Bearer" tokens [v2] #1 <fast> – ünïcode ✓ & more',
      domain: 'compute',
      status: 'in_progress',
    });
    expect(g.nodes.map((n: { id: string }) => n.id)).toEqual([
      '050/001', '050/002', '050/003', '050/004', '050/005',
      '051/001', '051/002', '051/003', '051/004', '051/005', '051/006', '051/007',
    ]);
    expect(g.edges).toContainEqual({ from: '051/002', to: '050/005' });
    expect(g.edges).toContainEqual({ from: '050/004', to: '051/003' });
    expect(g.edges).toHaveLength(13);
    expect(g.waves).toEqual([
      ['050/001', '051/001'],
      ['050/002', '050/003', '051/002', '051/004'],
      ['050/004', '051/005'],
      ['050/005', '051/003', '051/006'],
      ['051/007'],
    ]);
    expect(g.criticalPath).toEqual(['051/001', '051/004', '051/005', '051/006', '051/007']);
  });

  it('shows one story with its cross-story neighbours', async () => {
    const r = await run(PLAN, ['graph', '050', '--format', 'json']);
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g.nodes.map((n: { id: string }) => n.id)).toEqual(['050/001', '050/002', '050/003', '050/004', '050/005', '051/002', '051/003']);
    expect(g.edges).toEqual([
      { from: '050/001', to: '050/002' },
      { from: '050/001', to: '050/003' },
      { from: '050/002', to: '050/004' },
      { from: '050/003', to: '050/004' },
      { from: '050/004', to: '050/005' },
      { from: '050/004', to: '051/003' },
      { from: '051/002', to: '050/005' },
      // Between two neighbours from another story: drawn too.
      { from: '051/002', to: '051/003' },
    ]);
    expect(g.waves).toEqual([['050/001', '051/002'], ['050/002', '050/003'], ['050/004'], ['050/005', '051/003']]);
    expect(g.criticalPath).toEqual(['050/001', '050/002', '050/004', '050/005']);
  });

  it('accepts a story number without leading zeros', async () => {
    const a = await run(PLAN, ['graph', '50', '--format', 'json']);
    const b = await run(PLAN, ['graph', '050', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('plan-tasks graph errors', () => {
  it('exits 2 on an unknown story and lists the known ones', async () => {
    const r = await run(PLAN, ['graph', '099']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown story "099", expected one of the stories matching "docs\/stories\/\*\.md" \(050, 051\)/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a bad story argument, a bad format, a missing story', async () => {
    expect((await run(PLAN, ['graph', 'x1'])).code).toBe(2);
    expect((await run(PLAN, ['graph', '050', '--format', 'svg'])).stderr).toMatch(/Unknown format "svg", expected one of mermaid, dot, json/);
    expect((await run(PLAN, ['graph'])).stderr).toMatch(/Missing story, expected a story number \(015\) or all/);
    expect((await run(PLAN, ['graph', 'all', '--write'])).code).toBe(2);
    expect((await run(PLAN, ['graph', '050', '--write', '--format', 'dot'])).code).toBe(2);
  });

  it('reports a cycle with the linter\'s message and exits 1', async () => {
    const dir = join(FIXTURES, 'cycle');
    const r = await run(dir, ['graph', '060']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Unexpected dependency cycle 001 -> 003 -> 002 -> 001, expected tasks that can be ordered');
    // The very message (and position) `plan-tasks lint` gives.
    const lint = await run(dir, ['lint', '--format', 'json', '--no-transitions']);
    const messages = JSON.parse(lint.stdout)[0].messages.filter((m: { ruleId: string }) => m.ruleId === 'dependency-cycle');
    expect(messages).toHaveLength(1);
    expect(r.stderr).toContain(`${messages[0].line}:${messages[0].column}  error  ${messages[0].message}  dependency-cycle`);
    for (const format of ['json', 'dot']) expect((await run(dir, ['graph', 'all', '--format', format])).code).toBe(1);
  });

  it('reports a cycle across stories like the linter, and only where it matters', async () => {
    const dir = join(FIXTURES, 'cross-cycle');
    const r = await run(dir, ['graph', 'all']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unexpected dependency cycle 070/001 -> 071/001 -> 070/001 across stories, expected tasks that can be ordered');
    const lint = await run(dir, ['lint', '--format', 'json', '--no-transitions']);
    const left = JSON.parse(lint.stdout).find((f: { filePath: string }) => f.filePath.endsWith('070-left.md'));
    expect(left.messages.map((m: { message: string }) => m.message)).toContain(
      'Unexpected dependency cycle 070/001 -> 071/001 -> 070/001 across stories, expected tasks that can be ordered',
    );
    expect((await run(dir, ['graph', '071'])).code).toBe(1);
    // A story the cycle does not touch still draws.
    expect((await run(dir, ['graph', '072'])).code).toBe(0);
  });
});

describe('renderers', () => {
  it('escapes label text for Mermaid and DOT', () => {
    expect(mermaidText('Validate "Bearer" #1 <b> & `x` [v2] ✓')).toBe('Validate #34;Bearer#34; #35;1 #60;b#62; #38; #96;x#96; [v2] ✓');
    expect(dotText('say "hi" \\n [x] # <y> ✓')).toBe('say \\"hi\\" \\\\n [x] # <y> ✓');
    expect(mermaidText('two\nlines')).toBe('two lines');
  });

  it('labels nodes with id, title and domain, styles them by status and groups other stories', async () => {
    const r = await run(PLAN, ['graph', '050']);
    expect(r.code).toBe(0);
    const m = r.stdout;
    expect(m).toMatch(/^flowchart LR\n/);
    expect(m).toContain('t050_001["001: Add token field to the request header<br/><small>compute</small>"]:::done');
    expect(m).toContain('t050_002["002: Validate #34;Bearer#34; tokens [v2] #35;1 #60;fast#62; – ünïcode ✓ #38; more<br/><small>compute</small>"]:::inProgress');
    expect(m).toContain('t050_003["003: Add the --token flag to the CLI<br/><small>backend</small>"]:::pending');
    expect(m).toMatch(/subgraph ts051\["Story 051: Release pipeline"\]\n {4}t051_002\[[^\n]*:::done\n {4}t051_003\[[^\n]*:::pending\n {2}end/);
    // Cross-story edges dashed, the rest solid.
    expect(m).toContain('t051_002 -.-> t050_005');
    expect(m).toContain('t050_004 -.-> t051_003');
    expect(m).toContain('t050_001 --> t050_002');
    expect(m).toContain('class t050_001,t050_002,t050_004,t050_005 critical');
  });

  it('styles custom statuses through the configured workflow', async () => {
    const r = await run(join(FIXTURES, 'custom'), ['graph', '090']);
    expect(r.stdout).toContain('t090_001["001: Ship the parser<br/><small>compute</small>"]:::done');
    expect(r.stdout).toContain(':::inProgress');
    expect(r.stdout).toContain('t090_005["005: Odd one<br/><small>compute</small>"]:::unknownStatus');
  });

  it('writes DOT with clusters per story for all', async () => {
    const r = await run(PLAN, ['graph', 'all', '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph "plan-tasks" \{\n/);
    expect(r.stdout).toContain('subgraph "cluster_050" {\n    label="Story 050: Token authentication for the daemon";');
    expect(r.stdout).toContain('"050/002" [label="002: Validate \\"Bearer\\" tokens [v2] #1 <fast> – ünïcode ✓ & more\\ncompute"');
    expect(r.stdout).toContain('"051/002" -> "050/005" [style=dashed];');
    expect(r.stdout).toContain('"051/005" -> "051/006" [penwidth=2.5];');
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('draws an empty story without failing', () => {
    const tg = buildTaskGraph([parseStory('# Story 012: Empty\n\n## Tasks\n', '/p/012-empty.md')], config);
    const view = graphView(tg, '012');
    expect(toMermaid(view)).toContain('empty["Story 012: Empty: no tasks yet"]');
    expect(toDot(view)).toContain('digraph');
  });
});
