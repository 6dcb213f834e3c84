#!/usr/bin/env node
// The Story model phase (issue 19, story 023) on the 504-story corpus
// (bench/corpus.mjs), this tree side by side with another source tree
// (`--base DIR`, a checkout with src/ and rules/): each run is a fresh process
// (so the first pass is cold, as in one CLI run) that reads the files
// (readStory), blanks unread sections, builds the trees, then times
// `buildStory` over all 504: CPU ms (process.cpuUsage) of the first (cold)
// pass and the median of the warm passes after it. Before those, a cold pass
// file by file as the CLI goes (read, blank, tree, model; only buildStory
// timed): the batch passes also pay for promoting the 504 trees built before
// them. Processes alternate, and the medians of their numbers are printed.
//
//   node bench/model.mjs --runs 7 --base /tmp/base-src
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, warm: { type: 'string', default: '5' }, base: { type: 'string' } },
});
const RUNS = Math.max(1, Number(opts.runs) || 7);
const work = mkdtempSync(join(tmpdir(), 'plan-tasks-model-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function bundle(root, name) {
  const { build } = await import('esbuild');
  const outfile = join(work, `${name}.mjs`);
  await build({
    stdin: {
      contents: [
        "export { fastTree } from './src/story/fast.ts';",
        "export { parseMarkdown, stripBom, buildStory } from './src/story/parse.ts';",
        "export { blankUnreadSections } from './src/story/sections.ts';",
        "export { readStory } from './src/lint/files.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
    nodePaths: [join(ROOT, 'node_modules')],
  });
  return outfile;
}

const CHILD = `
const m = await import(process.argv[2]);
const dir = process.argv[3];
const warm = Number(process.argv[4]);
const { readdirSync } = await import('node:fs');
const files = readdirSync(dir).sort().map((n) => dir + '/' + n);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const out = { read: [], model: [], interleaved: [] };
// As the CLI does: file by file (read, blank, tree, model), only buildStory timed.
{
  let model = 0;
  for (const f of files) {
    const plain = m.stripBom(m.readStory(f).text).text;
    const tree = m.fastTree(m.blankUnreadSections(plain) ?? plain) ?? m.parseMarkdown(plain);
    const t = cpu();
    m.buildStory(tree, plain, f, false);
    model += cpu() - t;
  }
  out.interleaved.push(model);
}
for (let r = 0; r <= warm; r++) {
  let t = cpu();
  const texts = files.map((f) => m.readStory(f).text);
  out.read.push(cpu() - t);
  const plain = texts.map((x) => m.stripBom(x).text);
  const blanked = plain.map((x) => m.blankUnreadSections(x) ?? x);
  const trees = blanked.map((x) => m.fastTree(x) ?? m.parseMarkdown(x));
  t = cpu();
  const stories = trees.map((tree, i) => m.buildStory(tree, plain[i], files[i], false));
  out.model.push(cpu() - t);
  if (stories.length !== files.length) throw new Error('short');
}
console.log(JSON.stringify(out));
`;

try {
  const corpora = buildCorpora(work);
  const storiesDir = join(corpora.manyRoot, 'docs', 'stories');
  const child = join(work, 'child.mjs');
  writeFileSync(child, CHILD);
  const builds = { 'this tree': await bundle(ROOT, 'this') };
  if (opts.base) builds.base = await bundle(resolve(opts.base), 'base');
  const res = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [name, file] of Object.entries(builds)) {
      const p = spawnSync(process.execPath, [child, file, storiesDir, opts.warm], { encoding: 'utf8' });
      if (p.status !== 0) throw new Error(p.stderr);
      const o = JSON.parse(p.stdout);
      const row = (res[name] ??= { fileByFile: [], readCold: [], readWarm: [], modelCold: [], modelWarm: [] });
      row.fileByFile.push(o.interleaved[0]);
      row.readCold.push(o.read[0]);
      row.readWarm.push(median(o.read.slice(1)));
      row.modelCold.push(o.model[0]);
      row.modelWarm.push(median(o.model.slice(1)));
    }
  }
  console.log(`504 stories, ${RUNS} alternating processes each; CPU ms, medians (cold: first pass; warm: median of ${opts.warm} passes after it)`);
  console.log('| build | model, file by file (cold) | read cold | read warm | model cold | model warm |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, row] of Object.entries(res)) {
    console.log(`| ${name} | ${median(row.fileByFile).toFixed(0)} | ${median(row.readCold).toFixed(0)} | ${median(row.readWarm).toFixed(0)} | ${median(row.modelCold).toFixed(0)} | ${median(row.modelWarm).toFixed(0)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
