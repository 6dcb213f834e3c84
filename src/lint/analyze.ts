/**
 * The per-file half of a lint run, as plain data: the single-file rule
 * messages (before lint comments), the parts of the Story the cross-story
 * checks and lint comments read, and the summary other stories read. This is
 * what the `--cache` file stores; the
 * cross-story half always runs fresh on top of it (src/lint/lint.ts).
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Story } from '../story/model.js';
import { fastTree, OFFSETS_ONLY } from '../story/fast.js';
import { buildStory, parseMarkdown, stripBom } from '../story/parse.js';
import { blankRanges, unreadSections } from '../story/sections.js';
import { rules as allRules } from '../../rules/index.js';
import { runRules } from './engine.js';
import { sectionsRead } from '../rules/reads.js';
import type { Rule } from '../rules/types.js';
import { summarize, type StorySummary } from './project.js';
import type { LintMessage } from './types.js';

/**
 * What crossStoryMessages and applyComments read of a Story: of a task only
 * its id, heading span, status value and refs (src/lint/project.ts,
 * engine.ts; the equivalence tests compare every message with a plain run).
 */
export type CrossStory = Pick<Story, 'id' | 'dependencies' | 'comments'> & {
  tasks: { id: Story['tasks'][number]['id']; heading: { span: Story['tasks'][number]['heading']['span'] }; status: { value: string } | null; depends: Story['tasks'][number]['depends'] }[];
};

export interface Analysis {
  /** Single-file rule messages, in rule order, lint comments not yet applied. */
  messages: LintMessage[];
  story: CrossStory;
  /** The story's summary without its path (the path is the key). */
  summary: Omit<StorySummary, 'path'>;
}

export function crossStory(story: Story): CrossStory {
  return {
    id: story.id,
    dependencies: story.dependencies,
    comments: story.comments,
    tasks: story.tasks.map((t) => ({ id: t.id, heading: { span: t.heading.span }, status: t.status && { value: t.status.value }, depends: t.depends })),
  };
}

/** Parse a story and run the single-file rules on it. */
export function analyzeStory(text: string, path: string, config: ResolvedConfig): Analysis {
  const story = parseForLint(text, path, config);
  const messages = runRules(story, config, allRules);
  const { path: _path, ...summary } = summarize(story, path);
  void _path;
  return { messages, story: crossStory(story), summary };
}

/**
 * The Story as the lint rules see it: parsed with the sections none of `rules`
 * reads (their `meta.reads`; with `config`, only the rules it leaves on)
 * blanked out (same offsets, lines and columns; the parts in those sections,
 * such as criteria, are left empty), or fully when the section scan is unsure
 * or a rule reads every section. Only for lint: other features parse fully.
 * The scanner reads the sections' lines as blank without a blanked copy of the
 * text; only when it declines is that copy built, for micromark.
 */
export function parseForLint(raw: string, path: string, config?: ResolvedConfig, rules: readonly Rule[] = allRules): Story {
  const { text, bom } = stripBom(raw);
  const keep = sectionsRead(rules, config);
  const skip = (keep && unreadSections(text, keep)) ?? undefined;
  // The hand-written scanner when it can read the text exactly, else micromark.
  const tree = fastTree(text, skip, OFFSETS_ONLY) ?? parseMarkdown(skip ? blankRanges(text, skip) : text);
  return buildStory(tree, text, path, bom);
}
