import type { Fix } from '../rules/types.js';

/**
 * How `lint --cache` decides a file is unchanged (ESLint's `--cache-strategy`):
 * by its size and times, or by a hash of its content.
 */
export type CacheStrategy = 'metadata' | 'content';

/** File metadata as the cache records it (from Node's `fs.Stats`). */
export type Meta = [size: number, mtimeMs: number, ctimeMs: number, ino: number];

/** `--concurrency` (ESLint's values): a number of linting threads, `auto`, or `off`. */
export type Concurrency = number | 'auto' | 'off';

/** One diagnostic, in ESLint's message shape. */
export interface LintMessage {
  /** A rule id, or null for a file that could not be read as a story. */
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  /** How to fix it, when the short message does not say (vfile's `note`); not in ESLint's shape, which ignores extra keys. */
  note?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
  fatal?: boolean;
}

/**
 * A message a lint comment silenced, in ESLint's `SuppressedLintMessage` shape:
 * the message and `suppressions` (`kind: 'directive'`, the comment; `justification`
 * is always empty, as the comments carry none).
 */
export interface SuppressedLintMessage extends LintMessage {
  suppressions: { kind: 'directive'; justification: string }[];
}

/**
 * One file's result, in ESLint's result shape (the keys of ESLint's
 * `LintResult`, in its order): what `lint`, `lintText`, the MCP server's `lint`
 * tool and `--format json` all give. Make one with `makeResult`.
 */
export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  /** ESLint's `suppressedMessages`: the messages a `<!-- lint disable|ignore -->` comment silenced, each with its suppression. */
  suppressedMessages: SuppressedLintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** The fixed text, when `--fix` changed the file. */
  output?: string;
  /** ESLint's deprecated rules used; always empty (no plan-tasks rule is deprecated). */
  usedDeprecatedRules: { ruleId: string; replacedBy: string[] }[];
}

/** What other stories need to know about a story: defined beside the cross-story rules that read it. */
export type { StorySummary } from '../rules/types.js';
