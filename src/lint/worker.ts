/**
 * A lint worker thread (`--concurrency`; the pool is src/lint/parallel.ts),
 * built as its own bundle (dist/lint-worker.cjs): it claims chunks of the
 * files to lint from the queue it shares with the main thread (an index in a
 * SharedArrayBuffer, advanced with Atomics.add), and for each file posts its
 * single-file half on the port it was given, as the main thread would compute
 * it (`analyzeFile`): the `Analysis`, or the fatal result of a file that cannot
 * be read as a story. Anything thrown (an I/O error, a bug) is posted as
 * `{ index, error }`: the main thread then analyses that file itself, so the
 * error surfaces there in file order, exactly as without workers.
 */
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import type { ResolvedConfig } from '../config/types.js';
import { parseForLint, type Analysis } from './analyze.js';
import { makeResult } from './engine.js';
import { readStory } from './files.js';
import { analysisOf } from './fresh.js';
import type { LintResult } from './types.js';

/** What a worker hands back for the file at `index` of the run's file list. */
export type WorkerReply = { index: number; analysis: Analysis } | { index: number; fatal: LintResult } | { index: number; error: string };

/** What the pool gives a worker (`workerData`). */
export interface WorkerInput {
  /** Marks the data as this worker's (the bundle may be loaded elsewhere, e.g. to record its code cache). */
  planTasksLint: true;
  config: ResolvedConfig;
  /** Absolute paths, the run's files in order. */
  files: readonly string[];
  /** Int32Array over a SharedArrayBuffer: [0] the next unclaimed index. */
  queue: Int32Array;
  /** Files per claim. */
  chunk: number;
  /** The port replies go to. */
  port: MessagePort;
}

/**
 * A working-tree file's single-file half, as `lintEach` computes it without
 * the cache: read (src/lint/files.ts `readStory`), parsed for lint, the
 * single-file rules run. Throws what `readStory` throws (a UsageError on I/O).
 */
export function analyzeFile(path: string, config: ResolvedConfig): { analysis: Analysis } | { fatal: LintResult } {
  const read = readStory(path);
  if ('fatal' in read) return { fatal: makeResult(path, [read.fatal]) };
  return { analysis: analysisOf(parseForLint(read.text, path), path, config) };
}

/** The worker's loop: claim a chunk, analyse and post each file, until the queue is empty. */
function run(input: WorkerInput): void {
  const { config, files, queue, chunk, port } = input;
  for (;;) {
    const start = Atomics.add(queue, 0, chunk);
    if (start >= files.length) break;
    const end = Math.min(start + chunk, files.length);
    for (let index = start; index < end; index++) {
      let reply: WorkerReply;
      try {
        reply = { index, ...analyzeFile(files[index]!, config) };
      } catch (error) {
        reply = { index, error: String((error as Error)?.message ?? error) };
      }
      port.postMessage(reply);
    }
  }
}

if (!isMainThread && (workerData as WorkerInput | null)?.planTasksLint === true) run(workerData as WorkerInput);
