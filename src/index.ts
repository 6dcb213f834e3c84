/**
 * The plan-tasks API: parse a story into the model, lint a project snapshot
 * (the working tree, or the working tree with one file's unsaved text), load
 * config. The CLI is built on the same functions.
 */
export type * from './story/model.js';
export type { ResolvedConfig, DomainConfig, Severity } from './config/types.js';
export type { LintMessage, LintResult } from './lint/types.js';
export type { Finding, Fix, Rule, RuleMeta, RuleContext } from './rules/types.js';
export { parseStory, buildStory, storyFromTree } from './story/parse.js';
export { loadConfig } from './config/load.js';
export { defaultConfig, RULE_IDS } from './config/defaults.js';
export { lint, lintText, lintStoryText, fixStoryText } from './lint/lint.js';
export type { ProjectLintOptions, TextLintOptions, LintTextOptions, TextLint } from './lint/lint.js';
export { workingTreeSnapshot, overlaySnapshot, memorySnapshot } from './lint/snapshot.js';
export type { Snapshot } from './lint/snapshot.js';
export { applyFixes } from './lint/fix.js';
export { rules } from '../rules/index.js';
