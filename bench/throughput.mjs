#!/usr/bin/env node
// Parse and rule throughput on the 504-story corpus (bench/corpus.mjs), side by
// side in one run: cold processes run alternately, CPU time (user + system, from
// /usr/bin/time) and peak RSS, medians. The floors:
//   - "floor: read + print": a node process that reads the 504 files and writes
//     the same report plan-tasks prints (no parsing at all);
//   - "floor: read + split lines": the same, also splitting every text into lines.
// Compared with markdownlint-cli2 (bench/.work, installed by `node bench/run.mjs`)
// and, with --base DIR, an older build's bin/plan-tasks.js.
//
//   node bench/throughput.mjs                      # 7 runs each
//   node bench/throughput.mjs --runs 5 --base /path/to/old/bin/plan-tasks.js
//   node bench/throughput.mjs --phases             # in-process split: read, blank
//       (the section scan), tree, model, rules (and each rule), CPU ms, warm runs
//       after a cold one; runs an older tree's own pipeline too (blanked copies)
//   node bench/throughput.mjs --scanner-cold [--base-src DIR]   # the section scan and
//       the scanner alone, one pass over the 504 stories in a fresh process (cold), CPU
//       ms; with --base-src (an older source tree with node_modules) both, alternating
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    base: { type: 'string' },
    markdownlint: { type: 'string' },
    phases: { type: 'boolean', default: false },
    'scanner-cold': { type: 'boolean', default: false },
    'base-src': { type: 'string' },
  },
});
const RUNS = Math.max(1, Number(opts.runs) || 7);
const work = mkdtempSync(join(tmpdir(), 'plan-tasks-throughput-'));
const corpora = buildCorpora(work);
const storiesDir = join(corpora.manyRoot, 'docs', 'stories');
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

try {
  if (opts.phases) await phases();
  else if (opts['scanner-cold']) await scannerCold();
  else sideBySide();
} finally {
  rmSync(work, { recursive: true, force: true });
}

function sideBySide() {
  if (!existsSync('/usr/bin/time')) throw new Error('needs /usr/bin/time (GNU time) for CPU time');
  const node = process.execPath;
  const bin = join(ROOT, 'bin', 'plan-tasks.js');
  const report = spawnSync(node, [bin, 'lint'], { cwd: corpora.manyRoot, maxBuffer: 1 << 28 }).stdout;
  const reportFile = join(work, 'report.txt');
  writeFileSync(reportFile, report);
  // The floors: what any linter of these files must do at least.
  const floorRead = join(work, 'floor-read.mjs');
  writeFileSync(floorRead, `import { readdirSync, readFileSync, writeSync } from 'node:fs';
const dir = ${JSON.stringify(storiesDir)};
let n = 0;
for (const f of readdirSync(dir).sort()) n += readFileSync(dir + '/' + f, 'utf8').length;
const out = readFileSync(${JSON.stringify(reportFile)});
for (let at = 0; at < out.length; ) at += writeSync(1, out, at);
process.exitCode = n > 0 ? 1 : 0;
`);
  const floorSplit = join(work, 'floor-split.mjs');
  writeFileSync(floorSplit, `import { readdirSync, readFileSync, writeSync } from 'node:fs';
const dir = ${JSON.stringify(storiesDir)};
let n = 0;
for (const f of readdirSync(dir).sort()) n += readFileSync(dir + '/' + f, 'utf8').split(/\\r?\\n/).length;
const out = readFileSync(${JSON.stringify(reportFile)});
for (let at = 0; at < out.length; ) at += writeSync(1, out, at);
process.exitCode = n > 0 ? 1 : 0;
`);
  const mdl = opts.markdownlint ??
    [join(ROOT, 'bench', '.work', 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs'), join(ROOT, 'bench', '.work', 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2.mjs')].find(existsSync);
  const commands = {
    'node -e 0': [node, '-e', '0'],
    'floor: read + print': [node, floorRead],
    'floor: read + split lines': [node, floorSplit],
    'plan-tasks lint': [node, bin, 'lint'],
  };
  if (opts.base) commands['base plan-tasks lint'] = [node, opts.base, 'lint'];
  if (mdl) commands['markdownlint-cli2'] = [node, mdl, 'docs/stories/*.md'];
  else console.error('markdownlint-cli2 not found (run node bench/run.mjs --only markdownlint --runs 1 once, or pass --markdownlint PATH)');
  const cpu = {};
  const rss = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [name, argv] of Object.entries(commands)) {
      const res = spawnSync('/usr/bin/time', ['-f', '@@%U %S %M', ...argv], { cwd: corpora.manyRoot, encoding: 'utf8', maxBuffer: 1 << 28 });
      const m = /@@([\d.]+) ([\d.]+) (\d+)\s*$/.exec(res.stderr);
      if (!m) throw new Error(`${name}: no timing (${res.stderr.slice(-300)})`);
      (cpu[name] ??= []).push((Number(m[1]) + Number(m[2])) * 1000);
      (rss[name] ??= []).push(Number(m[3]) / 1024);
    }
  }
  const ref = cpu['markdownlint-cli2'] ? median(cpu['markdownlint-cli2']) : null;
  console.log(`504 stories (${(corpora.manyBytes / 1048576).toFixed(1)} MB), ${RUNS} alternating runs each, medians of CPU time (user + system)`);
  console.log('| command | CPU ms | peak RSS MB | / markdownlint-cli2 |');
  console.log('|---|---:|---:|---:|');
  for (const name of Object.keys(commands)) {
    const c = median(cpu[name]);
    console.log(`| ${name} | ${c.toFixed(0)} | ${median(rss[name]).toFixed(0)} | ${ref ? (c / ref).toFixed(3) + 'x' : '-'} |`);
  }
}

async function phases() {
  const { build } = await import('esbuild');
  const outfile = join(work, 'phases.mjs');
  await build({
    stdin: {
      contents: [
        "export { fastTree } from './src/story/fast.ts';",
        "export * as fastModule from './src/story/fast.ts';",
        "export { parseMarkdown, stripBom, buildStory } from './src/story/parse.ts';",
        "export * as sections from './src/story/sections.ts';",
        "export { readStory } from './src/lint/files.ts';",
        "export { runRules } from './src/lint/engine.ts';",
        "export { rules } from './rules/index.ts';",
        "export { defaultConfig } from './src/config/defaults.ts';",
        "export { sectionsRead } from './src/rules/reads.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  const m = await import(pathToFileURL(outfile).href);
  const files = readdirSync(storiesDir).sort().map((n) => join(storiesDir, n));
  const config = m.defaultConfig(corpora.manyRoot);
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const times = {};
  const perRule = {};
  const add = (o, k, v) => (o[k] ??= []).push(v);
  for (let r = 0; r < RUNS; r++) {
    let t = cpuMs();
    const texts = files.map((f) => m.readStory(f).text);
    add(times, 'read + decode + limits', cpuMs() - t);
    t = cpuMs();
    const plain = texts.map((x) => m.stripBom(x).text);
    // The unread sections: skip ranges for the scanner (story 022), or a blanked copy (before).
    const { unreadSections, blankRanges, blankUnreadSections } = m.sections;
    // The sections the CLI keeps: the default rules' reads (as parseForLint).
    const keep = m.sectionsRead(m.rules, config);
    const skips = unreadSections ? plain.map((x) => (keep && unreadSections(x, keep)) ?? undefined) : null;
    const blanked = skips ? null : plain.map((x) => (keep && blankUnreadSections(x, keep)) ?? x);
    add(times, 'blank unread sections', cpuMs() - t);
    t = cpuMs();
    // Offsets-only trees, as parseForLint builds them (story 031; undefined in older trees: full points).
    const lean = m.fastModule.OFFSETS_ONLY;
    const trees = skips
      ? plain.map((x, i) => m.fastTree(x, skips[i], lean) ?? m.parseMarkdown(skips[i] ? blankRanges(x, skips[i]) : x))
      : blanked.map((x) => m.fastTree(x) ?? m.parseMarkdown(x));
    add(times, 'tree (scanner, else micromark)', cpuMs() - t);
    t = cpuMs();
    const stories = trees.map((tree, i) => m.buildStory(tree, plain[i], files[i], false));
    add(times, 'Story model', cpuMs() - t);
    t = cpuMs();
    for (const s of stories) m.runRules(s, config, m.rules);
    add(times, 'rules', cpuMs() - t);
    for (const rule of m.rules) {
      if (typeof rule.check !== 'function') continue;
      t = cpuMs();
      for (const s of stories) rule.check(s, { config });
      add(perRule, rule.meta.id, cpuMs() - t);
    }
  }
  console.log(`504 stories, in one process: CPU ms of the first (cold) run, then the median of the ${RUNS} runs`);
  for (const [k, v] of Object.entries(times)) console.log(`  ${k.padEnd(32)} ${v[0].toFixed(0).padStart(6)} ${median(v).toFixed(0).padStart(6)}`);
  console.log('  rules, each (median):');
  for (const [k, v] of Object.entries(perRule).sort((a, b) => median(b[1]) - median(a[1])).slice(0, 12)) {
    console.log(`    ${k.padEnd(30)} ${median(v).toFixed(0).padStart(6)}`);
  }
}

/** One cold pass of the lint path's section scan and tree over the corpus, per fresh process. */
async function scannerCold() {
  const { build } = await import('esbuild');
  const trees = { this: ROOT };
  if (opts['base-src']) trees.base = opts['base-src'];
  const bundles = {};
  for (const [name, root] of Object.entries(trees)) {
    bundles[name] = join(work, `scanner-${name}.mjs`);
    await build({
      stdin: {
        contents: "export * from './src/story/sections.ts'; export { fastTree } from './src/story/fast.ts'; export { parseMarkdown, stripBom } from './src/story/parse.ts';",
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundles[name],
      logLevel: 'error',
    });
  }
  const script = join(work, 'scanner-cold.mjs');
  writeFileSync(script, `import { readdirSync, readFileSync } from 'node:fs';
const m = await import(process.argv[2]);
const dir = ${JSON.stringify(storiesDir)};
const texts = readdirSync(dir).sort().map((f) => m.stripBom(readFileSync(dir + '/' + f, 'utf8')).text);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = cpu();
if (m.unreadSections) {
  for (const x of texts) { const skip = m.unreadSections(x) ?? undefined; m.fastTree(x, skip) ?? m.parseMarkdown(skip ? m.blankRanges(x, skip) : x); }
} else {
  for (const x of texts) { const source = m.blankUnreadSections(x) ?? x; m.fastTree(source) ?? m.parseMarkdown(source); }
}
console.log(cpu() - t0);
`);
  const cpu = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [name, file] of Object.entries(bundles)) {
      const res = spawnSync(process.execPath, [script, pathToFileURL(file).href], { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`${name}: ${res.stderr.slice(-300)}`);
      (cpu[name] ??= []).push(Number(res.stdout));
    }
  }
  console.log(`504 stories, section scan + tree, one cold pass per process, ${RUNS} alternating runs: median CPU ms (all runs)`);
  for (const [name, xs] of Object.entries(cpu)) console.log(`  ${name.padEnd(6)} ${median(xs).toFixed(0).padStart(6)}   (${xs.map((x) => x.toFixed(0)).join(' ')})`);
}
