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

/**
 * Whether `error` is the JavaScript engine running out of room on input-sized
 * data rather than a bug in a rule: a RangeError for the call stack ("Maximum
 * call stack size exceeded": recursion or a spread as deep or long as the
 * input) or for a length V8 cannot hold (an array over 2^32 - 1 elements, a
 * string over 2^29 - 24 characters, an ArrayBuffer it cannot allocate). Such a
 * file gets `engineFailure`'s fatal message; any other error stays an internal
 * error of the run (exit 2, src/cli.ts).
 */
export function isEngineLimit(error: unknown): error is RangeError {
  return error instanceof RangeError && ENGINE_LIMIT.test(error.message);
}
const ENGINE_LIMIT = /^(?:Maximum call stack size exceeded|Invalid (?:array|string|typed array) length|Array buffer allocation failed)/;

/** The errors behind `engineFailure` messages (for `internalErrorOf`: the CLI names them and prints their stack with DEBUG=plan-tasks). */
const engineErrors = new WeakMap<LintMessage, RangeError>();

/**
 * The fatal message of a file whose analysis hit an engine limit
 * (`isEngineLimit`): said at line 1, with how to report it. The file is
 * reported, never skipped, and the other files are still linted; the CLI then
 * exits 2 (an internal error, DESIGN.md), naming the file on stderr
 * (`internalErrorOf`).
 */
export function engineFailure(error: RangeError): LintMessage {
  const message: LintMessage = {
    ruleId: null,
    severity: 2,
    fatal: true,
    message: `Unexpected internal error on this file (${error.message.split('\n')[0]}), expected a story plan-tasks can analyse`,
    note: 'The other files were linted. Please report it (https://github.com/plan-tasks/plan-tasks/issues) with the shape of this file; DEBUG=plan-tasks prints the stack.',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
  engineErrors.set(message, error);
  return message;
}

/** The engine error behind a message made by `engineFailure` (in this thread), else undefined. */
export function internalErrorOf(message: LintMessage): RangeError | undefined {
  return engineErrors.get(message);
}
