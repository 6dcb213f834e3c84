/** ESLint's stylish format: a block per file, a summary line, fixable counts. */
import { batch, type Formatter, type StreamFormatter } from './types.js';
import { visible } from './visible.js';

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[39m` : s);
const dim = (on: boolean, s: string) => (on ? `\u001b[2m${s}\u001b[22m` : s);
const bold = (on: boolean, s: string) => (on ? `\u001b[1m${s}\u001b[22m` : s);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Stylish, one file at a time: a file's block is complete when its result is
 * (its column widths are its own); the summary line comes at the end. The
 * chunks joined are the lines of the batch format joined by newlines.
 */
export const stylishStream: StreamFormatter = ({ color }) => {
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  let first = true;
  return {
    add(result) {
      const messages = result.messages;
      if (messages.length === 0) return '';
      errors += result.errorCount;
      warnings += result.warningCount;
      fixableErrors += result.fixableErrorCount;
      fixableWarnings += result.fixableWarningCount;
      const file = visible(result.filePath);
      const lines: string[] = ['', color ? `\u001b[4m${file}\u001b[24m` : file];
      const pos: string[] = [];
      const msg: string[] = [];
      let w0 = 0;
      let w1 = 0;
      let w2 = 0;
      for (const m of messages) {
        const p = `${m.line}:${m.column}`;
        // ESLint drops a message's final period (not after a space).
        const text = visible(m.message);
        const t = text.endsWith('.') && text.length > 1 && text[text.length - 2] !== ' ' ? text.slice(0, -1) : text;
        pos.push(p);
        msg.push(t);
        if (p.length > w0) w0 = p.length;
        if (t.length > w2) w2 = t.length;
        const sevLength = m.severity === 2 ? 5 : 7;
        if (sevLength > w1) w1 = sevLength;
      }
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        const sev = m.severity === 2 ? 'error' : 'warning';
        const sevText = paint(color, m.severity === 2 ? 31 : 33, sev.padEnd(w1));
        const rule = visible(m.ruleId ?? '');
        const line = `  ${dim(color, pos[i]!.padStart(w0))}  ${sevText}  ${msg[i]!.padEnd(w2)}  ${dim(color, rule)}`;
        lines.push(rule ? line : line.trimEnd());
      }
      // The batch format's lines joined by newlines: a newline before every block but the first.
      const chunk = (first ? '' : '\n') + lines.join('\n');
      first = false;
      return chunk;
    },
    end() {
      const total = errors + warnings;
      if (total === 0) return '';
      const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
      const lines = ['', bold(color, errors ? paint(color, 31, summary) : paint(color, 33, summary))];
      if (fixableErrors + fixableWarnings > 0) {
        lines.push(`  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.`);
      }
      lines.push('', '');
      return '\n' + lines.join('\n');
    },
  };
};

/** ESLint's stylish format (the batch form of `stylishStream`). */
export const stylish: Formatter = batch(stylishStream);

export default stylish;
