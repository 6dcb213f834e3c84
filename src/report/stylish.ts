/** ESLint's stylish format: a block per file, a summary line, fixable counts. */
import type { Formatter } from './types.js';

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[39m` : s);
const dim = (on: boolean, s: string) => (on ? `\u001b[2m${s}\u001b[22m` : s);
const bold = (on: boolean, s: string) => (on ? `\u001b[1m${s}\u001b[22m` : s);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const stylish: Formatter = (results, { color }) => {
  let out = '';
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    errors += result.errorCount;
    warnings += result.warningCount;
    fixableErrors += result.fixableErrorCount;
    fixableWarnings += result.fixableWarningCount;
    out += `\n${color ? `\u001b[4m${result.filePath}\u001b[24m` : result.filePath}\n`;
    const rows = result.messages.map((m) => [
      `${m.line}:${m.column}`,
      m.severity === 2 ? 'error' : 'warning',
      m.message.replace(/([^ ])\.$/, '$1'),
      m.ruleId ?? '',
    ]);
    const w0 = Math.max(...rows.map((r) => r[0]!.length));
    const w1 = Math.max(...rows.map((r) => r[1]!.length));
    const w2 = Math.max(...rows.map((r) => r[2]!.length));
    for (const [pos, sev, msg, rule] of rows) {
      const sevText = sev! === 'error' ? paint(color, 31, sev!.padEnd(w1)) : paint(color, 33, sev!.padEnd(w1));
      out += `  ${dim(color, pos!.padStart(w0))}  ${sevText}  ${msg!.padEnd(w2)}  ${dim(color, rule!)}`.trimEnd() + '\n';
    }
  }
  const total = errors + warnings;
  if (total === 0) return '';
  const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  out += `\n${bold(color, errors ? paint(color, 31, summary) : paint(color, 33, summary))}\n`;
  if (fixableErrors + fixableWarnings > 0) {
    out += `  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.\n`;
  }
  return out + '\n';
};

export default stylish;
