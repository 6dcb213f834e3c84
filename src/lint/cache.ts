/**
 * `plan-tasks lint --cache`: a content-hash cache like ESLint's. One JSON file
 * (default `.plan-tasks-cache`) maps each linted file to the hash of its text
 * and its per-file Analysis (single-file messages, cross-story data, summary).
 * The whole file is valid for one plan-tasks version and one resolved config;
 * anything else (missing, corrupt, other version or config) reads as empty.
 * Cross-story checks are never cached: they run on every run from the
 * summaries, so a change in another story is always seen. Safe to delete.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import type { Analysis } from './analyze.js';

declare const PLAN_TASKS_VERSION: string;

export const DEFAULT_CACHE_FILE = '.plan-tasks-cache';
const FORMAT = 1;

export interface CacheEntry extends Analysis {
  hash: string;
}

interface CacheFile {
  format: number;
  key: string;
  entries: Record<string, CacheEntry>;
}

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** What the cache is valid for: the format, the version and the resolved config. */
export function cacheKey(config: ResolvedConfig): string {
  const version = typeof PLAN_TASKS_VERSION === 'string' ? PLAN_TASKS_VERSION : 'dev';
  return hashText(JSON.stringify([FORMAT, version, config]));
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

export class LintCache {
  private entries: Record<string, CacheEntry> = {};
  private dirty = false;

  private constructor(
    readonly file: string,
    private readonly key: string,
  ) {}

  /** Load the cache for this config; a missing, corrupt or stale file is an empty cache. */
  static load(file: string, config: ResolvedConfig): LintCache {
    const cache = new LintCache(file, cacheKey(config));
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (data && data.format === FORMAT && data.key === cache.key && data.entries && typeof data.entries === 'object') {
        cache.entries = data.entries;
      } else {
        cache.dirty = true;
      }
    } catch {
      cache.dirty = existsSync(file);
    }
    return cache;
  }

  /** The entry for a file whose text has this hash, or undefined. */
  get(path: string, hash: string): CacheEntry | undefined {
    const entry = Object.hasOwn(this.entries, path) ? this.entries[path] : undefined;
    if (!entry || entry.hash !== hash || !Array.isArray(entry.messages) || !entry.story || !entry.summary) return undefined;
    return entry;
  }

  set(path: string, entry: CacheEntry): void {
    this.entries[path] = entry;
    this.dirty = true;
  }

  delete(path: string): void {
    if (Object.hasOwn(this.entries, path)) {
      delete this.entries[path];
      this.dirty = true;
    }
  }

  /** Write the cache if it changed (temp file + rename). Returns an error message, or null. */
  save(): string | null {
    if (!this.dirty) return null;
    for (const path of Object.keys(this.entries)) if (!existsSync(path)) delete this.entries[path];
    const data: CacheFile = { format: FORMAT, key: this.key, entries: this.entries };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, this.file);
      this.dirty = false;
      return null;
    } catch (error) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing was written
      }
      return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    }
  }
}
