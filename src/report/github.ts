/**
 * GitHub Actions workflow commands: one `::error` / `::warning` line per
 * message, which the runner turns into an annotation on the file and line.
 * Escaping follows @actions/core (`toCommandValue` + `escapeData` /
 * `escapeProperty`): `%`, CR and LF in the message; those plus `:` and `,` in
 * property values. File paths are relative to the repository root
 * (GITHUB_WORKSPACE when set, else the working directory), `/`-separated.
 * Control characters from story text in a message are shown escaped (`\x1b`):
 * the log view renders ANSI sequences.
 *
 * GitHub shows 10 error, 10 warning and 10 notice annotations per step (50 per
 * job; actions/toolkit docs/problem-matchers.md). Past that, one `::notice`
 * says how many are not shown and where they are: every message is still in
 * the log, and `plan-tasks lint` appends the Markdown report to the job
 * summary (`$GITHUB_STEP_SUMMARY`) when that is set.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { batch, fullText, type FormatContext, type Formatter, type StreamFormatter } from './types.js';
import { visible } from './visible.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The repository root annotations are relative to. */
export function annotationRoot(ctx: Pick<FormatContext, 'cwd' | 'env'>): string {
  const env = ctx.env ?? process.env;
  const workspace = env.GITHUB_WORKSPACE;
  return workspace ? resolve(ctx.cwd, workspace) : ctx.cwd;
}

/** `filePath` relative to `root` with `/` separators; unchanged if it lies outside. */
export function repoRelative(root: string, filePath: string): string {
  const rel = relative(root, resolve(root, filePath));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return filePath.split(sep).join('/');
  return rel.split(sep).join('/');
}

/** Annotations of one kind (error, warning) GitHub shows per step. */
export const ANNOTATIONS_PER_STEP = 10;

/** GitHub workflow commands, one result at a time; the notice about annotations past the cap at the end. */
export const githubStream: StreamFormatter = (ctx) => {
  const root = annotationRoot(ctx);
  let errors = 0;
  let warnings = 0;
  return {
    add(result) {
      if (result.messages.length === 0) return '';
      const file = repoRelative(root, result.filePath);
      let out = '';
      for (const m of result.messages) {
        const props: [string, string | number][] = [
          ['file', file],
          ['line', m.line],
          ['col', m.column],
          ['endLine', m.endLine],
          ['endColumn', m.endColumn],
          ['title', m.ruleId ?? 'plan-tasks'],
        ];
        const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
        if (m.severity === 2) errors++;
        else warnings++;
        const text = visible(fullText(m));
        out += `::${m.severity === 2 ? 'error' : 'warning'} ${list}::${escapeData(text)}\n`;
      }
      return out;
    },
    end() {
      const hidden = Math.max(0, errors - ANNOTATIONS_PER_STEP) + Math.max(0, warnings - ANNOTATIONS_PER_STEP);
      if (hidden === 0) return '';
      const where = (ctx.env ?? process.env).GITHUB_STEP_SUMMARY ? 'the job summary and this log list' : 'this log lists';
      return `::notice title=plan-tasks::${escapeData(`GitHub shows ${ANNOTATIONS_PER_STEP} error and ${ANNOTATIONS_PER_STEP} warning annotations per step: ${hidden} more problem${hidden === 1 ? ' is' : 's are'} not annotated; ${where} all ${errors + warnings}.`)}\n`;
    },
  };
};

export const github: Formatter = batch(githubStream);

export default github;
