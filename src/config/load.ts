/**
 * Config discovery and resolution: `--config FILE`, else the nearest
 * `plan-tasks.config.json`, `.plan-tasksrc.json` or package.json `"plan-tasks"`
 * from the working directory up to the top of its git work tree. No file means the built-in defaults, with no
 * validation cost.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import { defaultConfig, DEFAULT_DOMAINS } from './defaults.js';
import type { ResolvedConfig, Severity } from './types.js';
import { checkConfig, type ConfigInput } from './check.js';
import { hours } from './duration.js';
import { defaultTransitions } from '../status/transitions.js';

export const CONFIG_FILES = ['plan-tasks.config.json', '.plan-tasksrc.json', 'package.json'] as const;

export interface FoundConfig {
  file: string;
  /** The raw JSON value (for package.json, its `"plan-tasks"` key). */
  value: unknown;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseConfigJson(text, file);
}

/** A config file's text as JSON (a BOM is allowed); `file` names it in the errors. */
export function parseConfigJson(text: string, file: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new UsageError(`Invalid JSON in config file ${file}: the file is empty, expected a JSON object such as {"stories": "docs/stories/*.md"}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const offset = Number(at[1]);
      const before = text.slice(0, offset).split('\n');
      where = ` at line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
    }
    throw new UsageError(`Invalid JSON in config file ${file}${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/**
 * Where the default story glob resolves when there is no config file: the
 * top of the enclosing git work tree (so a run from `docs/` still finds
 * `docs/stories`), else `cwd`. A `.git` entry is enough; git is not run.
 */
export function projectRoot(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

/** The top of the git work tree holding `dir` (the nearest folder with a `.git` entry), or null outside git. */
function gitTop(dir: string): string | null {
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Find the config file that applies to `cwd` (nearest first), looking from
 * `cwd` up to the top of its git work tree; outside git, up to `stopAt` (the
 * working directory, when `cwd` is a folder below it: an editor or
 * `--stdin` asks for a file's folder) or in `cwd` alone. A config or a broken
 * package.json in a folder above the repository (a home folder, a CI
 * workspace) never applies.
 */
export function findConfig(cwd: string, stopAt: string = process.cwd()): FoundConfig | null {
  let dir = resolve(cwd);
  const stop = resolve(stopAt);
  const top = gitTop(dir) ?? (dir === stop || dir.startsWith(stop.endsWith(sep) ? stop : stop + sep) ? stop : dir);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      if (!existsSync(file)) continue;
      try {
        if (!statSync(file).isFile()) continue;
      } catch {
        continue;
      }
      if (name === 'package.json') {
        const pkg = readJson(file);
        if (pkg && typeof pkg === 'object' && 'plan-tasks' in pkg) {
          return { file, value: (pkg as Record<string, unknown>)['plan-tasks'] };
        }
        continue;
      }
      return { file, value: readJson(file) };
    }
    const parent = dirname(dir);
    if (dir === top || parent === dir) return null;
    dir = parent;
  }
}

/**
 * Validate a raw config value with the zod schema; throws a UsageError naming
 * the file, each bad key and what was expected. The run's own path checks with
 * `checkConfig` first and loads the schema only for a config that fails it.
 */
export function validateConfig(schema: typeof import('./schema.js'), value: unknown, file: string): ConfigInput {
  const result = schema.configSchema.safeParse(value);
  // A "__proto__" key (JSON.parse makes it an own key) is dropped by record
  // schemas (rules, transitions) without a word: reject it at every level.
  const protoKeys = protoPaths(value);
  if (result.success && protoKeys.length === 0) return result.data;
  const problems = result.success ? [] : schema.explainIssues(result.error.issues, value);
  if (!result.success) {
    // zod skips the checks between keys when a key is wrong: add them, so every problem shows in one pass.
    const known = new Set(problems.map((p) => `${schema.formatKeyPath(p.path)}\0${p.message}`));
    for (const p of schema.crossCheck(value)) if (!known.has(`${schema.formatKeyPath(p.path)}\0${p.message}`)) problems.push(p);
  }
  const reported = new Set(problems.map((p) => schema.formatKeyPath(p.path)));
  for (const path of protoKeys) {
    if (reported.has(schema.formatKeyPath(path))) continue;
    problems.push({ path, message: `Unexpected key "__proto__", expected ${path.length === 2 && path[0] === 'rules' ? 'a rule id' : path[0] === 'transitions' ? 'a task status' : 'a config key'}` });
  }
  const lines = problems.slice(0, 20).map((p) => `  ${schema.formatKeyPath(p.path)}: ${p.message}`);
  if (problems.length > 20) lines.push(`  ... and ${problems.length - 20} more`);
  throw new UsageError(
    `Invalid config in ${file}:\n${lines.join('\n')}`,
    'See the "config" section of the plan-tasks README, or point "$schema" at node_modules/plan-tasks/schema.json for editor help.',
  );
}

/** Paths of every own `__proto__` key in a JSON value. */
function protoPaths(value: unknown, path: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  // Iterative: a deeply nested config cannot exhaust the stack.
  const work: [unknown, PropertyKey[]][] = [[value, path]];
  while (work.length) {
    const [v, p] = work.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      v.forEach((x, i) => work.push([x, [...p, i]]));
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(v, '__proto__')) out.push([...p, '__proto__']);
    for (const [k, x] of Object.entries(v)) if (k !== '__proto__') work.push([x, [...p, k]]);
  }
  return out;
}

function severityOf(value: Severity | 0 | 1 | 2): Severity {
  if (value === 0) return 'off';
  if (value === 1) return 'warn';
  if (value === 2) return 'error';
  return value;
}

/** Merge a validated config over the defaults. */
export function resolveConfig(input: ConfigInput, root: string, file: string | null): ResolvedConfig {
  const config = defaultConfig(root);
  config.configFile = file;
  if (input.stories !== undefined) config.stories = Array.isArray(input.stories) ? input.stories : [input.stories];
  if (input.domains) {
    config.domains = input.domains.map((d) =>
      typeof d === 'string'
        ? { name: d.trim(), keywords: [], paths: [] }
        : { name: d.name.trim(), keywords: d.keywords ?? [], paths: d.paths ?? [] },
    );
  }
  if (input.taskStatuses) config.taskStatuses = input.taskStatuses;
  if (input.storyStatuses) config.storyStatuses = input.storyStatuses;
  config.transitions = input.transitions ?? defaultTransitions(config.taskStatuses);
  const s = input.sizing;
  if (s) {
    if (s.sentences !== undefined) config.sizing.sentences = typeof s.sentences === 'number' ? { min: 1, max: s.sentences } : s.sentences;
    if (s.estimate) config.sizing.estimate = { min: hours(s.estimate.min), max: hours(s.estimate.max) };
    if (s.maxTasks) config.sizing.maxTasks = s.maxTasks;
    if (s.maxFiles) config.sizing.maxFiles = s.maxFiles;
    if (s.maxSteps) config.sizing.maxSteps = s.maxSteps;
  }
  for (const [id, sev] of Object.entries(input.rules ?? {})) {
    if (sev !== undefined) config.rules[id] = severityOf(sev);
  }
  return config;
}

/**
 * Load the config for a run: an explicit `--config` file, or discovery from
 * `cwd`. Paths in the config resolve against its directory.
 */
export async function loadConfig(options: { cwd?: string; configPath?: string; stopAt?: string } = {}): Promise<ResolvedConfig> {
  return loadConfigWith(options, () => import('./schema.js'));
}

/** The same, synchronously, for callers that already hold the schema module (the remark preset). */
export function loadConfigSync(schema: typeof import('./schema.js'), options: { cwd?: string; configPath?: string } = {}): ResolvedConfig {
  return loadConfigWith(options, () => schema) as ResolvedConfig;
}

function loadConfigWith(
  options: { cwd?: string; configPath?: string; stopAt?: string },
  schema: () => typeof import('./schema.js') | Promise<typeof import('./schema.js')>,
): ResolvedConfig | Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  let found: FoundConfig | null;
  if (options.configPath !== undefined && !options.configPath.trim()) {
    // Not "no config given": the lookup would silently pick another file.
    throw new UsageError('Unexpected empty config path, expected a config file such as plan-tasks.config.json');
  }
  if (options.configPath) {
    const file = resolve(cwd, options.configPath);
    if (!existsSync(file)) throw new UsageError(`Config file not found: ${file}`, 'Check the --config path (it is relative to the working directory).');
    if (!statSync(file).isFile() && !statSync(file).isDirectory()) throw new UsageError(`Cannot read config file ${file}: it is not a regular file`);
    const raw = readJson(file);
    if (basename(file) === 'package.json') {
      if (!raw || typeof raw !== 'object' || !('plan-tasks' in raw)) {
        throw new UsageError(`Missing "plan-tasks" key in ${file}, expected the config under "plan-tasks" (or a plan-tasks.config.json file)`);
      }
      found = { file, value: (raw as Record<string, unknown>)['plan-tasks'] };
    } else found = { file, value: raw };
  } else {
    found = findConfig(cwd, options.stopAt ?? cwd);
  }
  if (!found) return defaultConfig(projectRoot(cwd));
  return resolveFound(found, schema);
}

/**
 * The config a found file holds: validated, its paths resolved against the
 * file's folder. `where` says where the value was read when not from the file
 * on disk (the gates read it from git: "in the git index", "in HEAD").
 */
export async function resolveFoundConfig(found: FoundConfig, where?: string): Promise<ResolvedConfig> {
  return resolveFound(found, () => import('./schema.js'), where);
}

function resolveFound(
  found: FoundConfig,
  schema: () => typeof import('./schema.js') | Promise<typeof import('./schema.js')>,
  where?: string,
): ResolvedConfig | Promise<ResolvedConfig> {
  const { file, value } = found;
  // A valid config (the usual case) is read without zod; zod explains the rest.
  const checked = checkConfig(value);
  if (checked) return resolveConfig(checked, dirname(file), file);
  const mod = schema();
  const label = (basename(file) === 'package.json' ? `${file} ("plan-tasks" key)` : file) + (where ? ` (${where})` : '');
  const finish = (m: typeof import('./schema.js')) => resolveConfig(validateConfig(m, value, label), dirname(file), file);
  return mod instanceof Promise ? mod.then(finish) : finish(mod);
}

/** Resolved configs by file and content, for {@link configForFolder}. */
const byContent = new Map<string, ResolvedConfig>();

/**
 * The config that applies to a folder (the nearest config file from it up,
 * else the defaults), for callers that lint file by file in one process
 * (the remark preset, markdownlint rules): the lookup runs on every call, so an
 * edited or new config file is seen at once, and a config file's content is
 * validated and resolved once. Throws the UsageError of an invalid config.
 */
export function configForFolder(schema: typeof import('./schema.js'), folder: string): ResolvedConfig {
  const found = findConfig(folder);
  if (!found) return defaultConfig(projectRoot(folder));
  const key = `${found.file}\0${JSON.stringify(found.value)}`;
  let config = byContent.get(key);
  if (!config) {
    const label = basename(found.file) === 'package.json' ? `${found.file} ("plan-tasks" key)` : found.file;
    config = resolveConfig(checkConfig(found.value) ?? validateConfig(schema, found.value, label), dirname(found.file), found.file);
    byContent.set(key, config);
  }
  return config;
}

export { DEFAULT_DOMAINS };
