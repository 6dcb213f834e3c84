/**
 * `plan-tasks lint --cache`: a cache like ESLint's. One file (default
 * `.plan-tasks-cache`) maps each linted file to its per-file `Analysis`
 * (single-file messages, the parts of the Story the cross-story checks read,
 * from which its summary is derived), the SHA-1 of its text and the file's metadata (size, mtime,
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
 * newline), written in ASCII: every character past ASCII as a `\uXXXX` escape
 * (`entryLine`), so the text read is a one-byte string; raw UTF-8 lines read too:
 *
 *     {"format":9,"key":"<SHA-1>"}                       the header
 *     {"file":"/abs/001-x.md","meta":[size,mtimeMs,ctimeMs,ino]|null,"hash":"<SHA-1 of the text>",
 *      "analysis":{"messages":[...],"notes":[...],"story":{...}}}<tab><CRC-32>   one line per file
 *
 * Each entry line ends with a tab and the CRC-32 of its JSON (eight hex digits), checked
 * when the entry is used (`entryJson`): a line damaged on disk (a flipped bit anywhere, a
 * torn write) is a miss and its file is linted again, never a message printed wrong.
 *
 * `analysis` is the `Analysis` of src/lint/analyze.ts as JSON: messages as
 * tuples with each note text once (`StoredMessage`), the cross-story part with the story's status and each span as
 * `[line, column, offset, endLine, endColumn, endOffset]` (`StoredStory`). The whole
 * file is valid for one `key`: the SHA-1 of the format, the plan-tasks build
 * (its version and the bytes of the running bundle, so a rebuilt dist never
 * reuses another build's entries) and the resolved config. Anything else
 * (missing, empty, corrupt, larger than MAX_CACHE_BYTES, other format, build or
 * config) reads as empty; an entry whose checksum fails or that is not the
 * shape above is a miss (checked on use). Cross-story checks
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
import type { CacheStrategy, LintMessage, Meta } from './types.js';

// Declared in ./types.ts, which the public type declarations reach without Node's types.
export type { CacheStrategy, Meta } from './types.js';

declare const PLAN_TASKS_VERSION: string;

export const DEFAULT_CACHE_FILE = '.plan-tasks-cache';
export const CACHE_STRATEGIES: readonly CacheStrategy[] = ['metadata', 'content'];
/** The version of the file format (the header's `format`). */
export const CACHE_FORMAT = 9;
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
    return headOfFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** The first 4 KB of an open file. */
function headOfFd(fd: number): Buffer {
  const buf = Buffer.alloc(4096);
  return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
}

/**
 * A cache file larger than this (bytes) is read as damaged and rewritten: its text would not
 * fit in a string (V8's limit is 2^29 - 24 characters). A real cache is about 4 KB a story.
 */
export const MAX_CACHE_BYTES = 2 ** 29 - 24;

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

export function metaOf(stats: Stats): Meta {
  return [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino];
}

const sameMeta = (a: Meta | null, b: Meta) => a !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];

/** A span as the file stores it: `[line, column, offset, endLine, endColumn, endOffset]` (a quarter of the bytes of the object). */
export type SpanTuple = [line: number, column: number, offset: number, endLine: number, endColumn: number, endOffset: number];
const toTuple = (s: Span): SpanTuple => [s.start.line, s.start.column, s.start.offset, s.end.line, s.end.column, s.end.offset];

/**
 * `CrossStory` (src/lint/analyze.ts) as the file stores it: spans as tuples, a task's heading
 * as its span, its status as its value; with the story's status, so that the summary is
 * derived from it (`summaryOf`) rather than stored twice (its task ids, statuses and refs
 * were a seventh of the file).
 */
export interface StoredStory {
  id: string | null;
  /** The story's `## Status` value (the summary's `status`). */
  status: string | null;
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
  analysis: { messages: StoredMessage[]; notes: string[]; story: StoredStory };
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

function storeStory(s: CrossStory, status: string | null): StoredStory {
  return {
    id: s.id,
    status,
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

/**
 * The summary of a stored story, as `summarize` (src/lint/project.ts) makes it from the
 * Story without its path: tasks with an id, their statuses trimmed, refs as `{story, task}`
 * or `{task}`, the `## Dependencies` story numbers once each. `set` stores an entry only when
 * this gives back the summary it was handed, so a cached summary is never another one.
 */
export function summaryOf(s: StoredStory): Analysis['summary'] {
  const tasks: Analysis['summary']['tasks'] = [];
  for (let i = 0; i < s.tasks.length; i++) {
    const t = s.tasks[i]!;
    if (t.id === null) continue;
    const depends: Analysis['summary']['tasks'][number]['depends'] = new Array(t.depends.length);
    for (let j = 0; j < t.depends.length; j++) {
      const r = t.depends[j]!;
      depends[j] = r.story ? { story: r.story, task: r.task } : { task: r.task };
    }
    tasks.push({ id: t.id, status: t.status === null ? null : t.status.trim(), depends });
  }
  // A Set, not `includes`: a story may list thousands of dependencies.
  const dependencies = s.dependencies.length === 0 ? [] : [...new Set(s.dependencies.map((d) => d.story))];
  return { id: s.id, status: s.status, tasks, dependencies };
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
  isObject(v) && isStrOrNull(v.id) && isStrOrNull(v.status) && isArrayOf(v.dependencies, (d) => isObject(d) && isStr(d.story) && isStr(d.raw) && isSpan(d.span)) && isArrayOf(v.comments, isComment) && isArrayOf(v.tasks, isStoredTask);

/** Whether a parsed line is a cache entry (the shape `CacheEntry` describes, nothing less). */
export function isCacheEntry(v: unknown): v is CacheEntry {
  if (!isObject(v) || !isStr(v.file) || !isStr(v.hash) || !(v.meta === null || isMeta(v.meta))) return false;
  const a = v.analysis;
  if (!isObject(a) || !isArrayOf(a.notes, isStr)) return false;
  const notes = (a.notes as unknown[]).length;
  return isArrayOf(a.messages, (m) => isStoredMessage(m, notes)) && isStory(a.story);
}

// --- reading an entry back: the shape check and the decoding in one pass -------
//
// What `isCacheEntry` accepts, decoded into ESLint's message objects and the CrossStory, or
// null: one walk over the parsed line with plain loops (the re-run decodes every entry, and a
// separate check cost as much as the decoding; test/cache-decode.test.ts holds it to the
// check and readers it replaced, kept in test/reference/cache-readers.ts).

const num = (v: unknown): v is number => typeof v === 'number';

/** A stored span as a Span, or null when it is not six numbers. */
function decodeSpan(v: unknown): Span | null {
  if (!Array.isArray(v) || v.length !== 6) return null;
  const a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5];
  if (!num(a) || !num(b) || !num(c) || !num(d) || !num(e) || !num(f)) return null;
  return { start: { line: a, column: b, offset: c }, end: { line: d, column: e, offset: f } };
}

/** Stored messages as ESLint's objects, keys in the order `toMessage` (src/lint/engine.ts) writes them, or null when one is malformed. */
function decodeMessages(v: unknown, notes: unknown): LintMessage[] | null {
  if (!Array.isArray(v) || !Array.isArray(notes)) return null;
  for (let i = 0; i < notes.length; i++) if (typeof notes[i] !== 'string') return null;
  const out: LintMessage[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const t: unknown = v[i];
    if (!Array.isArray(t) || (t.length !== 8 && t.length !== 11)) return null;
    const ruleId = t[0], severity = t[1], message = t[2], note = t[3], line = t[4], column = t[5], endLine = t[6], endColumn = t[7];
    if (typeof ruleId !== 'string' || (severity !== 1 && severity !== 2) || typeof message !== 'string') return null;
    if (!Number.isInteger(note) || note < -1 || note >= notes.length) return null;
    if (!num(line) || !num(column) || !num(endLine) || !num(endColumn)) return null;
    const m: LintMessage =
      note >= 0
        ? { ruleId, severity, message, note: notes[note] as string, line, column, endLine, endColumn }
        : { ruleId, severity, message, line, column, endLine, endColumn };
    if (t.length === 11) {
      const start = t[8], end = t[9], text = t[10];
      if (!num(start) || !num(end) || typeof text !== 'string') return null;
      m.fix = { range: [start, end], text };
    }
    out[i] = m;
  }
  return out;
}

/** Strings, or null. */
const strings = (v: unknown): string[] | null => {
  if (!Array.isArray(v)) return null;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return null;
  return v as string[];
};
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** A stored story as its CrossStory, or null when it is malformed. */
function decodeStory(v: unknown): CrossStory | null {
  if (!isObject(v) || !strOrNull(v.id) || !Array.isArray(v.dependencies) || !Array.isArray(v.comments) || !Array.isArray(v.tasks)) return null;
  const dependencies: CrossStory['dependencies'] = new Array(v.dependencies.length);
  for (let i = 0; i < v.dependencies.length; i++) {
    const d: unknown = v.dependencies[i];
    if (!isObject(d) || typeof d.story !== 'string' || typeof d.raw !== 'string') return null;
    const span = decodeSpan(d.span);
    if (span === null) return null;
    dependencies[i] = { story: d.story, raw: d.raw, span };
  }
  const comments: CrossStory['comments'] = new Array(v.comments.length);
  for (let i = 0; i < v.comments.length; i++) {
    const c: unknown = v.comments[i];
    if (!isObject(c) || (c.kind !== 'disable' && c.kind !== 'enable' && c.kind !== 'ignore')) return null;
    const ids = strings(c.ids);
    const span = decodeSpan(c.span);
    const target = c.target === null ? null : decodeSpan(c.target);
    if (ids === null || span === null || (target === null && c.target !== null)) return null;
    comments[i] = { kind: c.kind, ids, span, target };
  }
  const tasks: CrossStory['tasks'] = new Array(v.tasks.length);
  for (let i = 0; i < v.tasks.length; i++) {
    const t: unknown = v.tasks[i];
    if (!isObject(t) || !strOrNull(t.id) || !strOrNull(t.status) || !Array.isArray(t.depends)) return null;
    const heading = decodeSpan(t.heading);
    if (heading === null) return null;
    const depends: CrossStory['tasks'][number]['depends'] = new Array(t.depends.length);
    for (let j = 0; j < t.depends.length; j++) {
      const r: unknown = t.depends[j];
      if (!isObject(r) || typeof r.raw !== 'string' || typeof r.task !== 'string' || (r.story !== undefined && typeof r.story !== 'string')) return null;
      const span = decodeSpan(r.span);
      if (span === null) return null;
      depends[j] = r.story !== undefined ? { raw: r.raw, task: r.task, story: r.story, span } : { raw: r.raw, task: r.task, span };
    }
    tasks[i] = { id: t.id, heading: { span: heading }, status: t.status === null ? null : { value: t.status }, depends };
  }
  return { id: v.id, dependencies, comments, tasks };
}

/**
 * The Analysis a parsed entry's `analysis` holds, or null when it is not the
 * shape `CacheEntry` describes (exactly what `isCacheEntry` accepts there).
 */
export function decodeAnalysis(v: unknown): Analysis | null {
  if (!isObject(v)) return null;
  const messages = decodeMessages(v.messages, v.notes);
  if (messages === null) return null;
  const story = decodeStory(v.story);
  if (story === null || !strOrNull((v.story as Obj).status)) return null;
  return { messages, story, summary: summaryOf(v.story as StoredStory) };
}

// --- the cache ----------------------------------------------------------------

/** A character JSON does not allow raw inside a string (a line holding one is not an entry). */
const CONTROL = /[\u0000-\u001f]/;
/** Characters past ASCII (UTF-16 code units, so a pair is two of them). */
const NON_ASCII = /[\u0080-\uffff]/g;
const escapeUnit = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * An entry as its line (without the newline): its JSON, with every character past ASCII
 * written as a `\uXXXX` escape (JSON.parse gives back the same string), so that a cache file
 * is ASCII and decodes to a one-byte string (see `load`).
 */
export function entryLine(entry: CacheEntry): string {
  const json = JSON.stringify(entry).replace(NON_ASCII, escapeUnit);
  return `${json}\t${checksum(json)}`;
}

/** The length of a line's checksum part: a tab and eight hex digits. */
const CHECK_LENGTH = 9;

/**
 * The CRC-32 of an entry's JSON (its UTF-8 bytes, as `zlib.crc32` reads a string; the
 * JSON of an entry line is ASCII, so its bytes as written) in eight lowercase hex digits.
 * CRC-32 finds every burst of up to 32 flipped bits and all but 1 in 2^32 other damage;
 * it guards against a damaged disk or a torn write, not against someone forging an entry
 * (who could also edit the stories). node:zlib on first use (a run without the cache never
 * loads it).
 */
function checksum(json: string): string {
  return (process.getBuiltinModule('node:zlib').crc32(json) >>> 0).toString(16).padStart(8, '0');
}

/**
 * An entry line's JSON when its checksum holds (`entryLine` writes `<JSON>\t<CRC-32 hex>`;
 * JSON never holds a raw tab), or null: a line damaged anywhere (a flipped bit in a message,
 * the path, the hash, the checksum; a line cut short or run into the next) is a miss.
 */
export function entryJson(line: string): string | null {
  const end = line.length - CHECK_LENGTH;
  if (end < 2 || line.charCodeAt(end) !== 0x09 /* tab */) return null;
  const json = line.slice(0, end);
  return checksum(json) === line.slice(end + 1) ? json : null;
}

/**
 * One file's entry: the line it was read from (its bytes, written back as they are),
 * parsed and checked on first use, or the entry set in this run. A line is parsed
 * only when its entry is used, and its parsed form dropped once decoded: the run's
 * garbage dies young (holding every parsed line until the end made the young
 * generation copy and promote them all).
 */
interface Slot {
  /** The line as read; null for an entry set in this run. */
  line: string | null;
  /** What the file was when the entry was made; null when the line is malformed; undefined until parsed. */
  known?: { hash: string; meta: Meta | null } | null;
  /** The entry set in this run (what save writes for it). */
  entry?: CacheEntry;
}

/** The start of an entry line as `set` writes it: the file's path, a JSON string (without parsing the rest). */
const ENTRY_FILE = /^\{"file":("(?:[^"\\]|\\.)*"),/;
const ENTRY_START = '{"file":"';

/** The path an entry line names, or null when the line does not start as an entry does. */
export function fileOfLine(line: string): string | null {
  // A path without escapes (the usual one) is the text up to the next quote, when a comma follows.
  if (line.startsWith(ENTRY_START)) {
    const end = line.indexOf('"', ENTRY_START.length);
    if (end !== -1 && line.charCodeAt(end + 1) === 0x2c /* , */ && line.lastIndexOf('\\', end) < ENTRY_START.length) {
      const path = line.slice(ENTRY_START.length, end);
      if (!CONTROL.test(path)) return path;
    }
  }
  const m = ENTRY_FILE.exec(line);
  if (m === null) return null;
  try {
    return JSON.parse(m[1]!) as string;
  } catch {
    return null;
  }
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
        // Past what a string can hold, it cannot be read as text: read as damaged (rewritten).
        bytes = stats.size > MAX_CACHE_BYTES ? headOfFd(fd) : readFileSync(fd);
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
    // the same bytes, JSON holding only valid UTF-8). Lines are written in ASCII (entryLine), so
    // the text is a one-byte string: one non-ASCII character made the whole 2 MB text two-byte,
    // 4 ms to decode and twice the bytes to split and parse.
    if (stats.size > MAX_CACHE_BYTES) {
      cache.dirty = cache.rewrite = true;
      return cache;
    }
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
      // The path alone; the rest is parsed when the entry is used (a garbled line is a miss then).
      const path = fileOfLine(lines[i]!);
      if (path === null) {
        cache.dirty = cache.rewrite = true; // not an entry line: dropped on save
        continue;
      }
      if (cache.slots.has(path)) cache.stale++; // replaced by this later line
      cache.slots.set(path, { line: lines[i]! });
    }
    return cache;
  }

  /**
   * The slot of `path` when its entry may be used: its line parsed on first use (file, hash
   * and metadata checked; the analysis is checked as it is decoded). `parsed` receives the
   * parsed line, so the caller decodes it without parsing it again.
   */
  private slot(path: string, parsed?: { entry?: CacheEntry }): (Slot & { known: { hash: string; meta: Meta | null } }) | undefined {
    this.seen.add(path);
    const slot = this.slots.get(path);
    if (!slot) return undefined;
    if (slot.known === undefined) {
      const entry = this.parse(slot.line!, path);
      slot.known = entry && { hash: entry.hash, meta: entry.meta };
      if (entry === null) this.dirty = this.rewrite = true;
      else if (parsed) parsed.entry = entry;
    }
    return slot.known ? (slot as Slot & { known: { hash: string; meta: Meta | null } }) : undefined;
  }

  /** A line's entry for `path` with its file, hash and metadata checked (not its analysis), or null. */
  private parse(line: string, path: string): CacheEntry | null {
    const json = entryJson(line);
    if (json === null) return null;
    let v: unknown;
    try {
      v = JSON.parse(json);
    } catch {
      return null;
    }
    return isObject(v) && v.file === path && isStr(v.hash) && (v.meta === null || isMeta(v.meta)) && isObject(v.analysis) ? (v as unknown as CacheEntry) : null;
  }

  /** The Analysis of a slot (spans as objects again), or undefined when it is malformed (then dropped on save). */
  private analysis(path: string, slot: Slot, entry = slot.entry ?? this.parse(slot.line!, path)): Analysis | undefined {
    const analysis = entry && decodeAnalysis(entry.analysis);
    if (analysis) return analysis;
    slot.known = null;
    this.dirty = this.rewrite = true;
    return undefined;
  }

  /** Metadata strategy: the entry when the file's metadata is the recorded one, without reading it. */
  getByMeta(path: string, meta: Meta): Analysis | undefined {
    const parsed: { entry?: CacheEntry } = {};
    const slot = this.slot(path, parsed);
    return slot && sameMeta(slot.known.meta, meta) ? this.analysis(path, slot, parsed.entry) : undefined;
  }

  /**
   * Content: the entry for a file whose text has this hash. With metadata,
   * a hit records the file's current metadata (a `touch` costs one hash, once).
   */
  get(path: string, hash: string, meta?: Meta): Analysis | undefined {
    const parsed: { entry?: CacheEntry } = {};
    const slot = this.slot(path, parsed);
    if (!slot || slot.known.hash !== hash) return undefined;
    const entry = parsed.entry ?? slot.entry ?? this.parse(slot.line!, path);
    const analysis = this.analysis(path, slot, entry);
    if (!analysis) return undefined;
    const trusted = meta ? this.trusted(meta) : null;
    if (trusted !== null && !sameMeta(slot.known.meta, trusted)) {
      this.slots.set(path, { line: null, known: { hash, meta: trusted }, entry: { ...entry!, meta: trusted } });
      this.changed.add(path);
      this.dirty = true;
    }
    return analysis;
  }

  set(path: string, hash: string, analysis: Analysis, meta?: Meta): void {
    this.seen.add(path);
    const { story, summary } = analysis;
    const stored = storeMessages(analysis.messages);
    const entry: CacheEntry | null = stored && { file: path, meta: meta ? this.trusted(meta) : null, hash, analysis: { ...stored, story: storeStory(story, summary.status) } };
    // Cached only when the summary derived from it is the one handed in (key order too).
    if (entry && isCacheEntry(entry) && JSON.stringify(summaryOf(entry.analysis.story)) === JSON.stringify(summary)) {
      this.slots.set(path, { line: null, known: { hash, meta: entry.meta }, entry });
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
        const entry = this.slots.get(path)?.entry;
        if (entry) lines += `${entryLine(entry)}\n`;
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
      if (gone.has(path) || slot.known === null) continue; // gone, or malformed: dropped
      // As read (an entry not used in this run is checked when used), or as set in this run.
      lines.push(slot.line ?? entryLine(slot.entry!));
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
