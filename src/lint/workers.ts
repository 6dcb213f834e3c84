/**
 * Analyse many stories on every core: the main thread and worker threads take
 * batches from one queue, so a slow worker start-up costs nothing. Workers are
 * used only from the built CLI (dist/lint-worker.js) and only for enough files
 * to pay for their start-up; `PLAN_TASKS_WORKERS=0` turns them off (N sets the
 * number of workers; none by default, see docs/BENCHMARKS.md). Results are
 * the same as the main thread's, in order.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from '../config/types.js';
import { analyzeStory, type Analysis } from './analyze.js';

export interface AnalyzeItem {
  path: string;
  text: string;
}

/** Files per worker below which a worker's start-up is not worth it. */
const MIN_FILES_PER_WORKER = 24;
const BATCH = 4;

function workerScript(): string | null {
  for (const rel of ['../lint-worker.js', './lint-worker.js']) {
    try {
      const file = fileURLToPath(new URL(rel, import.meta.url));
      if (existsSync(file)) return file;
    } catch {
      // not a file: URL (bundled elsewhere)
    }
  }
  return null;
}

export function workerCount(files: number, env: NodeJS.ProcessEnv = process.env): number {
  const forced = env.PLAN_TASKS_WORKERS;
  // Off unless asked for: on the 2-core machines measured (docs/BENCHMARKS.md) a
  // worker gave no measurable gain on 504 stories (the spread between runs was
  // larger than any difference) and cost about 65 MB more peak memory.
  if (forced === undefined || !/^\d+$/.test(forced)) return 0;
  const max = Number(forced);
  return Math.max(0, Math.min(max, Math.floor(files / MIN_FILES_PER_WORKER)));
}

/** Analyse every item; result i belongs to item i. */
export async function analyzeAll(items: readonly AnalyzeItem[], config: ResolvedConfig, workers = workerCount(items.length)): Promise<Analysis[]> {
  const out: Analysis[] = new Array(items.length);
  const script = workers > 0 ? workerScript() : null;
  if (!script) {
    items.forEach((item, i) => (out[i] = analyzeStory(item.text, item.path, config)));
    return out;
  }
  let next = 0;
  const take = (): [number, number] | null => {
    if (next >= items.length) return null;
    const start = next;
    next = Math.min(items.length, next + BATCH);
    return [start, next];
  };
  const orphans: [number, number][] = [];
  const finished: Promise<void>[] = [];
  for (let w = 0; w < workers; w++) {
    finished.push(
      new Promise<void>((done) => {
        let worker: Worker;
        try {
          worker = new (process.getBuiltinModule('node:worker_threads').Worker)(script, { workerData: { config } });
        } catch {
          done();
          return;
        }
        let current: [number, number] | null = null;
        const send = () => {
          current = take();
          if (!current) {
            void worker.terminate();
            done();
            return;
          }
          worker.postMessage({ start: current[0], items: items.slice(current[0], current[1]) });
        };
        worker.on('message', (msg: { start: number; results: Analysis[] }) => {
          msg.results.forEach((r, k) => (out[msg.start + k] = r));
          send();
        });
        // A worker that fails hands its batch back to the main thread.
        worker.on('error', () => {
          if (current) orphans.push(current);
          current = null;
          done();
        });
        worker.on('exit', () => {
          if (current) orphans.push(current);
          current = null;
          done();
        });
        send();
      }),
    );
  }
  const run = ([a, b]: [number, number]) => {
    for (let i = a; i < b; i++) out[i] = analyzeStory(items[i]!.text, items[i]!.path, config);
  };
  for (let batch = take(); batch; batch = take()) {
    run(batch);
    // Let the workers' messages in.
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(finished);
  for (const batch of orphans) run(batch);
  return out;
}
