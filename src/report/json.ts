/** ESLint's JSON format: one entry per file, absolute `filePath`. */
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
        if (m.fatal) out.fatal = true;
        if (m.fix) out.fix = m.fix;
        return out;
      }),
      errorCount: r.errorCount,
      fatalErrorCount: r.fatalErrorCount,
      warningCount: r.warningCount,
      fixableErrorCount: r.fixableErrorCount,
      fixableWarningCount: r.fixableWarningCount,
      ...(r.output !== undefined ? { output: r.output } : {}),
    })),
  ) + '\n';

export default json;
