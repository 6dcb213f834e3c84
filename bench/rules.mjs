#!/usr/bin/env node
// The rules phase of the 504-story cold run (bench/corpus.mjs), this build side
// by side with another source tree (--base DIR, a checkout of an older commit
// with node_modules): each run is a fresh process that parses the 504 stories
// (parseForLint, not timed), then times the single-file rules (runRules with
// the default config, the task signals of src/rules/signals.ts included): the
// first pass over the 504 stories (cold: regex compilation, JIT, the signals
// derived), then the median of the warm passes over freshly parsed stories.
// CPU time (process.cpuUsage, user + system, so GC counts), processes
// alternating, medians over --runs processes.
//
//   node bench/rules.mjs --runs 7 --base /tmp/base-checkout
//   node bench/rules.mjs --each      # also each rule's cold and warm CPU ms
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    base: { type: 'string' },
    each: { type: 'boolean', default: false },
    worker: { type: 'string' },
    stories: { type: 'string' },
  },
});
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (opts.worker) await worker(opts.worker, opts.stories);
else await main();

async function bundle(root, outfile) {
  const { build } = await import('esbuild');
  await build({
    stdin: {
      contents: [
        "export { parseForLint } from './src/lint/analyze.ts';",
        "export { runRules } from './src/lint/engine.ts';",
        "export { rules } from './rules/index.ts';",
        "export { defaultConfig } from './src/config/defaults.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
}

async function worker(bundleFile, storiesDir) {
  const m = await import(pathToFileURL(bundleFile).href);
  const files = readdirSync(storiesDir).sort().map((n) => join(storiesDir, n));
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const config = m.defaultConfig(join(storiesDir, '..', '..'));
  const single = m.rules.filter((r) => r.check);
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const parse = () => texts.map((t, i) => m.parseForLint(t, files[i], config));
  const result = { rules: [], each: {} };
  const passes = 5;
  for (let r = 0; r < passes; r++) {
    const stories = parse();
    const t = cpuMs();
    for (const s of stories) m.runRules(s, config, m.rules);
    result.rules.push(cpuMs() - t);
  }
  if (opts.each) {
    // Each rule on its own, in registry order, over freshly parsed stories
    // (so the signals a rule asks for are derived in the first rule that asks).
    for (let r = 0; r < passes; r++) {
      const stories = parse();
      for (const rule of single) {
        const t = cpuMs();
        for (const s of stories) rule.check(s, { config });
        (result.each[rule.meta.id] ??= []).push(cpuMs() - t);
      }
    }
  }
  process.stdout.write(JSON.stringify(result));
}

async function main() {
  const { buildCorpora } = await import('./corpus.mjs');
  const work = mkdtempSync(join(tmpdir(), 'plan-tasks-rules-'));
  try {
    const corpora = buildCorpora(work);
    const storiesDir = join(corpora.manyRoot, 'docs', 'stories');
    const builds = { 'this build': ROOT };
    if (opts.base) builds.base = opts.base;
    const bundles = {};
    for (const [name, root] of Object.entries(builds)) {
      bundles[name] = join(work, `${name.replace(/\W/g, '-')}.mjs`);
      await bundle(root, bundles[name]);
    }
    const runs = Math.max(1, Number(opts.runs) || 7);
    const res = {};
    for (let r = 0; r < runs; r++) {
      for (const name of Object.keys(builds)) {
        const args = [fileURLToPath(import.meta.url), '--worker', bundles[name], '--stories', storiesDir, ...(opts.each ? ['--each'] : [])];
        const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
        if (out.status !== 0) throw new Error(`${name}: ${out.stderr}`);
        (res[name] ??= []).push(JSON.parse(out.stdout));
      }
    }
    console.log(`rules phase, 504 stories, ${runs} alternating processes each: CPU ms, medians (cold = first pass, warm = median of passes 2-5)`);
    for (const [name, list] of Object.entries(res)) {
      const cold = median(list.map((x) => x.rules[0]));
      const warm = median(list.map((x) => median(x.rules.slice(1))));
      console.log(`  ${name.padEnd(12)} cold ${cold.toFixed(0).padStart(5)}   warm ${warm.toFixed(0).padStart(5)}`);
    }
    if (opts.each) {
      console.log('  each rule, cold / warm:');
      const names = Object.keys(res);
      const ids = Object.keys(res[names[0]][0].each);
      const row = (list, id) => `${median(list.map((x) => x.each[id][0])).toFixed(0).padStart(4)} / ${median(list.map((x) => median(x.each[id].slice(1)))).toFixed(0).padStart(3)}`;
      console.log(`    ${''.padEnd(24)} ${names.map((n) => n.padStart(11)).join('  ')}`);
      for (const id of ids) console.log(`    ${id.padEnd(24)} ${names.map((n) => row(res[n], id)).join('  ')}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
