/** What the lint-equivalence tests share: the story files of a folder and the reference run. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../src/config/types.js';
import { lintFiles } from '../src/lint/run.js';
import type { LintResult } from '../src/lint/types.js';
import { scanner } from '../src/story/fast.js';

/** The `.md` files of a folder, sorted, as absolute paths. */
export function mdFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f))
    .sort();
}

/** The reference: every story parsed by micromark (the hand-written scanner off), no cache, no workers. */
export function plain(files: string[], config: ResolvedConfig): LintResult[] {
  scanner.enabled = false;
  try {
    return lintFiles(files, { config });
  } finally {
    scanner.enabled = true;
  }
}
