// The `--cache` re-run and the peak memory of a large cold run, side by side
// with another build (default: none) and with the floor, alternating, medians.
//
//   node bench/cache.mjs [--runs N] [--old [name=]path/to/bin/plan-tasks.js ...] [--stories 504] [--memory 2016]
//
// Re-run: N stories (default 504, copies of the weave corpus), a warm cache, one
// story changed before each run (a line appended, so the file's size, mtime and
// text change); the floor is a Node process that only prints the same report
// (the bytes captured from a cold run, written with writeSync as the CLI does).
// Memory: a cold run over M stories (default 2016), peak RSS.
// Each number is CPU time (user + system, /usr/bin/time), the machine being
// shared; wall time is printed beside it.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpora } from './corpus.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const RUNS = Number(opt('--runs', 7));
const OLD = args.flatMap((a, i) => (a === '--old' ? [args[i + 1]] : [])).map((v, i) => (v.includes('=') ? v.split('=') : [i ? `old${i + 1}` : 'old', v]));
const STORIES = Number(opt('--stories', 504));
const MEMORY = Number(opt('--memory', 2016));
const BIN = resolve(fileURLToPath(new URL('../bin/plan-tasks.js', import.meta.url)));
const node = process.execPath;
if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time (/usr/bin/time) for CPU time and peak RSS');

const WORK = join(tmpdir(), 'plan-tasks-bench-cache');
const copies = (n) => Math.ceil(n / 28);
const warm = buildCorpora(join(WORK, 'warm'), copies(STORIES));
const big = MEMORY > 0 ? buildCorpora(join(WORK, 'big'), copies(MEMORY)) : null;

/** One run: { cpu (ms, user + system), wall (ms), mb (peak RSS), status }. */
function measure(cmd, argv, cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const line = r.stderr.trim().split('\n').pop();
  const [e, u, s, m] = line.split(' ').map(Number);
  return { cpu: (u + s) * 1000, wall: e * 1000, mb: m / 1024, status: r.status, stdout: r.stdout };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const stories = join(warm.manyRoot, 'docs', 'stories');
const changed = join(stories, readdirSync(stories).sort()[5]);
let edits = 0;
const change = () => appendFileSync(changed, `\nEdit ${++edits}.\n`);

// The floor: print a report of this corpus (captured once, from the plain build, after all edits would look alike).
const printer = join(WORK, 'print-report.mjs');
const report = join(WORK, 'report.txt');
const commands = {};
const builds = [['new', BIN], ...OLD.map(([name, bin]) => [name, resolve(bin)])];
for (const [name, bin] of builds) {
  const cacheFile = join(WORK, `cache-${name}`);
  rmSync(cacheFile, { force: true });
  spawnSync(node, [bin, 'lint', '--cache', '--cache-location', cacheFile], { cwd: warm.manyRoot });
  commands[`${name}: --cache, ${warm.manyCount}, one story changed`] = { before: change, cmd: node, args: [bin, 'lint', '--cache', '--cache-location', cacheFile], cwd: warm.manyRoot };
}
change();
writeFileSync(report, spawnSync(node, [BIN, 'lint'], { cwd: warm.manyRoot, maxBuffer: 1 << 28 }).stdout);
writeFileSync(printer, `import { readFileSync, writeSync } from 'node:fs';\nconst b = readFileSync(${JSON.stringify(report)});\nfor (let off = 0; off < b.length; ) off += writeSync(1, b, off);\n`);
commands[`floor: node printing the ${warm.manyCount}-story report`] = { cmd: node, args: [printer], cwd: warm.manyRoot };
if (big) for (const [name, bin] of builds) commands[`${name}: cold, ${big.manyCount}`] = { cmd: node, args: [bin, 'lint'], cwd: big.manyRoot };

const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let run = 0; run <= RUNS; run++) {
  for (const [name, c] of Object.entries(commands)) {
    c.before?.();
    const m = measure(c.cmd, c.args, c.cwd);
    if (run > 0) samples[name].push(m);
  }
  process.stderr.write(run === 0 ? 'warm-up done\n' : `run ${run}/${RUNS}\n`);
}
const result = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, { cpu: median(xs.map((x) => x.cpu)), wall: median(xs.map((x) => x.wall)), mb: Math.max(...xs.map((x) => x.mb)), exit: xs[0].status }]));
console.log(`${cpus()[0]?.model ?? 'CPU'}, ${cpus().length} cores, Node ${process.versions.node}; ${RUNS} runs each, alternating; medians`);
const w = Math.max(...Object.keys(result).map((k) => k.length));
console.log(`${'command'.padEnd(w)}  cpu ms  wall ms  peak MB  exit`);
for (const [k, r] of Object.entries(result)) console.log(`${k.padEnd(w)}  ${r.cpu.toFixed(0).padStart(6)}  ${r.wall.toFixed(0).padStart(7)}  ${r.mb.toFixed(0).padStart(7)}  ${r.exit}`);
const floor = result[`floor: node printing the ${warm.manyCount}-story report`];
for (const [name] of builds) {
  const r = result[`${name}: --cache, ${warm.manyCount}, one story changed`];
  console.log(`${name}: re-run / floor (cpu) ${(r.cpu / floor.cpu).toFixed(2)}x (goal <= 1.5x), (wall) ${(r.wall / floor.wall).toFixed(2)}x`);
  if (big) console.log(`${name}: ${big.manyCount} stories cold, peak ${result[`${name}: cold, ${big.manyCount}`].mb.toFixed(0)} MB (goal <= 150 MB)`);
}
rmSync(WORK, { recursive: true, force: true });
