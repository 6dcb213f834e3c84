/**
 * Runs the registry's rules on a Story: enabled rules only, severities from
 * config, `<!-- lint disable|enable|ignore ID -->` comments honoured the way
 * remark-message-control honours them, messages sorted by position.
 */
import { rules as registry } from '../../rules/index.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Finding, ProjectContext, ProjectStory, ProjectView, Rule } from '../rules/types.js';
import type { Story } from '../story/model.js';
import { closest } from '../rules/util.js';
import type { LintMessage, LintResult, SuppressedLintMessage } from './types.js';

export function toMessage(ruleId: string, severity: 'warn' | 'error', finding: Finding): LintMessage {
  const sev: 1 | 2 = severity === 'error' && !finding.warnOnly ? 2 : 1;
  const { start, end } = finding.span;
  // One object literal per shape (with or without a note), keys in the order the reporters print them.
  const m: LintMessage = finding.note
    ? { ruleId, severity: sev, message: finding.message, note: finding.note, line: start.line, column: start.column, endLine: end.line, endColumn: end.column }
    : { ruleId, severity: sev, message: finding.message, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  if (finding.fix) m.fix = finding.fix;
  return m;
}

/** Run the single-file check (`check`) of every enabled rule of `rules` on one story. */
export function runRules(story: Story, config: ResolvedConfig, rules: readonly Rule[]): LintMessage[] {
  const out: LintMessage[] = [];
  const ctx = { config };
  for (const rule of rules) {
    if (!rule.check) continue;
    const severity = config.rules[rule.meta.id] ?? rule.meta.severity;
    if (severity === 'off') continue;
    for (const finding of rule.check(story, ctx)) out.push(toMessage(rule.meta.id, severity, finding));
  }
  return out;
}

/** The registry's cross-story rules (those with a `checkProject`). */
const projectRules = registry.filter((r) => r.checkProject);

/**
 * Cross-story findings for one linted story at `path`: the `checkProject` of
 * every enabled rule (refs into other stories, status across stories, cycles
 * through them, and, with `path`, a story number another file of the project
 * carries too). `cycles: false` skips the walks for story- and task-level
 * cycles (a caller that checks the other end of a ref, where the cycle is
 * reported anyway).
 */
export function crossStoryMessages(story: ProjectStory, project: ProjectView, config: ResolvedConfig, path?: string, options: { cycles?: boolean } = {}): LintMessage[] {
  const out: LintMessage[] = [];
  const ctx: ProjectContext = { config, project, ...(path !== undefined ? { path } : {}), cycles: options.cycles !== false };
  for (const rule of projectRules) {
    const severity = config.rules[rule.meta.id] ?? rule.meta.severity;
    if (severity === 'off') continue;
    for (const finding of rule.checkProject!(story, ctx)) out.push(toMessage(rule.meta.id, severity, finding));
  }
  return out;
}

const before = (aLine: number, aCol: number, bLine: number, bCol: number) => aLine < bLine || (aLine === bLine && aCol < bCol);

let ruleIds: readonly string[] | undefined;

/**
 * A warning (`ruleId: null`, severity 1, as ESLint reports a directive it
 * cannot use) for each id of a lint comment that is not a plan-tasks rule but
 * one edit or so from one (`task-sizes` for `task-size`): such a comment
 * silences nothing, and said nothing. Other unknown ids are left alone: a
 * story linted by remark-lint too may name remark-lint's rules.
 */
function misspeltIds(story: Story): LintMessage[] {
  ruleIds ??= registry.map((r) => r.meta.id);
  const out: LintMessage[] = [];
  for (const c of story.comments) {
    for (const id of c.ids) {
      if (ruleIds.includes(id)) continue;
      const near = closest(id, ruleIds);
      if (near === null) continue;
      const { start, end } = c.span;
      out.push({ ruleId: null, severity: 1, message: `Unexpected unknown rule \`${id}\` in a \`lint ${c.kind}\` comment, expected \`${near}\`: the comment silences nothing`, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
    }
  }
  return out;
}

/**
 * Drop messages silenced by lint comments (into `suppressed`, when given, as
 * ESLint's suppressed messages); warn of a comment naming a misspelt rule id
 * (`misspeltIds`).
 */
export function applyComments(story: Story, messages: LintMessage[], suppressed?: SuppressedLintMessage[]): LintMessage[] {
  if (story.comments.length === 0) return messages;
  const kept: LintMessage[] = [];
  for (const m of messages) {
    if (active(story, m)) kept.push(m);
    else suppressed?.push({ ...m, suppressions: [{ kind: 'directive', justification: '' }] });
  }
  for (const m of misspeltIds(story)) kept.push(m);
  return kept;
}

/** Whether no lint comment of `story` silences `m`. */
function active(story: Story, m: LintMessage): boolean {
  if (m.ruleId === null) return true;
  // disable/enable: the last toggle before the message wins, per rule.
  let disabled = false;
  for (const c of story.comments) {
    if (c.kind === 'ignore') {
      const t = c.target;
      if (t && (c.ids.length === 0 || c.ids.includes(m.ruleId)) &&
        !before(m.line, m.column, t.start.line, t.start.column) &&
        !before(t.end.line, t.end.column, m.line, m.column)) return false;
      continue;
    }
    if (before(m.line, m.column, c.span.end.line, c.span.end.column)) continue;
    if (c.ids.length === 0 || c.ids.includes(m.ruleId)) disabled = c.kind === 'disable';
  }
  return !disabled;
}

// Rule ids are lower-case ASCII: code-unit order is localeCompare's order,
// without loading ICU collation at start-up (~25 ms).
const byRuleId = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

export function sortMessages(messages: LintMessage[]): LintMessage[] {
  return messages.sort((a, b) => a.line - b.line || a.column - b.column || byRuleId(a.ruleId, b.ruleId));
}

export function makeResult(filePath: string, messages: LintMessage[], suppressedMessages: SuppressedLintMessage[] = []): LintResult {
  let errorCount = 0;
  let warningCount = 0;
  let fatalErrorCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;
  for (const m of messages) {
    if (m.severity === 2) {
      errorCount++;
      if (m.fatal) fatalErrorCount++;
      if (m.fix) fixableErrorCount++;
    } else {
      warningCount++;
      if (m.fix) fixableWarningCount++;
    }
  }
  return { filePath, messages, suppressedMessages, errorCount, fatalErrorCount, warningCount, fixableErrorCount, fixableWarningCount, usedDeprecatedRules: [] };
}
