/**
 * Which task of the new version is which task of the old one. Shared by the
 * transition rules (what a status value means is in `src/status/`).
 */
import type { Story, Task } from '../../story/model.js';

export type PairKind = 'same' | 'renumbered';

export interface TaskPair {
  old: Task & { id: string };
  current: Task & { id: string };
  /** `renumbered`: same title under another id. */
  kind: PairKind;
}

export interface TaskMatch {
  pairs: TaskPair[];
  /** Old tasks with no counterpart in the new version. */
  removed: (Task & { id: string })[];
}

/** Titles compared loosely: case, white space and inline markup ignored. */
export function titleKey(title: string): string {
  return title.toLowerCase().replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().replace(/(?<![.:;])[.:;]+$/, '');
}

const withId = (t: Task): t is Task & { id: string } => t.id !== null;

/** The last pairing computed: the transition rules ask for the same two versions in turn. */
let last: { old: Story; current: Story; match: TaskMatch } | null = null;

/**
 * Pair tasks: same id and title first, then the same title under another id
 * (a renumbering), then the same id under a new title (a retitle). What is
 * left of the old version was removed. Each pass takes the first free task of
 * the new version, in order. The result is shared by callers for the same two
 * Story objects (the transition rules of one story), so it must not be mutated.
 */
export function matchTasks(old: Story, current: Story): TaskMatch {
  if (last !== null && last.old === old && last.current === current) return last.match;
  const olds = old.tasks.filter(withId);
  // Each title's key once (titleKey runs four regular expressions; the passes compare keys n x m times).
  const free = new Map<Task & { id: string }, string>();
  for (const t of current.tasks) if (withId(t)) free.set(t, titleKey(t.title));
  const pairs: TaskPair[] = [];
  const left: { task: Task & { id: string }; key: string }[] = [];
  const take = (pred: (t: Task & { id: string }, key: string) => boolean) => {
    for (const [t, key] of free) {
      if (pred(t, key)) {
        free.delete(t);
        return t;
      }
    }
    return undefined;
  };
  for (const o of olds) {
    const key = titleKey(o.title);
    const n = take((t, k) => t.id === o.id && k === key);
    if (n) pairs.push({ old: o, current: n, kind: 'same' });
    else left.push({ task: o, key });
  }
  const left2: (Task & { id: string })[] = [];
  for (const { task: o, key } of left) {
    const n = key ? take((_, k) => k === key) : undefined;
    if (n) pairs.push({ old: o, current: n, kind: 'renumbered' });
    else left2.push(o);
  }
  const removed: (Task & { id: string })[] = [];
  for (const o of left2) {
    const n = take((t) => t.id === o.id);
    if (n) pairs.push({ old: o, current: n, kind: 'same' });
    else removed.push(o);
  }
  const match = { pairs, removed };
  last = { old, current, match };
  return match;
}
