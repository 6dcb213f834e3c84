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

/**
 * Pair tasks: same id and title first, then the same title under another id
 * (a renumbering), then the same id under a new title (a retitle). What is
 * left of the old version was removed.
 */
export function matchTasks(old: Story, current: Story): TaskMatch {
  const olds = old.tasks.filter(withId);
  const free = new Set(current.tasks.filter(withId));
  const pairs: TaskPair[] = [];
  const left: (Task & { id: string })[] = [];
  const take = (pred: (t: Task & { id: string }) => boolean) => {
    for (const t of free) {
      if (pred(t)) {
        free.delete(t);
        return t;
      }
    }
    return undefined;
  };
  for (const o of olds) {
    const key = titleKey(o.title);
    const n = take((t) => t.id === o.id && titleKey(t.title) === key);
    if (n) pairs.push({ old: o, current: n, kind: 'same' });
    else left.push(o);
  }
  const left2: (Task & { id: string })[] = [];
  for (const o of left) {
    const key = titleKey(o.title);
    const n = key ? take((t) => titleKey(t.title) === key) : undefined;
    if (n) pairs.push({ old: o, current: n, kind: 'renumbered' });
    else left2.push(o);
  }
  const removed: (Task & { id: string })[] = [];
  for (const o of left2) {
    const n = take((t) => t.id === o.id);
    if (n) pairs.push({ old: o, current: n, kind: 'same' });
    else removed.push(o);
  }
  return { pairs, removed };
}
