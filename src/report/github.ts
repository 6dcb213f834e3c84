/**
 * GitHub Actions workflow commands: one `::error` / `::warning` line per
 * message, which the runner turns into an annotation on the file and line.
 * Escaping follows @actions/core (`toCommandValue` + `escapeData` /
 * `escapeProperty`): `%`, CR and LF in the message; those plus `:` and `,` in
 * property values. File paths are relative to the repository root
 * (GITHUB_WORKSPACE when set, else the working directory), `/`-separated.
 * Control characters from story text in a message are shown escaped (`\x1b`).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FormatContext, Formatter } from './types.js';
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

export const github: Formatter = (results, ctx) => {
  const root = annotationRoot(ctx);
  let out = '';
  for (const result of results) {
    const file = repoRelative(root, result.filePath);
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
      // The log view renders ANSI sequences: control characters from story text are shown escaped.
      out += `::${m.severity === 2 ? 'error' : 'warning'} ${list}::${escapeData(visible(m.message))}\n`;
    }
  }
  return out;
};

export default github;
