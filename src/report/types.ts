import type { LintResult } from '../lint/types.js';

export interface FormatContext {
  cwd: string;
  color: boolean;
  /** Rule metadata by id (descriptions and doc URLs), for formats that carry them. */
  rulesMeta: Record<string, { description: string; url: string; fixable: boolean }>;
  /** The environment (GITHUB_WORKSPACE for annotation paths); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

export type Formatter = (results: LintResult[], ctx: FormatContext) => string;
