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

/** A formatter: every result of a run (in file order) -> the report's text. */
export type Formatter = (results: LintResult[], ctx: FormatContext) => string;

/**
 * A formatter fed one result at a time, in file order, as the lint pipeline
 * makes them (`lintEach`): `add` returns the report text that result
 * completes (often ''), `end` the rest. The concatenation of every chunk is
 * byte for byte what the batch `Formatter` returns for the same results.
 */
export interface ResultStream {
  add(result: LintResult): string;
  end(): string;
}
export type StreamFormatter = (ctx: FormatContext) => ResultStream;

/** The batch form of a stream formatter (the chunks joined). */
export function batch(stream: StreamFormatter): Formatter {
  return (results, ctx) => {
    const s = stream(ctx);
    const chunks = results.map((r) => s.add(r));
    chunks.push(s.end());
    return chunks.join('');
  };
}

/**
 * A stream over a formatter that needs every result before it can write
 * (SARIF lists the rules its results use before them; Markdown keeps under a
 * byte budget): the results are kept, and the report made at the end.
 */
export function buffered(format: Formatter): StreamFormatter {
  return (ctx) => {
    const results: LintResult[] = [];
    return {
      add(result) {
        results.push(result);
        return '';
      },
      end: () => format(results, ctx),
    };
  };
}
