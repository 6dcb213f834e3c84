/**
 * The allowed task status changes (`transitions` in the config: from ->
 * [to]). Staying at one status is always allowed.
 */
import type { ResolvedConfig } from '../config/types.js';

/**
 * The default allowed moves for a list of task statuses: each status may move
 * to every later one, and each in-progress status also back to the first;
 * nothing leaves the last (`pending -> in_progress | done`, `in_progress ->
 * done | pending`, `done -> nothing`). Quadratic in the number of statuses
 * (the config schema caps it). Every status is an own key, `__proto__` too
 * (defined, not assigned, so it does not replace the object's prototype).
 */
export function defaultTransitions(statuses: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  statuses.forEach((from, i) => {
    const last = i === statuses.length - 1;
    const to = last ? [] : [...statuses.slice(i + 1), ...(i > 0 ? [statuses[0]!] : [])];
    Object.defineProperty(out, from, { value: to, enumerable: true, writable: true, configurable: true });
  });
  return out;
}

/**
 * The statuses a task at configured status `from` may move to (besides
 * staying): `config.transitions[from]`, or none when the config lists no
 * moves for it. Only the config's own keys count, so a status named like an
 * object property (`constructor`, `toString`) has no inherited moves.
 */
export function allowedMoves(config: Pick<ResolvedConfig, 'transitions'>, from: string): readonly string[] {
  return Object.hasOwn(config.transitions, from) ? (config.transitions[from] ?? []) : [];
}

/** Whether a task may change from configured status `from` to `to`: staying, or a configured move. */
export function mayMove(config: Pick<ResolvedConfig, 'transitions'>, from: string, to: string): boolean {
  return from === to || allowedMoves(config, from).includes(to);
}
