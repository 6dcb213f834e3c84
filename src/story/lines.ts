/**
 * Offset -> line lookup over a text's line starts, shared by the scanner
 * (src/story/fast.ts) and the Story model (src/story/parse.ts).
 */

/**
 * The index into `starts` (ascending offsets at which each line starts, the
 * first 0) of the line holding `offset` (UTF-16 code units). `hint` is the
 * line of the previous lookup: points are mostly asked for in order, so that
 * line and the next are tried before a binary search.
 */
export function lineIndex(starts: readonly number[], offset: number, hint: number): number {
  // No closure for "is it in line i": this runs for every point, and a closure per call is an allocation.
  if (hint < starts.length && inLine(starts, offset, hint)) return hint;
  if (hint + 1 < starts.length && inLine(starts, offset, hint + 1)) return hint + 1;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether line `i` of `starts` holds `offset`. */
function inLine(starts: readonly number[], offset: number, i: number): boolean {
  return starts[i]! <= offset && (i + 1 === starts.length || starts[i + 1]! > offset);
}
