/**
 * plan-tasks as markdownlint custom rules (`plan-tasks/markdownlint`), for
 * projects that lint their Markdown with markdownlint-cli2 or the
 * vscode-markdownlint extension:
 *
 *     // .markdownlint-cli2.jsonc
 *     { "customRules": ["plan-tasks/markdownlint"] }
 *
 * One markdownlint rule per plan-tasks single-file rule, named
 * `plan-tasks-<id>` (so `"plan-tasks-task-separator": "warning"` or `false`
 * in the markdownlint config works), all tagged `plan-tasks`, each linking to
 * its rule doc. Only the stories of the plan-tasks config that applies to the
 * file's folder are checked (its `stories` glob, as `plan-tasks lint`
 * without paths); there a story gets what `plan-tasks lint --no-transitions`
 * reports for it: the config's rules and severities (`off` rules report
 * nothing), cross-story refs resolved against the other stories, and
 * `<!-- lint disable -->` comments. markdownlint has no per-finding
 * severity: every finding is at the markdownlint rule's severity. A fix
 * within one line becomes markdownlint's `fixInfo` (`markdownlint-cli2 --fix`).
 *
 * The story is parsed and linted once per file (the rules share the result);
 * the config is looked up per file and validated once per content; the story
 * list and the other stories' summaries are reused for a second. An invalid
 * plan-tasks config throws its message, which markdownlint reports.
 *
 * Rule shape: markdownlint's custom rules (doc/CustomRules.md): `names`,
 * `description`, `information`, `tags`, `parser: "none"`, `function(params, onError)`.
 */
import { dirname, resolve } from 'node:path';
import * as schema from './config/schema.js';
import { configForFolder } from './config/load.js';
import type { ResolvedConfig } from './config/types.js';
import { storyFiles } from './lint/files.js';
import { lintStoryText, makeProject } from './lint/lint.js';
import type { LintMessage } from './lint/types.js';
import { fullText } from './report/types.js';
import { rules } from '../rules/index.js';
import type { Project } from './lint/project.js';

/** markdownlint's `onError` argument (the fields used here). */
export interface MarkdownlintError {
  lineNumber: number;
  detail?: string;
  context?: string;
  range?: [number, number];
  fixInfo?: { lineNumber?: number; editColumn?: number; deleteCount?: number; insertText?: string };
}

/** markdownlint's `params` (the fields used here): the file name and its lines, without line endings. */
export interface MarkdownlintParams {
  name: string;
  lines: readonly string[];
}

/** A markdownlint custom rule. */
export interface MarkdownlintRule {
  names: string[];
  description: string;
  information?: URL;
  tags: string[];
  parser: 'none';
  asynchronous?: false;
  function: (params: MarkdownlintParams, onError: (error: MarkdownlintError) => void) => void;
}

/** The one lint of the last file seen: markdownlint runs each rule on a file in turn. */
let last: { name: string; text: string; messages: LintMessage[] } | null = null;

/**
 * How long the story list and the other stories read for cross-story refs are
 * reused: a markdownlint-cli2 run over many stories lists and reads them once,
 * a long-running editor session sees a new or changed story a second later.
 */
const SNAPSHOT_MS = 1000;
let snapshot: { config: ResolvedConfig; files: Set<string>; project: Project; at: number } | null = null;

function projectFor(config: ResolvedConfig): { files: Set<string>; project: Project } {
  const now = Date.now();
  if (!snapshot || snapshot.config !== config || now - snapshot.at > SNAPSHOT_MS) {
    const list = storyFiles(config);
    snapshot = { config, files: new Set(list), project: makeProject(config, list), at: now };
  }
  return snapshot;
}

function lintFile(params: MarkdownlintParams): LintMessage[] {
  const text = params.lines.join('\n');
  if (last && last.name === params.name && last.text === text) return last.messages;
  const path = resolve(params.name);
  const config = configForFolder(schema, dirname(path));
  let messages: LintMessage[] = [];
  const { files, project } = projectFor(config);
  if (files.has(path)) messages = lintStoryText(text, path, { config, project, sectionsOnly: true }).messages;
  last = { name: params.name, text, messages };
  return messages;
}

/** A plan-tasks fix as markdownlint's fixInfo, when it edits one line of the text. */
function fixInfo(text: string, m: LintMessage): MarkdownlintError['fixInfo'] | undefined {
  if (!m.fix) return undefined;
  const [from, to] = m.fix.range;
  const before = text.slice(0, from);
  const line = before.split('\n').length;
  if (text.slice(from, to).includes('\n')) return undefined;
  const column = from - (before.lastIndexOf('\n') + 1) + 1;
  return { lineNumber: line, editColumn: column, deleteCount: to - from, insertText: m.fix.text };
}

function ruleFor(id: string, description: string, url: string): MarkdownlintRule {
  return {
    names: [`plan-tasks-${id}`],
    description,
    information: new URL(url),
    tags: ['plan-tasks'],
    parser: 'none',
    function(params, onError) {
      const text = params.lines.join('\n');
      for (const m of lintFile(params)) {
        if (m.ruleId !== id) continue;
        const lineText = params.lines[m.line - 1] ?? '';
        const error: MarkdownlintError = { lineNumber: m.line, detail: fullText(m) };
        if (m.endLine === m.line && m.endColumn > m.column && m.column >= 1 && m.endColumn - 1 <= lineText.length) error.range = [m.column, m.endColumn - m.column];
        const fix = fixInfo(text, m);
        if (fix) error.fixInfo = fix;
        onError(error);
      }
    },
  };
}

/** Every plan-tasks rule a story can break in the working tree (single-file and cross-story), as markdownlint custom rules. */
export const markdownlintRules: MarkdownlintRule[] = [
  ...rules.filter((r) => r.check || r.checkProject).map((r) => ruleFor(r.meta.id, r.meta.description, r.meta.url)),
];

export default markdownlintRules;
