/**
 * Reading the small files the writers edit (package.json, .gitignore,
 * .claude/settings.json, AGENTS.md).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * The UTF-8 text of `file`, or null when it does not exist.
 *
 * @throws UsageError on any other I/O error (`Cannot read FILE: CODE`, exit 2)
 */
export function readTextIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
