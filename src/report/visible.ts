/**
 * Text from story files shown to a person (stylish, `next`, Mermaid, DOT,
 * GitHub annotations, error lines) with its control characters made visible,
 * so that a story cannot drive the terminal: an `ESC[8m` in a status (hide
 * every later line), an OSC 8 link, a clear-screen, a carriage return that
 * overwrites a line, or a bidirectional override that reorders what is shown
 * (Trojan Source, CVE-2021-42574).
 */

/** C0 controls but tab and line feed, DEL, C1 controls, and the Unicode bidi controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const ANY = new RegExp(CONTROL.source);

/**
 * `s` with each control character written as an escape: `\x1b` for C0, DEL and
 * C1, `\u202e` for the bidi controls (as JSON and JavaScript spell them).
 * Tab and line feed are kept (layout, not control); other text is unchanged.
 */
export function visible(s: string): string {
  if (!ANY.test(s)) return s;
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
