#!/usr/bin/env node
// Whether the lint-only parse still pays for itself: the 504-story corpus
// parsed for lint and run through the single-file rules, with the sections no
// enabled rule reads blanked first (what `parseForLint` does) and without
// (the whole text to the scanner / micromark). CPU time of this process
// (user + system, `process.cpuUsage`), the two ways alternating, median of
// --runs; the ratio is what counts on a shared machine.
//
//   node bench/sections.mjs [--runs 7]
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Math.max(1, Number(opts.runs) || 7);

const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-sections-'));
const outfile = join(dir, 'b.mjs');
await build({
  stdin: {
    contents: [
      "export { fastTree } from './src/story/fast.ts';",
      "export { buildStory, parseMarkdown, stripBom } from './src/story/parse.ts';",
      "export { parseForLint } from './src/lint/analyze.ts';",
      "export { runRules } from './src/lint/engine.ts';",
      "export { rules } from './rules/index.ts';",
      "export { defaultConfig } from './src/config/defaults.ts';",
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
const corpora = buildCorpora(dir);
const storiesDir = join(corpora.manyRoot, 'docs', 'stories');
const files = readdirSync(storiesDir).sort().map((n) => [join(storiesDir, n), readFileSync(join(storiesDir, n), 'utf8')]);
rmSync(dir, { recursive: true, force: true });
const config = m.defaultConfig(ROOT);

const full = (raw, path) => {
  const { text, bom } = m.stripBom(raw);
  return m.buildStory(m.fastTree(text) ?? m.parseMarkdown(text), text, path, bom);
};
const ways = {
  blanked: (raw, path) => m.parseForLint(raw, path, config),
  whole: full,
};
const cpu = (fn) => {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
};
const times = { blanked: [], whole: [] };
let sink = 0;
for (let r = 0; r < RUNS + 1; r++) {
  for (const name of r % 2 ? ['whole', 'blanked'] : ['blanked', 'whole']) {
    const ms = cpu(() => {
      for (const [path, text] of files) sink += m.runRules(ways[name](text, path), config, m.rules).length;
    });
    if (r > 0) times[name].push(ms); // the first round warms up the JIT
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const b = median(times.blanked);
const w = median(times.whole);
console.log(`${files.length} stories, ${RUNS} runs each, CPU ms (median): blanked ${b.toFixed(0)}, whole ${w.toFixed(0)}, blanked/whole ${(b / w).toFixed(2)} (${sink > 0 ? 'rules ran' : ''})`);
