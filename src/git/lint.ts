/**
 * Git mode for `plan-tasks lint`: `--staged` and `--base`. Filled in by the
 * status-transitions work (issue 3).
 */
import { UsageError } from '../errors.js';
import type { GitLinter } from '../commands/lint.js';

export const lintGit: GitLinter = async (options) => {
  throw new UsageError(`${options.staged ? '--staged' : '--base'} is not available in this build`);
};
