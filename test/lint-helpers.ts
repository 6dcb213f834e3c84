/** What the lint-equivalence tests share: the story files of a folder and the reference run. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../src/config/types.js';
import { makeResult } from '../src/lint/engine.js';
import { readStory } from '../src/lint/files.js';
import { lintStoryText, makeProject } from '../src/lint/lint.js';
import type { LintResult } from '../src/lint/types.js';
import { scanner } from '../src/story/fast.js';

/** The `.md` files of a folder, sorted, as absolute paths. */
export function mdFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f))
    .sort();
}

/**
 * The `.md` files below a folder, at any depth, as absolute paths: depth
 * first, in `readdirSync` order within each folder (the fast-path tests hold
 * a path to the plain one on every fixture with it).
 */
export function markdownFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) markdownFiles(p, into);
    else if (entry.endsWith('.md')) into.push(p);
  }
  return into;
}

/** The reference: every story parsed by micromark (the hand-written scanner off), no cache. */
export function plain(files: string[], config: ResolvedConfig): LintResult[] {
  scanner.enabled = false;
  try {
    // One story at a time, synchronously, through lintStoryText (not the pipeline under test).
    const project = makeProject(config, files);
    return files.map((file) => {
      const read = readStory(file);
      if ('fatal' in read) return makeResult(file, [read.fatal]);
      const { messages, suppressed } = lintStoryText(read.text, file, { config, project, sectionsOnly: true });
      return makeResult(file, messages, suppressed);
    });
  } finally {
    scanner.enabled = true;
  }
}
