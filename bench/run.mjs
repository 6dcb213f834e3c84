#!/usr/bin/env node
// plan-tasks benchmark: every row of issue 19's table against its floor, and the
// older peer ratios of issue 7, side by side in one run. It builds the corpora
// (bench/corpus.mjs), installs the peers into bench/.work/, then runs every
// command as a cold process, all of them in turn, round after round (so load
// on a shared machine hits them alike), and prints medians of wall time and of
// CPU time (user + system of the process and its children, GNU time), peak
// memory, and each ratio with its goal.
//
//   npm run bench                                   # 7 rounds
//   node bench/run.mjs --runs 3                     # quicker
//   node bench/run.mjs --compare /work/base-build/bin/plan-tasks.js
//                                                   # a second build, in the same rounds
//   node bench/run.mjs --markdown                   # also the tables for docs/BENCHMARKS.md
//   node bench/run.mjs --json                       # machine-readable results
//   node bench/run.mjs --only gate                  # rows whose name holds "gate" (and their floors)
//
// The rows (issue 19):
//   one story, cold                    / node -e 0                          <= 1.5x
//   the pre-commit hook init writes    / node -e 0                          <= 3x
//     (`sh -e .husky/pre-commit`, the file `plan-tasks init` wrote, run as husky 9 runs it,
//     in a real git repository with one story staged; node_modules/.bin on the PATH)
//   504 stories, cold                  / markdownlint-cli2                  <= 0.05x
//   --cache re-run, one story changed  / node printing the same report      <= 1.5x
//   PR gate, 50 of 504 changed in 20 commits (lint --base main) / full cold lint  <= 0.25x
//   2016 stories, cold, peak memory                                        <= 150 MB
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora, buildPrRepo } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench', '.work');
// A folder of this run's own (other checkouts may be benchmarking on the same machine).
const TMP = mkdtempSync(join(tmpdir(), 'plan-tasks-bench-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));
// The runs use a snapshot of the build (bin, dist, package.json, node_modules
// linked), so a rebuild in the checkout during a long run cannot break it.
const SNAPSHOT = join(TMP, 'plan-tasks');
const PEERS = { 'remark-cli': '12.0.1', 'remark-preset-lint-recommended': '7.0.1', 'markdownlint-cli2': '0.22.1' };

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    markdown: { type: 'boolean' },
    json: { type: 'boolean' },
    only: { type: 'string' },
    compare: { type: 'string' },
    'no-install': { type: 'boolean' },
  },
});
const RUNS = Math.max(1, Number(opts.runs));
const log = (s) => process.stderr.write(s + '\n');
const node = process.execPath;

// --- set-up -----------------------------------------------------------------

function installPeers() {
  const have = Object.keys(PEERS).every((name) => {
    try {
      return JSON.parse(readFileSync(join(WORK, 'node_modules', name, 'package.json'), 'utf8')).version === PEERS[name];
    } catch {
      return false;
    }
  });
  if (have || opts['no-install']) return;
  log('Installing the peers into bench/.work/ ...');
  mkdirSync(WORK, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', WORK, '--no-audit', '--no-fund', '--no-save', ...Object.entries(PEERS).map(([n, v]) => `${n}@${v}`)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install of the peers failed');
}

if (!existsSync(join(ROOT, 'dist', 'cli.cjs'))) {
  log('Building plan-tasks ...');
  if (spawnSync(node, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(2);
}
installPeers();
function snapshot() {
  rmSync(SNAPSHOT, { recursive: true, force: true });
  mkdirSync(SNAPSHOT, { recursive: true });
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(SNAPSHOT, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(SNAPSHOT, 'node_modules'), 'dir');
  return spawnSync(node, [join(SNAPSHOT, 'bin', 'plan-tasks.js'), 'lint', '--help'], { encoding: 'utf8' }).status === 0;
}
for (let tries = 0; !snapshot(); tries++) {
  if (tries === 5) throw new Error('dist/ is incomplete: run npm run build');
  spawnSync('sleep', ['2']);
}

/** The builds measured: this checkout's (a snapshot) and, with --compare, another. */
const builds = [{ label: 'this', bin: join(SNAPSHOT, 'bin', 'plan-tasks.js') }];
if (opts.compare) {
  const bin = resolve(opts.compare);
  if (!existsSync(bin)) throw new Error(`--compare ${opts.compare}: no such file`);
  builds.push({ label: 'compare', bin });
}

// Outside the repository, so no config file of this project applies to the corpora.
// The 504-story corpus is also the pull request's repository: `main` holds the stories,
// the checked-out branch `feature` changes 50 of them in 20 commits.
log('Building the corpora (28, 504 as a 20-commit pull request, 2016) ...');
const corpora = buildPrRepo(join(TMP, 'pr'));
const big = buildCorpora(join(TMP, 'big'), 72);

// The pre-commit hook: `plan-tasks init` in a git repository holding the 28 stories, one
// story then edited and staged. Each build gets node_modules/.bin/plan-tasks of its own.
const hookRoot = join(TMP, 'hook');
rmSync(hookRoot, { recursive: true, force: true });
cpSync(corpora.oneRoot, hookRoot, { recursive: true });
{
  const env = corpora.env;
  const git = (...args) => spawnSync('git', args, { cwd: hookRoot, env, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(hookRoot, 'package.json'), '{\n  "name": "hook-bench",\n  "private": true\n}\n');
  const init = spawnSync(node, [builds[0].bin, 'init'], { cwd: hookRoot, env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`plan-tasks init failed: ${init.stderr}`);
  git('add', '-A');
  git('commit', '-q', '-m', 'stories');
  const story = join(hookRoot, 'docs', 'stories', basename(corpora.oneFile));
  appendFileSync(story, '\nEdited for the pre-commit benchmark.\n');
  git('add', '--', story);
}
const HOOK = join(hookRoot, '.husky', 'pre-commit');
const hookText = readFileSync(HOOK, 'utf8');
const hookBin = (b) => join(TMP, 'hook-bin', b.label);
for (const b of builds) {
  mkdirSync(hookBin(b), { recursive: true });
  rmSync(join(hookBin(b), 'plan-tasks'), { force: true });
  symlinkSync(b.bin, join(hookBin(b), 'plan-tasks'));
}

const peerBin = (name) => join(WORK, 'node_modules', name, ...{ 'remark-cli': ['cli.js'], 'markdownlint-cli2': ['markdownlint-cli2-bin.mjs'] }[name]);
const markdownlintBin = existsSync(peerBin('markdownlint-cli2')) ? peerBin('markdownlint-cli2') : join(WORK, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2.mjs');
const hasTime = existsSync('/usr/bin/time');

// --- measuring --------------------------------------------------------------

const RSS_WRAPPER = join(TMP, "rss.cjs");
writeFileSync(RSS_WRAPPER, "process.on('exit', () => { const u = process.resourceUsage(); require('fs').appendFileSync(process.env.PT_BENCH_RSS, [u.userCPUTime / 1e6, u.systemCPUTime / 1e6, u.maxRSS].join(' ') + '\\n'); });\n");

/**
 * Run a command as a cold process: wall time (ms), CPU time (user + system, ms,
 * with its children) and peak RSS (MB), by GNU time (else the Node process
 * reports its own usage on exit).
 */
function measure(c) {
  const out = join(TMP, "time.txt");
  rmSync(out, { force: true });
  let file = c.cmd;
  let argv = c.args;
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...c.env };
  if (hasTime) {
    file = '/usr/bin/time';
    argv = ['-f', '%U %S %M', '-o', out, c.cmd, ...c.args];
  } else {
    env.PT_BENCH_RSS = out;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${RSS_WRAPPER}`;
  }
  const t0 = performance.now();
  const r = spawnSync(file, argv, { cwd: c.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`${c.cmd} ${c.args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  }
  const lines = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
  const [user, sys, kb] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
  return { ms, cpu: (user + sys) * 1000, mb: kb / 1024, status: r.status };
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// --- the commands -----------------------------------------------------------

const one = corpora.oneFile;
const storiesGlob = 'docs/stories/*.md';
/** Commands that do not depend on the build: floors and peers. */
const shared = {
  'node -e 0': { cmd: node, args: ['-e', '0'], cwd: corpora.oneRoot },
  'remark-cli + recommended, 1 story': { cmd: node, args: [peerBin('remark-cli'), '--no-config', '--no-stdout', '--quiet', '--use', join(WORK, 'node_modules', 'remark-preset-lint-recommended', 'index.js'), one], cwd: corpora.oneRoot },
  'markdownlint-cli2, 504': { cmd: node, args: [markdownlintBin, storiesGlob], cwd: corpora.manyRoot },
};
/** Commands of one build; names get the build's label when there are two. */
function buildCommands(b) {
  const bin = b.bin;
  const preset = join(dirname(dirname(bin)), 'dist', 'preset.js');
  const cacheFile = join(TMP, `cache-${b.label}.json`);
  const story100 = join(corpora.manyRoot, 'docs', 'stories', '100-socket-lifecycle-management.md');
  let edit = 0;
  const cmds = {
    'plan-tasks, 1 story': { cmd: node, args: [bin, 'lint', one], cwd: corpora.oneRoot },
    'pre-commit hook (init wrote it), 1 staged story': { cmd: 'sh', args: ['-e', HOOK], cwd: hookRoot, env: { PATH: `${hookBin(b)}:${process.env.PATH}` } },
    'plan-tasks, 504': { cmd: node, args: [bin, 'lint'], cwd: corpora.manyRoot },
    'plan-tasks --cache, 504, one story changed': {
      cmd: node, args: [bin, 'lint', '--cache', '--cache-location', cacheFile], cwd: corpora.manyRoot,
      before: () => {
        // Warm the cache if there is none, then change one story.
        if (!existsSync(cacheFile)) spawnSync(node, [bin, 'lint', '--cache', '--cache-location', cacheFile], { cwd: corpora.manyRoot, stdio: 'ignore' });
        appendFileSync(story100, `\nEdited by the benchmark, run ${++edit}.\n`);
      },
    },
    'PR gate: lint --base main, 50 of 504 changed in 20 commits': { cmd: node, args: [bin, 'lint', '--base', 'main'], cwd: corpora.manyRoot },
    // The gate's own floor: linting just the changed stories, with no git and no old versions.
    'plan-tasks, the 50 changed stories alone': { cmd: node, args: [bin, 'lint', ...corpora.picked.map((p) => join('docs', 'stories', p))], cwd: corpora.manyRoot },
    'plan-tasks, 2016, peak memory': { cmd: node, args: [bin, 'lint'], cwd: big.manyRoot },
    'remark-cli + plan-tasks preset, 504': existsSync(preset) ? { cmd: node, args: [peerBin('remark-cli'), '--no-config', '--no-stdout', '--quiet', '--use', preset, 'docs/stories'], cwd: corpora.manyRoot } : undefined,
  };
  return Object.fromEntries(Object.entries(cmds).filter(([, c]) => c));
}
// The floor under any re-run: a Node process that does nothing but print the report the
// cached re-run prints (captured from this build), through the writeSync path the CLI uses.
{
  const report = join(TMP, 'report-504.txt');
  const printer = join(TMP, 'print-report.mjs');
  const out = spawnSync(node, [builds[0].bin, 'lint'], { cwd: corpora.manyRoot, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 1 << 28 }).stdout;
  writeFileSync(report, out);
  writeFileSync(printer, `import { readFileSync, writeSync } from 'node:fs';\nconst b = readFileSync(${JSON.stringify(report)});\nfor (let off = 0; off < b.length; ) off += writeSync(1, b, off);\n`);
  shared['node printing the 504 report'] = { cmd: node, args: [printer], cwd: corpora.manyRoot };
}

const label = (name, b) => (builds.length > 1 ? `${name} [${b.label}]` : name);
const commands = { ...shared };
for (const b of builds) for (const [name, c] of Object.entries(buildCommands(b))) commands[label(name, b)] = c;
/** The floors each row is divided by (prefixes of command names), so `--only` keeps them. */
const floorsOf = { 'plan-tasks, 1 story': ['node -e 0', 'remark-cli + recommended, 1 story'], 'pre-commit': ['node -e 0'], 'plan-tasks, 504': ['markdownlint-cli2, 504', 'remark-cli + plan-tasks preset, 504'], 'plan-tasks --cache': ['node printing the 504 report', 'plan-tasks, 504'], 'PR gate': ['plan-tasks, 504'], 'plan-tasks, the 50': ['plan-tasks, 504'] };
const names = Object.keys(commands);
const wanted = new Set(names.filter((name) => !opts.only || name.includes(opts.only)));
for (const name of [...wanted]) {
  for (const [row, floors] of Object.entries(floorsOf)) {
    if (!name.startsWith(row)) continue;
    for (const f of floors) for (const n of names) if (n === f || n.startsWith(`${f} [`)) wanted.add(n);
  }
}
const selected = Object.entries(commands).filter(([name]) => wanted.has(name));

const load0 = loadavg();
log(`Corpora: 1 story (${(corpora.oneBytes / 1024).toFixed(1)} KB) in a 28-story folder; ${corpora.manyCount} stories (${(corpora.manyBytes / 1048576).toFixed(1)} MB), a git repository whose branch changes ${corpora.picked.length} in ${corpora.commits} commits; ${big.manyCount} stories (${(big.manyBytes / 1048576).toFixed(1)} MB).`);
log(`The hook init wrote (.husky/pre-commit): ${JSON.stringify(hookText)}`);
log(`Rounds: 1 warm-up + ${RUNS} measured; every command once per round, in turn.`);
const samples = Object.fromEntries(selected.map(([name]) => [name, []]));
for (let run = 0; run <= RUNS; run++) {
  for (const [name, c] of selected) {
    c.before?.();
    const m = measure(c);
    if (run > 0) samples[name].push(m);
  }
  log(run === 0 ? 'warm-up done' : `round ${run}/${RUNS} done`);
}
rmSync(RSS_WRAPPER, { force: true });
const load1 = loadavg();

// --- report -----------------------------------------------------------------

const result = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, {
  ms: median(xs.map((x) => x.ms)),
  min: Math.min(...xs.map((x) => x.ms)),
  cpu: median(xs.map((x) => x.cpu)),
  mb: Math.max(...xs.map((x) => x.mb)),
  exit: xs[0]?.status,
}]));

/** One row of the goals table: `value` of a build's command over a floor (wall and CPU), or an absolute number. */
const goals = [];
for (const b of builds) {
  const n = (name) => (shared[name] ? name : label(name, b));
  const ratio = (a, f, key) => (result[n(a)] && result[n(f)] ? result[n(a)][key] / result[n(f)][key] : NaN);
  // Met when both the wall and the CPU ratio are within the goal ("wall only": the CPU ratio is
  // not; GNU time counts CPU in 10 ms steps, so ratios of runs under 200 ms are coarse).
  const row = (work, a, f, goal, ok, issue) => {
    const [wall, cpu] = [ratio(a, f, 'ms'), ratio(a, f, 'cpu')];
    goals.push({ build: b.label, issue, work, floor: f, wall, cpu, goal, ok: ok(wall) && (!Number.isFinite(cpu) || ok(cpu)) ? 'yes' : ok(wall) ? 'wall only' : 'no' });
  };
  const abs = (work, value, goal, ok, issue) => goals.push({ build: b.label, issue, work, floor: '-', wall: value, cpu: NaN, goal, ok: ok(value) ? 'yes' : 'no', unit: 'MB' });
  row('one story, cold', 'plan-tasks, 1 story', 'node -e 0', '<= 1.5x', (r) => r <= 1.5, 19);
  row('the pre-commit hook init writes, one staged story', 'pre-commit hook (init wrote it), 1 staged story', 'node -e 0', '<= 3x', (r) => r <= 3, 19);
  row('504 stories, cold', 'plan-tasks, 504', 'markdownlint-cli2, 504', '<= 0.05x', (r) => r <= 0.05, 19);
  row('--cache re-run, one story changed', 'plan-tasks --cache, 504, one story changed', 'node printing the 504 report', '<= 1.5x', (r) => r <= 1.5, 19);
  row('PR gate, 50 of 504 changed in 20 commits', 'PR gate: lint --base main, 50 of 504 changed in 20 commits', 'plan-tasks, 504', '<= 0.25x', (r) => r <= 0.25, 19);
  row('(the gate\'s floor) the 50 changed stories alone, no git', 'plan-tasks, the 50 changed stories alone', 'plan-tasks, 504', 'below the gate', () => true, 19);
  abs('2016 stories, cold, peak memory', result[n('plan-tasks, 2016, peak memory')]?.mb ?? NaN, '<= 150 MB', (v) => v <= 150, 19);
  row('1 story: plan-tasks / remark-cli + recommended', 'plan-tasks, 1 story', 'remark-cli + recommended, 1 story', '<= 0.35', (r) => r <= 0.35, 7);
  row('504: plan-tasks / markdownlint-cli2', 'plan-tasks, 504', 'markdownlint-cli2, 504', '<= 0.30', (r) => r <= 0.3, 7);
  row('504: plan-tasks / remark-cli + plan-tasks preset', 'plan-tasks, 504', 'remark-cli + plan-tasks preset, 504', 'far below 1', (r) => r <= 0.2, 7);
  row('504: one story changed (--cache) / cold', 'plan-tasks --cache, 504, one story changed', 'plan-tasks, 504', '<= 0.10', (r) => r <= 0.1, 7);
  abs('504: plan-tasks peak memory', result[n('plan-tasks, 504')]?.mb ?? NaN, '< 300 MB', (v) => v < 300, 7);
}
const shown = goals.filter((g) => Number.isFinite(g.wall));

const cpu = cpus();
const machine = {
  cpu: `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores`,
  ram: `${(totalmem() / 2 ** 30).toFixed(0)} GB`,
  node: process.versions.node,
  platform: process.platform,
  load: `${load0.map((l) => l.toFixed(2)).join(' ')} -> ${load1.map((l) => l.toFixed(2)).join(' ')}`,
};
const fmt = (v, unit) => (unit === 'MB' ? v.toFixed(0) : v.toFixed(3));
if (opts.json) {
  process.stdout.write(JSON.stringify({ machine, runs: RUNS, builds, hook: hookText, result, goals: shown }, null, 2) + '\n');
} else {
  const w = Math.max(...Object.keys(result).map((k) => k.length));
  console.log(`\n${machine.cpu}, ${machine.ram} RAM, Node ${machine.node}, ${machine.platform}, load ${machine.load}`);
  console.log(`${RUNS} rounds; builds: ${builds.map((b) => `${b.label} = ${b.bin}`).join('; ')}\n`);
  console.log(`${'command'.padEnd(w)}  wall ms (median)   min ms   CPU ms (median)  peak MB  exit`);
  for (const [name, r] of Object.entries(result)) {
    console.log(`${name.padEnd(w)}  ${r.ms.toFixed(0).padStart(16)} ${r.min.toFixed(0).padStart(8)} ${r.cpu.toFixed(0).padStart(17)} ${r.mb.toFixed(0).padStart(8)}  ${r.exit}`);
  }
  console.log('');
  for (const g of shown) {
    const value = g.unit === 'MB' ? `${fmt(g.wall, 'MB')} MB` : `${fmt(g.wall)}x wall, ${fmt(g.cpu)}x CPU, floor ${g.floor}`;
    console.log(`${{ yes: 'ok  ', 'wall only': 'WALL', no: 'MISS' }[g.ok]}  [${g.build}] issue ${g.issue}: ${g.work}: ${value} (goal ${g.goal})`);
  }
}
if (opts.markdown) {
  console.log(`\n| command | wall ms (median) | min ms | CPU ms (median) | peak MB |\n|---|--:|--:|--:|--:|`);
  for (const [name, r] of Object.entries(result)) console.log(`| ${name} | ${r.ms.toFixed(0)} | ${r.min.toFixed(0)} | ${r.cpu.toFixed(0)} | ${r.mb.toFixed(0)} |`);
  console.log(`\n| build | work | floor | wall ratio | CPU ratio | goal | met |\n|---|---|---|--:|--:|---|---|`);
  for (const g of shown) {
    const [wall, c] = g.unit === 'MB' ? [`${fmt(g.wall, 'MB')} MB`, ''] : [fmt(g.wall), fmt(g.cpu)];
    console.log(`| ${g.build} | ${g.work} | ${g.floor} | ${wall} | ${c} | ${g.goal} | ${g.ok} |`);
  }
}
