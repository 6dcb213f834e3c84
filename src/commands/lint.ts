/**
 * `plan-tasks lint [paths...]`: wiring only. Options -> config -> files ->
 * lint (src/lint) -> formatter (src/report) -> exit code.
 */
import { realpathSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { resolveFiles, storyFiles } from '../lint/files.js';
import { lintFiles } from '../lint/run.js';
import { lintFilesFast } from '../lint/batch.js';
import { CACHE_STRATEGIES, resolveCacheLocation, type CacheStrategy } from '../lint/cache.js';
import type { LintResult } from '../lint/types.js';
import { FORMATS } from '../report/index.js';
import type { IO } from './io.js';
import { parseCommandArgs } from './args.js';

export const LINT_HELP = `Usage: plan-tasks lint [options] [paths...]

Lint story files (default: the configured "stories" glob, docs/stories/*.md).

Options:
  --staged              lint the staged (index) versions; check transitions against HEAD
  --base <rev>          check transitions of every story changed since the merge-base with <rev>
  -f, --format <name>   stylish (default), json, github, sarif
  -o, --output <file>   write the report to a file instead of stdout
  --fix                 apply safe fixes in place (headings, status case, labels, separators)
  --max-warnings <n>    exit 1 when there are more than n warnings
  --quiet               report errors only
  -c, --config <file>   use this config file instead of discovering one
  --no-transitions      skip the git status-transition checks
  --cache               only re-check stories that changed since the last run
  --cache-location <p>  cache file or directory (default: .plan-tasks-cache)
  --cache-strategy <s>  metadata (default: trust unchanged size and times) or content (hash every file)
  -h, --help            show this help

Exit codes: 0 no errors, 1 lint errors (or too many warnings), 2 usage, config or I/O error.
`;

export interface LintOptions {
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
}

export function parseLintArgs(argv: string[]): LintOptions {
  // `--max-warnings -1` (ESLint's "no limit"): a negative number is a value, not an option.
  argv = argv.flatMap((a, i) => (a === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '') ? [] : i > 0 && argv[i - 1] === '--max-warnings' && /^-\d+$/.test(a) ? [`--max-warnings=${a}`] : [a]));
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
    cache: { type: 'boolean' },
    'cache-location': { type: 'string' },
    'cache-strategy': { type: 'string' },
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
  const cacheStrategy = v['cache-strategy'] as CacheStrategy | undefined;
  if (cacheStrategy !== undefined && !CACHE_STRATEGIES.includes(cacheStrategy)) throw new UsageError(`Unexpected --cache-strategy "${cacheStrategy}", expected one of ${CACHE_STRATEGIES.join(', ')}`);
  if (v.staged && v.base !== undefined) throw new UsageError('--staged and --base cannot be used together');
  if (v.base !== undefined && !v.base.trim()) throw new UsageError('--base needs a revision, such as origin/main');
  if (v.fix && (v.staged || v.base !== undefined)) throw new UsageError('--fix cannot be combined with --staged or --base (it edits the working tree)');
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
    help: Boolean(v.help),
    cache: Boolean(v.cache),
    cacheLocation: v['cache-location'],
    cacheStrategy,
  };
}

/** Lint in git mode (`--staged` / `--base`). Provided by src/git. */
export type GitLinter = (options: LintOptions, config: ResolvedConfig, io: IO) => Promise<LintResult[]>;

export async function runLint(options: LintOptions, config: ResolvedConfig, io: IO): Promise<LintResult[]> {
  if (options.staged || options.base !== undefined) {
    const { lintGit } = (await import('../git/lint.js')) as { lintGit: GitLinter };
    return lintGit(options, config, io);
  }
  const files = resolveFiles(options.paths, config, io.cwd);
  if (!options.fix) {
    const cacheFile = options.cache ? resolveCacheLocation(io.cwd, options.cacheLocation) : undefined;
    return lintFilesFast(files, { config, cacheFile, cacheStrategy: options.cacheStrategy, warn: (m) => io.stderr(`plan-tasks: ${m}\n`) });
  }
  return lintFiles(files, {
    config,
    fix: options.fix,
    write: (path, output, original) => writeFileAtomic(path, output, { expected: original }),
  });
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

export async function lintCommand(argv: string[], io: IO): Promise<number> {
  const options = parseLintArgs(argv);
  if (options.help) {
    io.stdout(LINT_HELP);
    return 0;
  }
  const config = await loadConfig({ cwd: io.cwd, configPath: options.config });
  const output = options.output === undefined ? undefined : resolve(io.cwd, options.output);
  if (output !== undefined) refuseStoryOutput(options.output!, output, storyFiles(config));
  let results = await runLint(options, config, io);
  if (output !== undefined) refuseStoryOutput(options.output!, output, results.map((r) => r.filePath));

  const warningTotal = results.reduce((n, r) => n + r.warningCount, 0);
  const errorTotal = results.reduce((n, r) => n + r.errorCount, 0);
  if (options.quiet) {
    const { makeResult } = await import('../lint/engine.js');
    results = results.map((r) => Object.assign(makeResult(r.filePath, r.messages.filter((m) => m.severity === 2)), r.output !== undefined ? { output: r.output } : {}));
  }
  const formatter = await FORMATS[options.format]!();
  const { rules } = await import('../../rules/index.js');
  const { transitionRules } = await import('../git/rules/index.js');
  const { storyDependencyMeta } = await import('../lint/project.js');
  const rulesMeta = Object.fromEntries([...rules, ...transitionRules, { meta: storyDependencyMeta }].map((r) => [r.meta.id, r.meta]));
  const text = formatter(results, { cwd: io.cwd, color: io.isTTY && !options.output && !io.env.NO_COLOR && options.format === 'stylish', rulesMeta, env: io.env });
  if (output !== undefined) {
    writeReport(output, options.output!, text);
  } else if (text) {
    io.stdout(text);
  }
  if (errorTotal > 0) return 1;
  if (options.maxWarnings !== undefined && options.maxWarnings >= 0 && !options.quiet && warningTotal > options.maxWarnings) {
    io.stderr(`plan-tasks found too many warnings (maximum: ${options.maxWarnings}).\n`);
    return 1;
  }
  return 0;
}
