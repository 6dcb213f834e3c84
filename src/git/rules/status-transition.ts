/**
 * ## status-transition
 *
 * A task's status may only move along an edge of the configured workflow
 * (`transitions` in the config; default: pending -> in_progress | done,
 * in_progress -> done | pending, nothing leaves done). An unchanged status is
 * always fine. Compares the new version of a story with the old one (HEAD for
 * `--staged`, the merge-base for `--base`); tasks are matched by id and title,
 * so a renumbered task is still compared with itself.
 *
 * Default severity: error. Not fixable: the old status is the likely fix, but
 * only a person knows whether the work was really undone.
 */
import type { Finding, RuleMeta } from '../../rules/types.js';
import { clip, code, list, ruleUrl } from '../../rules/util.js';
import { allowedMoves, canonicalTaskStatus } from '../../status/index.js';
import { matchTasks } from './match.js';
import type { TransitionCheck } from './types.js';

export const meta: RuleMeta = {
  id: 'status-transition',
  description: "A task's status moved only along an edge the configured workflow allows",
  fixable: false,
  url: ruleUrl('status-transition'),
};

export const check: TransitionCheck = (old, current, { config, before, after }) => {
  const out: Finding[] = [];
  for (const { old: o, current: n } of matchTasks(old, current).pairs) {
    const from = canonicalTaskStatus(config, o.status?.value);
    const to = canonicalTaskStatus(config, n.status?.value);
    if (!from || !to || from === to || !n.status) continue;
    const allowed = allowedMoves(config, from);
    if (allowed.includes(to)) continue;
    const rawFrom = o.status!.value.trim();
    const rawTo = n.status.value.trim();
    const expected = allowed.length ? `expected ${code(from)} or ${list(allowed)}` : `expected ${code(from)} to stay`;
    out.push({
      message: `Unexpected status change of task ${n.id} from ${code(clip(rawFrom, 20))} (${before}) to ${code(clip(rawTo, 20))} (${after}), ${expected}`,
      note: `${code(from)} ${allowed.length ? `may move to ${list(allowed)}` : 'may not move: the configured transitions allow no move out of it'}.`,
      span: n.status.valueSpan,
    });
  }
  return out;
};
