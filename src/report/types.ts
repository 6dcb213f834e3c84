import type { LintResult } from '../lint/types.js';

export interface FormatContext {
  cwd: string;
  color: boolean;
  /** Rule metadata by id (descriptions and doc URLs), for formats that carry them. */
  rulesMeta: Record<string, { description: string; url: string; fixable: boolean }>;
  /** The environment (GITHUB_WORKSPACE for annotation paths); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** A message with its how-to-fix note after it, as one text (`Unexpected X, expected Y. Do Z.`). */
export function fullText(m: Pick<LintResult['messages'][number], 'message' | 'note'>): string {
  if (!m.note) return m.message;
  return /[.?!]$/.test(m.message) ? `${m.message} ${m.note}` : `${m.message}. ${m.note}`;
}

export type Formatter = (results: LintResult[], ctx: FormatContext) => string;
