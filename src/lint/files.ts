/**
 * Which files a run lints, and how a story file is read: UTF-8 text, or a
 * fatal message for a binary or non-UTF-8 file (reported, never skipped).
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readlinkSync, readSync, statSync, type Dirent, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { tooComplex } from '../story/limits.js';
import type { LintMessage } from './types.js';

/**
 * The entries `patterns` match under `cwd` (absolute, unsorted): regular files
 * and links to them, as the glob engine lists them, and also what it passes over
 * without a word, so that reading reports it instead of a story going unlinted:
 * a symbolic link that leads nowhere (dangling, a loop) or to a folder, a FIFO,
 * socket or device, and a folder named like a Markdown file (`008-dir.md`) that
 * the patterns do not search.
 */
export function globEntries(patterns: string[], cwd: string, ignore: string[] = []): string[] {
  const options = { cwd, absolute: true, expandDirectories: false, followSymbolicLinks: true, ignore };
  const out = new Set<string>();
  const named: string[] = [];
  for (const entry of globSync(patterns, { ...options, onlyFiles: false })) {
    if (!entry.endsWith('/')) out.add(entry);
    else if (namedLikeMarkdown(entry.slice(0, -1))) named.push(entry.slice(0, -1));
  }
  const match = storiesGlobMatcher(patterns);
  const posixOf = (file: string) => {
    const rel = relative(cwd, file);
    return sep === '/' ? rel : rel.split(sep).join('/');
  };
  // A folder named like a story that the patterns do not search (`docs/stories/*.md`) is
  // listed, to be reported; one they search (`docs/**/*.md`) has its stories linted.
  const searched = (dir: string) => match(`${posixOf(dir)}/001-x.md`) || [...out].some((f) => f.startsWith(dir + sep));
  for (const dir of named) if (!searched(dir)) out.add(dir);
  // The folders the patterns reach into, for the entries the glob engine does not list.
  const skip = ignore.length ? picomatch(ignore, { dot: true }) : () => false;
  const folders = new Set<string>();
  for (const p of patterns) {
    if (p.startsWith('!')) continue;
    const { base, glob: rest, isGlob } = picomatch.scan(p);
    if (!isGlob) folders.add(dirname(resolve(cwd, base)));
    else if (!rest.includes('/')) folders.add(resolve(cwd, base));
    else {
      folders.add(resolve(cwd, base));
      for (const d of globSync([base ? `${base.replace(/\/+$/, '')}/**` : '**'], { ...options, onlyDirectories: true })) folders.add(d.replace(/\/+$/, ''));
    }
  }
  for (const folder of folders) {
    const entries = listFolder(folder);
    if (entries === null) continue;
    for (const e of entries) {
      if (e.isFile() || e.isDirectory()) continue; // listed by the glob engine, or searched by it
      const file = join(folder, e.name);
      const posix = posixOf(file);
      if (!match(posix) || skip(posix) || out.has(file)) continue;
      if (e.isSymbolicLink() && !(keepLink(file) && !(isFolder(file) && searched(file)))) continue;
      out.add(file);
    }
  }
  return [...out];
}

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** A folder of the stories glob that cannot be listed (permission denied): its stories would go unlinted, so exit 2. */
function unreadableFolder(folder: string, error: unknown): UsageError {
  return new UsageError(`Cannot read the folder ${folder}: ${ioWhy(error)}`);
}

/** A folder's entries, or null when it is missing (it matches nothing, as for the glob); throws `unreadableFolder` when it cannot be listed. */
function listFolder(folder: string): Dirent[] | null {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return null;
    throw unreadableFolder(folder, error);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // dangling, or a loop
  }
}

/** A folder named like a story file (`008-dir.md`): reported, not searched as if it were not there. */
function namedLikeMarkdown(path: string): boolean {
  return /\.md$/i.test(path);
}

/**
 * Whether a symbolic link the patterns match is listed: unless it leads to a
 * folder (which the glob searches) not named like a story file. A link to a
 * file is read; one that leads nowhere (dangling, a loop) is reported by the read.
 */
function keepLink(link: string): boolean {
  let st: Stats;
  try {
    st = statSync(link);
  } catch {
    return true; // dangling, or a loop
  }
  return !st.isDirectory() || namedLikeMarkdown(link);
}

/** Folders a directory argument never descends into. */
const SKIP_DIRS = ['**/node_modules/**', '**/.git/**'];

/** Every story in the configured glob (absolute, sorted). */
export function storyFiles(config: ResolvedConfig): string[] {
  return (simpleGlob(config.stories, config.root) ?? globEntries(config.stories, config.root).map((f) => resolve(f))).sort();
}

/**
 * A matcher of the `stories` globs for POSIX paths relative to the config's
 * folder that agrees with the listing of the disk (tinyglobby, simpleGlob):
 * a `!` pattern excludes, a dot file matches only a pattern that names the dot.
 * (picomatch given the list as it is reads `!x` as "anything but x", so every
 * file matched.) The gates and `--stdin` use it on paths that need not exist.
 */
export function storiesGlobMatcher(patterns: readonly string[]): (rel: string) => boolean {
  const pos = patterns.filter((p) => !p.startsWith('!'));
  const neg = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (pos.length === 0) return () => false;
  const yes = picomatch(pos, { dot: false });
  const no = neg.length ? picomatch(neg, { dot: true }) : null;
  return (rel) => yes(rel) && !(no && no(rel));
}

/** Whether an absolute path is one the configured `stories` glob matches (the file need not exist). */
export function storyMatcher(config: ResolvedConfig): (path: string) => boolean {
  const match = storiesGlobMatcher(config.stories);
  return (path) => {
    const rel = relative(config.root, path);
    // `..` is allowed: a glob may reach out of the config's folder (`../docs/stories/*.md`).
    return rel !== '' && !isAbsolute(rel) && match(sep === '/' ? rel : rel.split(sep).join('/'));
  };
}

/** `docs/stories/*.md`: literal folder names, then `*` and a literal extension. */
const SIMPLE_PATTERN = /^(?:\.\/)?((?:[A-Za-z0-9_ -]+\/)*)\*(\.[A-Za-z0-9]+)$/;

/**
 * The files of patterns like the default `docs/stories/*.md`, by one readdir
 * per folder instead of the glob engine (whose set-up is most of a one-story
 * run's file lookup): the same entries `glob` gives (regular files and
 * symlinks to them, and what cannot be read as one: dangling links, loops,
 * FIFOs, folders named `*.md`; no dot files), or null when a pattern is not
 * that simple.
 */
export function simpleGlob(patterns: readonly string[], cwd: string): string[] | null {
  const parsed = patterns.map((p) => SIMPLE_PATTERN.exec(p));
  if (parsed.some((m) => m === null)) return null;
  const out = new Set<string>();
  for (const m of parsed as RegExpExecArray[]) {
    const dir = resolve(cwd, m[1]!);
    const entries = listFolder(dir);
    if (entries === null) continue;
    for (const e of entries) {
      if (e.name.startsWith('.') || !e.name.endsWith(m[2]!) || e.name.length === m[2]!.length) continue;
      // resolve(dir, e.name) without re-normalizing: dir is resolved, a dirent name has no separator.
      const file = dir.endsWith(sep) ? dir + e.name : dir + sep + e.name;
      if (e.isFile()) out.add(file);
      else if (e.isDirectory()) {
        if (namedLikeMarkdown(file)) out.add(file);
      } else if (!e.isSymbolicLink() || keepLink(file)) out.add(file);
    }
  }
  return [...out];
}

/**
 * The usage error (exit 2) for a `stories` glob that matches no file: `lint`,
 * `graph` and `next` all refuse it, so a wrong glob never passes as "nothing to do".
 */
export function noStoryFiles(config: ResolvedConfig, cwd: string, hint = 'Set "stories" in plan-tasks.config.json to the glob of your story files.'): UsageError {
  const where = config.configFile ? ` (from ${relative(cwd, config.configFile) || config.configFile})` : '';
  return new UsageError(`No story files match ${config.stories.map((s) => `"${s}"`).join(', ')} in ${config.root}${where}`, hint);
}

/**
 * The files named on the command line: files as given, directories and glob
 * patterns expanded to `*.md` files. A path that does not exist, or a pattern
 * that matches nothing, is a usage error; with `unmatched` (ESLint's
 * `--no-error-on-unmatched-pattern`), a pattern (or the `stories` glob) that
 * matches nothing is handed to it instead, and contributes no file.
 */
export function resolveFiles(args: readonly string[], config: ResolvedConfig, cwd: string, unmatched?: (message: string) => void): string[] {
  if (args.length === 0) {
    const files = storyFiles(config);
    if (files.length === 0) {
      const error = noStoryFiles(config, cwd, 'Pass the story files or folders to lint, or set "stories" in plan-tasks.config.json.');
      if (!unmatched) throw error;
      unmatched(error.message);
    }
    return files;
  }
  const out = new Set<string>();
  for (const arg of args) {
    const abs = isAbsolute(arg) ? arg : resolve(cwd, arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && isDynamicPattern(arg)) {
        const matched = globEntries([arg], cwd);
        if (matched.length === 0) {
          if (!unmatched) throw new UsageError(`No files match the pattern "${arg}"`);
          unmatched(`No files match the pattern "${arg}"`);
        }
        for (const f of matched) out.add(resolve(f));
        continue;
      }
      if (code === 'ENOENT') throw new UsageError(`No such file or directory: ${arg}`);
      if (code === 'ELOOP') throw new UsageError(`Cannot read ${arg}: too many levels of symbolic links`);
      throw new UsageError(`Cannot read ${arg}: ${code ?? (error as Error).message}`);
    }
    if (!stat.isDirectory() && !stat.isFile()) {
      throw new UsageError(`Cannot lint ${arg}: it is ${kindOf(stat)}, not a regular file`, 'Lint story files (regular *.md files).');
    }
    if (stat.isDirectory()) {
      const found = globEntries(['**/*.md'], abs, SKIP_DIRS);
      if (found.length === 0) throw new UsageError(`No Markdown files in the directory ${arg}`, 'Pass story files, a folder holding *.md files, or a glob.');
      for (const f of found) out.add(resolve(f));
    } else {
      out.add(abs);
    }
  }
  return [...out].sort();
}

export type ReadResult = { text: string } | { fatal: LintMessage };

function fatal(message: string, line = 1, column = 1, note?: string): { fatal: LintMessage } {
  return { fatal: { ruleId: null, severity: 2, fatal: true, message, ...(note ? { note } : {}), line, column, endLine: line, endColumn: column } };
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a story file's bytes: UTF-8 text, or a fatal message saying why not. */
export function decodeStory(bytes: Uint8Array): ReadResult {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) {
    return fatal('Unexpected binary file, expected a Markdown story (UTF-8 text)');
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = '';
  }
  if (text || bytes.length === 0) {
    if (!text.replace(/^\ufeff/, '').trim()) {
      return fatal('Unexpected empty file, expected a Markdown story', 1, 1, 'A story has a `# Story NNN: Title` heading and a `## Status` section.');
    }
    const complex = tooComplex(text);
    if (complex) return fatal(complex.message, complex.line);
    const conflict = conflictMarkers(text);
    if (conflict) {
      return fatal(
        `Unexpected merge conflict markers (lines ${conflict.start}-${conflict.end}), expected the conflict resolved`,
        conflict.start,
        1,
        'Keep one side, and delete the `<<<<<<<`, `=======` and `>>>>>>>` lines.',
      );
    }
    return { text };
  }
  {
    // Find the first invalid sequence to say where.
    let line = 1;
    let col = 1;
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i]!;
      let n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
      let ok = n > 0 && i + n <= bytes.length;
      for (let k = 1; ok && k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) ok = false;
      if (ok && n > 1) {
        try {
          decoder.decode(bytes.subarray(i, i + n));
        } catch {
          ok = false;
        }
      }
      if (!ok) {
        return fatal(`Unexpected invalid UTF-8 byte 0x${b.toString(16).padStart(2, '0')} at line ${line}, column ${col}, expected UTF-8 text`, line, col, 'Re-save the file as UTF-8.');
      }
      if (b === 10) {
        line++;
        col = 1;
      } else col++;
      i += n;
    }
    return fatal('Unexpected invalid UTF-8, expected UTF-8 text: re-save the file as UTF-8');
  }
}

/**
 * The first git conflict block (`<<<<<<<` ... `>>>>>>>` at the start of lines,
 * outside fenced code), or null. A file with one is not parsed: its tasks are
 * two versions interleaved, and linting them would report (or fix) nonsense.
 */
export function conflictMarkers(text: string): { start: number; end: number } | null {
  if (!text.includes('<<<<<<<')) return null;
  let fence: string | null = null;
  let open = 0;
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    line++;
    const l = text.charCodeAt(nl - 1) === 13 && nl > pos ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    pos = nl + 1;
    const trimmed = l.startsWith('   ') ? l.slice(3) : l.startsWith('  ') ? l.slice(2) : l.startsWith(' ') ? l.slice(1) : l;
    if (trimmed.startsWith('```') || trimmed.startsWith('~~~')) {
      const marker = trimmed.slice(0, 3);
      if (fence === null) fence = marker;
      else if (marker === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const isMarker = (m: string) => l.startsWith(m) && (l.length === 7 || l[7] === ' ' || l[7] === '\t');
    if (isMarker('<<<<<<<')) open ||= line;
    else if (open && isMarker('>>>>>>>')) return { start: open, end: line };
  }
  return null;
}

/** The largest story read, in bytes (10 MiB: the biggest real plans are under 1 MB); a larger file is a fatal lint error. */
export const MAX_STORY_BYTES = 10 * 1024 * 1024;

/** What a non-regular file is, for the message. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const ioWhy = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'no such file (was it removed?)' : code === 'ELOOP' ? 'too many levels of symbolic links' : (code ?? (error as Error).message);
};

/** Where a symbolic link leads, or null when `path` is not one. */
function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** The buffer readStory reads into, reused from file to file (one allocation, not one per file). */
let readBuffer = Buffer.allocUnsafe(65536);
const KEPT_BUFFER_BYTES = 1 << 20;

/**
 * Read a story file. Only a regular file is read (a FIFO would block forever,
 * `/dev/zero` never ends): anything else is a `UsageError` (exit 2), as are I/O
 * failures. At most MAX_STORY_BYTES are read; a larger file is a fatal message.
 * Opened non-blocking, so even a FIFO swapped in after the check cannot hang.
 */
export function readStory(path: string): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new UsageError(`Cannot lint ${path}: it is a directory`);
    // A listed name that is not UTF-8 comes back from the directory with U+FFFD in it, which
    // names no file: the file is there, its name cannot be spelled. Its error, not a removal.
    if (code === 'ENOENT' && path.includes('\ufffd')) {
      return fatal('Unexpected file name that is not valid UTF-8, expected a UTF-8 name', 1, 1, 'The name is shown with \ufffd for the bytes that are not UTF-8, and cannot be opened by that name: rename the file (git mv).');
    }
    // A dangling symbolic link: say where it leads, not that the file was removed.
    const target = code === 'ENOENT' ? linkTarget(path) : null;
    if (target !== null) throw new UsageError(`Cannot read ${path}: it is a symbolic link to ${target}, which does not exist`);
    throw new UsageError(`Cannot read ${path}: ${ioWhy(error)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`Cannot lint ${path}: it is a directory`);
    if (!st.isFile()) {
      throw new UsageError(`Cannot lint ${path}: it is ${kindOf(st)}, not a regular file`, 'Lint story files (regular *.md files).');
    }
    if (st.size > MAX_STORY_BYTES) {
      return fatal(`Unexpected file of ${st.size} bytes, expected a story of at most ${MAX_STORY_BYTES} bytes (split it into smaller stories)`);
    }
    // Read to the end (the size may change while reading), never past the cap, into one
    // buffer kept for the next file (decoding copies the text out of it).
    let buf = readBuffer;
    let total = 0;
    for (;;) {
      const want = Math.max(st.size - total + 1, 65536);
      if (buf.length - total < want) {
        const bigger = Buffer.allocUnsafe(Math.max(total + want, buf.length * 2));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = readSync(fd, buf, total, want, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_STORY_BYTES) {
        return fatal(`Unexpected file of more than ${MAX_STORY_BYTES} bytes, expected a story of at most ${MAX_STORY_BYTES} bytes (split it into smaller stories)`);
      }
    }
    // A buffer grown for a huge file is not kept.
    if (buf.length <= KEPT_BUFFER_BYTES) readBuffer = buf;
    return decodeStory(buf.subarray(0, total));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new UsageError(`Cannot lint ${path}: it is a directory`);
    throw new UsageError(`Cannot read ${path}: ${ioWhy(error)}`);
  } finally {
    closeSync(fd);
  }
}
