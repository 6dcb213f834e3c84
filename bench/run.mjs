#!/usr/bin/env node
// plan-tasks benchmark: builds the corpora, installs the peers into bench/.work/,
// then runs peers and plan-tasks alternately as cold processes and prints the
// medians, the ratios against the targets of issue 7, and peak memory.
//
//   npm run bench                 # 7 runs per command
//   node bench/run.mjs --runs 3   # quicker
//   node bench/run.mjs --markdown # also print the table for docs/BENCHMARKS.md
//   node bench/run.mjs --json     # machine-readable results
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench', '.work');
// The runs use a snapshot of the build (bin, dist, package.json, node_modules
// linked), so a rebuild in the checkout during a long run cannot break it.
const SNAPSHOT = join(tmpdir(), 'plan-tasks-bench', 'plan-tasks');
const BIN = join(SNAPSHOT, 'bin', 'plan-tasks.js');
const PRESET = join(SNAPSHOT, 'dist', 'preset.js');
const PEERS = { 'remark-cli': '12.0.1', 'remark-preset-lint-recommended': '7.0.1', 'markdownlint-cli2': '0.22.1' };

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    markdown: { type: 'boolean' },
    json: { type: 'boolean' },
    only: { type: 'string' },
    'no-install': { type: 'boolean' },
  },
});
const RUNS = Math.max(1, Number(opts.runs));
const log = (s) => process.stderr.write(s + '\n');

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
  if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(2);
}
installPeers();
function snapshot() {
  rmSync(SNAPSHOT, { recursive: true, force: true });
  mkdirSync(SNAPSHOT, { recursive: true });
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(SNAPSHOT, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(SNAPSHOT, 'node_modules'), 'dir');
  return spawnSync(process.execPath, [BIN, 'lint', '--help'], { encoding: 'utf8' }).status === 0;
}
for (let tries = 0; !snapshot(); tries++) {
  if (tries === 5) throw new Error('dist/ is incomplete: run npm run build');
  spawnSync('sleep', ['2']);
}
// Outside the repository, so no config file of this project applies to the corpora.
const corpora = buildCorpora(join(tmpdir(), 'plan-tasks-bench'));
const peerBin = (name) => join(WORK, 'node_modules', name, ...{ 'remark-cli': ['cli.js'], 'markdownlint-cli2': ['markdownlint-cli2-bin.mjs'] }[name]);
const markdownlintBin = existsSync(peerBin('markdownlint-cli2')) ? peerBin('markdownlint-cli2') : join(WORK, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2.mjs');
const hasTime = existsSync('/usr/bin/time');
const hasCache = spawnSync(process.execPath, [BIN, 'lint', '--help'], { encoding: 'utf8' }).stdout.includes('--cache');
const cacheFile = join(WORK, 'plan-tasks-cache.json');

// --- measuring --------------------------------------------------------------

const RSS_WRAPPER = join(tmpdir(), `plan-tasks-bench-rss-${process.pid}.cjs`);
writeFileSync(RSS_WRAPPER, "process.on('exit', () => { require('fs').appendFileSync(process.env.PT_BENCH_RSS, String(process.resourceUsage().maxRSS) + '\\n'); });\n");

/** Run a command as a cold process: wall time (ms) and peak RSS (MB). */
function measure(cmd, args, cwd) {
  const out = join(tmpdir(), `plan-tasks-bench-${process.pid}.txt`);
  rmSync(out, { force: true });
  let file = cmd;
  let argv = args;
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  if (hasTime) {
    file = '/usr/bin/time';
    argv = ['-f', '%M', '-o', out, cmd, ...args];
  } else {
    // No GNU time: the Node process reports its own maxRSS on exit.
    env.PT_BENCH_RSS = out;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${RSS_WRAPPER}`;
  }
  const t0 = performance.now();
  const r = spawnSync(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  }
  const text = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
  const kb = Number(text[text.length - 1]);
  return { ms, mb: Number.isFinite(kb) ? kb / 1024 : NaN, status: r.status };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const node = process.execPath;
const one = corpora.oneFile;
const commands = {
  'node -e 0': { cmd: node, args: ['-e', '0'], cwd: corpora.oneRoot },
  'remark-cli + recommended, 1 story': { cmd: node, args: [peerBin('remark-cli'), '--no-config', '--no-stdout', '--quiet', '--use', join(WORK, 'node_modules', 'remark-preset-lint-recommended', 'index.js'), one], cwd: corpora.oneRoot },
  'plan-tasks, 1 story': { cmd: node, args: [BIN, 'lint', one], cwd: corpora.oneRoot },
  'markdownlint-cli2, 504': { cmd: node, args: [markdownlintBin, 'docs/stories/*.md'], cwd: corpora.manyRoot },
  'remark-cli + plan-tasks preset, 504': { cmd: node, args: [peerBin('remark-cli'), '--no-config', '--no-stdout', '--quiet', '--use', PRESET, 'docs/stories'], cwd: corpora.manyRoot },
  'plan-tasks, 504': { cmd: node, args: [BIN, 'lint'], cwd: corpora.manyRoot },
};
if (hasCache) {
  commands['plan-tasks --cache, 504, cold cache'] = {
    cmd: node, args: [BIN, 'lint', '--cache', '--cache-location', cacheFile], cwd: corpora.manyRoot,
    before: () => rmSync(cacheFile, { force: true }),
  };
  let edit = 0;
  commands['plan-tasks --cache, 504, one story changed'] = {
    cmd: node, args: [BIN, 'lint', '--cache', '--cache-location', cacheFile], cwd: corpora.manyRoot,
    before: () => {
      // Warm the cache if the previous command left none, then change one story.
      if (!existsSync(cacheFile)) spawnSync(node, [BIN, 'lint', '--cache', '--cache-location', cacheFile], { cwd: corpora.manyRoot, stdio: 'ignore' });
      const story = join(corpora.manyRoot, 'docs', 'stories', '100-socket-lifecycle-management.md');
      appendFileSync(story, `\nEdited by the benchmark, run ${++edit}.\n`);
    },
  };
}
// The floor under any re-run: a Node process that does nothing but print the 504-story
// report (captured from a plan-tasks run), through the same writeSync path the CLI uses.
{
  const report = join(tmpdir(), 'plan-tasks-bench', 'report-504.txt');
  const printer = join(tmpdir(), 'plan-tasks-bench', 'print-report.mjs');
  const out = spawnSync(node, [BIN, 'lint'], { cwd: corpora.manyRoot, maxBuffer: 1 << 28 }).stdout;
  writeFileSync(report, out);
  writeFileSync(printer, `import { readFileSync, writeSync } from 'node:fs';\nconst b = readFileSync(${JSON.stringify(report)});\nfor (let off = 0; off < b.length; ) off += writeSync(1, b, off);\n`);
  commands['node printing the 504 report (floor)'] = { cmd: node, args: [printer], cwd: corpora.manyRoot };
}
const selected = Object.entries(commands).filter(([name]) => !opts.only || name.includes(opts.only) || name === 'node -e 0');

log(`Corpora: 1 story (${(corpora.oneBytes / 1024).toFixed(1)} KB) in a 28-story repo; ${corpora.manyCount} stories (${(corpora.manyBytes / 1048576).toFixed(1)} MB).`);
log(`Runs: 1 warm-up + ${RUNS} measured per command, alternating.`);
const samples = Object.fromEntries(selected.map(([name]) => [name, []]));
for (let run = 0; run <= RUNS; run++) {
  for (const [name, c] of selected) {
    c.before?.();
    const m = measure(c.cmd, c.args, c.cwd);
    if (run > 0) samples[name].push(m);
  }
  log(run === 0 ? 'warm-up done' : `run ${run}/${RUNS} done`);
}
rmSync(RSS_WRAPPER, { force: true });

// --- report -----------------------------------------------------------------

const result = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, {
  ms: median(xs.map((x) => x.ms)),
  min: Math.min(...xs.map((x) => x.ms)),
  mb: Math.max(...xs.map((x) => x.mb)),
  exit: xs[0]?.status,
}]));
const ratio = (a, b) => (result[a] && result[b] ? result[a].ms / result[b].ms : NaN);
const targets = [
  ['1 story: plan-tasks / remark-cli + recommended', ratio('plan-tasks, 1 story', 'remark-cli + recommended, 1 story'), '<= 0.35', (r) => r <= 0.35],
  ['504: plan-tasks / markdownlint-cli2', ratio('plan-tasks, 504', 'markdownlint-cli2, 504'), '<= 0.30', (r) => r <= 0.3],
  ['504: plan-tasks / remark-cli + plan-tasks preset', ratio('plan-tasks, 504', 'remark-cli + plan-tasks preset, 504'), 'far below 1', (r) => r <= 0.2],
  ['504: one story changed (--cache) / cold', ratio('plan-tasks --cache, 504, one story changed', 'plan-tasks, 504'), '<= 0.10', (r) => r <= 0.1],
  ['504: floor (printing the report only) / cold', ratio('node printing the 504 report (floor)', 'plan-tasks, 504'), 'the least a re-run can take', () => true],
  ['504: plan-tasks peak memory (MB)', result['plan-tasks, 504']?.mb ?? NaN, '< 300', (r) => r < 300],
].filter(([, v]) => Number.isFinite(v));

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.versions.node}, ${process.platform}`;
if (opts.json) {
  process.stdout.write(JSON.stringify({ machine, runs: RUNS, corpora, result, targets: targets.map(([name, value, target]) => ({ name, value, target })) }, null, 2) + '\n');
} else {
  const w = Math.max(...Object.keys(result).map((k) => k.length));
  console.log(`\n${machine}\n`);
  console.log(`${'command'.padEnd(w)}  median ms    min ms   peak MB  exit`);
  for (const [name, r] of Object.entries(result)) {
    console.log(`${name.padEnd(w)}  ${r.ms.toFixed(0).padStart(9)} ${r.min.toFixed(0).padStart(9)} ${r.mb.toFixed(0).padStart(9)}  ${r.exit}`);
  }
  console.log('');
  for (const [name, value, target, ok] of targets) {
    console.log(`${ok(value) ? 'ok  ' : 'MISS'}  ${name}: ${value.toFixed(name.includes('MB') ? 0 : 3)} (target ${target})`);
  }
  if (!hasCache) console.log('(plan-tasks has no --cache yet: the re-run scenario is skipped)');
}
if (opts.markdown) {
  console.log(`\n| command | median ms | min ms | peak MB |\n|---|--:|--:|--:|`);
  for (const [name, r] of Object.entries(result)) console.log(`| ${name} | ${r.ms.toFixed(0)} | ${r.min.toFixed(0)} | ${r.mb.toFixed(0)} |`);
  console.log(`\n| target | measured | goal |\n|---|--:|---|`);
  for (const [name, value, target, ok] of targets) console.log(`| ${name} | ${value.toFixed(name.includes('MB') ? 0 : 3)} ${ok(value) ? '' : '(missed)'} | ${target} |`);
}
void dirname;
