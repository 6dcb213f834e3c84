/**
 * ESLint's JSON format: one entry per file, absolute `filePath`, the same keys
 * in the same order as ESLint's `--format json` (`suppressedMessages`: what lint
 * comments silenced; `usedDeprecatedRules`: always empty), so tools that read ESLint's
 * report read this one.
 */
import type { LintResult } from '../lint/types.js';
import { batch, type Formatter, type StreamFormatter } from './types.js';

/** One result as an entry of ESLint's JSON report. */
function entry(r: LintResult): unknown {
  return {
    filePath: r.filePath,
    messages: r.messages.map((m) => {
      const out: Record<string, unknown> = {
        ruleId: m.ruleId,
        severity: m.severity,
        message: m.message,
        line: m.line,
        column: m.column,
        endLine: m.endLine,
        endColumn: m.endColumn,
      };
      // Not in ESLint's shape (which readers of it ignore): how to fix it, when the message does not say.
      if (m.note) out.note = m.note;
      if (m.fatal) out.fatal = true;
      if (m.fix) out.fix = m.fix;
      return out;
    }),
    suppressedMessages: r.suppressedMessages ?? [],
    errorCount: r.errorCount,
    fatalErrorCount: r.fatalErrorCount,
    warningCount: r.warningCount,
    fixableErrorCount: r.fixableErrorCount,
    fixableWarningCount: r.fixableWarningCount,
    ...(r.output !== undefined ? { output: r.output } : {}),
    usedDeprecatedRules: r.usedDeprecatedRules ?? [],
  };
}

/**
 * The JSON report one entry at a time: `[`, the entries separated by commas,
 * `]` and a newline, the bytes `JSON.stringify` writes for the whole array.
 */
export const jsonStream: StreamFormatter = () => {
  let first = true;
  return {
    add(result) {
      const text = (first ? '[' : ',') + JSON.stringify(entry(result));
      first = false;
      return text;
    },
    end: () => (first ? '[' : '') + ']\n',
  };
};

export const json: Formatter = batch(jsonStream);

export default json;
