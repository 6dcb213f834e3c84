/**
 * Writing JSON the way a file already has it (package.json, .lintstagedrc.json,
 * .claude/settings.json): `init` and `init --agent` edit such files.
 */

/** The indentation a JSON text uses (its first indented line), or two spaces. */
function detectIndent(text: string): string {
  const m = /^[ \t]*[{[][ \t]*\r?\n([ \t]+)\S/.exec(text.replace(/^\uFEFF/, ''));
  return m ? m[1]! : '  ';
}

/** Serialize like the original: same indentation, line ending, BOM and final newline. */
export function formatJsonLike(original: string, value: unknown): string {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const crlf = /\r\n/.test(original);
  const finalNewline = /\n$/.test(original);
  let out = JSON.stringify(value, null, detectIndent(original));
  if (finalNewline) out += '\n';
  if (crlf) out = out.replace(/\n/g, '\r\n');
  return bom + out;
}
