/**
 * Lint one text or many files: one parse per file, the single-file rules on
 * its Story, the cross-story checks through the Project, lint comments, and
 * `--fix` passes. The CLI and the API both call this.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Rule } from '../rules/types.js';
import type { Story } from '../story/model.js';
import { parseStory } from '../story/parse.js';
import { parseForLint } from './analyze.js';
import { rules as allRules } from '../../rules/index.js';
import { applyFixes } from './fix.js';
import { applyComments, makeResult, runRules, sortMessages } from './engine.js';
import { crossStoryMessages, Project, summarize } from './project.js';
import { decodeStory, readStory, storyFiles } from './files.js';
import type { LintMessage, LintResult } from './types.js';

export interface LintTextOptions {
  config: ResolvedConfig;
  /** The stories of the configured glob, for cross-story checks. */
  project?: Project;
  rules?: readonly Rule[];
  gfm?: boolean;
  /**
   * Parse only the sections the rules read (same positions and messages, less
   * work); the returned Story then has no criteria or open questions.
   */
  sectionsOnly?: boolean;
}

export interface TextLint {
  story: Story;
  messages: LintMessage[];
}

/** Lint a story's text: single-file rules, cross-story checks, lint comments. */
export function lintStoryText(text: string, path: string | undefined, options: LintTextOptions): TextLint {
  const story = options.sectionsOnly && !options.gfm && path ? parseForLint(text, path) : parseStory(text, path, { gfm: options.gfm });
  let messages = runRules(story, options.config, options.rules ?? allRules);
  if (options.project && path) {
    options.project.add(summarize(story, path));
    messages.push(...crossStoryMessages(story, options.project, options.config));
  }
  messages = sortMessages(applyComments(story, messages));
  return { story, messages };
}

const MAX_FIX_PASSES = 10;

/** Apply fixes pass by pass (like ESLint) until none is left or nothing changes. */
export function fixStoryText(text: string, path: string | undefined, options: LintTextOptions): { output: string; lint: TextLint } {
  let current = text;
  let lint = lintStoryText(current, path, options);
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = lint.messages.filter((m) => m.fix).map((m) => m.fix!);
    if (fixes.length === 0) break;
    const bom = lint.story.bom ? '\ufeff' : '';
    const { text: next } = applyFixes(lint.story.text, fixes);
    if (bom + next === current) break;
    current = bom + next;
    lint = lintStoryText(current, path, options);
  }
  return { output: current, lint };
}

export function makeProject(config: ResolvedConfig, extra: readonly string[] = [], gfm = false): Project {
  const files = [...new Set([...storyFiles(config), ...extra])];
  return new Project(files, (p) => {
    const read = readStory(p);
    if ('fatal' in read) return null;
    return summarize(parseStory(read.text, p, { gfm }), p);
  });
}

/** The result for a file that could not be read as text. */
export function fatalResult(path: string, message: LintMessage): LintResult {
  return makeResult(path, [message]);
}

export { decodeStory, makeResult };

export interface LintFilesOptions {
  config: ResolvedConfig;
  fix?: boolean;
  gfm?: boolean;
  /** Write fixed files (the CLI); the API may only want `output`. */
  write?: (path: string, output: string, original: Buffer | string) => void;
}

/** Lint story files; with `fix`, fixed text is written through `write`. */
export function lintFiles(files: readonly string[], options: LintFilesOptions): LintResult[] {
  const project = makeProject(options.config, files, options.gfm);
  const results: LintResult[] = [];
  for (const file of files) {
    const read = readStory(file);
    if ('fatal' in read) {
      results.push(fatalResult(file, read.fatal));
      continue;
    }
    const opts: LintTextOptions = { config: options.config, project, gfm: options.gfm, sectionsOnly: true };
    if (options.fix) {
      const { output, lint } = fixStoryText(read.text, file, opts);
      const result = makeResult(file, lint.messages);
      if (output !== read.text) {
        result.output = output;
        options.write?.(file, output, read.text);
      }
      results.push(result);
    } else {
      results.push(makeResult(file, lintStoryText(read.text, file, opts).messages));
    }
  }
  return results;
}
