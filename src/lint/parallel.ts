/**
 * Parallel lint (`--concurrency`, ESLint's option and values): the
 * single-file half of each file (read, parse, single-file rules: an
 * `Analysis`) is computed on several threads, the main thread being one of
 * them; the cross-story half, lint comments, sorting and the results stay on
 * the main thread, in file order (src/lint/lint.ts).
 *
 * The files are one queue: an index in a SharedArrayBuffer that the workers
 * (src/lint/worker.ts, dist/lint-worker.cjs) and the main thread advance with
 * Atomics.add, a chunk of CHUNK files per claim, so all threads finish
 * together whatever each file costs. Unlike ESLint's design, where the main
 * thread only coordinates (no gain on a 2-core machine), here it lints too:
 * while the file whose result comes next is with a worker, it claims and
 * analyses further chunks; it waits only when the queue is empty.
 *
 * A worker posts each file's `Analysis` (structured clone: plain data) as soon
 * as it is computed. A worker that fails to start, throws or exits early never
 * loses a file: every file without a reply is analysed on the main thread, as
 * without workers, so the output is the same byte for byte. A file whose
 * analysis threw in a worker is analysed again on the main thread in its turn,
 * so its error surfaces in file order.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { WorkerInput, WorkerReply } from './worker.js';
import type { Concurrency } from './types.js';

// Declared in ./types.ts, which the public type declarations reach without Node's types.
export type { Concurrency } from './types.js';

/** The values `--concurrency` takes, as said in its error message. */
export const CONCURRENCY_VALUES = 'a positive whole number, auto or off';

/**
 * `auto` lints on one thread below this many files: below it a worker's
 * start-up and JIT warm-up cost more than its share of the files saves
 * (docs/BENCHMARKS.md, "Parallel lint").
 */
export const AUTO_MIN_FILES = 100;
/** `auto` adds a thread per this many files (ESLint's AUTO_FILES_PER_WORKER is 50, for heavier files). */
export const AUTO_FILES_PER_THREAD = 100;
/** `auto` never uses more threads than this (memory: each worker holds its own heap). */
export const AUTO_MAX_THREADS = 4;
/**
 * A worker's heap: it keeps nothing from one file to the next, so a small
 * young generation and old-generation limit hold its peak (2016 stories, two
 * threads: 175 -> 155 MB for the process). A file whose analysis needs more
 * ends the worker (ERR_WORKER_OUT_OF_MEMORY), and the pool analyses the rest
 * on the main thread, whose heap has no such limit.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 };
/** Files per claim from the shared queue. */
const CHUNK = 4;

/**
 * Read a `--concurrency` value: `off`, `auto`, or a positive whole number
 * (the number of threads that lint, the main thread included; 1 is `off`).
 * @throws UsageError for anything else (exit 2), naming the valid values
 */
export function parseConcurrency(value: string): Concurrency {
  if (value === 'off' || value === 'auto') return value;
  if (/^[1-9]\d{0,5}$/.test(value)) return Number(value);
  throw new UsageError(`Unexpected --concurrency "${value}", expected ${CONCURRENCY_VALUES}`);
}

/**
 * How many threads lint `files` files (the main thread included; 1: no
 * worker). `off`: 1. A number n: n, at most one per file and one per core
 * (`cores`): linting is CPU-bound, so a thread beyond the cores only adds its
 * heap and JIT warm-up (`--concurrency 1000` on 504 stories started 503
 * workers: 3.7 GB, 20x the CPU time). `auto`: 1 below
 * AUTO_MIN_FILES files; else one per AUTO_FILES_PER_THREAD files, at most
 * AUTO_MAX_THREADS and half the idle cores: the machine's
 * `availableParallelism()` (`cores`) less the 1-minute load average (`load`;
 * 0 where the system has none, as on Windows), halved. Half, as ESLint's
 * `auto` does (`availableParallelism() >> 1`): each linting thread keeps
 * about one more core busy with V8's background work (concurrent compiling
 * and garbage collection: half the CPU time of a one-thread 504-story run),
 * and each worker warms up its own JIT. So on 2 cores `auto` never starts a
 * worker (docs/BENCHMARKS.md, "Parallel lint").
 * @throws UsageError for a value `parseConcurrency` would not return (API callers)
 */
export function threadCount(concurrency: Concurrency, files: number, cores?: number, load?: number): number {
  if (concurrency === 'off') return 1;
  if (concurrency === 'auto') {
    if (files < AUTO_MIN_FILES) return 1;
    // node:os on first use: a one-story run does not load it.
    cores ??= process.getBuiltinModule('node:os').availableParallelism();
    load ??= process.getBuiltinModule('node:os').loadavg()[0]!;
    const idle = Math.round(cores - load);
    return Math.max(1, Math.min(Math.floor(idle / 2), AUTO_MAX_THREADS, Math.floor(files / AUTO_FILES_PER_THREAD)));
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`Unexpected concurrency ${typeof concurrency === 'string' ? JSON.stringify(concurrency) : String(concurrency)}, expected ${CONCURRENCY_VALUES}`);
  if (concurrency === 1 || files < 2) return 1;
  cores ??= process.getBuiltinModule('node:os').availableParallelism();
  return Math.max(1, Math.min(concurrency, files, cores));
}

/** The worker bundle beside the running code: dist/lint-worker.cjs from dist/*.cjs, dist/lib/*.js or src/lint/*.ts. */
function workerBundle(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'lint-worker.cjs'), join(here, '..', 'lint-worker.cjs'), join(here, '..', '..', 'dist', 'lint-worker.cjs')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** node:worker_threads, loaded on first use. */
const threads_ = (): typeof import('node:worker_threads') => process.getBuiltinModule('node:worker_threads');

/**
 * The code-cache variant (bin/code-cache.cjs `variant`) workers started from
 * now on read, once the process compiles under the optimizer flags of a lint
 * of NO_INLINING_FROM files or more (src/lint/jit.ts `optimizerFlags`,
 * `codeCacheVariant`: `noinlinelate` below 100 files, `noinline` from 100).
 * V8 flags are the process's, its workers' included, and enter the flag hash
 * V8 checks a code cache against: a cache recorded under other flags is
 * rejected and the worker compiles its bundle from source (the same code,
 * about 35 ms more CPU per worker). The build records the worker's cache
 * three ways (`lint-worker.cjs.cache`, `.noinline.cache`, `.noinlinelate.cache`).
 * From 1,000 files the heap flags of `lint` (`--heap-growing-percent=20`)
 * change the hash again: that cache is rejected too, about 1 % of such a run,
 * not recorded (a fourth 450 KB file in the package).
 */
let workerVariant: string | undefined;

/**
 * Say that this process compiles under other V8 flags from now on (flags are
 * never unset): workers read the code cache recorded under them, `variant`
 * (src/lint/jit.ts `codeCacheVariant`: `noinline` or `noinlinelate`).
 */
export function noteNoInlining(variant: string): void {
  workerVariant = variant;
}

/** A worker's bootstrap: V8's code cache for the bundle (bin/code-cache.cjs, as the CLI's bundles; the variant recorded under the run's optimizer flags), then the bundle. */
function bootstrap(bundle: string): string {
  const dist = dirname(bundle);
  const codeCache = join(dist, '..', 'bin', 'code-cache.cjs');
  const variant = workerVariant;
  return `'use strict';
try { require(${JSON.stringify(codeCache)}).useCodeCache(${JSON.stringify(dist)}${variant ? `, { variant: ${JSON.stringify(variant)} }` : ''}); } catch {}
require(${JSON.stringify(bundle)});`;
}

/**
 * The worker threads of one run and the replies they sent, by file index.
 * `T` is what the caller makes of a file (src/lint/lint.ts `Linted`).
 */
export class LintPool<T> {
  private readonly queue: Int32Array;
  private readonly results: (T | undefined)[];
  /** 1: analyse this file on the main thread in its turn (a worker's reply was an error, or an early analysis threw). */
  private readonly local: Uint8Array;
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private live = 0;
  private failed = false;
  private wake: (() => void) | null = null;
  private closed = false;

  private constructor(
    private readonly files: readonly string[],
    private readonly fromReply: (reply: Exclude<WorkerReply, { error: string }>) => T,
  ) {
    this.queue = new Int32Array(new SharedArrayBuffer(4));
    this.results = new Array<T | undefined>(files.length);
    this.local = new Uint8Array(files.length);
  }

  /**
   * Start `threads - 1` workers over `files` (absolute paths of working-tree
   * files). Returns null when there is nothing to start (one thread, or no
   * worker bundle beside the running code: a source checkout never built),
   * so the run lints in-process. `bundle`: the worker script (tests give
   * one that fails).
   */
  static start<T>(files: readonly string[], config: ResolvedConfig, threads: number, fromReply: (reply: Exclude<WorkerReply, { error: string }>) => T, bundle = workerBundle()): LintPool<T> | null {
    if (threads < 2 || files.length < 2) return null;
    if (bundle === null) return null;
    // Loaded here (process.getBuiltinModule): a one-story run never loads node:worker_threads.
    const { Worker, MessageChannel } = threads_();
    const pool = new LintPool<T>(files, fromReply);
    const code = bootstrap(bundle);
    for (let n = 1; n < threads; n++) {
      const { port1, port2 } = new MessageChannel();
      const input: WorkerInput = { planTasksLint: true, config, files, queue: pool.queue, chunk: CHUNK, port: port2 };
      let worker: Worker;
      try {
        worker = new Worker(code, { eval: true, workerData: input, transferList: [port2], stdout: true, stderr: true, resourceLimits: WORKER_HEAP });
      } catch {
        port1.close();
        pool.fail();
        break;
      }
      pool.live++;
      pool.workers.push(worker);
      pool.ports.push(port1);
      port1.on('message', (reply: WorkerReply) => pool.accept(reply));
      worker.on('error', () => pool.fail());
      worker.on('exit', (code) => {
        pool.drain();
        pool.live--;
        if (code !== 0) pool.fail();
        pool.notify();
      });
    }
    return pool;
  }

  /** The file at `index` (in turn: the caller asks for 0, 1, 2, ...), from a worker or analysed here with `analyze`. */
  async take(index: number, analyze: (index: number) => T): Promise<T> {
    for (;;) {
      this.drain();
      const done = this.results[index];
      if (done !== undefined) {
        this.results[index] = undefined;
        return done;
      }
      if (!this.failed && index >= Atomics.load(this.queue, 0)) {
        // Not claimed yet: claim the next chunk (it holds this file unless a worker was quicker).
        this.claim(analyze, index);
        continue;
      }
      // Left here by a worker (its reply was an error), or no worker will answer.
      if (this.local[index] === 1 || this.failed || this.live === 0) return analyze(index);
      // With a worker: analyse further files meanwhile, or wait for its reply.
      if (Atomics.load(this.queue, 0) < this.files.length) this.claim(analyze, -1);
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The file at `index` when a worker (or the main thread, ahead) has analysed it already, once; else undefined. */
  peek(index: number): T | undefined {
    this.drain();
    const done = this.results[index];
    this.results[index] = undefined;
    return done;
  }

  /** Forget a file the caller got elsewhere (analysed early, for another file's cross-story checks). */
  discard(index: number): void {
    this.drain();
    this.results[index] = undefined;
    this.local[index] = 0;
  }

  /** Stop every worker (a run that ended, or failed). */
  close(): void {
    this.closed = true;
    for (const worker of this.workers) void worker.terminate();
    for (const port of this.ports) port.close();
    this.workers.length = 0;
    this.ports.length = 0;
  }

  /**
   * Claim the next chunk of the queue and analyse it here. `current` is the
   * index the caller waits for (its errors propagate), -1 when the chunk is
   * analysed ahead; an analysis ahead that throws is left for its turn.
   */
  private claim(analyze: (index: number) => T, current: number): void {
    const start = Atomics.add(this.queue, 0, CHUNK);
    const end = Math.min(start + CHUNK, this.files.length);
    for (let index = start; index < end; index++) {
      if (index === current) {
        this.results[index] = analyze(index);
        continue;
      }
      try {
        this.results[index] = analyze(index);
      } catch {
        this.local[index] = 1;
      }
    }
  }

  private accept(reply: WorkerReply): void {
    if (this.failed) return;
    if ('error' in reply) this.local[reply.index] = 1;
    else this.results[reply.index] = this.fromReply(reply);
    this.notify();
  }

  /** Take the replies already sent, without waiting for the event loop. */
  private drain(): void {
    if (this.failed || this.closed) return;
    const { receiveMessageOnPort } = threads_();
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) this.accept(m.message as WorkerReply);
    }
  }

  /** A worker failed: stop them all; every file without a reply is analysed on the main thread. */
  private fail(): void {
    if (this.failed || this.closed) return;
    this.drain();
    this.failed = true;
    this.close();
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
