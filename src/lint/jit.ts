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
 * (`--no-turbo-inlining`). Only what the optimizer does changes, never what
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
}
