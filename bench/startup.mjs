#!/usr/bin/env node
// Where a one-story cold run spends its time: runs `plan-tasks lint <story>` N
// times under `node --cpu-prof` (in the benchmark's one-story repository) and
// prints the median self time per phase: Node's own start-up, module loading
// (resolve, read, compile), garbage collection, and each bundled source module
// (dist/ bundles are attributed to their sources through esbuild's `// path`
// comments). Also lists the files the run loads.
//
//
// With --compare, instead: the one-story cold run side by side with its floor
// (`node -e 0`) and, with --against, another build's bin (the build before a
// change), in the 28-story repository without a config file and with one (a
// valid config: the usual case). Runs alternate between the subjects; each
// reports its own CPU time (user + system, process.cpuUsage() at exit, from a
// --require preload every subject gets) and the wall time around it; medians
// and ratios to the floor.
//
//   node bench/startup.mjs                  # 9 runs, the built dist/
//   node bench/startup.mjs --runs 21 --top 40
//   node bench/startup.mjs -- lint --staged # other arguments (after --)
//   node bench/startup.mjs --compare --runs 31 --against /work/base-build/bin/plan-tasks.js
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts, positionals } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '250' },
    compare: { type: 'boolean', default: false },
    against: { type: 'string' },
  },
  allowPositionals: true,
});
const corpora = existsSync(join(tmpdir(), 'plan-tasks-bench', 'corpus', 'one'))
  ? { oneRoot: join(tmpdir(), 'plan-tasks-bench', 'corpus', 'one'), oneFile: join(tmpdir(), 'plan-tasks-bench', 'corpus', 'one', 'docs', 'stories', '006-web-ui-foundation.md') }
  : buildCorpora(join(tmpdir(), 'plan-tasks-bench'));
const args = positionals.length ? positionals : ['lint', corpora.oneFile];
const BIN = join(ROOT, 'bin', 'plan-tasks.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (opts.compare) {
  const work = mkdtempSync(join(tmpdir(), 'plan-tasks-startup-compare-'));
  const preload = join(work, 'cpu.cjs');
  const log = join(work, 'cpu.txt');
  writeFileSync(preload, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(process.env.PT_CPU_LOG, String((u.user + u.system) / 1000)); });\n");
  // The 28 stories without a config file, and with a valid one.
  const plain = join(work, 'plain');
  const configured = join(work, 'configured');
  cpSync(corpora.oneRoot, plain, { recursive: true });
  cpSync(corpora.oneRoot, configured, { recursive: true });
  writeFileSync(join(configured, 'plan-tasks.config.json'), JSON.stringify({
    stories: 'docs/stories/*.md',
    sizing: { sentences: 3, estimate: { min: '1h', max: '4h' }, maxTasks: 15 },
    rules: { 'task-size': 'off', 'task-specific': 'error' },
  }, null, 2));
  const story = 'docs/stories/006-web-ui-foundation.md';
  const subjects = [['node -e 0', ['-e', '0']], ['this build', [BIN, 'lint', story]]];
  if (opts.against) subjects.push([`against (${opts.against})`, [opts.against, 'lint', story]]);
  for (const [label, cwd] of [['no config file', plain], ['a config file', configured]]) {
    const cpu = new Map(subjects.map(([name]) => [name, []]));
    const wall = new Map(subjects.map(([name]) => [name, []]));
    const outputs = new Map();
    for (let i = 0; i <= Number(opts.runs); i++) {
      for (const [name, argv] of subjects) {
        writeFileSync(log, '');
        const t0 = performance.now();
        const r = spawnSync(process.execPath, ['--require', preload, ...argv], { cwd, env: { ...process.env, NO_COLOR: '1', PT_CPU_LOG: log }, encoding: 'utf8', maxBuffer: 1 << 28 });
        const ms = performance.now() - t0;
        if (r.status !== 0 && r.status !== 1) throw new Error(`${name}: exit ${r.status}: ${r.stderr}`);
        if (name !== 'node -e 0') outputs.set(name, r.stdout);
        if (i === 0) continue; // warm-up
        cpu.get(name).push(Number(readFileSync(log, 'utf8')));
        wall.get(name).push(ms);
      }
    }
    const same = new Set(outputs.values()).size === 1;
    const floorCpu = median(cpu.get('node -e 0'));
    const floorWall = median(wall.get('node -e 0'));
    console.log(`\none story, cold, ${label} (${opts.runs} alternating runs, medians${opts.against ? `; same output as the other build: ${same}` : ''})`);
    console.log('subject'.padEnd(60), 'CPU ms'.padStart(8), 'x floor'.padStart(8), 'wall ms'.padStart(8), 'x floor'.padStart(8));
    for (const [name] of subjects) {
      const c = median(cpu.get(name));
      const w = median(wall.get(name));
      console.log(name.padEnd(60), c.toFixed(1).padStart(8), (c / floorCpu).toFixed(2).padStart(8), w.toFixed(1).padStart(8), (w / floorWall).toFixed(2).padStart(8));
    }
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

/** Source module of each line of a bundle, from esbuild's `// path` comments. */
const sourceMaps = new Map();
function sourceOf(url, line) {
  if (!url.startsWith('file:') || !url.includes('/dist/')) return null;
  let lines = sourceMaps.get(url);
  if (!lines) {
    lines = [];
    let current = url.replace(/.*\/dist\//, 'dist/');
    readFileSync(fileURLToPath(url), 'utf8').split('\n').forEach((l) => {
      const m = /^\/\/ ((?:src|rules|node_modules)\/\S+)$/.exec(l);
      if (m) current = m[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*/, 'npm:$1');
      lines.push(current);
    });
    sourceMaps.set(url, lines);
  }
  return lines[line] ?? null;
}

function phaseOf(frame, stack) {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)' || functionName === '(idle)') return 'vm (program, idle)';
  const src = sourceOf(url, frame.lineNumber);
  if (src) return src;
  // Module loading, by the innermost loader frame: compiling, or resolving/reading/linking.
  for (const f of stack) {
    if (sourceOf(f.url, f.lineNumber)) break;
    if (/node:internal\/modules\/esm\/(utils|translators)/.test(f.url) && /compile|translate/i.test(f.functionName)) return 'modules: compile';
    if (/node:internal\/modules\/esm\//.test(f.url)) return 'modules: resolve/read/link';
    if (f.url === 'node:vm' || /code-cache\.cjs$/.test(f.url)) return 'modules: compile (vm.Script, code cache)';
    if (/node:internal\/modules\/cjs\//.test(f.url)) return 'modules: CommonJS resolve/read/compile';
  }
  // Native or Node code called from a bundled module: charge the module.
  for (const f of stack) {
    const caller = sourceOf(f.url, f.lineNumber);
    if (caller) return `${caller} (node/native)`;
  }
  if (/^node:internal\/(bootstrap|process|main|modules\/run_main)/.test(url)) return 'node: bootstrap';
  if (url.startsWith('node:')) return `node: ${url.replace(/^node:(internal\/)?/, '')}`;
  return functionName ? `(native) ${functionName}` : '(native)';
}

const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-startup-'));
const runs = [];
const walls = [];
for (let i = 0; i < Number(opts.runs) + 1; i++) {
  const out = join(dir, String(i));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-interval=${opts.interval}`, '--cpu-prof-dir', out, BIN, ...args], {
    cwd: corpora.oneRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28,
  });
  const wall = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr}`);
  if (i === 0) continue; // warm-up
  walls.push(wall);
  const profile = JSON.parse(readFileSync(join(out, readdirSync(out)[0]), 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseCache = new Map();
  const phase = (id) => {
    if (!phaseCache.has(id)) {
      const stack = [];
      for (let p = id; p !== undefined; p = parent.get(p)) stack.push(byId.get(p).callFrame);
      phaseCache.set(id, phaseOf(byId.get(id).callFrame, stack));
    }
    return phaseCache.get(id);
  };
  const totals = new Map();
  profile.samples.forEach((id, k) => {
    const p = phase(id);
    totals.set(p, (totals.get(p) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
  });
  totals.set('TOTAL (profiled)', (profile.endTime - profile.startTime) / 1000);
  runs.push(totals);
}

const names = new Set(runs.flatMap((r) => [...r.keys()]));
const rows = [...names].map((n) => [n, median(runs.map((r) => r.get(n) ?? 0))]).sort((a, b) => b[1] - a[1]);
console.log(`plan-tasks ${args.join(' ')}  (${runs.length} runs, median ms; wall incl. profiler ${median(walls).toFixed(0)} ms)`);
for (const [n, ms] of rows.slice(0, Number(opts.top))) console.log(`${ms.toFixed(1).padStart(8)}  ${n}`);

// The files the run opens (modules and stories), from one run under strace when available.
const st = spawnSync('strace', ['-f', '-e', 'trace=openat', '-o', join(dir, 'strace'), process.execPath, BIN, ...args], { cwd: corpora.oneRoot, stdio: 'ignore' });
if (st.status === 0 || st.status === 1) {
  const opened = readFileSync(join(dir, 'strace'), 'utf8').split('\n')
    .filter((l) => !l.includes('ENOENT') && /"[^"]*\.(m?js|md|json)"/.test(l))
    .map((l) => /"([^"]*)"/.exec(l)[1].replace(ROOT, '').replace(corpora.oneRoot + '/', ''));
  console.log(`\nopened ${opened.length} files: ${opened.join(' ')}`);
}
rmSync(dir, { recursive: true, force: true });
