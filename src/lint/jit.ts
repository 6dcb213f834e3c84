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
 *
 * Even so TurboFan's compiles were a third of a 50-story run's CPU time and
 * 300-400 ms of a 504-story run's (`perf`, background threads), so two more
 * limits: the largest function is left to the baseline compiler
 * (`MAX_OPTIMIZED_BYTECODE`), and a run of fewer than `LATE_TIER_UP_BELOW`
 * files optimizes later (`LATE_INTERRUPT_BUDGET`): few of its functions run
 * long enough for their optimized code to pay for its compile.
 */

/** Files from which a lint run compiles without inlining (below it TurboFan hardly runs: no difference). */
export const NO_INLINING_FROM = 16;

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

/** Files below which (from NO_INLINING_FROM) a run optimizes later (LATE_INTERRUPT_BUDGET). */
export const LATE_TIER_UP_BELOW = 100;

/**
 * V8's interrupt budget (`--interrupt-budget`, bytecode executed between two
 * looks at whether a function is hot; Node 20's default is 67,584) for a run of
 * NO_INLINING_FROM to LATE_TIER_UP_BELOW files: six times the default, so a
 * function is optimized after six times the work. 20 and 50 stories: about
 * 20 % less CPU time (TurboFan's background compiles 120 -> 45 ms on 50), the
 * main thread the same within 4 %; from about 120 stories the main thread gets
 * 10 % slower (fewer functions optimized in time), so larger runs keep the
 * default (docs/BENCHMARKS.md, story 031).
 */
export const LATE_INTERRUPT_BUDGET = 405504;

/**
 * Set the optimizing compiler up for a lint run over `files` files (at least
 * NO_INLINING_FROM): TurboFan's inlining off for the rest of the process
 * (`--no-turbo-inlining`), the largest functions left to the baseline compiler
 * (`MAX_OPTIMIZED_BYTECODE`), and below LATE_TIER_UP_BELOW files a later
 * tier-up (`LATE_INTERRUPT_BUDGET`). Only what the optimizer does and when
 * changes, never what the code computes. Node's docs call V8 flags set after
 * start-up undefined behaviour in general; these are read when V8 decides to
 * optimize a function or optimizes it, and measured to take effect on Node 20.
 *
 * Call it only once every code-cached bundle is loaded (a V8 flag changed
 * before a cached script compiles makes V8 reject that cache), and never in a
 * run that records the code cache (scripts/build.mjs records a one-story lint,
 * below NO_INLINING_FROM): a cache recorded under other flags is rejected by
 * every normal run.
 */
export async function compileWithoutInlining(files: number): Promise<void> {
  // Imported here: node:v8 loads node:stream, which a small run does not need.
  const { setFlagsFromString } = await import('node:v8');
  for (const flag of optimizerFlags(files)) setFlagsFromString(flag);
}

/**
 * The V8 flags `compileWithoutInlining(files)` sets, in order. They enter the
 * flag hash V8 checks a code cache against, so scripts/build.mjs records the
 * lint worker's code cache under each set (`codeCacheVariant`): keep the two in
 * step (test/parallel.test.ts checks that a worker's cache is accepted).
 */
export function optimizerFlags(files: number): string[] {
  const flags = ['--no-turbo-inlining', `--max-optimized-bytecode-size=${MAX_OPTIMIZED_BYTECODE}`];
  if (files < LATE_TIER_UP_BELOW) flags.push(`--interrupt-budget=${LATE_INTERRUPT_BUDGET}`);
  return flags;
}

/**
 * The name of the code-cache variant recorded under `optimizerFlags(files)`
 * (bin/code-cache.cjs `variant`: `dist/lint-worker.cjs.NAME.cache`):
 * `noinlinelate` below LATE_TIER_UP_BELOW files, else `noinline`.
 */
export function codeCacheVariant(files: number): 'noinline' | 'noinlinelate' {
  return files < LATE_TIER_UP_BELOW ? 'noinlinelate' : 'noinline';
}
