#!/usr/bin/env node
// `lint --concurrency` side by side (story 028): cold processes of an older
// build (--base, default the session-start build), this build with
// `--concurrency off`, `2` and `auto`, in turn, round after round (load on a
// shared machine hits them alike), on one story, the 28 weave stories, 504
// and 2016 stories (bench/corpus.mjs). Prints per command and corpus the
// median wall time, CPU time (user + system of the process, all its threads,
// from GNU time) and peak RSS, and the load average before and after.
//
//   node bench/parallel.mjs --runs 5 [--base /path/bin/plan-tasks.js] [--only 504]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    base: { type: 'string', default: '/work/base-s4/bin/plan-tasks.js' },
    only: { type: 'string' },
    values: { type: 'string', default: 'off,2,auto' },
  },
});
const RUNS = Math.max(1, Number(opts.runs));
const TMP = mkdtempSync(join(tmpdir(), 'plan-tasks-parallel-'));
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));

const small = buildCorpora(join(TMP, 'small'), 18);
const big = buildCorpora(join(TMP, 'big'), 72);
const corpora = [
  { name: '1 story', cwd: small.oneRoot, args: [small.oneFile] },
  { name: '28 stories', cwd: small.oneRoot, args: [] },
  { name: '504 stories', cwd: small.manyRoot, args: [] },
  { name: '2016 stories', cwd: big.manyRoot, args: [] },
].filter((c) => !opts.only || c.name.includes(opts.only));
const bin = resolve(ROOT, 'bin/plan-tasks.js');
const commands = [
  ...(opts.base ? [{ name: 'base', bin: opts.base, extra: [] }] : []),
  ...opts.values.split(',').map((v) => ({ name: `--concurrency ${v}`, bin, extra: ['--concurrency', v] })),
];

function once(cmd, corpus) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cmd.bin, 'lint', ...cmd.extra, ...corpus.args], { cwd: corpus.cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.name} ${corpus.name}: exit ${r.status}: ${r.stderr}`);
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall: wall * 1000, cpu: (user + sys) * 1000, rss: rss / 1024, out: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`cores ${availableParallelism()}, load before ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${RUNS} rounds`);
for (const corpus of corpora) {
  const samples = new Map(commands.map((c) => [c.name, []]));
  let reference;
  for (let round = 0; round < RUNS; round++) {
    for (const cmd of round % 2 ? [...commands].reverse() : commands) {
      const s = once(cmd, corpus);
      reference ??= s.out;
      if (s.out !== reference) throw new Error(`${cmd.name} ${corpus.name}: a different report`);
      samples.get(cmd.name).push(s);
    }
  }
  console.log(`\n${corpus.name}: median wall ms / CPU ms / peak MB`);
  for (const [name, s] of samples) {
    console.log(`  ${name.padEnd(20)} ${median(s.map((x) => x.wall)).toFixed(0).padStart(6)} ${median(s.map((x) => x.cpu)).toFixed(0).padStart(6)} ${median(s.map((x) => x.rss)).toFixed(0).padStart(5)}   (wall ${s.map((x) => x.wall.toFixed(0)).join(' ')})`);
  }
}
console.log(`\nload after ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
