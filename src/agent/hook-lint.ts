/**
 * What `plan-tasks hook claude` needs once the edited file is Markdown, in one
 * module: the build makes it one file (`dist/hook-lint.cjs`, like the lint
 * bundle), so a story edit loads the dispatcher, the hook and this, and an
 * edit of anything else only the first two (and the shared UsageError).
 */
export { loadConfig } from '../config/load.js';
export { readStory, storyFiles } from '../lint/files.js';
export { makeResult } from '../lint/engine.js';
export { lintWithDependents } from './lint-text.js';
