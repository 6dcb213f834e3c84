/**
 * Worker-thread entry (built as dist/lint-worker.js): analyses the batches of
 * story texts the main thread sends, with the config it was started with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ResolvedConfig } from '../config/types.js';
import { analyzeStory } from './analyze.js';

const config = (workerData as { config: ResolvedConfig }).config;

parentPort!.on('message', (batch: { start: number; items: { path: string; text: string }[] }) => {
  const results = batch.items.map((item) => analyzeStory(item.text, item.path, config));
  parentPort!.postMessage({ start: batch.start, results });
});
