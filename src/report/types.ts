import type { LintResult } from '../lint/types.js';

export interface FormatContext {
  cwd: string;
  color: boolean;
  /** Rule metadata by id (descriptions and doc URLs), for formats that carry them. */
  rulesMeta: Record<string, { description: string; url: string; fixable: boolean }>;
}

export type Formatter = (results: LintResult[], ctx: FormatContext) => string;
