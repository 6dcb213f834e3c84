/**
 * A Markdown report (GitHub Flavored Markdown) for job summaries
 * (`$GITHUB_STEP_SUMMARY`) and pull-request comments: a heading, the counts,
 * and a table of findings (severity, location, message with its how-to-fix
 * note, rule linked to its documentation). Paths are relative to the
 * repository root (GITHUB_WORKSPACE when set, else the working directory);
 * under GitHub Actions (GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_SHA
 * set) each location links to that line of the file at the commit.
 *
 * Text from the stories (titles, statuses) is escaped so that it cannot
 * break the table, inject HTML or mention anyone. The report stays below
 * `maxBytes` (GitHub drops a step summary over 1 MiB whole); findings past
 * the budget are counted in a last line, never dropped silently.
 */
import type { LintMessage, LintResult } from '../lint/types.js';
import { ruleUrl } from '../rules/util.js';
import { annotationRoot, repoRelative } from './github.js';
import type { FormatContext, Formatter } from './types.js';

/** GitHub's cap on one step's summary: 1 MiB (`$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k`). */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Escapes text (outside code spans) for a GFM table cell: no HTML, no table break, no emphasis or link (also no GFM autolink literal), no @-mention. */
function escapeText(s: string): string {
  return s
    .replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/@/g, '&#64;')
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/\r?\n|\r/g, ' ');
}

/**
 * A message for a table cell: its `code spans` kept as code (with `|` escaped,
 * which GFM unescapes inside a cell), everything else escaped.
 */
export function cell(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('`', i);
    if (open < 0) break;
    let run = 1;
    while (s[open + run] === '`') run++;
    const fence = '`'.repeat(run);
    let close = s.indexOf(fence, open + run);
    while (close >= 0 && s[close + run] === '`') close = s.indexOf(fence, close + run + 1);
    if (close < 0) break;
    out += escapeText(s.slice(i, open));
    out += `${fence}${s.slice(open + run, close).replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|')}${fence}`;
    i = close + run;
  }
  return out + escapeText(s.slice(i));
}

/** The link to a line of a file at the commit being built, when GitHub Actions says which. */
function lineUrl(env: NodeJS.ProcessEnv, file: string, line: number): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (!server || !repo || !sha) return null;
  const path = file.split('/').map((part) => encodeURIComponent(part).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  return `${server}/${repo}/blob/${sha}/${path.join('/')}#L${line}`;
}

export interface MarkdownOptions {
  /** Keep the report under this many UTF-8 bytes (default: GitHub's step-summary cap, less a margin). */
  maxBytes?: number;
}

/** The Markdown report; see the module comment. */
export function markdownReport(results: LintResult[], ctx: FormatContext, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? STEP_SUMMARY_LIMIT - 16 * 1024;
  const env = ctx.env ?? process.env;
  const root = annotationRoot(ctx);
  let errors = 0;
  let warnings = 0;
  let fixable = 0;
  let files = 0;
  for (const r of results) {
    errors += r.errorCount;
    warnings += r.warningCount;
    fixable += r.fixableErrorCount + r.fixableWarningCount;
    if (r.messages.length) files++;
  }
  const head: string[] = ['## plan-tasks', ''];
  if (errors + warnings === 0) {
    head.push(`No problems in ${plural(results.length, 'file')}.`);
    return `${head.join('\n')}\n`;
  }
  head.push(`**${plural(errors + warnings, 'problem')}** (${plural(errors, 'error')}, ${plural(warnings, 'warning')}) in ${plural(files, 'file')} of ${results.length}.`);
  if (fixable) head.push('', `${plural(fixable, 'problem')} potentially fixable with \`plan-tasks lint --fix\`.`);
  head.push('', '| Severity | Location | Message | Rule |', '| --- | --- | --- | --- |');
  let text = head.join('\n') + '\n';
  let bytes = Buffer.byteLength(text);
  const tailReserve = 200;
  let shown = 0;
  const total = errors + warnings;
  outer: for (const r of results) {
    const file = repoRelative(root, r.filePath);
    for (const m of r.messages) {
      const row = rowFor(m, file, ctx, env);
      const size = Buffer.byteLength(row);
      if (bytes + size + tailReserve > maxBytes) break outer;
      text += row;
      bytes += size;
      shown++;
    }
  }
  if (shown < total) text += `\n${plural(total - shown, 'more problem')} not shown (the report keeps under ${Math.floor(maxBytes / 1024)} KiB): run \`plan-tasks lint\` or \`--format json\` for all of them.\n`;
  return text;
}

function rowFor(m: LintMessage, file: string, ctx: FormatContext, env: NodeJS.ProcessEnv): string {
  const severity = m.severity === 2 ? 'error' : 'warning';
  const where = `${file}:${m.line}:${m.column}`;
  const url = lineUrl(env, file, m.line);
  const location = url ? `[${cell(`\`${where.replace(/`/g, '')}\``)}](${url})` : cell(`\`${where.replace(/`/g, '')}\``);
  const message = cell(m.message) + (m.note ? `<br>${cell(m.note)}` : '');
  let rule = '';
  if (m.ruleId) {
    const docs = ctx.rulesMeta[m.ruleId]?.url ?? ruleUrl(m.ruleId);
    rule = `[${cell(m.ruleId)}](${docs})`;
  }
  return `| ${severity} | ${location} | ${message} | ${rule} |\n`;
}

export const markdown: Formatter = (results, ctx) => markdownReport(results, ctx);

export default markdown;
