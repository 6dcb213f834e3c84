/**
 * A project snapshot: which story files exist, and what their bytes are, for
 * the whole project at one point in time. The lint pipeline (src/lint/lint.ts)
 * reads nothing else, so the working tree, git's index, a git tree (HEAD, a
 * merge-base) and unsaved editor text (`--stdin`) are linted the same way.
 */
import { statSync } from 'node:fs';
import type { ResolvedConfig } from '../config/types.js';
import { metaOf } from './cache.js';
import type { Meta } from './types.js';
import { decodeStory, readStory, storyFiles, type ReadResult } from './files.js';

/** What the lint pipeline knows of a project. Paths are absolute, as reported. */
export interface Snapshot {
  /**
   * Every story file of the configured `stories` glob in this snapshot (absolute
   * paths, the `filePath` of the results). Files outside it may still be linted
   * when named; they are read through `read` too.
   */
  readonly files: readonly string[];
  /**
   * A file's text, or a fatal message (binary, invalid UTF-8, empty, conflict
   * markers, not a regular file). Throws a UsageError when the file cannot be
   * read at all (I/O error, exit 2).
   */
  read(path: string): ReadResult;
  /**
   * The file's metadata for `--cache-strategy metadata` (`[size, mtimeMs,
   * ctimeMs, ino]`), taken before it is read; undefined when the snapshot has
   * none (git objects, stdin) or the file cannot be stat'ed.
   */
  meta?(path: string): Meta | undefined;
}

/** The working tree: the configured glob's files, read from disk (any other file too, when asked for). */
export function workingTreeSnapshot(config: ResolvedConfig): Snapshot {
  return {
    files: storyFiles(config),
    read: readStory,
    meta(path) {
      try {
        return metaOf(statSync(path));
      } catch {
        return undefined; // read() says why
      }
    },
  };
}

/**
 * `base` with some files' bytes replaced (or added): unsaved editor text
 * (`lint --stdin --stdin-filename <path>`), a file about to be written. Paths
 * are absolute. An added file counts as a story of the project when
 * `isStory(path)` says so (default: when `base` lists it). Overlaid files have
 * no metadata, so the cache never answers for them.
 */
export function overlaySnapshot(base: Snapshot, files: ReadonlyMap<string, Uint8Array | string>, isStory?: (path: string) => boolean): Snapshot {
  const decoded = new Map<string, ReadResult>();
  const read = (path: string): ReadResult => {
    const over = files.get(path);
    if (over === undefined) return base.read(path);
    let r = decoded.get(path);
    if (!r) decoded.set(path, (r = decodeStory(typeof over === 'string' ? Buffer.from(over, 'utf8') : over)));
    return r;
  };
  return {
    files: isStory ? [...new Set([...base.files, ...[...files.keys()].filter(isStory)])].sort() : base.files,
    read,
    meta: base.meta ? (path) => (files.has(path) ? undefined : base.meta!(path)) : undefined,
  };
}

/**
 * A snapshot held in memory: path -> bytes (a git tree or the index, read in
 * one `git cat-file --batch`), or a fatal message for an entry that is not a
 * file (a submodule, an unmerged path).
 */
export function memorySnapshot(files: ReadonlyMap<string, Uint8Array | ReadResult>, storyPaths: readonly string[]): Snapshot {
  const decoded = new Map<string, ReadResult>();
  return {
    files: storyPaths,
    read(path) {
      let r = decoded.get(path);
      if (r) return r;
      const entry = files.get(path);
      if (entry === undefined) {
        r = { fatal: { ruleId: null, severity: 2, fatal: true, message: 'Unexpected missing file, expected a story file in this snapshot', line: 1, column: 1, endLine: 1, endColumn: 1 } };
      } else if (entry instanceof Uint8Array) {
        r = decodeStory(entry);
      } else {
        r = entry;
      }
      decoded.set(path, r);
      return r;
    },
  };
}

/**
 * `base` with some files' bytes replaced or added, listing exactly `storyPaths`
 * (absolute, sorted): another version of the same project (the gates' old
 * snapshot: the new one with the changed stories' old versions). Files not
 * replaced are read through `base`, so their text is decoded once for both.
 */
export function replacedSnapshot(base: Snapshot, files: ReadonlyMap<string, Uint8Array | ReadResult>, storyPaths: readonly string[]): Snapshot {
  const replaced = memorySnapshot(files, []);
  return {
    files: storyPaths,
    read: (path) => (files.has(path) ? replaced.read(path) : base.read(path)),
  };
}
