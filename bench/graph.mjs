#!/usr/bin/env node
// Graph checks scale linearly: builds synthetic plans of 10k, 100k and 1M
// tasks in memory (Story-shaped objects, 100 tasks a story, 1-3 dependencies
// a task, 1 in 20 across stories), then times what `plan-tasks graph` and
// `plan-tasks next` do with them: build the one graphlib graph, the
// topological pass (waves + critical path), and the ready list with the
// critical path of the remaining work. Prints time per task for each size.
//
//   npm run bench:graph                   # 10k, 100k, 1M
//   node bench/graph.mjs --sizes 10000,50000 --runs 5   # median of 5 runs each
//
// src/graph is bundled with esbuild first (the same build the CLI uses), so
// this measures the shipped code. Each size runs in its own process.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    runs: { type: 'string' },
    child: { type: 'string' },
    module: { type: 'string' },
  },
});

// ---------------------------------------------------------------- child ----
if (opts.child) {
  const mod = await import(opts.module);
  const n = Number(opts.child);
  // Median of 5 runs for the small sizes, 3 at 100k, 1 at 1M (unless --runs).
  const runs = Math.max(1, Number(opts.runs ?? (n <= 10000 ? 5 : n <= 100000 ? 3 : 1)));
  const config = mod.resolveConfig({}, ROOT, null);
  const stories = synthetic(n);
  const rows = [];
  for (let r = 0; r < runs; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    const tg = mod.buildTaskGraph(stories, config);
    const t1 = performance.now();
    const a = mod.analyze(tg);
    const t2 = performance.now();
    const next = mod.nextTasks(tg);
    const t3 = performance.now();
    if (a.cycles.length || a.waves.flat().length !== n) throw new Error('synthetic plan should be acyclic');
    rows.push({ build: t1 - t0, analyze: t2 - t1, next: t3 - t2, total: t3 - t0, waves: a.waves.length, path: a.criticalPath.length, ready: next.ready.length, edges: tg.graph.edgeCount() });
  }
  const median = (k) => rows.map((x) => x[k]).sort((x, y) => x - y)[Math.floor(rows.length / 2)];
  const out = { n, edges: rows[0].edges, waves: rows[0].waves, path: rows[0].path, ready: rows[0].ready };
  for (const k of ['build', 'analyze', 'next', 'total']) out[k] = median(k);
  out.heapMB = process.memoryUsage().heapUsed / 1e6;
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

/** A deterministic plan: Story-shaped objects with only what the graph reads. */
function synthetic(n) {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const perStory = 100;
  const stories = [];
  const pad = (i, w) => String(i).padStart(w, '0');
  const width = Math.max(3, String(Math.ceil(n / perStory)).length);
  for (let s = 0; s * perStory < n; s++) {
    const sid = pad(s + 1, width);
    const tasks = [];
    const count = Math.min(perStory, n - s * perStory);
    for (let i = 1; i <= count; i++) {
      const depends = [];
      // Every 10th task needs only early (done) work: it can start now.
      if (i % 10 === 0 && i > 40) depends.push({ task: pad(1 + Math.floor(rand() * 25), 3) });
      else {
        if (i > 1) depends.push({ task: pad(i - 1 - Math.floor(rand() * Math.min(i - 1, 5)), 3) });
        if (i > 3 && rand() < 0.5) depends.push({ task: pad(1 + Math.floor(rand() * (i - 1)), 3) });
        if (s > 0 && rand() < 0.05) depends.push({ story: pad(s, width), task: pad(1 + Math.floor(rand() * perStory), 3) });
      }
      const phase = i / count;
      const status = phase < 0.3 ? 'done' : phase < 0.4 ? 'in_progress' : 'pending';
      tasks.push({ id: pad(i, 3), title: `Task ${i} of story ${sid}`, status: { value: status }, domain: { value: 'compute' }, depends });
    }
    stories.push({ id: sid, fileId: sid, title: `Story ${sid}`, path: `/bench/${sid}-story.md`, tasks });
  }
  return stories;
}

// --------------------------------------------------------------- parent ----
const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-bench-graph-'));
try {
  const entry = join(dir, 'entry.ts');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    entry,
    `export { buildTaskGraph, analyze, nextTasks } from ${JSON.stringify(join(ROOT, 'src/graph/task-graph.ts'))};\n` +
      `export { resolveConfig } from ${JSON.stringify(join(ROOT, 'src/config/load.ts'))};\n`,
  );
  const outfile = join(dir, 'graph.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });

  const sizes = opts.sizes.split(',').map(Number);
  const results = [];
  for (const n of sizes) {
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=8192', '--expose-gc', fileURLToPath(import.meta.url), '--child', String(n), ...(opts.runs ? ['--runs', opts.runs] : []), '--module', pathToFileURL(outfile).href],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (child.status !== 0) {
      process.stderr.write(child.stderr);
      throw new Error(`bench child for ${n} tasks failed`);
    }
    const r = JSON.parse(child.stdout);
    results.push(r);
    const per = (ms) => `${((ms * 1e6) / n).toFixed(0).padStart(5)} ns`;
    process.stdout.write(
      `${String(n).padStart(8)} tasks ${String(r.edges).padStart(8)} edges  build ${r.build.toFixed(0).padStart(6)} ms (${per(r.build)}/task)  ` +
        `waves+path ${r.analyze.toFixed(0).padStart(5)} ms (${per(r.analyze)}/task)  next ${r.next.toFixed(0).padStart(5)} ms (${per(r.next)}/task)  ` +
        `total ${per(r.total)}/task  [${r.waves} waves, path ${r.path}, ${r.ready} ready, heap ${r.heapMB.toFixed(0)} MB]\n`,
    );
  }
  if (results.length > 1) {
    const first = results[0];
    const last = results[results.length - 1];
    const ratio = last.total / last.n / (first.total / first.n);
    process.stdout.write(`time per task at ${last.n} vs ${first.n} tasks: x${ratio.toFixed(2)} (1.00 = perfectly linear)\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
