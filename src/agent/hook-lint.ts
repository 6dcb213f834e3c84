/**
 * What `plan-tasks hook claude` needs once the edited file is Markdown, in one
 * module: the build makes it one file (`dist/hook-lint.js`, like the lint
 * bundle), so a story edit loads three files (dispatcher, hook, this) and an
 * edit of anything else loads two.
 */
export { loadConfig } from '../config/load.js';
export { readStory, storyFiles } from '../lint/files.js';
export { makeResult } from '../lint/engine.js';
export { lintWithDependents } from './lint-text.js';
