/**
 * The one lint pipeline. Every caller goes through `lint(snapshot, options)`:
 * a plain run and `--cache` (the working tree), `--fix`, `--stdin` (the working
 * tree with one file's text replaced), `--staged` / `--base` (the index, a git
 * tree; src/git/gate.ts), and the public API.
 *
 * Per file, in order, the single-file half (parse + rules, an `Analysis`)
 * comes from the `--cache` when the text is unchanged, else it is computed.
 * The cross-story half then runs fresh from the summaries of the snapshot's
 * other stories, which are read only when a linted story reaches them. Lint
 * comments and sorting come last, and the file's result goes out
 * (`lintEach`) before the next file is read: only summaries stay.
 */
import { resolve } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import type { Rule } from '../rules/types.js';
import type { Story } from '../story/model.js';
import { parseStory } from '../story/parse.js';
import { dependencyIds } from '../story/sections.js';
import { rules as allRules } from '../../rules/index.js';
import { analyzeStory, crossStory, engineFailure, isEngineLimit, parseForLint, type Analysis } from './analyze.js';
import { LintCache, hashText } from './cache.js';
import { applyComments, crossStoryMessages, makeResult, runRules, sortMessages } from './engine.js';
import { applyFixes } from './fix.js';
import { analysisOf } from './fresh.js';
import { Project, summarize, type StorySummary } from './project.js';
import { readStory, storyMatcher } from './files.js';
import { overlaySnapshot, workingTreeSnapshot, type Snapshot } from './snapshot.js';
import { LintPool, threadCount } from './parallel.js';
import type { CacheStrategy, Concurrency, LintMessage, LintResult, Meta, SuppressedLintMessage } from './types.js';

/** Options of `lint(snapshot, options)`. */
export interface ProjectLintOptions {
  config: ResolvedConfig;
  /** The files to lint and report (absolute paths); default: every story of the snapshot. */
  files?: readonly string[];
  /** `--cache`: the cache file to read and update. Only snapshots with `meta` or text hashes use it. */
  cacheFile?: string;
  /** `--cache-strategy`: trust unchanged file metadata (default), or read and hash every file. */
  cacheStrategy?: CacheStrategy;
  /** When the run started (Date.now()); files changed within RACY_MS before it get no metadata entry. Tests move it. */
  started?: number;
  /**
   * `--fix`: apply fixes pass by pass and hand each changed file to `write`
   * (the CLI writes it atomically; the API may only want `result.output`).
   */
  fix?: boolean | { write: (path: string, output: string, original: string) => void };
  /**
   * More messages for a linted file from its full Story (git's transition
   * rules); lint comments apply to them too. With it, files are analysed
   * without the cache.
   */
  extra?: (path: string, story: Story) => LintMessage[];
  /**
   * false: report only the cross-story findings (no single-file rules, no
   * cache). The gates use it for untouched stories, whose bytes and config are
   * the same before and after a change, so their single-file findings are too.
   */
  singleFileRules?: boolean;
  /**
   * Summaries of the stories linted files reach, by path with the text they
   * came from, shared between runs over two snapshots of one project (the
   * gates lint untouched stories in the old and the new one): a story whose
   * text is the same is not parsed again.
   */
  shared?: Map<string, { text: string; analysis: Analysis }>;
  /** A non-fatal problem (the cache could not be written). */
  warn?: (message: string) => void;
  /**
   * ESLint's `concurrency`: how many threads analyse the files (read, parse,
   * single-file rules), the main thread included: `off` (default), a number,
   * or `auto` (by the number of files and cores; src/lint/parallel.ts
   * `threadCount`). Only a lint of a `workingTreeSnapshot` (files read from
   * disk) without `cacheFile`, `fix`, `extra` or `singleFileRules: false`
   * uses workers; the results are the same either way, in the same order.
   * Throws a UsageError for a number that is not a positive whole number.
   */
  concurrency?: Concurrency;
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

/**
 * A linted file's single-file half, until its result is made: the analysis,
 * and what only some runs need (the text for `--fix`, the full Story for
 * `extra`); or the fatal result of a file that cannot be read as a story.
 */
type Linted = { fatal: LintResult } | { analysis: Analysis; text?: string; story?: Story };

/**
 * Lint a project snapshot: one `LintResult` (ESLint's shape) per file of
 * `options.files` (default: every story of the snapshot), in that order. A file
 * that cannot be read as a story is a result with one fatal message, never a
 * skip. Throws a UsageError on an I/O failure (exit 2). The array form of
 * `lintEach`.
 */
export async function lint(snapshot: Snapshot, options: ProjectLintOptions): Promise<LintResult[]> {
  const results: LintResult[] = [];
  await lintEach(snapshot, options, (result) => {
    results.push(result);
  });
  return results;
}

/**
 * `lint`, streaming: hands each file's `LintResult` to `onResult` as soon as
 * it is final, in the order of `options.files`, and keeps of a file only its
 * `StorySummary` once its result is out (text, tree, Story and messages are
 * released), so memory grows with the number of stories by their summaries
 * alone. A story another file reaches before its turn is analysed then and
 * kept until its result is made. The cache (when asked for) is written after
 * the last result. Errors as `lint`; `onResult` may be async (awaited).
 */
export async function lintEach(snapshot: Snapshot, options: ProjectLintOptions, onResult: (result: LintResult) => void | Promise<void>): Promise<void> {
  const { config } = options;
  const files = options.files ?? snapshot.files;
  const inProcess = options.extra !== undefined || options.singleFileRules === false;
  const cache = options.cacheFile && !inProcess ? LintCache.load(options.cacheFile, config, options.started) : null;
  const byMeta = cache !== null && options.cacheStrategy !== 'content' && snapshot.meta !== undefined;
  const metaFor = (path: string): Meta | undefined => (byMeta ? snapshot.meta!(path) : undefined);
  const rules = options.singleFileRules !== false;

  // Read a file (metadata first, so an edit during the run is never recorded as unchanged).
  const readText = (path: string, meta = metaFor(path)): Text | { fatal: LintMessage } => {
    const read = snapshot.read(path);
    return 'fatal' in read ? read : { text: read.text, hash: cache ? hashText(read.text) : '', meta };
  };

  // The single-file half of a file to lint: from the cache where the file is unchanged, else fresh.
  const analyzeLinted = (file: string): Linted => {
    const meta = metaFor(file);
    const known = meta && cache!.getByMeta(file, meta);
    if (known && !options.fix) return { analysis: known };
    const read = readText(file, meta);
    if ('fatal' in read) return { fatal: makeResult(file, [read.fatal]) };
    const keep = options.fix ? { text: read.text } : {};
    if (known) return { analysis: known, ...keep };
    const hit = cache?.get(file, read.hash, read.meta);
    if (hit) return { analysis: hit, ...keep };
    let story: Story, analysis: Analysis;
    try {
      story = parseForLint(read.text, file);
      analysis = analysisOf(story, file, config, rules);
    } catch (error) {
      // The safety net: an engine limit (the stack, an array or string length) on this file's
      // data is this file's fatal message, and the run goes on (the CLI exits 2).
      if (!isEngineLimit(error)) throw error;
      return { fatal: makeResult(file, [engineFailure(error)]) };
    }
    cache?.set(file, read.hash, analysis, read.meta);
    return { analysis, ...keep, ...(options.extra ? { story } : {}) };
  };

  // With --concurrency, the single-file half of the files to lint is computed on
  // several threads (src/lint/parallel.ts): only for the working tree read from
  // disk, without the cache, --fix or extra messages, which stay in-process.
  const threads = options.concurrency === undefined ? 1 : threadCount(options.concurrency, files.length);
  const parallel = threads > 1 && !inProcess && !cache && !options.fix && snapshot.read === readStory;
  const pool = parallel ? LintPool.start<Linted>(files, config, threads, (r) => ('analysis' in r ? { analysis: r.analysis } : { fatal: r.fatal })) : null;
  const indexOf = pool ? new Map(files.map((f, i) => [f, i])) : null;

  // Files to lint that another file reached before their turn.
  const ahead = new Map<string, Linted>();
  const toLint = new Set(files);

  // Other stories of the snapshot are read only when a linted story reaches them.
  // A story reached only through `## Dependencies` (the story-cycle walk) is
  // read for those without the parser when a line scan can tell exactly; the
  // rest of its summary parses it on first use.
  // Only the summary of such a story is read: its rules run only to fill the cache.
  const analyzeOther = (path: string, read: Text): Analysis => {
    const known = options.shared?.get(path);
    if (known && known.text === read.text) return known.analysis;
    if (cache) {
      const analysis = analyzeStory(read.text, path, config);
      cache.set(path, read.hash, analysis, read.meta);
      return analysis;
    }
    const analysis = analysisOf(parseForLint(read.text, path), path, config, false);
    options.shared?.set(path, { text: read.text, analysis });
    return analysis;
  };
  const project = new Project(snapshot.files, (path): StorySummary | null => {
    if (toLint.has(path)) {
      let linted = ahead.get(path);
      if (!linted) ahead.set(path, (linted = (pool && pool.peek(indexOf!.get(path)!)) || analyzeLinted(path)));
      return 'fatal' in linted ? null : withPath(path, linted.analysis.summary);
    }
    const meta = metaFor(path);
    let analysis = meta && cache!.getByMeta(path, meta);
    if (!analysis) {
      const read = readText(path, meta);
      if ('fatal' in read) return null;
      analysis = cache?.get(path, read.hash, read.meta);
      if (!analysis) {
        const dependencies = dependencyIds(read.text);
        if (dependencies === null) {
          try {
            analysis = analyzeOther(path, read);
          } catch (error) {
            if (!isEngineLimit(error)) throw error;
            return null; // unreadable, as a file that cannot be decoded; it gets its own message in its turn
          }
        }
        else {
          let summary: Analysis['summary'] | undefined;
          const full = () => (summary ??= analyzeOther(path, read).summary);
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
  }, files);

  try {
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      let linted = ahead.get(file);
      if (linted) {
        ahead.delete(file);
        pool?.discard(index);
      } else linted = pool ? await pool.take(index, (i) => analyzeLinted(files[i]!)) : analyzeLinted(file);
      if ('fatal' in linted) {
        await onResult(linted.fatal);
        continue;
      }
      const a = linted.analysis;
      project.add(withPath(file, a.summary));
      let result: LintResult;
      try {
        const story = a.story as unknown as Story;
        const messages = a.messages.slice();
        // Loops, not push(...): a story with 400,000 refs gives as many messages, beyond what a spread can pass.
        for (const m of crossStoryMessages(story, project, config, file)) messages.push(m);
        if (linted.story && options.extra) for (const m of options.extra(file, linted.story)) messages.push(m);
        const suppressed: SuppressedLintMessage[] = [];
        result = makeResult(file, sortMessages(applyComments(story, messages, suppressed)), sortMessages(suppressed) as SuppressedLintMessage[]);
        if (options.fix && result.messages.some((m) => m.fix)) {
          const original = linted.text!;
          const { output, lint: fixed } = fixStoryText(original, file, { config, project, sectionsOnly: true });
          result = makeResult(file, fixed.messages, fixed.suppressed);
          if (output !== original) {
            result.output = output;
            if (typeof options.fix === 'object') options.fix.write(file, output, original);
          }
        }
      } catch (error) {
        if (!isEngineLimit(error)) throw error;
        result = makeResult(file, [engineFailure(error)]);
      }
      linted = undefined;
      await onResult(result);
    }
  } finally {
    pool?.close();
  }

  const problem = cache?.save();
  if (problem && options.warn) options.warn(`Cannot write the cache ${cache!.file}: ${problem}; linted without it`);
}

/** Options of `lintText`. */
export interface TextLintOptions {
  config: ResolvedConfig;
  /** `--fix`: return the fixed text as `result.output` (nothing is written). */
  fix?: boolean;
}

/**
 * Lint unsaved text as the story file `filePath` (absolute, or relative to
 * `process.cwd()`, as ESLint's `lintText` resolves it), with cross-story
 * refs and duplicate story numbers resolved against the rest of the working
 * tree (the configured glob), as `plan-tasks lint --stdin --stdin-filename`
 * does: the file on disk at that path is the one the text replaces. Returns
 * one LintResult (`filePath` absolute); with `fix`, `output` holds the fixed
 * text when it differs. Throws a UsageError when another story cannot be read (I/O).
 */
export async function lintText(text: string | Uint8Array, filePath: string, options: TextLintOptions): Promise<LintResult> {
  // A relative path resolved: kept as given, it named a second file beside the one on disk (story-id-unique with itself).
  filePath = resolve(filePath);
  const snapshot = overlaySnapshot(workingTreeSnapshot(options.config), new Map([[filePath, text]]), storyMatcher(options.config));
  const [result] = await lint(snapshot, { config: options.config, files: [filePath], fix: options.fix });
  return result!;
}

/** Options of `lintStoryText` / `fixStoryText`. */
export interface LintTextOptions {
  config: ResolvedConfig;
  /** The stories of the project, for cross-story checks; without it they are skipped. */
  project?: Project;
  rules?: readonly Rule[];
  /**
   * Parse only the sections the rules read (same positions and messages, less
   * work); the returned Story then has no criteria or open questions.
   */
  sectionsOnly?: boolean;
}

export interface TextLint {
  story: Story;
  messages: LintMessage[];
  /** The messages lint comments silenced (ESLint's `suppressedMessages`), sorted as `messages`. */
  suppressed: SuppressedLintMessage[];
}

/**
 * Lint one story's text in memory, synchronously: single-file rules, the
 * cross-story checks against `options.project` (when given), lint comments.
 * The same steps `lint` composes per file; for whole projects use `lint` or
 * `lintText`.
 */
export function lintStoryText(text: string, path: string | undefined, options: LintTextOptions): TextLint {
  const story = options.sectionsOnly && path ? parseForLint(text, path, options.config, options.rules ?? allRules) : parseStory(text, path);
  let messages = runRules(story, options.config, options.rules ?? allRules);
  if (options.project && path) {
    options.project.add(summarize(story, path));
    for (const m of crossStoryMessages(story, options.project, options.config, path)) messages.push(m);
  }
  const suppressed: SuppressedLintMessage[] = [];
  messages = sortMessages(applyComments(story, messages, suppressed));
  return { story, messages, suppressed: sortMessages(suppressed) as SuppressedLintMessage[] };
}

const MAX_FIX_PASSES = 10;

/** Apply fixes pass by pass (like ESLint) until none is left or nothing changes. */
export function fixStoryText(text: string, path: string | undefined, options: LintTextOptions): { output: string; lint: TextLint } {
  let current = text;
  let lint = lintStoryText(current, path, options);
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = lint.messages.filter((m) => m.fix).map((m) => m.fix!);
    if (fixes.length === 0) break;
    const bom = lint.story.bom ? '\ufeff' : '';
    const { text: next } = applyFixes(lint.story.text, fixes);
    if (bom + next === current) break;
    current = bom + next;
    lint = lintStoryText(current, path, options);
  }
  return { output: current, lint };
}

/**
 * A Project over the working tree's stories (plus `extra` files), for
 * `lintStoryText` and the scaffolder: summaries read and parsed on first use.
 */
export function makeProject(config: ResolvedConfig, extra: readonly string[] = []): Project {
  const snapshot = workingTreeSnapshot(config);
  return new Project(
    snapshot.files,
    (p) => {
      const read = snapshot.read(p);
      if ('fatal' in read) return null;
      return summarize(parseStory(read.text, p), p);
    },
    extra,
  );
}
