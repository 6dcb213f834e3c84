/** What a command needs from the outside world; tests pass their own. */
import { fstatSync, statSync, writeSync } from 'node:fs';

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
 */
export function fdWriter(fd: 1 | 2): (text: string) => void {
  let closed = false;
  let stream: NodeJS.WriteStream | null = null;
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
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') {
          closed = true;
          return;
        }
        if (code !== 'EAGAIN') throw error;
        stream = fd === 1 ? process.stdout : process.stderr;
        stream.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code !== 'EPIPE') throw e;
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
