/**
 * `plan-tasks lint --cache`: a cache like ESLint's. One JSON file (default
 * `.plan-tasks-cache`) maps each linted file to its per-file Analysis
 * (single-file messages, cross-story data, summary), the SHA-1 of its text and
 * the file's metadata (size, mtime, ctime, inode) when it was read.
 *
 * `--cache-strategy metadata` (the default, as ESLint's): an entry whose file
 * has the recorded size, mtime, ctime and inode is used without reading the
 * file; when any of them differs (a `touch`, a checkout, a copy), the file is
 * read and its hash decides, and a matching hash only refreshes the metadata.
 * `--cache-strategy content`: every file is read and hashed.
 *
 * The metadata strategy trusts the file system's clock. An edit leaves the
 * same size, mtime and ctime only when it lands in the same timestamp tick as
 * the read that filled the entry, so an entry for a file changed within
 * RACY_MS of the run that read it is stored without metadata and checked by
 * hash next time (git's "racily clean" entries). ctime cannot be set from user
 * space, so tools that restore an old mtime (`cp -p`, `rsync -t`, `touch -d`,
 * unpacking an archive) still cause a hash check. What remains: a clock set
 * backwards, or a network file system whose clock is far behind this
 * machine's; there, use `--cache-strategy content`.
 *
 * The whole file is valid for one cache format, plan-tasks version and
 * resolved config; anything else (missing, corrupt, other version or config)
 * reads as empty, and a malformed entry is a miss. Cross-story checks are
 * never cached: they run on every run from the summaries, so a change in
 * another story is always seen. Written atomically (temp file + rename), safe
 * to delete.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic.js';
import { UsageError } from '../errors.js';
import { basename, dirname, join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import type { LintComment, Span } from '../story/model.js';
import type { Analysis, CrossStory } from './analyze.js';
import type { StorySummary } from './project.js';
import type { LintMessage } from './types.js';

declare const PLAN_TASKS_VERSION: string;

export const DEFAULT_CACHE_FILE = '.plan-tasks-cache';
export type CacheStrategy = 'metadata' | 'content';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];
export const CACHE_FORMAT = 5;
const FORMAT = CACHE_FORMAT;
/** A file changed this recently (ms) before a run is checked by hash on the next run. */
export const RACY_MS = 2000;

export function hashText(text: string): string {
  // node:crypto on first use (process.getBuiltinModule: an import would load it with every CLI run).
  return process.getBuiltinModule('node:crypto').createHash('sha1').update(text).digest('base64');
}

/** What the cache is valid for: the format, the version and the resolved config (compared whole). */
export function cacheKey(config: ResolvedConfig, version = typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : 'dev'): string {
  return JSON.stringify([FORMAT, version, config]);
}

/** `--cache-location`: a file, or a directory (existing, or written with a trailing slash) to hold `.plan-tasks-cache`. */
export function resolveCacheLocation(cwd: string, location: string | undefined): string {
  if (!location) return resolve(cwd, DEFAULT_CACHE_FILE);
  const abs = resolve(cwd, location);
  let isDir = /[\\/]$/.test(location);
  if (!isDir) {
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      isDir = false;
    }
  }
  return isDir ? join(abs, DEFAULT_CACHE_FILE) : abs;
}

// --- the file format ---------------------------------------------------------
//
// Lines, each JSON (JSON.stringify never writes a raw newline):
//   {"format":4,"key":"[4,version,config]","base":N}    header (N: see compactAfter)
//   ["message text", "rule-id", ...]                     the string table
//   "/abs/story.md"                                      then per file: its path,
//   ENTRY                                                and its entry
// Unchanged entries are written back as the lines they were read from, so a
// run that re-lints one story writes one new line, not the whole cache.
// Flat arrays, so that loading allocates few objects (parse time and garbage
// collection of a warm run are mostly the number of objects, not bytes):
// ENTRY    [META|0, HASH, MESSAGES, STORY, SUMMARY]
// META     [size, mtimeMs, ctimeMs, ino]; 0 when the file changed too recently to trust it
// MESSAGES ruleId, severity, message, line, column, endLine, endColumn, FIX|0, ... (8 per message;
//          ruleId and message are indexes into the string table: most messages repeat across stories)
// FIX      [start, end, text]
// STORY    [id, DEPS, COMMENTS, TASKS]
// DEPS     story, raw, SPAN, ...                          (8 per `## Dependencies` ref)
// COMMENTS [[kind, [id, ...], [SPAN], [SPAN]|0], ...]     (lint comments; rare)
// TASKS    id, SPAN, status, n, n * (raw|0, task, story|0, SPAN), ...   (heading span, status value,
//          refs; raw 0 when it is the task id)
// SUMMARY  [id, status, [story, ...], STASKS]
// STASKS   id, status, n, n * (story|0, task), ...
// SPAN     line, column, offset, endLine - line, endColumn, endOffset - offset (six numbers in place)
//
// The cross-story checks and lint comments read of a task only its id,
// heading span, status value and refs (src/lint/project.ts, engine.ts), so
// the status is stored as its value; the equivalence tests (test/cache.test.ts)
// compare every message with a plain run.

/** The first 4 KB of a file (its first line, for isCacheFile). */
function headOf(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `file` holding `bytes` may be replaced by a cache: a file named
 * `.plan-tasks-cache` (the name is ours: a corrupt one is rebuilt), an empty
 * file, or one whose first line is a plan-tasks cache header (any format
 * version: a JSON object with a numeric `format` and a string `key`, or its
 * start). Anything else (a README, a config) is never replaced by
 * `--cache-location`.
 */
export function isCacheFile(file: string, bytes: Buffer | string): boolean {
  if (basename(file) === DEFAULT_CACHE_FILE || bytes.length === 0) return true;
  if (/^\{"format":\d/.test(typeof bytes === 'string' ? bytes.slice(0, 16) : bytes.toString('latin1', 0, 16))) return true;
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8', 0, Math.min(bytes.length, 1 << 20));
  let nl = text.indexOf('\n');
  if (nl === -1) nl = text.length;
  try {
    const header = JSON.parse(text.slice(0, nl)) as unknown;
    return typeof header === 'object' && header !== null && !Array.isArray(header) && typeof (header as { format?: unknown }).format === 'number' && typeof (header as { key?: unknown }).key === 'string';
  } catch {
    return false;
  }
}

/** File metadata as the cache records it. */
export type Meta = [size: number, mtimeMs: number, ctimeMs: number, ino: number];
type Packed = [Meta | 0, string, unknown[], unknown[], unknown[]];

export function metaOf(stats: Stats): Meta {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

const sameMeta = (a: unknown, b: Meta) =>
  Array.isArray(a) && a.length === 4 && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/** Malformed data: the entry is a miss. */
class Bad extends Error {}
const fail = (): never => {
  throw new Bad('malformed cache entry');
};
const str = (v: unknown): string => (typeof v === 'string' ? v : fail());
const num = (v: unknown): number => (typeof v === 'number' ? v : fail());
const strOrNull = (v: unknown): string | null => (v === null ? null : str(v));
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : fail());

/** A span as six numbers, the end relative to the start (short numbers: most spans are on one line). */
function pushSpan(out: unknown[], s: Span): void {
  out.push(s.start.line, s.start.column, s.start.offset, s.end.line - s.start.line, s.end.column, s.end.offset - s.start.offset);
}
/** The span of six numbers at a[i]. */
function spanAt(a: unknown[], i: number): Span {
  const line = a[i] as number;
  const offset = a[i + 2] as number;
  return {
    start: { line, column: a[i + 1] as number, offset },
    end: { line: line + (a[i + 3] as number), column: a[i + 4] as number, offset: offset + (a[i + 5] as number) },
  };
}
function checkSpan(a: unknown[], i: number): void {
  for (let k = i; k < i + 6; k++) num(a[k]);
}

const MESSAGE_KEYS = new Set(['ruleId', 'severity', 'message', 'note', 'line', 'column', 'endLine', 'endColumn', 'fix']);
/** Slots per packed message: ruleId, severity, message, line, column, endLine, endColumn, fix, note. */
const SLOTS = 9;

/** Message texts and rule ids, each stored once per cache file. */
class Strings {
  private readonly index = new Map<string, number>();
  constructor(readonly list: string[] = []) {}
  id(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      if (this.index.size === 0) this.list.forEach((t, k) => this.index.set(t, k));
      i = this.index.get(text);
      if (i === undefined) {
        i = this.list.push(text) - 1;
        this.index.set(text, i);
      }
    }
    return i;
  }
}

function packMessages(messages: readonly LintMessage[], strings: Strings): unknown[] | null {
  const out: unknown[] = [];
  for (const m of messages) {
    if (typeof m.ruleId !== 'string' || !Object.keys(m).every((k) => MESSAGE_KEYS.has(k))) return null;
    out.push(strings.id(m.ruleId), m.severity, strings.id(m.message), m.line, m.column, m.endLine, m.endColumn, m.fix ? [m.fix.range[0], m.fix.range[1], m.fix.text] : 0, m.note ? strings.id(m.note) + 1 : 0);
  }
  return out;
}
function unpackMessages(v: unknown, strings: readonly string[]): LintMessage[] {
  const a = arr(v);
  if (a.length % SLOTS !== 0) fail();
  const text = (i: unknown) => str(strings[num(i)]);
  const out: LintMessage[] = [];
  for (let i = 0; i < a.length; i += SLOTS) {
    const severity = a[i + 1];
    if (severity !== 1 && severity !== 2) fail();
    // The key order of toMessage (src/lint/engine.ts).
    const note = num(a[i + 8]);
    const m: LintMessage = {
      ruleId: text(a[i]),
      severity: severity as 1 | 2,
      message: text(a[i + 2]),
      ...(note !== 0 ? { note: text(note - 1) } : {}),
      line: num(a[i + 3]),
      column: num(a[i + 4]),
      endLine: num(a[i + 5]),
      endColumn: num(a[i + 6]),
    };
    const fix = a[i + 7];
    if (fix !== 0) {
      const f = arr(fix);
      if (f.length !== 3) fail();
      m.fix = { range: [num(f[0]), num(f[1])], text: str(f[2]) };
    }
    out.push(m);
  }
  return out;
}

/** A packed entry's messages with their strings moved to another table (on save). */
function reindexMessages(v: unknown[], from: readonly string[], to: Strings): unknown[] {
  const out = v.slice();
  if (out.length % SLOTS !== 0) fail();
  for (let i = 0; i < out.length; i += SLOTS) {
    out[i] = to.id(str(from[num(out[i])]));
    out[i + 2] = to.id(str(from[num(out[i + 2])]));
    const note = num(out[i + 8]);
    if (note !== 0) out[i + 8] = to.id(str(from[note - 1])) + 1;
  }
  return out;
}

type CrossTask = CrossStory['tasks'][number];
type CrossRef = CrossTask['depends'][number];

/** A task ref read from the cache; its span is built when read (most are never). */
class CachedRef {
  declare story?: string;
  constructor(
    readonly raw: string,
    readonly task: string,
    story: string | undefined,
    private readonly at: unknown[],
    private readonly i: number,
  ) {
    if (story !== undefined) this.story = story;
  }
  get span(): Span {
    return spanAt(this.at, this.i);
  }
}

/** A task read from the cache: id and refs; heading span and status built when read (most are never). */
class CachedTask {
  constructor(
    readonly id: string | null,
    private readonly value: string | null,
    readonly depends: CrossRef[],
    private readonly at: unknown[],
    private readonly i: number,
  ) {}
  get heading(): { span: Span } {
    return { span: spanAt(this.at, this.i) };
  }
  /** Only the status value is stored (what statusConflict reads). */
  get status(): CrossTask['status'] {
    return this.value === null ? null : ({ value: this.value } as CrossTask['status']);
  }
}

/** A `## Dependencies` ref read from the cache; its span built when read. */
class CachedStoryRef {
  constructor(
    readonly story: string,
    readonly raw: string,
    private readonly at: unknown[],
    private readonly i: number,
  ) {}
  get span(): Span {
    return spanAt(this.at, this.i);
  }
}

function packStory(s: CrossStory): unknown[] {
  const deps: unknown[] = [];
  for (const d of s.dependencies) {
    deps.push(d.story, d.raw);
    pushSpan(deps, d.span);
  }
  const tasks: unknown[] = [];
  for (const t of s.tasks) {
    tasks.push(t.id);
    pushSpan(tasks, t.heading.span);
    tasks.push(t.status ? t.status.value : null, t.depends.length);
    for (const r of t.depends) {
      tasks.push(r.raw === r.task ? 0 : r.raw, r.task, r.story ?? 0);
      pushSpan(tasks, r.span);
    }
  }
  const comments = s.comments.map((c) => {
    const span: unknown[] = [];
    pushSpan(span, c.span);
    const target: unknown[] = [];
    if (c.target) pushSpan(target, c.target);
    return [c.kind, c.ids, span, c.target ? target : 0];
  });
  return [s.id, deps, comments, tasks];
}

function unpackComment(v: unknown): LintComment {
  const a = arr(v);
  if (a.length !== 4 || (a[0] !== 'disable' && a[0] !== 'enable' && a[0] !== 'ignore')) fail();
  const span = arr(a[2]);
  checkSpan(span, 0);
  let target: Span | null = null;
  if (a[3] !== 0) {
    const t = arr(a[3]);
    checkSpan(t, 0);
    target = spanAt(t, 0);
  }
  return { kind: a[0] as LintComment['kind'], ids: arr(a[1]).map(str), span: spanAt(span, 0), target };
}

function unpackStory(v: unknown): CrossStory {
  const a = arr(v);
  if (a.length !== 4) fail();
  const deps = arr(a[1]);
  if (deps.length % 8 !== 0) fail();
  const dependencies: CrossStory['dependencies'] = [];
  for (let i = 0; i < deps.length; i += 8) {
    checkSpan(deps, i + 2);
    dependencies.push(new CachedStoryRef(str(deps[i]), str(deps[i + 1]), deps, i + 2));
  }
  const t = arr(a[3]);
  const tasks: CrossTask[] = [];
  for (let i = 0; i < t.length; ) {
    const id = strOrNull(t[i]);
    checkSpan(t, i + 1);
    const at = i + 1;
    const value = strOrNull(t[i + 7]);
    const n = num(t[i + 8]);
    i += 9;
    const depends: CrossRef[] = [];
    for (let k = 0; k < n; k++, i += 9) {
      checkSpan(t, i + 3);
      const story = t[i + 2] === 0 ? undefined : str(t[i + 2]);
      const task = str(t[i + 1]);
      depends.push(new CachedRef(t[i] === 0 ? task : str(t[i]), task, story, t, i + 3) as CrossRef);
    }
    if (i > t.length) fail();
    tasks.push(new CachedTask(id, value, depends, t, at) as unknown as CrossTask);
  }
  return { id: strOrNull(a[0]), dependencies, comments: arr(a[2]).map(unpackComment), tasks };
}

type Summary = Analysis['summary'];
function packSummary(s: Summary): unknown[] {
  const tasks: unknown[] = [];
  for (const t of s.tasks) {
    tasks.push(t.id, t.status, t.depends.length);
    for (const r of t.depends) tasks.push(r.story ?? 0, r.task);
  }
  return [s.id, s.status, s.dependencies, tasks];
}
/** A summary read from the cache: its tasks (read by other stories' refs only) decoded on first use. */
class CachedSummary implements Summary {
  private decoded: Summary['tasks'] | undefined;
  constructor(
    readonly id: string | null,
    readonly status: string | null,
    readonly dependencies: string[],
    private readonly packed: unknown[],
  ) {}
  get tasks(): Summary['tasks'] {
    return (this.decoded ??= decodeSummaryTasks(this.packed));
  }
}
function decodeSummaryTasks(t: unknown[]): Summary['tasks'] {
  const tasks: StorySummary['tasks'] = [];
  for (let i = 0; i < t.length; ) {
    const id = str(t[i]);
    const status = strOrNull(t[i + 1]);
    const n = num(t[i + 2]);
    i += 3;
    const depends: StorySummary['tasks'][number]['depends'] = [];
    for (let k = 0; k < n; k++, i += 2) depends.push(t[i] === 0 ? { task: str(t[i + 1]) } : { story: str(t[i]), task: str(t[i + 1]) });
    if (i > t.length) fail();
    tasks.push({ id, status, depends });
  }
  return tasks;
}
/** Checks the packed tasks' shape now (a malformed entry is a miss), decodes them on first use. */
function checkSummaryTasks(t: unknown[]): void {
  for (let i = 0; i < t.length; ) {
    str(t[i]);
    strOrNull(t[i + 1]);
    const n = num(t[i + 2]);
    i += 3;
    for (let k = 0; k < n; k++, i += 2) {
      if (t[i] !== 0) str(t[i]);
      str(t[i + 1]);
    }
    if (i > t.length) fail();
  }
}
function unpackSummary(v: unknown): Summary {
  const a = arr(v);
  if (a.length !== 4) fail();
  const t = arr(a[3]);
  checkSummaryTasks(t);
  return new CachedSummary(strOrNull(a[0]), strOrNull(a[1]), arr(a[2]).map(str), t);
}

/** The entry for an Analysis, or null when it holds something the format cannot (then it is not cached). */
function packAnalysis(meta: Meta | 0, hash: string, a: Analysis, strings: Strings): Packed | null {
  const messages = packMessages(a.messages, strings);
  return messages && [meta, hash, messages, packStory(a.story), packSummary(a.summary)];
}

/** The Analysis of a packed entry, or undefined when it is malformed. */
function unpackAnalysis(entry: unknown, strings: readonly string[]): Analysis | undefined {
  try {
    const e = arr(entry);
    if (e.length !== 5) fail();
    return { messages: unpackMessages(e[2], strings), story: unpackStory(e[3]), summary: unpackSummary(e[4]) };
  } catch (error) {
    if (error instanceof Bad) return undefined;
    throw error;
  }
}

// --- the cache ----------------------------------------------------------------

/** One file's entry: its line as read (reused as is on save), parsed on first use. */
interface Slot {
  line: string | null;
  /** Parsed or new; null when the line is malformed; undefined until parsed. */
  packed?: Packed | null;
}

/** The string table is rewritten without unused strings when it has grown past this (new strings since the last rewrite). */
const compactAfter = (base: number) => 2 * base + 256;

export class LintCache {
  private readonly slots = new Map<string, Slot>();
  /** The table the entries' message strings index (loaded, then grown by new entries). */
  private strings = new Strings();
  /** The table's size when it was last rewritten without unused strings. */
  private base = 0;
  /** Entries looked at or written in this run (the rest are checked for existence on save). */
  private readonly seen = new Set<string>();
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly key: string,
    /** Date.now() when the run started: metadata of files changed since RACY_MS before it is not recorded. */
    private readonly started: number,
  ) {}

  /**
   * Load the cache for this config; a missing, corrupt or stale file is an
   * empty cache. The file is lines: a header, the string table, then a path
   * line and an ENTRY line per file (JSON each; JSON never holds a raw newline).
   */
  static load(file: string, config: ResolvedConfig, started = Date.now()): LintCache {
    const cache = new LintCache(file, cacheKey(config), started);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      cache.dirty = existsSync(file);
      return cache;
    }
    if (!isCacheFile(file, text)) {
      throw new UsageError(`Not using ${file} as the cache: it is not a plan-tasks cache, and would be overwritten`, 'Choose another --cache-location (a new file, a folder, or an existing plan-tasks cache).');
    }
    let pos = 0;
    const line = (): string | null => {
      if (pos >= text.length) return null;
      let nl = text.indexOf('\n', pos);
      if (nl === -1) nl = text.length;
      const l = text.slice(pos, nl);
      pos = nl + 1;
      return l;
    };
    try {
      const header = JSON.parse(line() ?? '') as { format?: unknown; key?: unknown; base?: unknown } | null;
      const strings = JSON.parse(line() ?? '') as unknown;
      if (header && header.format === FORMAT && header.key === cache.key && typeof header.base === 'number' && Array.isArray(strings)) {
        cache.strings = new Strings(strings as string[]);
        cache.base = header.base;
        for (let path = line(); path !== null; path = line()) {
          const entry = line();
          const name = JSON.parse(path) as unknown;
          if (typeof name !== 'string' || entry === null) break;
          cache.slots.set(name, { line: entry });
        }
        return cache;
      }
    } catch {
      // corrupt: replaced below (entries read so far are kept; each is checked on use)
      if (cache.slots.size > 0) {
        cache.dirty = true;
        return cache;
      }
    }
    cache.slots.clear();
    cache.strings = new Strings();
    cache.dirty = true;
    return cache;
  }

  private entry(path: string): Packed | undefined {
    this.seen.add(path);
    const slot = this.slots.get(path);
    if (!slot) return undefined;
    if (slot.packed === undefined) {
      try {
        const e = JSON.parse(slot.line!) as unknown;
        slot.packed = Array.isArray(e) && e.length === 5 ? (e as Packed) : null;
      } catch {
        slot.packed = null;
      }
    }
    return slot.packed ?? undefined;
  }

  /** Metadata strategy: the entry when the file's metadata is the recorded one, without reading it. */
  getByMeta(path: string, meta: Meta): Analysis | undefined {
    const e = this.entry(path);
    if (!e || !sameMeta(e[0], meta)) return undefined;
    return unpackAnalysis(e, this.strings.list);
  }

  /**
   * Content: the entry for a file whose text has this hash. With metadata,
   * a hit records the file's current metadata (a `touch` costs one hash, once).
   */
  get(path: string, hash: string, meta?: Meta): Analysis | undefined {
    const e = this.entry(path);
    if (!e || e[1] !== hash) return undefined;
    const analysis = unpackAnalysis(e, this.strings.list);
    const trusted = analysis && meta ? this.trusted(meta) : 0;
    if (trusted !== 0 && !sameMeta(e[0], trusted)) {
      this.slots.set(path, { line: null, packed: [trusted, e[1], e[2], e[3], e[4]] });
      this.dirty = true;
    }
    return analysis;
  }

  set(path: string, hash: string, analysis: Analysis, meta?: Meta): void {
    this.seen.add(path);
    const packed = packAnalysis(meta ? this.trusted(meta) : 0, hash, analysis, this.strings);
    if (packed) this.slots.set(path, { line: null, packed });
    else this.slots.delete(path);
    this.dirty = true;
  }

  /** The metadata to record: none for a file changed too recently to rule out a same-tick edit. */
  private trusted(meta: Meta): Meta | 0 {
    return Math.max(meta[1], meta[2]) >= this.started - RACY_MS ? 0 : meta;
  }

  /**
   * Write the cache if it changed (temp file + rename). Unchanged entries are
   * written as they were read; entries of files gone are dropped; the string
   * table is rewritten without unused strings once it has grown enough.
   * Returns an error message, or null.
   */
  save(): string | null {
    if (!this.dirty) return null;
    const compact = this.strings.list.length > compactAfter(this.base);
    const strings = compact ? new Strings() : this.strings;
    const lines: string[] = [];
    for (const [path, slot] of this.slots) {
      if (!this.seen.has(path) && !existsSync(path)) continue;
      if (slot.line !== null && !compact) {
        lines.push(JSON.stringify(path), slot.line);
        continue;
      }
      const e = this.entry(path);
      if (!e) continue; // malformed: dropped
      try {
        const packed = compact ? [e[0], e[1], reindexMessages(arr(e[2]), this.strings.list, strings), e[3], e[4]] : e;
        lines.push(JSON.stringify(path), JSON.stringify(packed));
      } catch {
        // malformed messages: dropped
      }
    }
    const header = JSON.stringify({ format: FORMAT, key: this.key, base: compact ? strings.list.length : this.base });
    const text = `${header}\n${JSON.stringify(strings.list)}\n${lines.length ? `${lines.join('\n')}\n` : ''}`;
    try {
      writeFileAtomic(this.file, text, { mkdir: true, check: (target) => (target && !isCacheFile(target, headOf(target)) ? 'it is not a plan-tasks cache (only a cache file is replaced; choose another --cache-location)' : null) });
      this.dirty = false;
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
