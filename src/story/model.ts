/**
 * The Story model: one typed view of a story file, built once per parse and read
 * by every rule, the graph checker, the git transitions and the scaffolder.
 *
 * Positions follow unist: `line` and `column` are 1-based, `offset` is a
 * 0-based index into `Story.text` (the file's text without a leading BOM).
 */

export interface Point {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  start: Point;
  end: Point;
}

/** A `**Label:** value` line inside a task (or above the story's first `##`). */
export interface Field {
  /** The label as written, without the bold markers and colon (`Depends on`). */
  label: string;
  /** Lower-cased label with collapsed white space (`depends on`). */
  key: string;
  /**
   * The value as rendered on the label's line: trimmed, without a trailing hard
   * break (two spaces, `\\` before another line, `<br>`) and without HTML
   * comments before or after it. A value is also cut where a second bold label
   * follows on the same line (that label is a field of its own, `inline`).
   */
  value: string;
  /** Continuation lines of the same paragraph, joined with a space. */
  continuation: string;
  /** The whole line (from the list marker, if any; up to the next label when `inline` fields follow). */
  span: Span;
  /** The label text between the bold markers (without a trailing colon). */
  labelSpan: Span;
  /** Where `value` sits (an empty span where it would start when it is empty). */
  valueSpan: Span;
  /** True when another field precedes this one on the same line (`**Domain:** x **Status:** y`). */
  inline: boolean;
  /** The list marker (`- `, `1. `) when the field is written as a list item, else null. */
  listItem: Span | null;
  /**
   * A task field (Domain, Status, Depends on) whose label is written in another
   * shape (`*Status:*`, `**Status** :`, `Status:`, a fullwidth `：`): the label as
   * written, from its first marker to its colon, else null. It is read as that
   * field, and reported (fixable) rather than called missing.
   */
  labelForm?: Span | null;
  /** Index of the task block (see `Task.blocks`) the field sits in. */
  block: number;
}

export type BlockKind =
  | 'fields'
  | 'paragraph'
  | 'list'
  | 'code'
  | 'html'
  | 'heading'
  | 'table'
  | 'blockquote'
  | 'other';

/** A top-level block in a task body, in source order. */
export interface Block {
  kind: BlockKind;
  span: Span;
  /**
   * For `paragraph`: the prose, with inline code replaced by its content in
   * backticks and markup removed. For `list`: the items' prose, one per line.
   */
  text: string;
  /** Inline code, paths and link targets found in the block. */
  codeSpans: string[];
  /** For `list`: whether it is ordered, and how many items it has. */
  ordered?: boolean;
  items?: number;
}

export interface TaskRef {
  /** As written (`014/003`, `002`). */
  raw: string;
  /** The story id for cross-story refs (`014`), undefined for local ones. */
  story?: string;
  /** The task id (`003`). */
  task: string;
  span: Span;
}

export interface TaskHeading {
  /** The heading text after `###`, as written. */
  raw: string;
  span: Span;
  /** Normalized id (`001`, `011a`) when the heading has a legal one. */
  id: string | null;
  /** The id-like token as written (`003-006`, `1`, `001`), or null. */
  rawId: string | null;
  /** Span of the `Task ` prefix in `### Task 001: X`, if present. */
  taskPrefix: Span | null;
  /** Where the id token sits, or null. */
  idSpan: Span | null;
  /** From the end of the id to the start of the title (`: `, ` - `, ` `). */
  separatorSpan: Span | null;
  /** True when a colon follows the id. */
  hasColon: boolean;
  title: string;
}

export interface Separator {
  span: Span;
  /**
   * True when the `---` sits right under a line of text, which Markdown reads
   * as a setext heading underline rather than a thematic break.
   */
  setext: boolean;
}

export interface Task {
  /** Normalized id, or null when the heading has none (see `heading.rawId`). */
  id: string | null;
  title: string;
  heading: TaskHeading;
  /** Every bold-label field of the task, in source order. */
  fields: Field[];
  /** The fields in the field paragraphs that directly follow the heading. */
  leadingFields: Field[];
  domain: Field | null;
  status: Field | null;
  dependsOn: Field | null;
  /** Refs parsed from `dependsOn` (legal ones only). */
  depends: TaskRef[];
  /** Problems parsing `dependsOn`, one per bad item. */
  dependsErrors: { raw: string; span: Span }[];
  /** Top-level blocks after the heading, up to the next task or section. */
  blocks: Block[];
  /** Prose paragraphs (blocks of kind `paragraph`). */
  description: Block[];
  separator: Separator | null;
  /** From the heading to the end of its last block (separator included). */
  span: Span;
  /** End of the task's last block before the separator. */
  bodyEnd: Point;
}

export interface Criterion {
  text: string;
  /** true `[x]`, false `[ ]`, null when the item has no checkbox. */
  checked: boolean | null;
  /** The `###` group heading the criterion sits under, if any. */
  group: string | null;
  span: Span;
  /** The items of the lists nested in its list item (sub-criteria, with or without a checkbox), in order. */
  items: Criterion[];
}

export interface StoryRef {
  story: string;
  raw: string;
  span: Span;
}

export interface Section {
  /** Heading text as written (`Acceptance Criteria`). */
  title: string;
  /** Lower-cased title. */
  key: string;
  heading: Span;
  /** From the heading to the end of the section's last block. */
  span: Span;
}

export interface LintComment {
  kind: 'disable' | 'enable' | 'ignore';
  /** Rule ids; empty means every rule. */
  ids: string[];
  span: Span;
  /** For `ignore`: the span of the node the comment applies to. */
  target: Span | null;
}

/** A `### NNN: Title` block with task fields outside `## Tasks`. */
export interface StrayTask {
  heading: TaskHeading;
  section: string | null;
}

/**
 * Something that looks like a task but is not a `### NNN: Title` block, so no
 * rule, `graph` or `next` would see it: inside `## Tasks` a heading of another
 * level or a setext heading over task fields (`#### 002:`), a heading without
 * its space (`###002:`), a bold title line (`**002: Title**`), a plain title
 * line over task fields (`002: Title`, `**002** Title`), a numbered list item
 * (`002. Title`), a checklist item (`- [ ] T001 ...`, `- ✅ 002 ...`), a bullet
 * item holding task fields, a block quote holding a task, a row of a table
 * with a status-like column or task ids; a task heading inside front matter that
 * runs over the story (closed by YAML's `...`, which Markdown does not know, so
 * a later `---` closes it); and a `## 002: Title` section (a task one level too high) that has
 * task fields or follows `## Tasks`.
 */
export interface LooseTask {
  shape: 'heading-level' | 'heading-space' | 'bold-title' | 'text-title' | 'numbered' | 'checkbox' | 'list-item' | 'table-row' | 'blockquote' | 'frontmatter';
  /** For `frontmatter`: the line the front matter ends at (its closing `---`). */
  frontmatterEnd?: number;
  /** The line as written, trimmed. */
  raw: string;
  /** The task id it carries, normalized (`2`, `T002` -> `002`), or null. */
  id: string | null;
  /** The title it carries ('' when none). */
  title: string;
  /** The line. */
  span: Span;
  /** Whether task fields (`**Domain:**`, `**Status:**`, `**Depends on:**`) follow it. */
  hasFields: boolean;
  /**
   * When the intent is unambiguous (a task-like title followed by task fields,
   * or a heading missing its space): the range to replace and the `### NNN: Title`
   * heading to put there. Null otherwise.
   */
  replace: { span: Span; text: string } | null;
}

export interface StoryStatus {
  value: string;
  span: Span;
  /**
   * `section`: a `## Status` section; `line`: a `**Status:**` line above the
   * first `##`; `plain`: a `Status: X` line without the bold markers there.
   */
  source: 'section' | 'line' | 'plain';
  /** For `plain`: the `Status:` label (to be wrapped in `**`). */
  labelSpan?: Span;
}

export interface Story {
  /** Absolute path, or undefined for text with no file. */
  path: string | undefined;
  /** The text the positions refer to (without a leading BOM). */
  text: string;
  /** Whether the file started with a UTF-8 BOM (kept on write). */
  bom: boolean;
  /** Story id: from `# Story NNN: ...`, else from the file name, else null. */
  id: string | null;
  /** Story id from the file name (`015-slug.md`), or null. */
  fileId: string | null;
  title: string | null;
  titleSpan: Span | null;
  status: StoryStatus | null;
  /** Every `## Status` section and `**Status:**` line above the first `##`. */
  statusCount: number;
  /** Where every status after the first sits (a second `## Status` heading or status line). */
  extraStatuses: Span[];
  sections: Section[];
  criteria: Criterion[];
  /** Story refs from `## Dependencies`. */
  dependencies: StoryRef[];
  /** Open questions still listed (a "None" answer is not one). */
  openQuestions: { text: string; span: Span }[];
  /** Every `## Tasks` heading (more than one is a defect). */
  tasksSections: Section[];
  tasks: Task[];
  /**
   * Top-level blocks of the first `## Tasks` section before its first task
   * (intro prose, the graph block `plan-tasks graph --write` keeps there).
   */
  tasksPreamble: Block[];
  strayTasks: StrayTask[];
  /** Task-like blocks in other shapes (see `LooseTask`), in source order. */
  looseTasks: LooseTask[];
  comments: LintComment[];
  /**
   * YAML (`---`) or TOML (`+++`) front matter at the top of the file, skipped
   * like remark-frontmatter skips it (no heading, status or field is read there).
   */
  frontmatter: Span | null;
  /** The dominant line ending, for edits that insert lines. */
  eol: '\n' | '\r\n' | '\r';
}
