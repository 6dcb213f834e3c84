/**
 * The CLI's lint run (no `--fix`): the same messages as `lintFiles`, faster.
 * Per file, the single-file half (parse + rules) comes from the `--cache` when
 * the text is unchanged, else it is computed, on every core for many files.
 * The cross-story half then runs fresh on every run from the summaries, and
 * lint comments and sorting come last, exactly as in `lintStoryText`.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Story } from '../story/model.js';
import { dependencyIds } from '../story/sections.js';
import { analyzeStory, type Analysis } from './analyze.js';
import { LintCache, hashText } from './cache.js';
import { applyComments, makeResult, sortMessages } from './engine.js';
import { readStory, storyFiles } from './files.js';
import { crossStoryMessages, Project, type StorySummary } from './project.js';
import type { LintResult } from './types.js';
import { analyzeAll } from './workers.js';

export interface FastLintOptions {
  config: ResolvedConfig;
  /** The cache file to read and update (`--cache`), or none. */
  cacheFile?: string;
  /** Worker threads; default: by core count and file count. */
  workers?: number;
  /** A non-fatal problem (the cache could not be written). */
  warn?: (message: string) => void;
}

export async function lintFilesFast(files: readonly string[], options: FastLintOptions): Promise<LintResult[]> {
  const { config } = options;
  const cache = options.cacheFile ? LintCache.load(options.cacheFile, config) : null;

  // Read every file; take the cached half where the text is unchanged.
  const texts = new Map<string, { text: string; hash: string } | null>();
  const readText = (path: string) => {
    if (!texts.has(path)) {
      const read = readStory(path);
      texts.set(path, 'fatal' in read ? null : { text: read.text, hash: cache ? hashText(read.text) : '' });
    }
    return texts.get(path)!;
  };
  const analyses = new Map<string, Analysis>();
  const fatals = new Map<string, LintResult>();
  const todo: { path: string; text: string; hash: string }[] = [];
  for (const file of files) {
    const read = readStory(file);
    if ('fatal' in read) {
      fatals.set(file, makeResult(file, [read.fatal]));
      texts.set(file, null);
      continue;
    }
    const hash = cache ? hashText(read.text) : '';
    texts.set(file, { text: read.text, hash });
    const hit = cache?.get(file, hash);
    if (hit) analyses.set(file, hit);
    else todo.push({ path: file, text: read.text, hash });
  }
  const fresh = await analyzeAll(todo, config, options.workers);
  todo.forEach((item, i) => {
    analyses.set(item.path, fresh[i]!);
    cache?.set(item.path, { hash: item.hash, ...fresh[i]! });
  });

  // Other stories of the glob are read only when a linted story reaches them.
  // A story reached only through `## Dependencies` (the story-cycle walk) is
  // read for those without the parser when a line scan can tell exactly; the
  // rest of its summary parses it on first use.
  const analyzeOther = (path: string, read: { text: string; hash: string }): Analysis => {
    let analysis = analyses.get(path);
    if (!analysis) {
      analysis = analyzeStory(read.text, path, config);
      cache?.set(path, { hash: read.hash, ...analysis });
      analyses.set(path, analysis);
    }
    return analysis;
  };
  const project = new Project([...new Set([...storyFiles(config), ...files])], (path): StorySummary | null => {
    let analysis = analyses.get(path);
    if (!analysis) {
      const read = readText(path);
      if (!read) return null;
      analysis = cache?.get(path, read.hash);
      if (analysis) analyses.set(path, analysis);
      else {
        const dependencies = dependencyIds(read.text);
        if (dependencies === null) analysis = analyzeOther(path, read);
        else {
          const full = () => analyzeOther(path, read).summary;
          return {
            path,
            dependencies,
            get id() { return full().id; },
            get status() { return full().status; },
            get tasks() { return full().tasks; },
          };
        }
      }
    }
    return { path, ...analysis.summary };
  });
  for (const file of files) {
    const a = analyses.get(file);
    if (a) project.add({ path: file, ...a.summary });
  }

  const results: LintResult[] = [];
  for (const file of files) {
    const fatal = fatals.get(file);
    if (fatal) {
      results.push(fatal);
      continue;
    }
    const a = analyses.get(file)!;
    const story = a.story as unknown as Story;
    const messages = a.messages.map((m) => ({ ...m }));
    messages.push(...crossStoryMessages(story, project, config));
    results.push(makeResult(file, sortMessages(applyComments(story, messages))));
  }

  const problem = cache?.save();
  if (problem && options.warn) options.warn(`Cannot write the cache ${cache!.file}: ${problem}; linted without it`);
  return results;
}
