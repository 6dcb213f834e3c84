/**
 * V8's optimizing compiler on a lint run over many stories. A cold run's hot
 * functions (the scanner's line and inline readers, `buildStory`, `runRules`
 * with every rule's check) are optimized by TurboFan on a background thread,
 * and with inlining those compiles are large: `runRules` alone took 126 ms and
 * `buildStory` 141 ms of compile time in one 504-story run (`--trace-opt`), a
 * large part of the run's CPU time for code that then runs a few hundred times.
 * Without inlining each function compiles on its own, fast: 504 stories
 * 1020 -> 880 ms of CPU (-14 %), 50 stories 390 -> 330 ms, 2016 stories about
 * 3 % less, 15 stories the same (docs/BENCHMARKS.md, story 031).
 */

/** Files from which a lint run compiles without inlining (below it TurboFan hardly runs: no difference). */
export const NO_INLINING_FROM = 16;

/**
 * Turn TurboFan's inlining off for the rest of the process
 * (`--no-turbo-inlining`), and leave the few largest functions to the
 * baseline compiler (`MAX_OPTIMIZED_BYTECODE`). Only what the optimizer does changes, never what
 * the code computes. Node's docs call V8 flags set after start-up undefined
 * behaviour in general; this one is read when a function is optimized, and
 * measured to take effect on Node 20.
 *
 * Call it only once every code-cached bundle is loaded (a V8 flag changed
 * before a cached script compiles makes V8 reject that cache), and never in a
 * run that records the code cache (scripts/build.mjs records a one-story lint,
 * below NO_INLINING_FROM): a cache recorded under other flags is rejected by
 * every normal run.
 */
export async function compileWithoutInlining(): Promise<void> {
  // Imported here: node:v8 loads node:stream, which a small run does not need.
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--no-turbo-inlining');
  setFlagsFromString(`--max-optimized-bytecode-size=${MAX_OPTIMIZED_BYTECODE}`);
}

/**
 * The largest function, in bytes of V8 bytecode, that TurboFan optimizes in a
 * run over many stories (V8's own limit is 60 KB). On the lint path only
 * `buildStoryFrom` (src/story/parse.ts, about 7,000 bytes on Node 20) is
 * larger: it runs once per story, and its optimized code saved less than its
 * compile took (the largest TurboFan job of a 504-story run): 504 stories
 * about 1000 -> 870 ms of CPU, the main thread no slower
 * (docs/BENCHMARKS.md, story 031). The next largest, the scanner's `line`
 * (about 4,200) runs per line and must stay optimized.
 * `node --print-bytecode --print-bytecode-filter=NAME` prints a function's size.
 */
export const MAX_OPTIMIZED_BYTECODE = 6000;
