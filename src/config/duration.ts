/**
 * Durations in the config (`sizing.estimate`): `"1h"`, `"90m"`, `"1.5h"`, `"1d"`
 * (a working day, 8h) or a number of hours. The schema (`schema.ts`) checks the
 * form; `load.ts` resolves them. Own module so neither imports the other.
 */

/** Hours in a validated duration (`"90m"` = 1.5, `"1d"` = 8). */
export function hours(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value)!;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  if (unit.startsWith('m')) return n / 60;
  if (unit.startsWith('d')) return n * 8;
  return n;
}
