/**
 * The rule registry's types. A rule is one file in `rules/` exporting `meta`
 * (id, default severity, what it reads, its documentation and examples) and
 * one check per kind it runs as:
 *
 * - `check(story, ctx)`: a single-file rule, pure over the Story model; it also
 *   runs as a remark-lint rule (the file's default export) and under markdownlint;
 * - `checkProject(story, ctx)`: a cross-story rule, over the linted story and the
 *   project's summaries (refs into other stories, cycles through them, story numbers);
 * - `checkTransition(old, current, ctx)`: a git transition rule (`lint --staged` /
 *   `--base`), over the old and the new version of one story.
 *
 * A rule may have several (`dependency-unknown` checks refs within the file and
 * across stories). `rules/index.ts`, `src/rules/ids.ts`, the config schema's rule
 * keys, `docs/rules/*.md` and the README's rules table are generated from these
 * files by `npm run docs` (scripts/rules.mjs); test/rules-examples.test.ts runs
 * every example.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Span, Story, Task } from '../story/model.js';

/** A text edit: replace `range` [start, end) offsets of Story.text with `text`. */
export interface Fix {
  range: [number, number];
  text: string;
}

/** What a rule reports. Positions come from the Story model. */
export interface Finding {
  /** The short problem, remark-lint style (`Unexpected X, expected Y`): what the one-line reporters print. */
  message: string;
  /**
   * How to fix it, when that takes more than the message says (vfile's
   * `note`): carried by json (`note`), sarif, github, markdown and remark
   * (where editors show it under the message), not by the one-line stylish
   * report, whose rule link and rule doc say it instead.
   */
  note?: string;
  span: Span;
  fix?: Fix;
  /**
   * Caps this finding at a warning even when the rule is set to `error`
   * (`task-description` is an error when empty, a warning when long).
   */
  warnOnly?: boolean;
}

export interface RuleContext {
  config: ResolvedConfig;
}

/**
 * The parts of a story a rule reads. Each names `##` sections the lint-only
 * parse must keep (`src/lint/analyze.ts` blanks the others; `src/rules/reads.ts`
 * maps parts to sections): `title` (the `# Story NNN` heading and what sits
 * above the first `##`), `status` (`## Status`), `dependencies`
 * (`## Dependencies`), `tasks` (`## Tasks` and task blocks anywhere),
 * `criteria` (`## Acceptance Criteria`), `questions` (`## Open Questions`),
 * `sections` (every section: nothing is blanked).
 */
export type StoryPart = 'title' | 'status' | 'dependencies' | 'tasks' | 'criteria' | 'questions' | 'sections';

/**
 * One documented example, run as a test (test/rules-examples.test.ts), like
 * remark-lint's `@example` blocks: the example is linted with only its rule
 * on (at its default severity unless `config` says otherwise) and must give
 * exactly `messages`, each `line:column-endLine:endColumn: message` (none for
 * a valid example).
 */
export interface RuleExample {
  /** The story file's name (`015-token.md`), which gives it its story number. */
  name: string;
  /** The story's Markdown (the linted file). */
  markdown: string;
  /** Exactly the messages the rule gives; absent or empty: a valid example. */
  messages?: string[];
  /** Other story files of the project, by file name (cross-story rules). */
  files?: Record<string, string>;
  /** For a transition rule: the old version of the story (`HEAD`; `markdown` is the staged one). */
  before?: string;
  /** Config keys other than `rules` (`transitions`, `sizing`, ...), as in `plan-tasks.config.json`. */
  config?: Record<string, unknown>;
}

/** A rule's documentation: the generated `docs/rules/<id>.md` is made of these (Markdown). */
export interface RuleDocs {
  /** What the rule checks, in full (the page's first paragraphs). */
  summary: string;
  /** Why it matters. */
  why: string;
  /** How to fix what it reports (what the one-line stylish report leaves to the page). */
  howToFix: string;
  /** Its options (config keys it reads), or null for none; the severity sentence is added. */
  options: string | null;
  /** Why it is not fixable, or what its fix does, when worth saying (after `Fixable: yes|no`). */
  fixableNote?: string;
}

export interface RuleMeta {
  /** The rule id, remark style (`task-title-length`); its file is `rules/<id>.ts`. */
  id: string;
  /** One line: what the rule checks (README table, SARIF, markdownlint). */
  description: string;
  /** Default severity (`RULE_DEFAULTS`); a config may set `off`, `warn` or `error`. */
  severity: 'warn' | 'error';
  /** Whether some of its findings carry a fix. */
  fixable: boolean;
  /** The parts of the Story model it reads (see `StoryPart`). */
  reads: StoryPart[];
  /** The rule's documentation page (`ruleUrl(id)`). */
  url: string;
  docs: RuleDocs;
  /** Valid and invalid examples with their messages: documentation and tests. */
  examples: RuleExample[];
}

/** A single-file rule: pure function from the Story model to findings. */
export type Check = (story: Story, ctx: RuleContext) => Finding[];

/**
 * What a cross-story rule reads of the linted story: the parts the cache keeps
 * (`src/lint/analyze.ts`'s `CrossStory`).
 */
export interface ProjectStory {
  id: Story['id'];
  dependencies: Story['dependencies'];
  tasks: (Pick<Task, 'id' | 'status' | 'depends'> & { heading: { span: Span } })[];
}

/**
 * What other stories need to know about a story (`summarize` in
 * src/lint/project.ts, kept by the cache): its number, file, status as
 * written, tasks with their status and depends refs, and the stories its
 * `## Dependencies` names.
 */
export interface StorySummary {
  id: string | null;
  path: string;
  status: string | null;
  tasks: { id: string; status: string | null; depends: { story?: string; task: string }[] }[];
  dependencies: string[];
}

/** The project as a cross-story rule sees it (src/lint/project.ts's `Project`). */
export interface ProjectView {
  /** Story files by story number (any spelling: `0123` is `123`). */
  readonly byId: Map<string, string[]>;
  /** The files of the configured stories glob. */
  readonly members: ReadonlySet<string>;
  /** The summary of the first file carrying story `id`, or null (none, or unreadable). */
  summary(id: string): StorySummary | null;
}

export interface ProjectContext extends RuleContext {
  project: ProjectView;
  /** The linted file's path, when it is a file of the project. */
  path?: string;
  /** False: skip the walks for story- and task-level cycles (the other end of a ref reports them). */
  cycles: boolean;
}

/** A cross-story rule: findings on the linted story from the project's summaries. */
export type ProjectCheck = (story: ProjectStory, ctx: ProjectContext) => Finding[];

export interface TransitionContext {
  config: ResolvedConfig;
  /** Names the old version in messages: `HEAD`, `origin/main`. */
  before: string;
  /** Names the new version in messages: `staged`, `HEAD`. */
  after: string;
}

/** A transition rule: findings on the new version of a story (positions in it) from the old one. */
export type TransitionCheck = (old: Story, current: Story, ctx: TransitionContext) => Finding[];

/** A registry entry: a rule's meta and the checks it has (at least one). */
export interface Rule {
  meta: RuleMeta;
  check?: Check;
  checkProject?: ProjectCheck;
  checkTransition?: TransitionCheck;
}
