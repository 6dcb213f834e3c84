/**
 * The plan-tasks API: parse a story into the model, lint text or files, load
 * config. The CLI is built on the same functions.
 */
export type * from './story/model.js';
export type { ResolvedConfig, DomainConfig, Severity } from './config/types.js';
export type { LintMessage, LintResult } from './lint/types.js';
export type { Finding, Fix, Rule, RuleMeta, RuleContext } from './rules/types.js';
export { parseStory, buildStory, storyFromTree } from './story/parse.js';
export { loadConfig } from './config/load.js';
export { defaultConfig, RULE_IDS } from './config/defaults.js';
export { lintStoryText, fixStoryText, lintFiles } from './lint/run.js';
export { applyFixes } from './lint/fix.js';
export { rules } from '../rules/index.js';
