/** The transition rules as pure functions on two parsed versions (no git). */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { transitionRules, matchTasks } from '../src/git/rules/index.js';
import { parseStory } from '../src/story/parse.js';
import { fixture } from './git-helpers.js';

const config = defaultConfig('/');
const ctx = { config, before: 'HEAD', after: 'staged' };
const run = (oldText: string, newText: string) =>
  transitionRules.flatMap((r) => r.check(parseStory(oldText), parseStory(newText), ctx).map((f) => `${r.meta.id} ${f.span.start.line}: ${f.message}`));
const setStatus = (text: string, id: string, status: string) =>
  text.replace(new RegExp(`(### ${id}:[^\\n]*\\n\\*\\*Domain:\\*\\* \\w+\\n\\*\\*Status:\\*\\* )[^\\n]+`), `$1${status}`);

describe('transition rules', () => {
  it('exports meta for each rule, with doc urls', () => {
    expect(transitionRules.map((r) => r.meta.id)).toEqual(['status-transition', 'story-status-transition', 'task-removed']);
    for (const r of transitionRules) expect(r.meta.url).toMatch(new RegExp(`docs/rules/${r.meta.id}\\.md$`));
  });

  it('finds nothing between identical versions or along default edges', () => {
    expect(run(fixture('base.md'), fixture('base.md'))).toEqual([]);
    expect(run(fixture('base.md'), fixture('forward.md'))).toEqual([]);
    expect(run(fixture('base.md'), fixture('paused.md'))).toEqual([]);
  });

  it('matches statuses loosely and through synonyms, and skips unknown ones', () => {
    const base = fixture('base.md');
    expect(run(base, setStatus(base, '001', 'Done'))).toEqual([]);
    expect(run(setStatus(base, '001', 'Complete'), base)).toEqual([]);
    expect(run(setStatus(base, '001', 'Complete'), setStatus(base, '001', 'pending'))).toEqual([
      'status-transition 17: Unexpected status change of task 001 from `Complete` (HEAD) to `pending` (staged), expected `done` to stay',
    ]);
    expect(run(base, setStatus(base, '001', 'whatever'))).toEqual([]);
  });

  it('lets a started task be retitled in place, and a pending one be removed', () => {
    const base = fixture('base.md');
    expect(run(base, base.replace('### 001: Add token field to the request header', '### 001: Add a token field to the header'))).toEqual([]);
    expect(run(base, base.replace(/### 004:[^]*$/, ''))).toEqual([]);
  });

  it('pairs swapped titles as renumberings, not as status changes', () => {
    const base = fixture('base.md');
    const swapped = base
      .replace('### 001: Add token field to the request header', '### 001: TMP')
      .replace('### 002: Check the token in the daemon', '### 002: Add token field to the request header')
      .replace('### 001: TMP', '### 001: Check the token in the daemon');
    const { pairs, removed } = matchTasks(parseStory(base), parseStory(swapped));
    expect(removed).toEqual([]);
    expect(pairs.filter((p) => p.kind === 'renumbered').map((p) => `${p.old.id}->${p.current.id}`)).toEqual(['001->002', '002->001']);
    // Only the titles moved, so the done task now sits under 002 with 002's status.
    expect(run(base, swapped).map((m) => m.split(':')[0])).toEqual(['status-transition 26', 'task-removed 24', 'task-removed 15']);
  });

  it('story statuses: forward skips pass, any backwards move is reported', () => {
    const status = (s: string) => fixture('story-done.md').replace('## Status\nDone', `## Status\n${s}`);
    expect(run(status('Draft'), status('Done'))).toEqual([]);
    expect(run(status('In Progress'), status('in progress'))).toEqual([]);
    expect(run(status('In Progress'), status('Ready'))).toHaveLength(1);
    expect(run(status('Complete'), status('In Progress'))[0]).toContain('from `Complete` (HEAD) to `In Progress` (staged), expected `Done` or later');
  });
});
