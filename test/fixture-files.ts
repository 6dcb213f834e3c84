/**
 * The Markdown files below a folder, for the tests that hold a fast path to
 * the plain path on every fixture: absolute paths, depth first, in
 * `readdirSync` order within each folder. Throws what `readdirSync` throws.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function markdownFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) markdownFiles(p, into);
    else if (entry.endsWith('.md')) into.push(p);
  }
  return into;
}
