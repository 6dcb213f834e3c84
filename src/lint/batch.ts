/**
 * The CLI's lint run (no `--fix`): the same messages as `lintFiles`, faster.
 * Per file, the single-file half (parse + rules) comes from the `--cache` when
 * the text is unchanged, else it is computed, on every core for many files.
 * The cross-story half then runs fresh on every run from the summaries, and
 * lint comments and sorting come last, exactly as in `lintStoryText`.
 */
import { statSync } from 'node:fs';
import type { ResolvedConfig } from '../config/types.js';
import type { Story } from '../story/model.js';
import { dependencyIds } from '../story/sections.js';
import { analyzeStory, type Analysis } from './analyze.js';
import { LintCache, hashText, metaOf, type CacheStrategy, type Meta } from './cache.js';
import { applyComments, makeResult, sortMessages } from './engine.js';
import { readStory, storyFiles } from './files.js';
import { crossStoryMessages, Project, type StorySummary } from './project.js';
import type { LintResult } from './types.js';
import { analyzeAll } from './workers.js';

export interface FastLintOptions {
  config: ResolvedConfig;
  /** The cache file to read and update (`--cache`), or none. */
  cacheFile?: string;
  /** `--cache-strategy`: trust unchanged file metadata (default), or read and hash every file. */
  cacheStrategy?: CacheStrategy;
  /** When the run started (Date.now()); files changed within RACY_MS before it get no metadata entry. Tests move it. */
  started?: number;
  /** Worker threads; default: by core count and file count. */
  workers?: number;
  /** A non-fatal problem (the cache could not be written). */
  warn?: (message: string) => void;
}

type Text = { text: string; hash: string; meta?: Meta };

/** A story's summary with its path; tasks read on use (a cached summary decodes them then). */
class SummaryWithPath implements StorySummary {
  readonly id: string | null;
  readonly status: string | null;
  readonly dependencies: string[];
  constructor(
    readonly path: string,
    private readonly summary: Analysis['summary'],
  ) {
    this.id = summary.id;
    this.status = summary.status;
    this.dependencies = summary.dependencies;
  }
  get tasks(): StorySummary['tasks'] {
    return this.summary.tasks;
  }
}
const withPath = (path: string, s: Analysis['summary']): StorySummary => new SummaryWithPath(path, s);

export async function lintFilesFast(files: readonly string[], options: FastLintOptions): Promise<LintResult[]> {
  const { config } = options;
  const cache = options.cacheFile ? LintCache.load(options.cacheFile, config, options.started) : null;
  const byMeta = cache !== null && options.cacheStrategy !== 'content';

  /** Metadata strategy: the file's metadata (taken before it is read), or undefined. */
  const metaFor = (path: string): Meta | undefined => {
    if (!byMeta) return undefined;
    try {
      return metaOf(statSync(path));
    } catch {
      return undefined; // readStory says why
    }
  };
  /** Read a file (stat first, so an edit during the run is never recorded as unchanged). */
  const readFile = (path: string, meta = metaFor(path)): Text | { fatal: LintResult } => {
    const read = readStory(path);
    if ('fatal' in read) return { fatal: makeResult(path, [read.fatal]) };
    return { text: read.text, hash: cache ? hashText(read.text) : '', meta };
  };

  // Read every file; take the cached half where the file is unchanged.
  const texts = new Map<string, Text | null>();
  const readText = (path: string) => {
    if (!texts.has(path)) {
      const read = readFile(path);
      texts.set(path, 'fatal' in read ? null : read);
    }
    return texts.get(path)!;
  };
  const analyses = new Map<string, Analysis>();
  const fatals = new Map<string, LintResult>();
  const todo: { path: string; text: string; hash: string; meta?: Meta }[] = [];
  for (const file of files) {
    const meta = metaFor(file);
    const known = meta && cache!.getByMeta(file, meta);
    if (known) {
      analyses.set(file, known);
      continue;
    }
    const read = readFile(file, meta);
    if ('fatal' in read) {
      fatals.set(file, read.fatal);
      texts.set(file, null);
      continue;
    }
    texts.set(file, read);
    const hit = cache?.get(file, read.hash, read.meta);
    if (hit) analyses.set(file, hit);
    else todo.push({ path: file, ...read });
  }
  const fresh = await analyzeAll(todo, config, options.workers);
  todo.forEach((item, i) => {
    analyses.set(item.path, fresh[i]!);
    cache?.set(item.path, item.hash, fresh[i]!, item.meta);
  });

  // Other stories of the glob are read only when a linted story reaches them.
  // A story reached only through `## Dependencies` (the story-cycle walk) is
  // read for those without the parser when a line scan can tell exactly; the
  // rest of its summary parses it on first use.
  const analyzeOther = (path: string, read: Text): Analysis => {
    let analysis = analyses.get(path);
    if (!analysis) {
      analysis = analyzeStory(read.text, path, config);
      cache?.set(path, read.hash, analysis, read.meta);
      analyses.set(path, analysis);
    }
    return analysis;
  };
  const project = new Project([...new Set([...storyFiles(config), ...files])], (path): StorySummary | null => {
    let analysis = analyses.get(path);
    if (!analysis && !texts.has(path)) {
      const meta = metaFor(path);
      analysis = meta && cache!.getByMeta(path, meta);
      if (analysis) analyses.set(path, analysis);
      else {
        const read = readFile(path, meta);
        texts.set(path, 'fatal' in read ? null : read);
      }
    }
    if (!analysis) {
      const read = readText(path);
      if (!read) return null;
      analysis = cache?.get(path, read.hash, read.meta);
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
    return withPath(path, analysis.summary);
  });
  for (const file of files) {
    const a = analyses.get(file);
    if (a) project.add(withPath(file, a.summary));
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
    const messages = a.messages.slice();
    messages.push(...crossStoryMessages(story, project, config));
    results.push(makeResult(file, sortMessages(applyComments(story, messages))));
  }

  const problem = cache?.save();
  if (problem && options.warn) options.warn(`Cannot write the cache ${cache!.file}: ${problem}; linted without it`);
  return results;
}
