/**
 * The one write helper of plan-tasks: every file it writes (`lint --fix`,
 * `graph --write`, `scaffold`, `init`, `lint -o`, the `--cache` file) goes
 * through `writeFileAtomic`.
 *
 * - A lock file `NAME.lock` beside the target (created with O_EXCL, as git's
 *   `index.lock`) is held around read-compare-write-rename, so two plan-tasks
 *   processes never lose each other's update: the second one sees the first
 *   one's bytes and refuses. It is held for milliseconds and always released
 *   (also on SIGINT, SIGTERM and SIGHUP).
 * - The new bytes go to a temp file `.NAME.RANDOM.tmp` in the target's folder,
 *   are flushed, get the target's mode and owner, and replace it by rename.
 *   A reader sees the old file or the new one, never a mix or a truncation.
 * - A symbolic link is written through: its target is replaced, the link stays.
 * - A file with more than one hard link is refused (a rename would split the
 *   links, and an in-place write is not atomic). So is a file the user may not
 *   write (a rename in a writable folder would otherwise replace it anyway), a
 *   file whose owner or group cannot be kept, and anything not a regular file.
 * - Lock and temp names stay within the 255-byte name limit of common file
 *   systems (a long name is shortened and given a hash).
 *
 * Errors are `UsageError`s (exit 2) saying what was not written and why.
 */
import {
  accessSync,
  closeSync,
  ftruncateSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

/** node:crypto on first write (an import would load it with every CLI run, writing or not). */
const crypto = () => process.getBuiltinModule('node:crypto');

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * The bytes the caller read; if the file now holds anything else, refuse.
   * `null`: the file must not exist. Undefined: no comparison (replace what is there).
   */
  expected?: string | Buffer | null;
  /** Create missing parent folders (for reports and the cache). */
  mkdir?: boolean;
  /**
   * Called under the lock with the path of the file about to be replaced (null
   * when it does not exist); return a reason to refuse the write (e.g. "it is
   * not a plan-tasks cache"). It reads what it needs itself.
   */
  check?: (target: string | null) => string | null;
  /** How long to wait for another process's lock, in ms (default 2000). */
  lockTimeoutMs?: number;
}

/** The longest file name (bytes) most file systems accept (ext4, APFS, NTFS). */
const NAME_MAX = 255;

/**
 * `prefix + name + suffix`, shortened to fit NAME_MAX bytes: a long name keeps
 * its start and gets `~` and 8 hex digits of its hash (so names stay distinct).
 */
export function shortName(name: string, prefix: string, suffix: string): string {
  const whole = `${prefix}${name}${suffix}`;
  if (Buffer.byteLength(whole) <= NAME_MAX) return whole;
  const hash = crypto().createHash('sha1').update(name).digest('hex').slice(0, 8);
  const room = NAME_MAX - Buffer.byteLength(prefix + suffix) - 9;
  let cut = '';
  for (const ch of name) {
    if (Buffer.byteLength(cut + ch) > room) break;
    cut += ch;
  }
  return `${prefix}${cut}~${hash}${suffix}`;
}

/** Lock and temp files in flight: removed if a signal ends the process. */
const inFlight = new Set<string>();
let signalsHooked = false;

function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      for (const file of inFlight) {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      }
      inFlight.clear();
      process.removeListener(signal, onSignal);
      // End as the signal would have (exit status 128 + n for the shell).
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(sleeper, 0, 0, ms);

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Take `lock` (O_EXCL create), waiting up to `timeoutMs` for another holder. */
function acquire(lock: string, path: string, timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      inFlight.add(lock);
      closeSync(openSync(lock, 'wx', 0o600));
      return;
    } catch (error) {
      inFlight.delete(lock);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`Cannot write ${path}: cannot create the lock file ${lock}: ${codeOf(error)}`);
      if (Date.now() >= until) {
        throw new UsageError(
          `Not writing ${path}: ${lock} exists (another plan-tasks process is writing it)`,
          `If no plan-tasks process is running, delete ${lock} and run the command again.`,
        );
      }
      sleep(wait);
    }
  }
}

function release(lock: string): void {
  try {
    unlinkSync(lock);
  } catch {
    // removed by someone else: nothing to release
  }
  inFlight.delete(lock);
}

/** The file a write to `path` replaces: `path`, or the end of its symlink chain. */
function resolveTarget(path: string): { target: string; stats: Stats | null } {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { target: path, stats: null };
    throw new UsageError(`Cannot write ${path}: ${codeOf(error)}`);
  }
  if (!link.isSymbolicLink()) return { target: path, stats: link };
  try {
    const target = realpathSync(path);
    return { target, stats: statSync(target) };
  } catch (error) {
    throw new UsageError(`Not writing ${path}: it is a symbolic link that cannot be followed (${codeOf(error)})`);
  }
}

/**
 * Create `dir` and its missing parents, one level at a time from the nearest
 * folder that exists. Not `mkdirSync(dir, { recursive: true })`: Node 20's
 * recursive mkdir loops forever where a parent cannot be created (`/proc/x/y`).
 *
 * @param dir   the folder to make (absolute or relative to the cwd)
 * @param shown the path named in the error message (default `dir`)
 * @throws UsageError when a parent is not a folder, or on any I/O error
 */
export function mkdirParents(dir: string, shown: string = dir): void {
  const missing: string[] = [];
  let d = dir;
  for (;;) {
    let st: Stats | undefined;
    try {
      st = statSync(d);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`Cannot write ${shown}: ${codeOf(error)}`);
    }
    if (st) {
      if (!st.isDirectory()) throw new UsageError(`Cannot write ${shown}: ${d} is not a folder`);
      break;
    }
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`Cannot write ${shown}: cannot create the folder ${m} (${codeOf(error)})`);
    }
  }
}

/**
 * Write `content` to `path` atomically, under a lock, keeping links, mode and owner.
 *
 * @param path the file to write (a symlink is written through to its target)
 * @param content the new bytes (a string is written as UTF-8)
 * @throws UsageError when the file changed since it was read (`expected`), is
 *   locked by another process for longer than the timeout, is not a regular
 *   file, has several hard links, may not be written by this user, refuses
 *   `check`, or on any I/O error; nothing is written then, and no temp or lock
 *   file is left.
 */
export function writeFileAtomic(path: string, content: string | Buffer, options: AtomicWriteOptions = {}): void {
  if (options.mkdir) mkdirParents(dirname(path), path);
  const { target } = resolveTarget(path);
  const dir = dirname(target);
  const name = basename(target);
  const lock = join(dir, shortName(name, '', '.lock'));
  hookSignals();
  acquire(lock, path, options.lockTimeoutMs ?? 2000);
  let tmp: string | undefined;
  let fd: number | undefined;
  try {
    // Under the lock: what is there now.
    let stats: Stats | null = null;
    try {
      stats = statSync(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`Cannot write ${path}: ${codeOf(error)}`);
    }
    if (stats) {
      if (!stats.isFile()) throw new UsageError(`Not writing ${path}: it is not a regular file`);
      if (stats.nlink > 1) {
        throw new UsageError(
          `Not writing ${path}: it has ${stats.nlink} hard links, which replacing it would split`,
          'Make it a single file (cp it to a new name and move that over it), or edit it by hand.',
        );
      }
      try {
        accessSync(target, constants.W_OK);
      } catch {
        throw new UsageError(`Not writing ${path}: permission denied (the file is not writable by you)`);
      }
    }
    let current: Buffer | null = null;
    if (stats && options.expected !== undefined && options.expected !== null) {
      try {
        current = readFileSync(target);
      } catch (error) {
        throw new UsageError(`Cannot read ${path}: ${codeOf(error)}`);
      }
    }
    if (options.expected === null) {
      if (stats) throw new UsageError(`Not writing ${path}: it already exists`);
    } else if (options.expected !== undefined) {
      if (!stats) throw new UsageError(`Not writing ${path}: it was removed after it was read`);
      const expected = typeof options.expected === 'string' ? Buffer.from(options.expected, 'utf8') : options.expected;
      if (!current!.equals(expected)) {
        throw new UsageError(`Not writing ${path}: it changed on disk after it was read`, 'Run the command again.');
      }
    }
    const refusal = options.check?.(stats ? target : null);
    if (refusal) throw new UsageError(`Not writing ${path}: ${refusal}`);

    tmp = join(dir, shortName(name, '.', `.${crypto().randomBytes(4).toString('hex')}.tmp`));
    inFlight.add(tmp);
    // A new file gets 0666 less the umask, as any editor's; an existing one its own mode below.
    fd = openSync(tmp, 'wx', stats ? 0o600 : 0o666);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    if (stats) {
      const mine = fstatSync(fd);
      if (mine.uid !== stats.uid || mine.gid !== stats.gid) {
        try {
          fchownSync(fd, stats.uid, stats.gid);
        } catch {
          throw new UsageError(`Not writing ${path}: its owner or group (${stats.uid}:${stats.gid}) could not be kept`);
        }
      }
      fchmodSync(fd, stats.mode & 0o7777);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    inFlight.delete(tmp);
    tmp = undefined;
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    if (tmp !== undefined) {
      try {
        unlinkSync(tmp);
      } catch {
        /* never created */
      }
      inFlight.delete(tmp);
    }
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot write ${path}: ${codeOf(error)}`);
  } finally {
    release(lock);
  }
}

/**
 * Append `content` to the end of `path` under the same lock as
 * {@link writeFileAtomic}, only while the file is the one the caller read:
 * `unchanged` gets its stats under the lock, and false leaves it as it is. For
 * files made of lines that a reader drops when cut short or garbled (the
 * `--cache` file's JSON lines, derived data): a failed write is cut off again
 * (truncated to the size before), so a reader sees the old bytes or the old
 * bytes and whole new lines. Not flushed to disk (fsync): what a crash can
 * leave is the old bytes and a lost, cut or zero-filled end, which such a
 * reader drops (an fsync cost the re-run about 10 ms of wall time on a loaded
 * machine).
 *
 * @param path the file to append to (a symbolic link is followed)
 * @param content the bytes to add (a string is written as UTF-8)
 * @param unchanged whether the file, by its stats under the lock, is still what the caller read
 * @returns true when appended; false when the file is missing, not a regular
 *   file, or `unchanged` said no (the caller writes it whole instead)
 * @throws UsageError when the lock is held by another process for longer than
 *   the timeout, or on an I/O error (the file then has its old bytes)
 */
export function appendFileLocked(path: string, content: string | Buffer, unchanged: (stats: Stats) => boolean, { lockTimeoutMs = 2000 }: { lockTimeoutMs?: number } = {}): boolean {
  const { target, stats: before } = resolveTarget(path);
  if (!before || !before.isFile()) return false;
  const lock = join(dirname(target), shortName(basename(target), '', '.lock'));
  hookSignals();
  acquire(lock, path, lockTimeoutMs);
  let fd: number | undefined;
  let size = -1;
  try {
    let stats: Stats;
    try {
      stats = statSync(target);
    } catch {
      return false;
    }
    if (!stats.isFile() || stats.nlink > 1 || !unchanged(stats)) return false;
    size = stats.size;
    fd = openSync(target, 'a');
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    closeSync(fd);
    fd = undefined;
    return true;
  } catch (error) {
    if (fd !== undefined) {
      try {
        if (size >= 0) ftruncateSync(fd, size);
        closeSync(fd);
      } catch {
        /* as much as can be undone */
      }
    }
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot write ${path}: ${codeOf(error)}`);
  } finally {
    release(lock);
  }
}
