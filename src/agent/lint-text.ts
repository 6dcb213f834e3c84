/**
 * Lint one story against its project, for the agent-facing commands (`hook
 * claude`, the MCP `lint` tool). One small entry point over the linter's own
 * functions (src/lint/run.ts): the single-file rules, the cross-story checks
 * against every story of the configured glob, lint comments.
 */
import type { ResolvedConfig } from '../config/types.js';
import { makeResult } from '../lint/engine.js';
import { readStory } from '../lint/files.js';
import { lintStoryText, makeProject } from '../lint/run.js';
import type { LintResult } from '../lint/types.js';

/**
 * Lint `text` as the story file `filePath` (absolute): the file need not hold
 * this text (unsaved text, a proposed version); other stories are read from
 * disk for cross-story refs. Returns ESLint's result shape for that path.
 */
export function lintText(text: string, filePath: string, config: ResolvedConfig): LintResult {
  const project = makeProject(config, [filePath]);
  return makeResult(filePath, lintStoryText(text, filePath, { config, project, sectionsOnly: true }).messages);
}

/**
 * Lint the story file at `filePath` (absolute) as it is on disk. A file that
 * cannot be read as UTF-8 text gives its fatal message (an error), never an
 * empty result; a file that cannot be read at all is a UsageError (readStory).
 */
export function lintFile(filePath: string, config: ResolvedConfig): LintResult {
  const read = readStory(filePath);
  if ('fatal' in read) return makeResult(filePath, [read.fatal]);
  return lintText(read.text, filePath, config);
}
