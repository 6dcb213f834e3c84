/**
 * Fixes are text edits at known offsets, applied the way ESLint applies them:
 * sorted, non-overlapping (a later overlapping edit waits for the next pass),
 * every other byte untouched.
 */
import type { Fix } from '../rules/types.js';

export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: number; skipped: number } {
  const sorted = [...fixes].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let last = 0;
  let lastEnd = -1;
  let applied = 0;
  let skipped = 0;
  for (const fix of sorted) {
    const [start, end] = fix.range;
    if (start < lastEnd || end > text.length || start > end) {
      skipped++;
      continue;
    }
    out += text.slice(last, start) + fix.text;
    last = end;
    lastEnd = end;
    applied++;
  }
  out += text.slice(last);
  return { text: out, applied, skipped };
}
