/**
 * Lint one story against its project, for the agent-facing commands (`hook
 * claude`, the MCP `lint` tool). One small entry point over the linter's own
 * functions (src/lint/run.ts): the single-file rules, the cross-story checks
 * against every story of the configured glob, lint comments.
 */
import type { ResolvedConfig } from '../config/types.js';
import { parseForLint } from '../lint/analyze.js';
import { applyComments, makeResult, sortMessages } from '../lint/engine.js';
import { readStory } from '../lint/files.js';
import { crossStoryMessages, summarize } from '../lint/project.js';
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

/** Cross-story rules whose findings an edit of another story can cause. */
const CROSS_STORY_RULES = new Set(['dependency-unknown', 'dependency-status', 'story-dependency']);

/**
 * Lint `text` as the story `filePath`, and report what the change did to the
 * stories that refer to it: for every other story of the glob with a task ref
 * to it (`010/002`) or a `## Dependencies` entry for it, the cross-story
 * findings on those refs (a task removed or renumbered, a status the edit
 * moved back; a cycle through it is reported in the edited story itself).
 * Other findings of those stories are theirs, not the edit's, and are left
 * out. Returns the edited story's result first, then one per affected story
 * (only those with findings). An unreadable other story is not the edit's
 * problem either (linting it reports that) and is passed over.
 */
export function lintWithDependents(text: string, filePath: string, config: ResolvedConfig): LintResult[] {
  const project = makeProject(config, [filePath]);
  const { story, messages } = lintStoryText(text, filePath, { config, project, sectionsOnly: true });
  const out = [makeResult(filePath, messages)];
  const id = story.id;
  if (id === null) return out;
  // What a ref to this story looks like (a task ref `010/002`, a story file name
  // `010-x.md`, `Story 010`, `Stories 009 and 010`): only stories with one are parsed.
  const idRef = new RegExp(`(?<![\\d/])${id}/\\d|(?<!\\d)${id}-[a-z0-9-]+\\.md|\\bstor(?:y|ies)[ \\t]+#?(?:\\d{3}[a-z]?[ \\t]*(?:,|\\band\\b|&)[ \\t]*#?)*${id}(?![\\da-z])`, 'i');
  for (const other of project.byId.values()) {
    for (const file of other) {
      if (file === filePath) continue;
      let read;
      try {
        read = readStory(file);
      } catch {
        continue;
      }
      if ('fatal' in read || !idRef.test(read.text)) continue;
      // Only the cross-story checks: the single-file rules cannot see the edit.
      const dep = parseForLint(read.text, file);
      if (dep.id === id) continue; // another file with the same number: its refs to "itself" are not the edit's
      const lines = new Set<number>();
      for (const t of dep.tasks) for (const r of t.depends) if (r.story === id) lines.add(r.span.start.line);
      for (const d of dep.dependencies) if (d.story === id) lines.add(d.span.start.line);
      if (lines.size === 0) continue;
      project.add(summarize(dep, file));
      // Without the cycle walks: a cycle through the edited story is reported in it.
      const messages = sortMessages(applyComments(dep, crossStoryMessages(dep, project, config, { cycles: false })));
      const caused = messages.filter((m) => m.ruleId !== null && CROSS_STORY_RULES.has(m.ruleId) && lines.has(m.line));
      if (caused.length) out.push(makeResult(file, caused));
    }
  }
  return out;
}
