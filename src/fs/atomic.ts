/**
 * Writes that cannot lose data: the new text goes to a temp file in the same
 * folder, is flushed, and replaces the original by rename. If the file changed
 * on disk since it was read, nothing is written.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

export interface AtomicWriteOptions {
  /** The bytes the caller read; if the file now holds anything else, refuse. Null: the file must not exist. */
  expected?: string | Buffer | null;
}

export function writeFileAtomic(path: string, content: string | Buffer, options: AtomicWriteOptions = {}): void {
  let mode = 0o644;
  let exists = true;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    exists = false;
  }
  if (options.expected !== undefined) {
    if (options.expected === null) {
      if (exists) throw new UsageError(`Not writing ${path}: it already exists`);
    } else {
      let now: Buffer;
      try {
        now = readFileSync(path);
      } catch {
        throw new UsageError(`Not writing ${path}: it was removed after it was read`);
      }
      const expected = typeof options.expected === 'string' ? Buffer.from(options.expected, 'utf8') : options.expected;
      if (!now.equals(expected)) {
        throw new UsageError(`Not writing ${path}: it changed on disk after it was read`, 'Run the command again.');
      }
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
