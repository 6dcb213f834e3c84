/**
 * The task pairing of the transition rules as it was before story 030
 * (src/git/rules/match.ts computed each title key once per comparison, n x m
 * times): the reference `test/match-tasks.test.ts` holds `matchTasks` to.
 */
import { titleKey, type TaskMatch, type TaskPair } from '../../src/git/rules/match.js';
import type { Story, Task } from '../../src/story/model.js';

const withId = (t: Task): t is Task & { id: string } => t.id !== null;

/** Same id and title, then same title (renumbered), then same id (retitled); the rest removed. */
export function matchTasksReference(old: Story, current: Story): TaskMatch {
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
