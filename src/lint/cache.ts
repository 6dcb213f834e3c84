/**
 * `plan-tasks lint --cache`: a cache like ESLint's. One file (default
 * `.plan-tasks-cache`) maps each linted file to its per-file `Analysis`
 * (single-file messages, the parts of the Story the cross-story checks read,
 * the summary), the SHA-1 of its text and the file's metadata (size, mtime,
 * ctime, inode) when it was read.
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
 * The format is JSON lines (one JSON value a line; JSON never holds a raw
 * newline):
 *
 *     {"format":7,"key":"<SHA-1>"}                       the header
 *     {"file":"/abs/001-x.md","meta":[size,mtimeMs,ctimeMs,ino]|null,"hash":"<SHA-1 of the text>",
 *      "analysis":{"messages":[...],"notes":[...],"story":{...},"summary":{...}}}   one line per file
 *
 * `analysis` is the `Analysis` of src/lint/analyze.ts as JSON: messages as
 * tuples with each note text once (`StoredMessage`), the summary as is, the cross-story part with each span as
 * `[line, column, offset, endLine, endColumn, endOffset]` (`StoredStory`). The whole
 * file is valid for one `key`: the SHA-1 of the format, the plan-tasks build
 * (its version and the bytes of the running bundle, so a rebuilt dist never
 * reuses another build's entries) and the resolved config. Anything else
 * (missing, corrupt, other format, build or config) reads as empty; an entry
 * that is not the shape above is a miss (checked on use). Cross-story checks
 * are never cached: they run on every run from the summaries, so a change in
 * another story is always seen. A later line for a file replaces an earlier
 * one: a run that only adds or replaces entries appends their lines to the file
 * it read (under the lock, only while the file is still the one read; a write
 * cut short leaves a last line without its newline, which the next run drops).
 * Otherwise (entries to drop, a damaged or stale file, replaced lines past a
 * quarter of the entries) the file is rewritten, unchanged entries as the lines
 * they were read from, atomically under a lock (writeFileAtomic), only over a
 * plan-tasks cache. Safe to delete.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { appendFileLocked, writeFileAtomic } from '../fs/atomic.js';
import type { LintComment, Span } from '../story/model.js';
import type { Analysis, CrossStory } from './analyze.js';
import type { LintMessage } from './types.js';

declare const PLAN_TASKS_VERSION: string;

export const DEFAULT_CACHE_FILE = '.plan-tasks-cache';
export type CacheStrategy = 'metadata' | 'content';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];
/** The version of the file format (the header's `format`). */
export const CACHE_FORMAT = 7;
/** A file changed this recently (ms) before a run is checked by hash on the next run. */
export const RACY_MS = 2000;

/** SHA-1 of a text (UTF-8), base64. */
export function hashText(text: string | Buffer): string {
  // node:crypto on first use (process.getBuiltinModule: an import would load it with every CLI run).
  return process.getBuiltinModule('node:crypto').createHash('sha1').update(text).digest('base64');
}

let build: string | undefined;
/**
 * The plan-tasks build this code belongs to: its version and, when it runs
 * from a built bundle (`dist/*.js`, which holds every rule), the SHA-1 of that
 * bundle's bytes; from the TypeScript sources (tests), the version alone.
 */
export function buildId(): string {
  if (build !== undefined) return build;
  const version = typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : 'dev';
  build = version;
  try {
    const self = fileURLToPath(import.meta.url);
    if (/\.c?js$/.test(self)) build = `${version}+${hashText(readFileSync(self))}`;
  } catch {
    // not a file (bundled elsewhere): the version alone
  }
  return build;
}

/** What a cache file is valid for: the SHA-1 of the format, the build and the resolved config. */
export function cacheKey(config: ResolvedConfig, build = buildId()): string {
  return hashText(JSON.stringify([CACHE_FORMAT, build, config]));
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
    return isObject(header) && typeof header.format === 'number' && typeof header.key === 'string';
  } catch {
    return false;
  }
}

/** File metadata as the cache records it. */
export type Meta = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

export function metaOf(stats: Stats): Meta {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

const sameMeta = (a: Meta | null, b: Meta) => a !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/** A span as the file stores it: `[line, column, offset, endLine, endColumn, endOffset]` (a quarter of the bytes of the object). */
export type SpanTuple = [line: number, column: number, offset: number, endLine: number, endColumn: number, endOffset: number];
const toTuple = (s: Span): SpanTuple => [s.start.line, s.start.column, s.start.offset, s.end.line, s.end.column, s.end.offset];
const toSpan = (t: SpanTuple): Span => ({ start: { line: t[0], column: t[1], offset: t[2] }, end: { line: t[3], column: t[4], offset: t[5] } });

/** `CrossStory` (src/lint/analyze.ts) as the file stores it: spans as tuples, a task's heading as its span, its status as its value. */
export interface StoredStory {
  id: string | null;
  dependencies: { story: string; raw: string; span: SpanTuple }[];
  comments: { kind: LintComment['kind']; ids: string[]; span: SpanTuple; target: SpanTuple | null }[];
  tasks: { id: string | null; heading: SpanTuple; status: string | null; depends: { raw: string; task: string; story?: string; span: SpanTuple }[] }[];
}

/** One line of the cache file after the header. */
export interface CacheEntry {
  /** The story file (absolute path). */
  file: string;
  /** Its metadata when read; null when it changed too recently to trust (RACY_MS). */
  meta: Meta | null;
  /** SHA-1 of its text (hashText). */
  hash: string;
  analysis: { messages: StoredMessage[]; notes: string[]; story: StoredStory; summary: Analysis['summary'] };
}

/**
 * A message as the file stores it: `[ruleId, severity, message, note, line, column, endLine,
 * endColumn]`, then `fixStart, fixEnd, fixText` when it has a fix; `note` is an index into
 * the entry's `notes` (each note text once per file: one rule's note repeats at each of its
 * findings), or -1. A third of the bytes of ESLint's objects.
 */
export type StoredMessage = [ruleId: string, severity: 1 | 2, message: string, note: number, line: number, column: number, endLine: number, endColumn: number, fixStart?: number, fixEnd?: number, fixText?: string];

/** The keys a cached message may have (a rule finding's; never `fatal`: fatal results are not cached). */
const MESSAGE_KEYS = new Set(['ruleId', 'severity', 'message', 'note', 'line', 'column', 'endLine', 'endColumn', 'fix']);

/** Messages as stored, or null when one has something the format has no place for. */
function storeMessages(messages: readonly LintMessage[]): { messages: StoredMessage[]; notes: string[] } | null {
  const notes: string[] = [];
  const index = new Map<string, number>();
  const out: StoredMessage[] = [];
  for (const m of messages) {
    for (const key in m) if (!MESSAGE_KEYS.has(key)) return null;
    if (typeof m.ruleId !== 'string' || (m.severity !== 1 && m.severity !== 2)) return null;
    let note = -1;
    if (m.note !== undefined) {
      note = index.get(m.note) ?? -1;
      if (note === -1) index.set(m.note, (note = notes.push(m.note) - 1));
    }
    const t: StoredMessage = [m.ruleId, m.severity, m.message, note, m.line, m.column, m.endLine!, m.endColumn!];
    if (m.fix) t.push(m.fix.range[0], m.fix.range[1], m.fix.text);
    out.push(t);
  }
  return { messages: out, notes };
}

/** ESLint's message objects again, with the keys in the order `toMessage` (src/lint/engine.ts) writes them. */
function readMessages(messages: readonly StoredMessage[], notes: readonly string[]): LintMessage[] {
  return messages.map((t) => {
    const m: LintMessage = { ruleId: t[0], severity: t[1], message: t[2], ...(t[3] >= 0 ? { note: notes[t[3]]! } : {}), line: t[4], column: t[5], endLine: t[6], endColumn: t[7] };
    if (t.length === 11) m.fix = { range: [t[8]!, t[9]!], text: t[10]! };
    return m;
  });
}

function storeStory(s: CrossStory): StoredStory {
  return {
    id: s.id,
    dependencies: s.dependencies.map((d) => ({ story: d.story, raw: d.raw, span: toTuple(d.span) })),
    comments: s.comments.map((c) => ({ kind: c.kind, ids: c.ids, span: toTuple(c.span), target: c.target && toTuple(c.target) })),
    tasks: s.tasks.map((t) => ({
      id: t.id,
      heading: toTuple(t.heading.span),
      status: t.status && t.status.value,
      depends: t.depends.map((r) => ({ raw: r.raw, task: r.task, ...(r.story !== undefined ? { story: r.story } : {}), span: toTuple(r.span) })),
    })),
  };
}

function readStory(s: StoredStory): CrossStory {
  return {
    id: s.id,
    dependencies: s.dependencies.map((d) => ({ story: d.story, raw: d.raw, span: toSpan(d.span) })),
    comments: s.comments.map((c) => ({ kind: c.kind, ids: c.ids, span: toSpan(c.span), target: c.target && toSpan(c.target) })),
    tasks: s.tasks.map((t) => ({
      id: t.id,
      heading: { span: toSpan(t.heading) },
      status: t.status === null ? null : { value: t.status },
      depends: t.depends.map((r) => ({ raw: r.raw, task: r.task, ...(r.story !== undefined ? { story: r.story } : {}), span: toSpan(r.span) })),
    })),
  };
}

// --- the shape check: what is read back is what was written, or a miss -------

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown) => v === null || isStr(v);
const isArrayOf = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.every(item);
const isSpan = (v: unknown): v is SpanTuple => Array.isArray(v) && v.length === 6 && v.every(isNum);
const isMeta = (v: unknown): v is Meta => Array.isArray(v) && v.length === 4 && v.every(isNum);

/** A stored message whose note index points into `notes`. */
function isStoredMessage(v: unknown, notes: number): v is StoredMessage {
  if (!Array.isArray(v) || (v.length !== 8 && v.length !== 11)) return false;
  const note = v[3];
  return (
    isStr(v[0]) && (v[1] === 1 || v[1] === 2) && isStr(v[2]) &&
    Number.isInteger(note) && note >= -1 && note < notes &&
    isNum(v[4]) && isNum(v[5]) && isNum(v[6]) && isNum(v[7]) &&
    (v.length === 8 || (isNum(v[8]) && isNum(v[9]) && isStr(v[10])))
  );
}
const isRef = (v: unknown) => isObject(v) && isStr(v.raw) && isStr(v.task) && (v.story === undefined || isStr(v.story)) && isSpan(v.span);
const isStoredTask = (v: unknown) => isObject(v) && isStrOrNull(v.id) && isSpan(v.heading) && isStrOrNull(v.status) && isArrayOf(v.depends, isRef);
const isComment = (v: unknown) =>
  isObject(v) && (v.kind === 'disable' || v.kind === 'enable' || v.kind === 'ignore') && isArrayOf(v.ids, isStr) && isSpan(v.span) && (v.target === null || isSpan(v.target));
const isStory = (v: unknown) =>
  isObject(v) && isStrOrNull(v.id) && isArrayOf(v.dependencies, (d) => isObject(d) && isStr(d.story) && isStr(d.raw) && isSpan(d.span)) && isArrayOf(v.comments, isComment) && isArrayOf(v.tasks, isStoredTask);
const isSummaryTask = (v: unknown) => isObject(v) && isStr(v.id) && isStrOrNull(v.status) && isArrayOf(v.depends, (r) => isObject(r) && isStr(r.task) && (r.story === undefined || isStr(r.story)));
const isSummary = (v: unknown) => isObject(v) && isStrOrNull(v.id) && isStrOrNull(v.status) && isArrayOf(v.dependencies, isStr) && isArrayOf(v.tasks, isSummaryTask);

/** Whether a parsed line is a cache entry (the shape `CacheEntry` describes, nothing less). */
export function isCacheEntry(v: unknown): v is CacheEntry {
  if (!isObject(v) || !isStr(v.file) || !isStr(v.hash) || !(v.meta === null || isMeta(v.meta))) return false;
  const a = v.analysis;
  if (!isObject(a) || !isArrayOf(a.notes, isStr)) return false;
  const notes = (a.notes as unknown[]).length;
  return isArrayOf(a.messages, (m) => isStoredMessage(m, notes)) && isStory(a.story) && isSummary(a.summary);
}

// --- the cache ----------------------------------------------------------------

/** One file's entry: the line it was read from (its bytes, written back as they are), checked on first use. */
interface Slot {
  line: string | null;
  /** The entry when read or set; null when its line is malformed; undefined until checked. */
  entry?: CacheEntry | null;
  /** The entry's Analysis (spans as objects again). */
  analysis?: Analysis;
  parsed?: unknown;
}

/**
 * The cache of one run: `load`, then `getByMeta` / `get` per file (an
 * `Analysis`, or undefined for a miss), `set` for what was computed, `save`.
 */
export class LintCache {
  private readonly slots = new Map<string, Slot>();
  /** Entries looked at or written in this run (the rest are checked for existence on save). */
  private readonly seen = new Set<string>();
  private dirty = false;
  /** Something to drop (a damaged line or entry, another key): the next save rewrites the file. */
  private rewrite = false;
  /** Entries added or replaced in this run: the lines an append writes. */
  private readonly changed = new Set<string>();
  /** Lines of the file replaced by a later line for the same file. */
  private stale = 0;
  /** The file as read (size, inode, mtime), for appending only to that file; null: rewrite. */
  private read: { size: number; ino: number; mtimeMs: number } | null = null;

  private constructor(
    readonly file: string,
    private readonly key: string,
    /** Date.now() when the run started: metadata of files changed since RACY_MS before it is not recorded. */
    private readonly started: number,
  ) {}

  /**
   * Load the cache for this config; a missing, corrupt or stale file is an
   * empty cache. Throws a UsageError when `file` exists and is not a
   * plan-tasks cache (it would be overwritten).
   */
  static load(file: string, config: ResolvedConfig, started = Date.now()): LintCache {
    const cache = new LintCache(file, cacheKey(config), started);
    let bytes: Buffer;
    let stats: Stats;
    try {
      const fd = openSync(file, 'r');
      try {
        stats = fstatSync(fd);
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      cache.dirty = cache.rewrite = existsSync(file);
      return cache;
    }
    if (!isCacheFile(file, bytes)) {
      throw new UsageError(`Not using ${file} as the cache: it is not a plan-tasks cache, and would be overwritten`, 'Choose another --cache-location (a new file, a folder, or an existing plan-tasks cache).');
    }
    // Lines as text, decoded once (a line is written back as it is when its file is unchanged:
    // the same bytes, JSON holding only valid UTF-8).
    const text = bytes.toString('utf8');
    const lines = text.split('\n');
    if (lines.pop() !== '') cache.dirty = cache.rewrite = true; // cut short: the last line is dropped, the file rewritten
    let header: unknown;
    try {
      header = JSON.parse(lines[0] ?? '');
    } catch {
      header = null;
    }
    if (!isObject(header) || header.format !== CACHE_FORMAT || header.key !== cache.key) {
      cache.dirty = cache.rewrite = true;
      return cache;
    }
    if (stats.isFile() && stats.size === bytes.length) cache.read = { size: stats.size, ino: stats.ino, mtimeMs: stats.mtimeMs };
    for (let i = 1; i < lines.length; i++) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(lines[i]!);
      } catch {
        cache.dirty = cache.rewrite = true; // a line cut or garbled: dropped on save
        continue;
      }
      if (isObject(parsed) && isStr(parsed.file)) {
        if (cache.slots.has(parsed.file)) cache.stale++; // replaced by this later line
        cache.slots.set(parsed.file, { line: lines[i]!, parsed });
      } else cache.dirty = cache.rewrite = true;
    }
    return cache;
  }

  private slot(path: string): (Slot & { entry: CacheEntry }) | undefined {
    this.seen.add(path);
    const slot = this.slots.get(path);
    if (!slot) return undefined;
    if (slot.entry === undefined) {
      slot.entry = isCacheEntry(slot.parsed) ? slot.parsed : null;
      slot.parsed = undefined;
      if (slot.entry === null) this.dirty = this.rewrite = true;
    }
    return slot.entry ? (slot as Slot & { entry: CacheEntry }) : undefined;
  }

  private entry(path: string): CacheEntry | undefined {
    return this.slot(path)?.entry;
  }

  private analysis(slot: Slot & { entry: CacheEntry }): Analysis {
    const { messages, notes, story, summary } = slot.entry.analysis;
    return (slot.analysis ??= { messages: readMessages(messages, notes), story: readStory(story), summary });
  }

  /** Metadata strategy: the entry when the file's metadata is the recorded one, without reading it. */
  getByMeta(path: string, meta: Meta): Analysis | undefined {
    const slot = this.slot(path);
    return slot && sameMeta(slot.entry.meta, meta) ? this.analysis(slot) : undefined;
  }

  /**
   * Content: the entry for a file whose text has this hash. With metadata,
   * a hit records the file's current metadata (a `touch` costs one hash, once).
   */
  get(path: string, hash: string, meta?: Meta): Analysis | undefined {
    const slot = this.slot(path);
    if (!slot || slot.entry.hash !== hash) return undefined;
    const analysis = this.analysis(slot);
    const trusted = meta ? this.trusted(meta) : null;
    if (trusted !== null && !sameMeta(slot.entry.meta, trusted)) {
      this.slots.set(path, { line: null, entry: { ...slot.entry, meta: trusted }, analysis });
      this.changed.add(path);
      this.dirty = true;
    }
    return analysis;
  }

  set(path: string, hash: string, analysis: Analysis, meta?: Meta): void {
    this.seen.add(path);
    const { story, summary } = analysis;
    const stored = storeMessages(analysis.messages);
    const entry: CacheEntry | null = stored && { file: path, meta: meta ? this.trusted(meta) : null, hash, analysis: { ...stored, story: storeStory(story), summary } };
    if (entry && isCacheEntry(entry)) {
      this.slots.set(path, { line: null, entry, analysis });
      this.changed.add(path);
    } else if (this.slots.delete(path)) this.rewrite = true; // holds something the format has no place for: not cached
    this.dirty = true;
  }

  /** The metadata to record: none for a file changed too recently to rule out a same-tick edit. */
  private trusted(meta: Meta): Meta | null {
    return Math.max(meta[1], meta[2]) >= this.started - RACY_MS ? null : meta;
  }

  /**
   * Write the cache if it changed: the added and replaced entries appended to
   * the file read (see the module comment), or the whole file atomically,
   * under a lock, only over a plan-tasks cache. Unchanged entries are written
   * as they were read; entries of files gone and malformed ones are dropped.
   * Returns an error message, or null.
   */
  save(): string | null {
    if (!this.dirty) return null;
    const gone = new Set<string>();
    for (const path of this.slots.keys()) if (!this.seen.has(path) && !existsSync(path)) gone.add(path);
    const read = this.read;
    if (read !== null && !this.rewrite && gone.size === 0 && (this.stale + this.changed.size) * 4 <= this.slots.size) {
      if (this.changed.size === 0) {
        this.dirty = false;
        return null;
      }
      let lines = '';
      for (const path of this.changed) {
        const slot = this.slots.get(path);
        if (slot?.entry) lines += `${JSON.stringify(slot.entry)}\n`;
      }
      try {
        if (appendFileLocked(this.file, lines, (now) => now.size === read.size && now.ino === read.ino && now.mtimeMs === read.mtimeMs)) {
          this.dirty = false;
          this.read = null; // the file is not the one read any more
          return null;
        }
      } catch (error) {
        return (error as Error).message;
      }
    }
    const lines: string[] = [JSON.stringify({ format: CACHE_FORMAT, key: this.key })];
    for (const [path, slot] of this.slots) {
      if (gone.has(path)) continue;
      if (slot.line !== null && slot.entry === undefined) {
        lines.push(slot.line); // not used in this run: as read (checked when used)
        continue;
      }
      const e = this.entry(path);
      if (!e) continue; // malformed: dropped
      lines.push(slot.line ?? JSON.stringify(e));
    }
    try {
      lines.push('');
      writeFileAtomic(this.file, lines.join('\n'), { mkdir: true, check: (target) => (target && !isCacheFile(target, headOf(target)) ? 'it is not a plan-tasks cache (only a cache file is replaced; choose another --cache-location)' : null) });
      this.dirty = false;
      this.read = null;
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
}
