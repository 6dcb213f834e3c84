#!/usr/bin/env node
// The gates on a 504-story repository: a git repository in a temp folder holding the
// bench corpus (bench/corpus.mjs), one commit on `main`, a branch `feature` whose one
// commit changes one story, and one more story edited and staged. Times, as cold
// processes run alternately, medians of --runs:
//   pre-commit   plan-tasks lint --staged           (one staged story)
//   PR gate      plan-tasks lint --base main        (one story changed on the branch)
//   full lint    plan-tasks lint                    (every story, for scale)
//
//   node bench/gate.mjs                       # this checkout's bin/plan-tasks.js
//   node bench/gate.mjs --bin /tmp/old/bin/plan-tasks.js --bin bin/plan-tasks.js --runs 9
//                                             # several builds, run alternately
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, bin: { type: 'string', multiple: true, default: [join(ROOT, 'bin', 'plan-tasks.js')] } },
});
const BINS = opts.bin;
const RUNS = Math.max(1, Number(opts.runs));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const work = mkdtempSync(join(tmpdir(), 'plan-tasks-gate-'));
try {
  const { manyRoot: repo, manyCount } = buildCorpora(work);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'bench');
  git('config', 'user.email', 'bench@example.com');
  git('add', '-A');
  git('commit', '-q', '-m', 'stories');
  git('checkout', '-q', '-b', 'feature');
  const edit = (name) => {
    const file = join(repo, 'docs', 'stories', name);
    writeFileSync(file, readFileSync(file, 'utf8') + '\nOne more note.\n');
  };
  const stories = execFileSync('ls', [join(repo, 'docs', 'stories')], { encoding: 'utf8' }).trim().split('\n');
  edit(stories[100]);
  git('commit', '-q', '-am', 'one story');
  edit(stories[200]);
  git('add', '-A');

  const commands = {
    'pre-commit: lint --staged': ['lint', '--staged', '--format', 'json'],
    'PR gate: lint --base main': ['lint', '--base', 'main', '--format', 'json'],
    'full lint': ['lint', '--format', 'json'],
  };
  const times = new Map();
  for (let i = 0; i < RUNS + 1; i++) {
    for (const [name, args] of Object.entries(commands)) {
      for (const bin of BINS) {
        const t = process.hrtime.bigint();
        // CPU time (user + system, the process and its git children) by GNU time where there is one:
        // steadier than wall time on a shared machine.
        const timeFile = join(work, 'time.txt');
        const r = TIME
          ? spawnSync(TIME, ['-f', '%U %S', '-o', timeFile, process.execPath, bin, ...args], { cwd: repo, env, encoding: 'utf8', maxBuffer: 1 << 28 })
          : spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: 'utf8', maxBuffer: 1 << 28 });
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        const cpu = TIME ? readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').reduce((a, b) => a + Number(b) * 1000, 0) : NaN;
        if (r.status === 2 || r.error) throw new Error(`${name}: exit ${r.status}\n${r.stderr}`);
        const key = `${name}\0${bin}`;
        if (!times.has(key)) times.set(key, { wall: [], cpu: [] });
        if (i > 0) {
          // the first round warms the disk cache
          times.get(key).wall.push(ms);
          times.get(key).cpu.push(cpu);
        }
        if (i === 1) {
          const results = JSON.parse(r.stdout || '[]');
          process.stderr.write(`${name} (${bin}): exit ${r.status}, ${results.length} files reported\n`);
        }
      }
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  console.log(`${manyCount} stories, ${RUNS} runs each, builds run alternately`);
  console.log(`${''.padEnd(28)}   wall median (min)    cpu median`);
  for (const [key, { wall, cpu }] of times) {
    const [name, bin] = key.split('\0');
    console.log(`${name.padEnd(28)} ${median(wall).toFixed(0).padStart(6)} ms (${Math.min(...wall).toFixed(0).padStart(5)})  ${median(cpu).toFixed(0).padStart(6)} ms  ${bin}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
