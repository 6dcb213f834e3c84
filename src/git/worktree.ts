/**
 * Blobs the gates can take from the working tree instead of from git: a file
 * on disk whose bytes are exactly the blob git holds for its path (HEAD's tree
 * for `--base`, the index for `--staged`), told by hashing the bytes as git
 * names a blob (`blob <size>\0` + bytes; SHA-1, or SHA-256 in a repository of
 * 64-digit ids) and comparing with the listed object id. The gate's result
 * cannot depend on where the bytes came from: a file that differs (an edit
 * not in the change, line endings converted by a filter or `core.autocrlf`, a
 * symbolic link, anything but a regular file, a file that cannot be read) is
 * simply read from git. Reading and hashing the stories of a checkout costs
 * less CPU than `git cat-file --batch` inflating each object (about half on
 * the bench's 504 loose objects) and needs no process, so only the old
 * versions of the changed stories go through git.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_STORY_BYTES } from '../lint/files.js';

/** A listed regular file: its repository path and the object id git holds for it. */
export interface ListedBlob {
  path: string;
  oid: string;
}

/** When this many files in a row, from the first, differ from git, the rest are not tried (a checkout with converted line endings). */
const GIVE_UP_AFTER = 8;

/** The git object id of `bytes` as a blob, in the hash an id of `oidLength` hex digits is (40: SHA-1, 64: SHA-256); null for another length. */
export function blobId(bytes: Uint8Array, oidLength: number): string | null {
  const algorithm = oidLength === 40 ? 'sha1' : oidLength === 64 ? 'sha256' : null;
  if (algorithm === null) return null;
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A regular file's bytes (opened non-blocking, so a FIFO never waits), or null: not a regular file, larger than a story may be (git reads it, and the lint says why), unreadable. */
function readRegular(file: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_STORY_BYTES) return null;
    const buf = Buffer.allocUnsafe(stat.size);
    let at = 0;
    while (at < stat.size) {
      const n = readSync(fd, buf, at, stat.size - at, at);
      if (n === 0) break;
      at += n;
    }
    // A file that grew while read is not the listed blob anyway; one that shrank is hashed as read.
    return at === stat.size ? buf : buf.subarray(0, at);
  } catch {
    return null;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing was written
    }
  }
}

/**
 * The listed blobs whose file in the working tree under `top` holds exactly
 * their bytes, by object id (lower-case hex, as git lists them). Never
 * throws: what cannot be read or differs is left out, for git to read. Gives
 * up on the rest when the first `GIVE_UP_AFTER` files all differ.
 */
export function worktreeBlobs(top: string, listed: Iterable<ListedBlob>): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let misses = 0;
  for (const { path, oid } of listed) {
    if (out.has(oid)) continue;
    if (out.size === 0 && misses >= GIVE_UP_AFTER) break;
    const bytes = readRegular(join(top, path));
    if (bytes !== null && blobId(bytes, oid.length) === oid) out.set(oid, bytes);
    else misses++;
  }
  return out;
}
