/**
 * `src/status/`: matching a written status to the configured ones, phases,
 * synonyms, canonical statuses and the allowed moves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { resolveConfig } from '../src/config/load.js';
import { transitionRules } from '../src/git/rules/index.js';
import { parseStory } from '../src/story/parse.js';
import {
  allowedMoves,
  canonicalStoryStatus,
  canonicalTaskStatus,
  defaultTransitions,
  matchStatus,
  matchStoryStatus,
  matchTaskStatus,
  mayMove,
  statusKey,
  storyRoles,
  storyPhase,
  synonymPhase,
  synonymStoryStatus,
  synonymTaskStatus,
  taskRoles,
  taskPhase,
} from '../src/status/index.js';

const config = defaultConfig('/project');
/** A four-status task workflow: two statuses between the first and the last. */
const four = { ...config, taskStatuses: ['todo', 'doing', 'review', 'shipped'], storyStatuses: ['Idea', 'Doing', 'Shipped'] };

describe('statusKey and matchStatus', () => {
  it('ignores case, `-`, `_`, white space and surrounding space', () => {
    expect(statusKey('  In Progress ')).toBe('inprogress');
    expect(statusKey('in_progress')).toBe('inprogress');
    expect(statusKey('IN-PROGRESS')).toBe('inprogress');
    expect(statusKey('in \t _- progress')).toBe('inprogress');
  });

  it('returns the configured spelling, exact first', () => {
    expect(matchTaskStatus(config, 'done')).toBe('done');
    expect(matchTaskStatus(config, '  done  ')).toBe('done');
    expect(matchTaskStatus(config, 'Done')).toBe('done');
    expect(matchTaskStatus(config, 'In Progress')).toBe('in_progress');
    expect(matchTaskStatus(config, 'in-progress')).toBe('in_progress');
    expect(matchStoryStatus(config, 'in_progress')).toBe('In Progress');
    expect(matchStoryStatus(config, 'DRAFT')).toBe('Draft');
  });

  it('prefers an exact match over an earlier loose one', () => {
    expect(matchStatus(['In Progress', 'in_progress'], 'in_progress')).toBe('in_progress');
    expect(matchStatus(['In Progress', 'in_progress'], 'inprogress')).toBe('In Progress');
  });

  it('does not match synonyms, notes, partial words or blanks', () => {
    expect(matchTaskStatus(config, 'Complete')).toBeNull();
    expect(matchTaskStatus(config, 'done (via 012)')).toBeNull();
    expect(matchTaskStatus(config, 'don')).toBeNull();
    expect(matchTaskStatus(config, '')).toBeNull();
    expect(matchTaskStatus(config, '   ')).toBeNull();
    expect(matchStoryStatus(config, 'Complete')).toBeNull();
  });

  it('a blank value matches no status, not even one made of separators', () => {
    expect(matchStatus(['-', 'done'], '')).toBeNull();
    expect(matchStatus(['-', 'done'], '  ')).toBeNull();
    expect(matchStatus(['-', 'done'], '_')).toBe('-');
    expect(matchStatus(['-', 'done'], '-')).toBe('-');
  });

  it('reads no property of the status list', () => {
    expect(matchTaskStatus(config, 'length')).toBeNull();
    expect(matchTaskStatus(config, 'constructor')).toBeNull();
  });
});

describe('taskPhase and storyPhase', () => {
  it('first status pending, last done, any between active', () => {
    expect(taskPhase(config, 'pending')).toBe('pending');
    expect(taskPhase(config, 'In Progress')).toBe('active');
    expect(taskPhase(config, 'DONE')).toBe('done');
    expect(taskPhase(four, 'doing')).toBe('active');
    expect(taskPhase(four, 'review')).toBe('active');
    expect(taskPhase(four, 'shipped')).toBe('done');
  });

  it('is null for a missing, unknown or synonym value', () => {
    expect(taskPhase(config, undefined)).toBeNull();
    expect(taskPhase(config, null)).toBeNull();
    expect(taskPhase(config, '')).toBeNull();
    expect(taskPhase(config, 'Complete')).toBeNull();
    expect(storyPhase(config, undefined)).toBeNull();
    expect(storyPhase(config, 'Finished')).toBeNull();
  });

  it('story: last done, the one before active, earlier planning', () => {
    expect(storyPhase(config, 'Draft')).toBe('planning');
    expect(storyPhase(config, 'ready')).toBe('planning');
    expect(storyPhase(config, 'in progress')).toBe('active');
    expect(storyPhase(config, 'Done')).toBe('done');
    expect(storyPhase(four, 'Idea')).toBe('planning');
    expect(storyPhase(four, 'Doing')).toBe('active');
  });

  it('a two-status story workflow has no planning status', () => {
    const two = { ...config, storyStatuses: ['Open', 'Closed'] };
    expect(storyPhase(two, 'Open')).toBe('active');
    expect(storyPhase(two, 'Closed')).toBe('done');
  });
});

describe('synonyms', () => {
  it('maps common words to a phase, ignoring case and separators', () => {
    for (const w of ['Complete', 'completed', 'FINISHED', 'closed', 'Resolved', 'shipped', 'merged', 'implemented', 'done']) expect(synonymPhase(w), w).toBe('done');
    for (const w of ['WIP', 'started', 'Doing', 'ongoing', 'active', 'in review', 'In-Review', 'review', 'in_progress', 'In Progress']) expect(synonymPhase(w), w).toBe('active');
    for (const w of ['TODO', 'to do', 'To-Do', 'open', 'not started', 'Not_Started', 'new', 'planned', 'backlog', 'ready']) expect(synonymPhase(w), w).toBe('pending');
  });

  it('drops a note after the word', () => {
    expect(synonymPhase('done (via 012)')).toBe('done');
    expect(synonymPhase('Complete: see PR 4')).toBe('done');
    expect(synonymPhase('finished, mostly')).toBe('done');
    expect(synonymPhase('wip; half')).toBe('active');
    expect(synonymPhase('done.')).toBe('done');
  });

  it('matches whole words only, and not `blocked`', () => {
    expect(synonymPhase('blocked')).toBeNull();
    expect(synonymPhase('donezo')).toBeNull();
    expect(synonymPhase('not done')).toBeNull();
    expect(synonymPhase('reviewed')).toBeNull();
    expect(synonymPhase('')).toBeNull();
    expect(synonymPhase('  ')).toBeNull();
  });

  it('a task synonym names the first or last status, the middle only when there are three', () => {
    expect(synonymTaskStatus(config.taskStatuses, 'Complete')).toBe('done');
    expect(synonymTaskStatus(config.taskStatuses, 'todo')).toBe('pending');
    expect(synonymTaskStatus(config.taskStatuses, 'WIP')).toBe('in_progress');
    expect(synonymTaskStatus(four.taskStatuses, 'WIP')).toBeNull();
    expect(synonymTaskStatus(four.taskStatuses, 'finished')).toBe('shipped');
    expect(synonymTaskStatus(['open', 'closed'], 'WIP')).toBeNull();
    expect(synonymTaskStatus(config.taskStatuses, 'blocked')).toBeNull();
  });

  it('a story synonym names the last or the one before it, never a planning status', () => {
    expect(synonymStoryStatus(config.storyStatuses, 'Complete')).toBe('Done');
    expect(synonymStoryStatus(config.storyStatuses, 'WIP')).toBe('In Progress');
    expect(synonymStoryStatus(config.storyStatuses, 'todo')).toBeNull();
    expect(synonymStoryStatus(['Open', 'Closed'], 'started')).toBe('Open');
  });
});

describe('canonical statuses', () => {
  it('exact, then loose, then synonym', () => {
    expect(canonicalTaskStatus(config, 'done')).toBe('done');
    expect(canonicalTaskStatus(config, 'In progress')).toBe('in_progress');
    expect(canonicalTaskStatus(config, 'Completed')).toBe('done');
    expect(canonicalTaskStatus(config, 'done (via 012)')).toBe('done');
    expect(canonicalStoryStatus(config, 'ready')).toBe('Ready');
    expect(canonicalStoryStatus(config, 'Shipped')).toBe('Done');
  });

  it('a configured status wins over a synonym of another phase', () => {
    // `ready` is a pending word, but here it is the configured active status.
    const custom = { ...config, taskStatuses: ['new', 'ready', 'done'] };
    expect(canonicalTaskStatus(custom, 'Ready')).toBe('ready');
    expect(canonicalTaskStatus(custom, 'todo')).toBe('new');
  });

  it('null for missing, blank and unknown values', () => {
    expect(canonicalTaskStatus(config, null)).toBeNull();
    expect(canonicalTaskStatus(config, undefined)).toBeNull();
    expect(canonicalTaskStatus(config, '  ')).toBeNull();
    expect(canonicalTaskStatus(config, 'blocked')).toBeNull();
    expect(canonicalStoryStatus(config, '')).toBeNull();
    expect(canonicalStoryStatus(config, 'todo')).toBeNull();
  });
});

describe('transitions', () => {
  it('default: forward, in-progress back to the first, nothing out of the last', () => {
    expect(defaultTransitions(['pending', 'in_progress', 'done'])).toEqual({ pending: ['in_progress', 'done'], in_progress: ['done', 'pending'], done: [] });
    expect(defaultTransitions(four.taskStatuses)).toEqual({ todo: ['doing', 'review', 'shipped'], doing: ['review', 'shipped', 'todo'], review: ['shipped', 'todo'], shipped: [] });
    expect(defaultTransitions(['open', 'closed'])).toEqual({ open: ['closed'], closed: [] });
    expect(defaultTransitions([])).toEqual({});
  });

  it('the defaults are what a config without `transitions` resolves to', () => {
    expect(resolveConfig({ taskStatuses: four.taskStatuses }, '/project', null).transitions).toEqual(defaultTransitions(four.taskStatuses));
    expect(config.transitions).toEqual(defaultTransitions(config.taskStatuses));
  });

  it('allowedMoves and mayMove read the configured moves; staying is always allowed', () => {
    expect(allowedMoves(config, 'pending')).toEqual(['in_progress', 'done']);
    expect(allowedMoves(config, 'done')).toEqual([]);
    expect(mayMove(config, 'pending', 'done')).toBe(true);
    expect(mayMove(config, 'done', 'pending')).toBe(false);
    expect(mayMove(config, 'done', 'done')).toBe(true);
  });

  it('a status the transitions do not list may not move', () => {
    const partial = { ...config, taskStatuses: ['a', 'b', 'c'], transitions: { a: ['b'] } };
    expect(allowedMoves(partial, 'b')).toEqual([]);
    expect(mayMove(partial, 'b', 'c')).toBe(false);
    expect(mayMove(partial, 'a', 'b')).toBe(true);
  });

  it('a status named like an object property has no inherited moves', () => {
    const statuses = ['constructor', 'toString', 'hasOwnProperty'];
    const odd = { ...config, taskStatuses: statuses, transitions: { constructor: ['toString'] } };
    expect(allowedMoves(odd, 'toString')).toEqual([]);
    expect(allowedMoves(odd, 'hasOwnProperty')).toEqual([]);
    expect(mayMove(odd, 'constructor', 'toString')).toBe(true);
    expect(mayMove(odd, 'toString', 'constructor')).toBe(false);
    expect(defaultTransitions(statuses)).toEqual({ constructor: ['toString', 'hasOwnProperty'], toString: ['hasOwnProperty', 'constructor'], hasOwnProperty: [] });
  });

  it('a status named __proto__ gets its default moves as an own key', () => {
    const t = defaultTransitions(['__proto__', 'doing', 'done']);
    expect(Object.getPrototypeOf(t)).toBe(Object.prototype);
    expect(Object.keys(t)).toEqual(['__proto__', 'doing', 'done']);
    expect(allowedMoves({ transitions: t }, '__proto__')).toEqual(['doing', 'done']);
    expect(allowedMoves({ transitions: t }, 'doing')).toEqual(['done', '__proto__']);
    expect(JSON.parse(JSON.stringify(t))).toEqual(JSON.parse('{"__proto__": ["doing", "done"], "doing": ["done", "__proto__"], "done": []}'));
  });

  it('the status-transition rule reports a move out of such a status instead of crashing', () => {
    const odd = { ...config, taskStatuses: ['todo', 'toString', 'done'], transitions: { todo: ['toString', 'done'], done: [] } };
    const story = (status: string) =>
      parseStory(`# Story 001: Odd\n\n## Status\n\nIn Progress\n\n## Tasks\n\n### 001: Write it\n**Domain:** backend\n**Status:** ${status}\n**Depends on:** none\n\nWrite it.\n`);
    const rule = transitionRules.find((r) => r.meta.id === 'status-transition')!;
    const found = rule.check(story('toString'), story('done'), { config: odd, before: 'HEAD', after: 'staged' });
    expect(found.map((f) => f.message)).toEqual(['Unexpected status change of task 001 from `toString` (HEAD) to `done` (staged), expected `toString` to stay']);
    expect(rule.check(story('todo'), story('toString'), { config: odd, before: 'HEAD', after: 'staged' })).toEqual([]);
  });
});

describe('roles', () => {
  it('task statuses: the first, those between, the last', () => {
    expect(taskRoles(config)).toEqual({ first: 'pending', active: ['in_progress'], done: 'done' });
    expect(taskRoles(four)).toEqual({ first: 'todo', active: ['doing', 'review'], done: 'shipped' });
    expect(taskRoles({ taskStatuses: ['open', 'closed'] })).toEqual({ first: 'open', active: [], done: 'closed' });
  });

  it('story statuses: ready before active, active before done; short lists reuse the first', () => {
    expect(storyRoles(config)).toEqual({ ready: 'Ready', active: 'In Progress', done: 'Done' });
    expect(storyRoles(four)).toEqual({ ready: 'Idea', active: 'Doing', done: 'Shipped' });
    expect(storyRoles({ storyStatuses: ['Open', 'Closed'] })).toEqual({ ready: 'Open', active: 'Open', done: 'Closed' });
    // The roles agree with the phases.
    for (const c of [config, four]) {
      const r = storyRoles(c);
      expect([storyPhase(c, r.ready), storyPhase(c, r.active), storyPhase(c, r.done)]).toEqual(['planning', 'active', 'done']);
    }
  });
});

describe('properties', () => {
  // Status lists as configs hold them: trimmed, non-empty, no two with one key (the schema refuses those).
  const word = fc.string({ minLength: 1, maxLength: 12 }).map((w) => w.trim()).filter((w) => w !== '' && statusKey(w) !== '');
  const statuses = fc.uniqueArray(word, { minLength: 2, maxLength: 8, selector: statusKey });
  const mangle = (s: string, seed: number) =>
    s.replace(/[\s_-]+/g, () => [' ', '_', '-', '  '][seed++ % 4]!).replace(/./g, (c, i) => ((seed + i) % 2 ? c.toUpperCase() : c.toLowerCase()));

  it('a configured status, in any case and with any separators, matches itself; anything else matches a configured status or nothing', () => {
    fc.assert(
      fc.property(statuses, fc.nat(), fc.string({ maxLength: 20 }), (list, seed, other) => {
        for (const s of list) {
          expect(matchStatus(list, ` ${s}\t`)).toBe(s);
          expect(matchStatus(list, mangle(s, seed))).toBe(s);
        }
        const m = matchStatus(list, other);
        expect(m === null || list.includes(m)).toBe(true);
        const c = canonicalTaskStatus({ taskStatuses: list }, other);
        expect(c === null || list.includes(c)).toBe(true);
        const p = taskPhase({ taskStatuses: list }, other);
        expect(p === null ? m === null : m !== null).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('default transitions: every status an own key, moves only to other configured statuses, none out of the last', () => {
    fc.assert(
      fc.property(statuses, (list) => {
        const t = defaultTransitions(list);
        // As a set: an object lists integer-like keys (`0`) first.
        expect(Object.keys(t).sort()).toEqual([...list].sort());
        expect(list.every((s) => Object.hasOwn(t, s))).toBe(true);
        list.forEach((s, i) => {
          const moves = allowedMoves({ transitions: t }, s);
          expect(moves.every((m) => list.includes(m) && m !== s)).toBe(true);
          expect(moves.length).toBe(i === list.length - 1 ? 0 : list.length - 1 - i + (i > 0 ? 1 : 0));
        });
      }),
      { numRuns: 300 },
    );
  });
});
