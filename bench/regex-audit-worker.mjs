// Worker for bench/regex.mjs: pumps attack strings through one regex and
// reports how its time grows with the input. Runs in a worker so that an
// exponential pattern can be stopped (the parent terminates it on a timeout).
import { parentPort, workerData } from 'node:worker_threads';

const { source, flags, small, large } = workerData;
const re = new RegExp(source, flags);

// Attack strings: prefix + pump repeated + suffix. The pumps are the characters
// and pairs that story text is made of; the prefixes reach into the patterns
// this project uses (fields, headings, refs); the suffixes force a failure.
const chars = [' ', '\t', ':', '-', '*', '_', '#', '`', 'a', 'A', '1', '/', '.', ',', '|', '(', ')', '[', ']', '!', '\n', '\r', '<', '>', '~', '&', '+', 'é', "'", '"', '@', '=', '\u2028'];
const pumps = [...chars];
for (const a of [' ', ':', '-', 'a', '1', '/', '.', '`', '*', '_', '|', '\n', 'A', '(']) for (const b of chars) if (a !== b) pumps.push(a + b);
pumps.push('a1', 'aA_', 'a/', 'a.', '001, ', '001 ', 'and ', ' and', 'story 001 ', '**a:** ', '- ', ' -', '001-', 'to ', 'from x ', '(a', 'Status: ', '<!--', '-->', 'e.g. ');
const prefixes = ['', '**a:** ', 'Status: ', '### 001: ', 'story 001', '001', '`', '- [ ] ', 'from x ', ' ', '<!-- lint disable'];
const suffixes = ['', '!', '\n\u0001'];

const run = (input) => {
  re.lastIndex = 0;
  const t0 = performance.now();
  if (re.global) input.replace(re, '');
  else re.exec(input);
  return performance.now() - t0;
};
const make = (c, n) => c.prefix + c.pump.repeat(Math.ceil(n / c.pump.length)) + c.suffix;

// Stage 1: every attack at the small size; keep the slowest few.
const all = [];
for (const prefix of prefixes) for (const pump of pumps) for (const suffix of suffixes) {
  const c = { prefix, pump, suffix };
  all.push({ c, ms: run(make(c, small)) });
}
all.sort((a, b) => b.ms - a.ms);

// Stage 2: re-time the slowest at the small and large size (best of 3) and
// report the worst growth. Linear code grows by large/small; quadratic by its square.
let worst = { ratio: 0 };
for (const { c } of all.slice(0, 6)) {
  const a = make(c, small);
  const b = make(c, large);
  const ta = Math.min(run(a), run(a), run(a));
  const tb = Math.min(run(b), run(b), run(b));
  const ratio = tb / Math.max(ta, 0.005);
  if (tb > (worst.msLarge ?? 0) || ratio > worst.ratio) {
    if (tb > (worst.msLarge ?? 0)) worst = { ratio, msSmall: ta, msLarge: tb, ...c };
  }
}
parentPort.postMessage(worst);
