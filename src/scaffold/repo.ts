/**
 * What the repository knows: its files (one `git ls-files`, .gitignore
 * respected) and where identifiers occur (one `git grep` for all of a
 * story's identifiers). Both are read lazily, once per scaffold run. Outside a
 * git repository (or without git) the index is empty and domain inference
 * falls back to the configured keywords and paths.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitSync } from '../git/exec.js';

export interface RepoIndex {
  /** Tracked and untracked-but-not-ignored files, relative to the root. */
  files(): readonly string[];
  /** For each identifier, the files that contain it as a whole word. */
  grep(identifiers: readonly string[]): Map<string, string[]>;
  /** A file's text (relative to the root), or null when it cannot be read. */
  read?(path: string): string | null;
}

const MAX_BUFFER = 64 * 1024 * 1024;
/** More identifiers than this are not searched (the command line stays short). */
const MAX_IDENTIFIERS = 200;

function git(root: string, args: string[]): string | null {
  try {
    const r = gitSync(args, { cwd: root }, MAX_BUFFER);
    // git grep exits 1 when nothing matched: that is an empty answer, not a failure.
    if (r.code !== 0 && r.code !== 1) return null;
    return r.stdout.toString('utf8');
  } catch {
    return null;
  }
}

export function gitRepoIndex(root: string): RepoIndex {
  let files: string[] | undefined;
  return {
    read(path) {
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return null;
      }
    },
    files() {
      if (!files) {
        const out = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
        files = out ? [...new Set(out.split('\0').filter(Boolean))].sort() : [];
      }
      return files;
    },
    grep(identifiers) {
      const found = new Map<string, string[]>();
      const ids = [...new Set(identifiers)].filter((i) => /^[A-Za-z_][\w]*$/.test(i)).slice(0, MAX_IDENTIFIERS);
      if (ids.length === 0 || this.files().length === 0) return found;
      const args = ['grep', '-I', '-F', '-w', '-o', '-z', '--untracked'];
      for (const id of ids) args.push('-e', id);
      const out = git(root, args);
      if (!out) return found;
      for (const line of out.split('\n')) {
        const nul = line.indexOf('\0');
        if (nul === -1) continue;
        const file = line.slice(0, nul);
        const id = line.slice(nul + 1);
        const list = found.get(id) ?? [];
        if (!list.includes(file)) list.push(file);
        found.set(id, list);
      }
      return found;
    },
  };
}

/**
 * `repo` without the story files (`isStory(path)`, `path` relative to the root): a
 * task changes the code, the docs or the CI, never a story file, whose words
 * (and identifiers) would otherwise make the story itself the best match ("The
 * README documents the CSV columns" started in `docs/stories/002-export-csv.md`).
 */
export function withoutStories(repo: RepoIndex, isStory: (path: string) => boolean): RepoIndex {
  let files: readonly string[] | undefined;
  return {
    files: () => (files ??= repo.files().filter((f) => !isStory(f))),
    grep(identifiers) {
      const found = new Map<string, string[]>();
      for (const [id, list] of repo.grep(identifiers)) {
        const kept = list.filter((f) => !isStory(f));
        if (kept.length) found.set(id, kept);
      }
      return found;
    },
    ...(repo.read ? { read: (path: string) => repo.read!(path) } : {}),
  };
}
