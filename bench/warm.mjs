#!/usr/bin/env node
// How much of a cold run is the JIT's warm-up: the same lint in one process,
// first pass (cold: V8 interprets, collects feedback and compiles as it goes)
// against later passes (warm: the optimised code is there), beside the cold CLI
// run and `node -e 0`. Issue 19's unmet rows (504 stories, the PR gate, the
// --cache re-run) all pay that warm-up in a fresh process; this prints what
// each would cost with the work warm, so the distance left can be told apart
// from the work itself. Node 20 keeps nothing of the JIT's work across
// processes but bytecode (the build's code cache, which every run here uses).
//
//   node bench/warm.mjs                 # 5 rounds, 504 stories (bench/corpus.mjs)
//   node bench/warm.mjs --runs 9
//
// Each round starts fresh processes in turn (load hits them alike): `node -e 0`,
// `plan-tasks lint` over the 504 stories, `plan-tasks lint` over 50 of them, and
// a probe process (this file with --probe) that imports the API, lints the 50,
// then the 504 three times, then the 50 again, timing each pass with
// process.cpuUsage(). Medians of CPU time (user + system, every thread).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, probe: { type: 'string' }, files: { type: 'string' } } });

if (opts.probe) {
  // The probe: one process, passes over the same snapshot.
  const cpu = (from) => {
    const d = process.cpuUsage(from);
    return (d.user + d.system) / 1000;
  };
  const t = process.cpuUsage();
  const api = await import(pathToFileURL(join(opts.probe, 'dist', 'index.js')).href);
  const config = await api.loadConfig({ cwd: process.cwd() });
  const out = { import: cpu(t) };
  const subset = opts.files.split(',');
  const pass = async (files) => {
    const c = process.cpuUsage();
    const results = await api.lint(api.workingTreeSnapshot(config), { config, files });
    if (results.length !== files.length) throw new Error(`expected ${files.length} results, got ${results.length}`);
    return cpu(c);
  };
  const all = readdirSync('docs/stories').filter((n) => n.endsWith('.md')).map((n) => join(process.cwd(), 'docs', 'stories', n));
  out.cold50 = await pass(subset);
  out.all = [await pass(all), await pass(all), await pass(all)];
  out.warm50 = await pass(subset);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { buildCorpora } = await import('./corpus.mjs');
const work = mkdtempSync(join(tmpdir(), 'plan-tasks-warm-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const corpora = buildCorpora(work);
const cwd = corpora.manyRoot;
const names = readdirSync(join(cwd, 'docs', 'stories')).sort();
const fifty = Array.from({ length: 50 }, (_, i) => join(cwd, 'docs', 'stories', names[Math.floor((i * names.length) / 50) + 3]));
const bin = join(ROOT, 'bin', 'plan-tasks.js');
const node = process.execPath;

/** Runs `node ...args` in the corpus; its CPU ms (user + system, every thread, from GNU time: 10 ms steps) and stdout. */
function run(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', node, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`no time for ${args.join(' ')}: ${r.stderr.slice(-300)}`);
  return { cpu: (Number(m[1]) + Number(m[2])) * 1000, stdout: r.stdout };
}

const rows = { node: [], cli504: [], cli50: [], import: [], cold50: [], first504: [], warm504: [], warm50: [] };
const runs = Math.max(1, Number(opts.runs));
for (let i = 0; i <= runs; i++) {
  const a = run(['-e', '0']);
  const b = run([bin, 'lint']);
  const c = run([bin, 'lint', ...fifty]);
  const p = run([fileURLToPath(import.meta.url), '--probe', ROOT, '--files', fifty.join(',')]);
  if (i === 0) continue; // warm-up round (disk cache)
  const probe = JSON.parse(p.stdout);
  rows.node.push(a.cpu);
  rows.cli504.push(b.cpu);
  rows.cli50.push(c.cpu);
  rows.import.push(probe.import);
  rows.cold50.push(probe.cold50);
  rows.first504.push(probe.all[0]);
  rows.warm504.push(Math.min(probe.all[1], probe.all[2]));
  rows.warm50.push(probe.warm50);
}
const med = (xs) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)];
const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, med(v)]));
const f = (x) => `${Math.round(x)}`.padStart(6);
console.log(`CPU ms, medians of ${runs} rounds (GNU time for processes: 10 ms steps; process.cpuUsage() in the probe)\n`);
console.log(`${f(m.node)}  node -e 0`);
console.log(`${f(m.cli504)}  plan-tasks lint, 504 stories, a fresh process`);
console.log(`${f(m.cli50)}  plan-tasks lint, 50 of them, a fresh process`);
console.log(`${f(m.import)}  probe: importing the API (its bundles)`);
console.log(`${f(m.cold50)}  probe: the 50 stories, first pass (cold JIT)`);
console.log(`${f(m.first504)}  probe: the 504 stories, right after (the 50 warmed it a little)`);
console.log(`${f(m.warm504)}  probe: the 504 stories, a later pass (warm)`);
console.log(`${f(m.warm50)}  probe: the 50 stories, a later pass (warm)`);
console.log(`\nper story: cold ${(m.cold50 / 50).toFixed(2)} ms, warm ${(m.warm50 / 50).toFixed(2)} ms (50); warm ${(m.warm504 / 504).toFixed(2)} ms (504)`);
console.log(`504 stories with the work warm: node + import + warm pass = ${Math.round(m.node + m.import + m.warm504)} ms, against ${Math.round(m.cli504)} cold (${(((m.cli504 - m.node - m.import - m.warm504) / m.cli504) * 100).toFixed(0)} % of the cold run is warm-up)`);
console.log(`50 stories with the work warm: ${Math.round(m.node + m.import + m.warm50)} ms, against ${Math.round(m.cli50)} cold; ${((m.node + m.import) / m.cli504).toFixed(2)}x of the cold 504 run is start-up alone`);
