/**
 * Lint one story against its project, for the agent-facing commands (`hook
 * claude`, the MCP `lint` tool): the edited story through the one pipeline's
 * `lintText` (src/lint/lint.ts: single-file rules, cross-story checks against
 * the working tree, duplicate story numbers, lint comments), plus what the
 * edit did to the stories that refer to it.
 */
import type { ResolvedConfig } from '../config/types.js';
import { parseForLint } from '../lint/analyze.js';
import { applyComments, makeResult, sortMessages } from '../lint/engine.js';
import { readStory } from '../lint/files.js';
import { lintText, makeProject } from '../lint/lint.js';
import { crossStoryMessages } from '../lint/engine.js';
import { fileStoryId, summarize } from '../lint/project.js';
import type { LintResult } from '../lint/types.js';

/** Cross-story rules whose findings an edit of another story can cause. */
const CROSS_STORY_RULES = new Set(['dependency-unknown', 'dependency-status', 'story-dependency']);

/**
 * Lint `text` as the story `filePath` (absolute; the file need not hold this
 * text), and report what the change does to the stories that refer to it: for
 * every other story of the glob with a task ref to it (`010/002`) or a
 * `## Dependencies` entry for it, the cross-story findings on those refs (a
 * task removed or renumbered, a status moved back; a cycle through it is
 * reported in the edited story itself). Other findings of those stories are
 * theirs, not the edit's, and are left out. Returns the edited story's result
 * first, then one per affected story (only those with findings). An unreadable
 * other story is not the edit's problem either (linting it reports that) and
 * is passed over. Throws a UsageError on an I/O failure (exit 2).
 */
export async function lintWithDependents(text: string, filePath: string, config: ResolvedConfig): Promise<LintResult[]> {
  const out = [await lintText(text, filePath, { config })];
  const id = fileStoryId(filePath);
  if (id === null) return out;
  // What a ref to this story looks like (a task ref `010/002`, a story file name
  // `010-x.md`, `Story 010`, `Stories 009 and 010`): only stories with one are parsed.
  const idRef = new RegExp(`(?<![\\d/])${id}/\\d|(?<!\\d)${id}-[a-z0-9-]+\\.md|\\bstor(?:y|ies)[ \\t]+#?(?:\\d{3,}[a-z]?[ \\t]*(?:,|\\band\\b|&)[ \\t]*#?)*${id}(?![\\da-z])`, 'i');
  const project = makeProject(config, [filePath]);
  let edited = false;
  for (const file of project.members) {
    if (file === filePath || fileStoryId(file) === id) continue; // another file with the same number: story-id-unique, reported on the edited one
    let read;
    try {
      read = readStory(file);
    } catch {
      continue;
    }
    if ('fatal' in read || !idRef.test(read.text)) continue;
    // Only the cross-story checks: the single-file rules cannot see the edit.
    const dep = parseForLint(read.text, file);
    const lines = new Set<number>();
    for (const t of dep.tasks) for (const r of t.depends) if (r.story === id) lines.add(r.span.start.line);
    for (const d of dep.dependencies) if (d.story === id) lines.add(d.span.start.line);
    if (lines.size === 0) continue;
    if (!edited) {
      // The project sees the edited story as the text, not as the file on disk.
      project.add(summarize(parseForLint(text.replace(/^\uFEFF/, ''), filePath), filePath));
      edited = true;
    }
    project.add(summarize(dep, file));
    // Without the cycle walks: a cycle through the edited story is reported in it.
    const messages = sortMessages(applyComments(dep, crossStoryMessages(dep, project, config, undefined, { cycles: false })));
    const caused = messages.filter((m) => m.ruleId !== null && CROSS_STORY_RULES.has(m.ruleId) && lines.has(m.line));
    if (caused.length) out.push(makeResult(file, caused));
  }
  return out;
}
