/**
 * The changes \`plan-tasks init\` (and \`init --agent\`) plans before it writes
 * anything: one per file, with the text read and the text to write.
 */
import { join } from 'node:path';
import { readTextIfExists } from '../fs/read.js';

/**
 * One file init would touch. `manual`: a file init does not edit (another hook
 * manager's config, a JavaScript or YAML lint-staged config); the user adds
 * `snippet` to it. It does not stop the other changes.
 */
export interface Change {
  /** Path relative to the repository root, `/`-separated. */
  path: string;
  action: 'create' | 'update' | 'unchanged' | 'conflict' | 'keep' | 'manual';
  /** What changes (or why not). */
  detail: string;
  /** The bytes read (null: the file does not exist). */
  before: string | null;
  after?: string;
  /** For `manual`: the lines to add. */
  snippet?: string;
}

/**
 * A file init writes whole (\`path\` under \`root\`, \`/\`-separated): \`create\` when
 * missing, \`unchanged\` when it holds exactly \`after\`, \`keep\` when \`accept\`
 * says its text already does the job, else a \`conflict\` (replaced with
 * \`--force\`). Reads the file; throws the read's UsageError.
 */
export function wholeFileChange(root: string, path: string, after: string, detail: string, accept?: (text: string) => boolean): Change {
  const before = readTextIfExists(join(root, path));
  if (before === null) return { path, action: 'create', detail, before, after };
  if (before === after) return { path, action: 'unchanged', detail, before };
  if (accept?.(before)) return { path, action: 'keep', detail: 'already runs plan-tasks', before };
  return { path, action: 'conflict', detail: `holds something else; --force replaces it with: ${detail}`, before, after };
}
