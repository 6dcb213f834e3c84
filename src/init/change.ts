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
  /** Print `snippet` as it is (its indentation is the file's), not indented for display. */
  verbatim?: boolean;
  /** For a `conflict` init may replace (`after` set): what the replacement would hold. */
  replacement?: string;
  /** For a `conflict` in a file init merges into: the part `--force` replaces (the rest is kept); absent, the whole file. */
  part?: string;
  /** For a kept `conflict`: what `--force` naming the file does, in the note (absent: it replaces `part`, or the file). */
  forceDoes?: string;
  /** For a file of `init --agent`: the agent kind that writes it, so the `--force` note names `--agent` too. */
  agent?: string;
}

/** The line init writes at the top of every file it generates whole (the workflow, the slash command). */
export const WRITTEN_BY_INIT = 'Written by `plan-tasks init';

/**
 * A file init writes whole (\`path\` under \`root\`, \`/\`-separated): \`create\` when
 * missing, \`unchanged\` when it holds exactly \`after\`, \`keep\` when \`accept\`
 * says its text already does the job, else a \`conflict\`: the user's file (one
 * init wrote and they edited, or their own), which init keeps unless \`--force\`
 * names it. Reads the file; throws the read's UsageError.
 */
export function wholeFileChange(root: string, path: string, after: string, detail: string, accept?: (text: string) => boolean): Change {
  const before = readTextIfExists(join(root, path));
  if (before === null) return { path, action: 'create', detail, before, after };
  if (before === after) return { path, action: 'unchanged', detail, before };
  if (accept?.(before)) return { path, action: 'keep', detail: 'already runs plan-tasks', before };
  const why = before.includes(WRITTEN_BY_INIT) ? 'differs from what init writes now (an edit, or an earlier config or version)' : 'not written by init';
  return { path, action: 'conflict', detail: why, before, after, replacement: detail };
}
