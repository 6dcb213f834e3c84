#!/usr/bin/env node
// How long the Claude Code hook takes, as Claude Code runs it: a cold
// `plan-tasks hook claude` process with a PostToolUse payload on stdin, for
// (a) a source file (the fast way out), (b) one weave story in the 28-story
// repository, (c) one story in the 504-story repository (bench/corpus.mjs).
// Prints the median and the slowest of N runs. The target: under 300 ms for
// one story.
//
//   node bench/hook.mjs              # 15 runs each, the built dist/
//   node bench/hook.mjs --runs 31
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'plan-tasks.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const work = join(tmpdir(), 'plan-tasks-bench');
mkdirSync(work, { recursive: true });
const corpora = buildCorpora(work);
for (const root of [corpora.oneRoot, corpora.manyRoot]) spawnSync('git', ['init', '-q'], { cwd: root });

// CPU time (user + system) by GNU time where there is one: steadier than wall
// time on a shared machine (as bench/gate.mjs does).
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const timeFile = join(work, 'hook-time.txt');

const payload = (cwd, file) => JSON.stringify({ session_id: 'bench', cwd, hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: file, old_string: 'a', new_string: 'a' }, tool_response: { filePath: file } });

function time(label, cwd, file, argv = [BIN, 'hook', 'claude']) {
  const input = payload(cwd, file);
  const ms = [];
  const cpu = [];
  let code;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = TIME
      ? spawnSync(TIME, ['-f', '%U %S', '-o', timeFile, process.execPath, ...argv], { cwd, input, encoding: 'utf8' })
      : spawnSync(process.execPath, argv, { cwd, input, encoding: 'utf8' });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (TIME) cpu.push(readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').reduce((a, b) => a + Number(b) * 1000, 0));
    code = r.status;
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(`${label.padEnd(44)} wall median ${median(ms).toFixed(0).padStart(4)} ms (max ${Math.max(...ms).toFixed(0).padStart(4)})   cpu median ${TIME ? median(cpu).toFixed(0).padStart(4) : '   ?'} ms   exit ${code}`);
}

const manyStory = join(corpora.manyRoot, 'docs', 'stories', readdirSync(join(corpora.manyRoot, 'docs', 'stories')).sort()[5]);
console.log(`plan-tasks hook claude, ${runs} cold runs each (node ${process.version})`);
time('baseline: node -e 0', corpora.oneRoot, '', ['-e', '0']);
time('baseline: plan-tasks lint <one story>', corpora.oneRoot, '', [BIN, 'lint', corpora.oneFile]);
time('source file (src/app.ts), not a story', corpora.oneRoot, join(corpora.oneRoot, 'src', 'app.ts'));
time('one story, 28-story repository', corpora.oneRoot, corpora.oneFile);
time(`one story, ${corpora.manyCount}-story repository`, corpora.manyRoot, manyStory);
