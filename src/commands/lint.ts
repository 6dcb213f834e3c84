/**
 * `plan-tasks lint [paths...]`: wiring only. Options -> config -> files ->
 * lint (src/lint) -> formatter (src/report) -> exit code.
 */
import { existsSync, realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { resolveFiles, storyFiles, storyMatcher } from '../lint/files.js';
import { lintEach } from '../lint/lint.js';
import { internalErrorOf } from '../lint/analyze.js';
import { codeCacheVariant, compileWithoutInlining, NO_INLINING_FROM } from '../lint/jit.js';
import { overlaySnapshot, workingTreeSnapshot } from '../lint/snapshot.js';
import { noteNoInlining, parseConcurrency, type Concurrency } from '../lint/parallel.js';
import { CACHE_STRATEGIES, resolveCacheLocation, type CacheStrategy } from '../lint/cache.js';
import type { LintResult } from '../lint/types.js';
import { FORMATS, STREAM_FORMATS } from '../report/index.js';
import type { GateOptions } from '../git/options.js';
import type { IO } from './io.js';
import { parseCommandArgs } from './args.js';
import { useColor } from './color.js';
import { visible } from '../report/visible.js';

export const LINT_HELP = `Usage: plan-tasks lint [options] [paths...]

Lint story files (default: the configured "stories" glob, docs/stories/*.md).

Options:
  --staged              lint the staged (index) versions; check transitions against HEAD
  --base <rev>          check transitions of every story changed since the merge-base with <rev>
  -f, --format <name>   stylish (default), json, github, sarif, markdown
  -o, --output <file>   write the report to a file instead of stdout
  --color, --no-color   force or turn off colour (default: on a terminal; FORCE_COLOR, NO_COLOR)
  --fix                 apply safe fixes in place (headings, status case, labels, separators)
  --max-warnings <n>    exit 1 when there are more than n warnings
  --quiet               report errors only
  -c, --config <file>   use this config file instead of discovering one
  --no-transitions      skip the git status-transition checks
  --no-error-on-unmatched-pattern
                        a stories glob or pattern that matches no file is a note on
                        stderr, not an error: with no story yet, exit 0 and an empty report
  --stdin               lint the text on standard input (with --stdin-filename)
  --stdin-filename <p>  the story file the stdin text stands for: its config, and
                        cross-story refs against the project's other stories
  --cache               only re-check stories that changed since the last run
  --cache-location <p>  cache file or directory (default: .plan-tasks-cache)
  --cache-strategy <s>  metadata (default: trust unchanged size and times) or content (hash every file)
  --concurrency <n>     threads that lint (the main one included, at most one per core):
                        a number, auto or off (default)
  --print-config [file] print the resolved config (JSON) this run would use, and lint nothing
  -h, --help            show this help

Exit codes: 0 no errors, 1 lint errors (or too many warnings), 2 usage, config or I/O error.
`;

export interface LintOptions extends GateOptions {
  paths: string[];
  staged: boolean;
  base: string | undefined;
  format: string;
  output: string | undefined;
  fix: boolean;
  maxWarnings: number | undefined;
  quiet: boolean;
  config: string | undefined;
  transitions: boolean;
  help: boolean;
  cache?: boolean;
  cacheLocation?: string;
  cacheStrategy?: CacheStrategy;
  /** `--stdin`: lint standard input as the file `stdinFilename`. */
  stdin?: boolean;
  stdinFilename?: string;
  /** `--color` (true), `--no-color` (false), or neither (undefined: decided by the terminal and environment). */
  color?: boolean;
  /** `--print-config [file]`: print the resolved config instead of linting. */
  printConfig?: boolean;
  /** `--concurrency <n|auto|off>` (ESLint's): threads that analyse the files (src/lint/parallel.ts). */
  concurrency?: Concurrency;
  /** False with `--no-error-on-unmatched-pattern` (ESLint's): a glob that matches nothing is a note, not exit 2. */
  errorOnUnmatchedPattern?: boolean;
}

export function parseLintArgs(argv: string[]): LintOptions {
  // `--max-warnings -1` (ESLint's "no limit"): a negative number is a value, not an option.
  argv = argv.flatMap((a, i) => (a === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '') ? [] : i > 0 && argv[i - 1] === '--max-warnings' && /^-\d+$/.test(a) ? [`--max-warnings=${a}`] : [a]));
  // `--print-config=FILE` (ESLint's spelling): the file is the one positional `--print-config FILE` takes.
  const end = argv.indexOf('--');
  argv = argv.flatMap((a, i) => {
    if ((end >= 0 && i > end) || !a.startsWith('--print-config=')) return [a];
    const file = a.slice('--print-config='.length);
    if (!file.trim()) throw new UsageError('Unexpected empty --print-config=, expected a story file (or --print-config alone)');
    return ['--print-config', file];
  });
  const parsed = parseCommandArgs('lint', argv, {
    staged: { type: 'boolean' },
    base: { type: 'string' },
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    fix: { type: 'boolean' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
    'no-transitions': { type: 'boolean' },
    'no-error-on-unmatched-pattern': { type: 'boolean' },
    cache: { type: 'boolean' },
    'cache-location': { type: 'string' },
    'cache-strategy': { type: 'string' },
    stdin: { type: 'boolean' },
    'stdin-filename': { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    'print-config': { type: 'boolean' },
    concurrency: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const v = parsed.values;
  const format = v.format ?? 'stylish';
  if (!FORMATS[format]) {
    throw new UsageError(`Unknown format "${format}"; expected one of ${Object.keys(FORMATS).join(', ')}`);
  }
  let maxWarnings: number | undefined;
  if (v['max-warnings'] !== undefined) {
    maxWarnings = Number(v['max-warnings']);
    if (!/^-?\d+$/.test(v['max-warnings']) ) throw new UsageError(`Invalid --max-warnings "${v['max-warnings']}"; expected a whole number`);
  }
  const concurrency = v.concurrency === undefined ? undefined : parseConcurrency(v.concurrency);
  const cacheStrategy = v['cache-strategy'] as CacheStrategy | undefined;
  if (cacheStrategy !== undefined && !CACHE_STRATEGIES.includes(cacheStrategy)) throw new UsageError(`Unexpected --cache-strategy "${cacheStrategy}", expected one of ${CACHE_STRATEGIES.join(', ')}`);
  if (v.staged && v.base !== undefined) throw new UsageError('--staged and --base cannot be used together');
  if (v.base !== undefined && !v.base.trim()) throw new UsageError('--base needs a revision, such as origin/main');
  if (v.fix && (v.staged || v.base !== undefined)) throw new UsageError('--fix cannot be combined with --staged or --base (it edits the working tree)');
  if (v['stdin-filename'] !== undefined && !v.stdin) throw new UsageError('--stdin-filename needs --stdin', 'Pipe the text in: plan-tasks lint --stdin --stdin-filename docs/stories/015-x.md < text');
  if (v.stdin) {
    if (!v['stdin-filename']?.trim()) throw new UsageError('--stdin needs --stdin-filename <path>, the story file the text stands for', 'Its name gives the story number; its folder the config and the other stories.');
    if (v.staged || v.base !== undefined) throw new UsageError('--stdin cannot be combined with --staged or --base');
    if (parsed.positionals.length) throw new UsageError(`Unexpected paths with --stdin (${parsed.positionals.join(', ')}), expected the text on standard input only`);
    if (v.cache) throw new UsageError('--stdin cannot be combined with --cache');
    // Nothing is written for piped text: the fixed text has one place to go, the JSON report's
    // `output` (ESLint's --fix-dry-run). Any other format would drop the fixes without a word.
    if (v.fix && format !== 'json') {
      throw new UsageError(`--fix with --stdin needs --format json: the fixed text is each result's "output", which the ${format} format has no place for (nothing is written)`, `Run plan-tasks lint --stdin --stdin-filename ${v['stdin-filename']} --fix --format json, and read each result's "output".`);
    }
  }
  if (v['print-config'] && parsed.positionals.length > 1) throw new UsageError('--print-config takes at most one file');
  // --print-config lints nothing: a --fix beside it would be dropped without a word.
  if (v['print-config'] && v.fix) throw new UsageError('--print-config cannot be combined with --fix (it prints the config and lints nothing)', 'Run plan-tasks lint --fix on its own.');
  // The last of --color / --no-color wins, as with ESLint's option parser.
  const optionsEnd = argv.indexOf('--');
  const colorFlags = (optionsEnd < 0 ? argv : argv.slice(0, optionsEnd)).filter((a) => a === '--color' || a === '--no-color');
  const color = colorFlags.length ? colorFlags[colorFlags.length - 1] === '--color' : undefined;
  return {
    paths: parsed.positionals,
    staged: Boolean(v.staged),
    base: v.base,
    format,
    output: v.output,
    fix: Boolean(v.fix),
    maxWarnings,
    quiet: Boolean(v.quiet),
    config: v.config,
    transitions: !v['no-transitions'],
    errorOnUnmatchedPattern: !v['no-error-on-unmatched-pattern'],
    help: Boolean(v.help),
    cache: Boolean(v.cache),
    cacheLocation: v['cache-location'],
    cacheStrategy,
    stdin: Boolean(v.stdin),
    stdinFilename: v['stdin-filename'],
    color,
    printConfig: Boolean(v['print-config']),
    concurrency,
  };
}

/**
 * The lint run the options ask for, through the one pipeline
 * (`lintEach(snapshot)`), each result handed to `onResult` in file order: the working tree (with `--fix`, `--cache`), the working
 * tree with stdin's text as one file (`--stdin`), or the change `--staged` /
 * `--base` makes (src/git/gate.ts).
 */
export async function runLint(options: LintOptions, given: ResolvedConfig | null, io: IO, onResult: (result: LintResult) => void): Promise<void> {
  if (options.staged || options.base !== undefined) {
    // Without --config, the gate reads the config of the change itself (the index, or HEAD).
    const { lintChange } = await import('../git/gate.js');
    for (const result of await lintChange(options, given, io)) onResult(result);
    return;
  }
  const config = given ?? (await loadConfig({ cwd: io.cwd }));
  if (options.stdin) {
    const file = resolve(io.cwd, options.stdinFilename!);
    if (/[\\/]$/.test(options.stdinFilename!) || isDirectory(file)) {
      throw new UsageError(`Cannot use --stdin-filename ${options.stdinFilename}: it is a directory, expected the story file the text stands for`, 'Name the file, e.g. --stdin-filename docs/stories/015-x.md');
    }
    const text = await (io.stdin ?? readStdin)();
    const snapshot = overlaySnapshot(workingTreeSnapshot(config), new Map([[file, text]]), storyMatcher(config));
    // --fix with --stdin prints the fixed text (ESLint's --fix-dry-run); nothing is written.
    return lintEach(snapshot, { config, files: [file], fix: options.fix }, onResult);
  }
  const files = resolveFiles(options.paths, config, io.cwd, options.errorOnUnmatchedPattern === false ? (m) => io.stderr(`plan-tasks: ${m}: nothing to lint there\n`) : undefined);
  // Not with --cache: a warm run parses little, and the smaller young generation costs it ~10 ms of scavenges.
  if (files.length >= BOUNDED_YOUNG_GENERATION_FROM && !options.cache) await boundHeap(files.length >= SMALL_HEAP_STEPS_FROM);
  // Many cold stories: TurboFan's inlining costs more compile time than it saves (src/lint/jit.ts).
  if (files.length >= NO_INLINING_FROM && !options.cache) {
    await compileWithoutInlining(files.length);
    // Workers (--concurrency) then read the code cache recorded under that flag (src/lint/parallel.ts).
    noteNoInlining(codeCacheVariant(files.length));
  }
  return lintEach(workingTreeSnapshot(config), {
    config,
    files,
    cacheFile: options.cache && !options.fix ? resolveCacheLocation(io.cwd, options.cacheLocation) : undefined,
    cacheStrategy: options.cacheStrategy,
    warn: (m) => io.stderr(`plan-tasks: ${m}\n`),
    fix: options.fix ? { write: (path, output, original) => writeFileAtomic(path, output, { expected: original }) } : undefined,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
  }, onResult);
}

/** `--concurrency` when not given (see README, "Parallel lint"). */
const DEFAULT_CONCURRENCY: Concurrency = 'off';

/** Files from which a lint run keeps V8's young generation at its starting size (see boundHeap). */
const BOUNDED_YOUNG_GENERATION_FROM = 100;
/** Files from which the old generation also grows in small steps (see boundHeap). */
const SMALL_HEAP_STEPS_FROM = 1000;

/**
 * `boundHeap`: a run over many stories allocates fast (every file's text, tree and Story)
 * but keeps little (summaries), so V8 keeps doubling its young generation
 * (semi-spaces up to 16 MB each on 64-bit) and promotes each file's garbage
 * into an old space it grows before collecting: 190 MB peak RSS on 2016
 * stories for 10-20 MB live. A growth factor of 1 keeps the semi-spaces at
 * their starting size: 130 MB, the same CPU time (docs/BENCHMARKS.md). Node's
 * docs call V8 flags set after start-up undefined behaviour in general; this one
 * is read when V8 decides to grow the young generation, and measured to take
 * effect on Node 20. It changes only when the heap grows, never what the run
 * computes; without it a run is the same, with more memory.
 */
async function boundHeap(smallSteps: boolean): Promise<void> {
  // Imported here: node:v8 loads node:stream, which a small run does not need.
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--semi-space-growth-factor=1');
  // From 1,000 files, the old generation's limit also grows by 20 % over what a full
  // collection leaves live (V8's default lets it grow up to 4x first): 2016 stories
  // 135-176 MB -> about 110 MB peak for about 5 % more CPU time. Below that the CPU
  // matters more (504 stories: 10 % slower for 12 MB less), so it is not set.
  if (smallSteps) setFlagsFromString('--heap-growing-percent=20');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The real path of `file`, or `file` itself when it does not exist. */
function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Write the report: atomically to a file (a full disk or a kill leaves the
 * previous report whole, never a truncated one); straight to a device or pipe
 * (`-o /dev/stdout`, `-o /dev/null`), which has no previous content to keep.
 */
function writeReport(output: string, name: string, text: string): void {
  let stats: Stats | undefined;
  try {
    stats = statSync(output);
  } catch {
    stats = undefined;
  }
  if (stats && (stats.isCharacterDevice() || stats.isFIFO() || stats.isSocket())) {
    try {
      writeFileSync(output, text);
    } catch (error) {
      throw new UsageError(`Cannot write ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return;
  }
  writeFileAtomic(output, text, { mkdir: true });
}

/** `-o` never replaces a story (the configured glob or a linted file) with a report. */
function refuseStoryOutput(name: string, output: string, stories: readonly string[]): void {
  const target = real(output);
  if (stories.some((s) => s === output || real(s) === target)) {
    throw new UsageError(`Not writing the report to ${name}: it is a story file`, 'Give -o a report file name, e.g. -o plan-tasks.sarif.');
  }
}

/** `dir`, or its nearest ancestor that exists (a new story may be in a folder not made yet). */
function existingFolder(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) return d;
    if (dirname(d) === d) return d;
  }
}

/** All of standard input, as bytes. */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new UsageError(`Cannot read standard input: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return Buffer.concat(chunks);
}

export async function lintCommand(argv: string[], io: IO): Promise<number> {
  const options = parseLintArgs(argv);
  if (options.help) {
    io.stdout(LINT_HELP);
    return 0;
  }
  // --stdin: the config is looked up from the file the text stands for (as ESLint does), so an
  // editor or agent gets the project's config whatever its working directory.
  const configCwd = options.stdin && !options.config ? existingFolder(dirname(resolve(io.cwd, options.stdinFilename!))) : io.cwd;
  // The gates without --config take the config from the change (src/git/gate.ts), not from disk.
  const gate = options.staged || options.base !== undefined;
  let config = gate && !options.config ? null : await loadConfig({ cwd: configCwd, configPath: options.config, stopAt: io.cwd });
  if (options.printConfig) {
    config ??= await (await import('../git/gate.js')).changeConfig(options, io);
    return printConfig(options, config, io);
  }
  const output = options.output === undefined ? undefined : resolve(io.cwd, options.output);
  if (output !== undefined && config) refuseStoryOutput(options.output!, output, storyFiles(config));

  const { rules } = await import('../../rules/index.js');
  const rulesMeta = Object.fromEntries(rules.map((r) => [r.meta.id, r.meta]));
  const color = options.format === 'stylish' && useColor({ flag: options.color, env: io.env, isTTY: io.isTTY, toFile: Boolean(options.output) });
  const ctx = { cwd: io.cwd, color, rulesMeta, env: io.env };
  const report = (await STREAM_FORMATS[options.format]!())(ctx);
  // The job summary needs every result (it keeps under a byte budget).
  const summary = options.format === 'github' && io.env.GITHUB_STEP_SUMMARY ? ([] as LintResult[]) : null;
  const { makeResult } = await import('../lint/engine.js');

  // Each result is formatted as the pipeline makes it and then dropped: only
  // the report's text is kept, and written once the run is complete (an I/O
  // error mid-run exits 2 without half a report on stdout).
  const chunks: string[] = [];
  const linted: string[] = [];
  let warningTotal = 0;
  let errorTotal = 0;
  // Files whose analysis hit an engine limit (src/lint/analyze.ts): in the report, and exit 2.
  const internal: { file: string; error: Error }[] = [];
  await runLint(options, config, io, (result) => {
    for (const m of result.messages) {
      const error = m.fatal ? internalErrorOf(m) : undefined;
      if (error) internal.push({ file: result.filePath, error });
    }
    warningTotal += result.warningCount;
    errorTotal += result.errorCount;
    if (output !== undefined) linted.push(result.filePath);
    if (options.quiet) result = Object.assign(makeResult(result.filePath, result.messages.filter((m) => m.severity === 2), result.suppressedMessages), result.output !== undefined ? { output: result.output } : {});
    summary?.push(result);
    const text = report.add(result);
    if (text) chunks.push(text);
  });
  if (output !== undefined) refuseStoryOutput(options.output!, output, linted);
  chunks.push(report.end());
  const text = chunks.join('');
  if (output !== undefined) {
    writeReport(output, options.output!, text);
  } else if (text) {
    io.stdout(text);
  }
  if (summary) await appendStepSummary(io.env.GITHUB_STEP_SUMMARY!, summary, { ...ctx, color: false }, io);
  if (internal.length) {
    const debug = /(?:^|,)\s*plan-tasks\b/.test(io.env.DEBUG ?? '');
    for (const { file, error } of internal) {
      io.stderr(`plan-tasks: internal error on ${visible(relative(io.cwd, file) || file)}: ${visible(error.message.split('\n')[0]!)} (the other files were linted)\n`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
    }
    if (!debug) io.stderr('Run with DEBUG=plan-tasks for details.\n');
    return 2;
  }
  if (errorTotal > 0) return 1;
  if (options.maxWarnings !== undefined && options.maxWarnings >= 0 && !options.quiet && warningTotal > options.maxWarnings) {
    io.stderr(`plan-tasks found too many warnings (maximum: ${options.maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

/**
 * `--print-config [file]` (ESLint's): the resolved config as JSON, the one a
 * lint run from here would use (`--config`, else the nearest config file from
 * the working directory up, else the built-in defaults with `configFile: null`;
 * with `--staged` / `--base`, that file as the index or HEAD holds it).
 * plan-tasks reads one config per run, so every story gets the same one; a
 * named file must exist (exit 2 otherwise), as a lint of it would need.
 */
function printConfig(options: LintOptions, config: ResolvedConfig, io: IO): number {
  const file = options.paths[0];
  if (file !== undefined && !existsSync(resolve(io.cwd, file))) throw new UsageError(`No such file: ${file}`, 'Name a story file, or omit it to print the config of this folder.');
  io.stdout(`${JSON.stringify(config, null, 2)}\n`);
  return 0;
}

/**
 * Under GitHub Actions, `--format github` also appends the Markdown report to
 * the job summary (`$GITHUB_STEP_SUMMARY`, a file per step), so the findings
 * past GitHub's annotation cap are readable on the run's page. The summary
 * keeps under GitHub's 1 MiB per step, counting what the step already wrote.
 */
async function appendStepSummary(file: string, results: LintResult[], ctx: import('../report/types.js').FormatContext, io: IO): Promise<void> {
  const { markdownReport, STEP_SUMMARY_LIMIT } = await import('../report/markdown.js');
  const { appendFileSync, statSync } = await import('node:fs');
  const path = resolve(io.cwd, file);
  try {
    let used = 0;
    try {
      used = statSync(path).size;
    } catch {
      // A step's summary file may not exist yet.
    }
    const maxBytes = Math.max(4096, STEP_SUMMARY_LIMIT - 16 * 1024 - used);
    appendFileSync(path, `${used > 0 ? '\n' : ''}${markdownReport(results, ctx, { maxBytes })}`);
  } catch (error) {
    throw new UsageError(`Cannot append the job summary to GITHUB_STEP_SUMMARY (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
