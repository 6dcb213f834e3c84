#!/usr/bin/env node
// How often the lint path's hand-written scanner (src/story/fast.ts) takes a
// story instead of micromark: for each weave story (and each historical
// version, when ../shared is present), whether `fastTree` reads it as-is and
// after `blankUnreadSections` (what the lint path feeds it), and how long the
// scanner and micromark take on the blanked text (median of --runs).
// Correctness is test/fast-parse*.test.ts's; this only counts and times.
//
//   node bench/fast-coverage.mjs
//   node bench/fast-coverage.mjs --runs 9 --list   # one line per story
//   node bench/fast-coverage.mjs --pathological    # also: generated worst cases,
//       scanner vs micromark at growing sizes (a fast path slower than
//       micromark, or throwing, shows here)
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '5' }, list: { type: 'boolean', default: false }, pathological: { type: 'boolean', default: false } } });
const RUNS = Math.max(1, Number(opts.runs) || 5);

// The sources, bundled once (no build of the whole CLI needed).
const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-fast-coverage-'));
const outfile = join(dir, 'fast.mjs');
await build({
  stdin: {
    contents: [
      "export { fastTree } from './src/story/fast.ts';",
      "export { parseMarkdown, stripBom } from './src/story/parse.ts';",
      "export { blankUnreadSections } from './src/story/sections.ts';",
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
const { fastTree, parseMarkdown, stripBom, blankUnreadSections } = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

function mdFiles(d) {
  if (!existsSync(d)) return [];
  return readdirSync(d)
    .sort()
    .flatMap((n) => (statSync(join(d, n)).isDirectory() ? mdFiles(join(d, n)) : n.endsWith('.md') ? [join(d, n)] : []));
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
function time(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const sets = [
  { name: 'weave stories', files: mdFiles(join(ROOT, 'test/fixtures/weave/stories')) },
  { name: 'weave history', files: mdFiles(join(ROOT, '../shared/corpus/weave/history')) },
];
for (const set of sets) {
  if (!set.files.length) continue;
  let asIs = 0;
  let blanked = 0;
  let fastMs = 0;
  let fullMs = 0;
  const declined = [];
  for (const file of set.files) {
    const { text } = stripBom(readFileSync(file, 'utf8'));
    const source = blankUnreadSections(text) ?? text;
    const a = fastTree(text) !== null;
    const b = fastTree(source) !== null;
    if (a) asIs++;
    if (b) blanked++;
    else declined.push(relative(ROOT, file).replace(/^\.\.\/shared\/corpus\/weave\/history\//, ''));
    const f = median(Array.from({ length: RUNS }, () => time(() => fastTree(source))));
    const m = median(Array.from({ length: RUNS }, () => time(() => parseMarkdown(source))));
    fastMs += f;
    fullMs += m;
    if (opts.list) console.log(`  ${b ? 'fast ' : 'DECL '} ${a ? 'as-is ok  ' : 'as-is decl'} ${f.toFixed(2).padStart(7)} ms vs micromark ${m.toFixed(2).padStart(7)} ms  ${relative(ROOT, file)}`);
  }
  const n = set.files.length;
  console.log(`${set.name}: ${n} files; fast path after blanking ${blanked}/${n}, as-is ${asIs}/${n}`);
  console.log(`  scanner ${fastMs.toFixed(1)} ms vs micromark ${fullMs.toFixed(1)} ms on the blanked texts (sum of medians of ${RUNS}; declined texts count the scanner's time to decline)`);
  if (declined.length) console.log(`  declined after blanking: ${declined.join(', ')}`);
}

if (opts.pathological) {
  // [name, sizes, make(n)]: sizes where micromark still answers in seconds.
  const cases = [
    ['one paragraph of N lines', [5000, 20000, 80000], (n) => 'x\n'.repeat(n)],
    ['a list item with N lazy lines', [5000, 20000], (n) => `- a\n${'b\n'.repeat(n)}`],
    ['N list items', [5000, 40000], (n) => '- x\n'.repeat(n)],
    ['N inline links in one line', [5000, 20000], (n) => `${'[a](b) '.repeat(n)}\n`],
    ['N code-span runs of mixed length', [5000, 40000], (n) => `${Array.from({ length: n }, (_, i) => '`'.repeat((i % 50) + 1)).join('a')}\n`],
    ['lists nested N deep on one line', [500, 3000], (n) => `${'- '.repeat(n)}a\n`],
    ['lists nested N deep on one line', [20000], (n) => `${'- '.repeat(n)}a\n`, 'scanner only'],
  ];
  console.log('pathological inputs (one run each; "throws" = fastTree threw):');
  for (const [name, sizes, make, only] of cases) {
    for (const n of sizes) {
      const text = make(n);
      let fast;
      const f = time(() => {
        try {
          fast = fastTree(text) === null ? 'declined' : 'tree';
        } catch (error) {
          fast = `throws ${error.name}`;
        }
      });
      const m = only ? null : time(() => parseMarkdown(text));
      console.log(`  ${name.replace('N', String(n)).padEnd(42)} scanner ${f.toFixed(0).padStart(6)} ms (${fast}), micromark ${m === null ? '(not run)' : `${m.toFixed(0).padStart(6)} ms`}`);
    }
  }
}
