/**
 * The single-file half of a lint run computed from a file's text, in one
 * place for the main thread (src/lint/lint.ts) and the lint workers
 * (src/lint/worker.ts), so both compute it with the same steps.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Story } from '../story/model.js';
import { rules as allRules } from '../../rules/index.js';
import { crossStory, type Analysis } from './analyze.js';
import { runRules } from './engine.js';
import { summarize } from './project.js';

/** The per-file product of an already parsed story (what analyzeStory returns; without `rules`, no rule messages). */
export function analysisOf(story: Story, path: string, config: ResolvedConfig, rules = true): Analysis {
  const messages = rules ? runRules(story, config, allRules) : [];
  const { path: _path, ...summary } = summarize(story, path);
  void _path;
  return { messages, story: crossStory(story), summary };
}
