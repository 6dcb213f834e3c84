/**
 * ESLint's JSON format: one entry per file, absolute `filePath`, the same keys
 * in the same order as ESLint's `--format json` (`suppressedMessages` and
 * `usedDeprecatedRules` are always empty here), so tools that read ESLint's
 * report read this one.
 */
import type { Formatter } from './types.js';

export const json: Formatter = (results) =>
  JSON.stringify(
    results.map((r) => ({
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
      suppressedMessages: [],
      errorCount: r.errorCount,
      fatalErrorCount: r.fatalErrorCount,
      warningCount: r.warningCount,
      fixableErrorCount: r.fixableErrorCount,
      fixableWarningCount: r.fixableWarningCount,
      ...(r.output !== undefined ? { output: r.output } : {}),
      usedDeprecatedRules: [],
    })),
  ) + '\n';

export default json;
