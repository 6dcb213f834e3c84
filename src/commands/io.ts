/** What a command needs from the outside world; tests pass their own. */
import { fstatSync, statSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';

export interface IO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (for colour). */
  isTTY: boolean;
  /** All of standard input (`lint --stdin`); default: the process's stdin. */
  stdin?: () => Promise<Buffer>;
}

/**
 * Write to file descriptor 1 or 2 directly, as process.stdout does on Linux
 * for files, pipes and terminals (synchronously), without setting up its
 * stream (which loads node:stream: about 5 ms of a cold run). A reader that
 * stops early (`plan-tasks lint | head`, EPIPE) gets nothing more, quietly;
 * a non-blocking descriptor that is full (EAGAIN) hands the rest to the stream.
 * Any other failure (ENOSPC on a full disk, EIO, EBADF): on standard output,
 * a UsageError `Cannot write to standard output: CODE` (exit 2: the report
 * was not delivered), later text dropped; on standard error, whose failure
 * has nowhere to be told, the text is dropped and the exit code stays the
 * run's. Through the stream, the same, with exit code 2 for standard output.
 * @throws UsageError for a failed write to standard output
 */
export function fdWriter(fd: 1 | 2): (text: string) => void {
  let closed = false;
  let stream: NodeJS.WriteStream | null = null;
  /** A write that failed for good: nothing more is written to this descriptor. */
  const failed = (error: unknown): void => {
    closed = true;
    const code = (error as NodeJS.ErrnoException)?.code;
    if (fd === 2 || code === 'EPIPE') return;
    throw new UsageError(`Cannot write to standard output: ${code ?? String((error as Error)?.message ?? error)}`);
  };
  return (text) => {
    if (closed || !text) return;
    if (stream) {
      stream.write(text);
      return;
    }
    const bytes = Buffer.from(text);
    let off = 0;
    while (off < bytes.length) {
      try {
        off += writeSync(fd, bytes, off);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return failed(error);
        stream = fd === 1 ? process.stdout : process.stderr;
        stream.on('error', (e: NodeJS.ErrnoException) => {
          // After the run returned: the report did not arrive, so the exit code says so.
          try {
            failed(e);
          } catch (usage) {
            fdWriter(2)(`plan-tasks: ${(usage as Error).message}\n`);
            process.exitCode = 2;
          }
        });
        stream.write(bytes.subarray(off));
        return;
      }
    }
  };
}

/**
 * isatty(fd), without loading node:tty (which loads node:net and node:stream:
 * about 6 ms) when fd is a pipe, a file or /dev/null: a terminal is a
 * character device, and /dev/null (told by its device number) is not one.
 */
export function isTerminal(fd: number): boolean {
  // node:tty on first use only (process.getBuiltinModule: an import would load it with the CLI).
  const isatty = (n: number) => process.getBuiltinModule('node:tty').isatty(n);
  if (process.platform === 'win32') return isatty(fd);
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice() || stat.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return isatty(fd);
  }
  return isatty(fd);
}

export function processIO(): IO {
  return {
    cwd: process.cwd(),
    stdout: fdWriter(1),
    stderr: fdWriter(2),
    env: process.env,
    isTTY: isTerminal(1),
  };
}
