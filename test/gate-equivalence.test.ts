/**
 * The PR gate reads and parses only part of the project (the changed stories,
 * and the untouched ones whose text refers to a changed story that changed
 * what others read of it), so its result is checked here against the
 * definition (DESIGN.md, "What the gates check"), computed the slow way: a
 * full lint of the new tree and of the old tree, then every finding in a
 * changed story, and every finding in an untouched story that the old tree
 * does not have. Transition rules are off (they are the gate's alone).
 *
 * The repository is generated (a seeded generator, so a failure reproduces):
 * 60 stories with task refs across stories and `## Dependencies`, then 24
 * commits of the edits a pull request makes: statuses flipped, tasks added,
 * deleted and renumbered, refs added (closing cycles through stories that do
 * not name the changed one), stories deleted, renamed and renumbered, notes
 * written. Each of several bases is compared.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, lint, Repo, tempDir } from './git-helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

afterAll(cleanup);

const DIR = 'docs/stories';
const STATUSES = ['pending', 'in_progress', 'done'];

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Task {
  id: number;
  status: string;
  depends: string[];
}
interface StoryData {
  n: number;
  slug: string;
  status: string;
  deps: number[];
  tasks: Task[];
  note: number;
}

const pad = (n: number) => String(n).padStart(3, '0');
const fileOf = (s: StoryData) => `${DIR}/${pad(s.n)}-${s.slug}.md`;

function render(s: StoryData): string {
  const lines = [`# Story ${pad(s.n)}: Generated story ${s.slug}`, '', '## Status', s.status, '', '## Problem', `The generated problem of story ${pad(s.n)}.`, ''];
  if (s.note) lines.push(`Notes written in the pull request: ${s.note}.`, '');
  if (s.deps.length) lines.push('## Dependencies', ...s.deps.map((d) => `- Story ${pad(d)}`), '');
  lines.push('## Acceptance Criteria', '- [ ] It works', '', '## Tasks', '');
  for (const t of s.tasks) {
    lines.push(`### ${pad(t.id)}: Do part ${t.id} of ${s.slug}`, '**Domain:** backend', `**Status:** ${t.status}`, `**Depends on:** ${t.depends.length ? t.depends.join(', ') : 'none'}`, '', `Change \`backend/${s.slug}/part${t.id}.go\`; its test passes.`, '', '---', '');
  }
  return lines.join('\n');
}

function generate(rand: () => number): StoryData[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const stories: StoryData[] = [];
  for (let n = 1; n <= 60; n++) {
    const tasks: Task[] = [];
    const count = 2 + Math.floor(rand() * 3);
    for (let id = 1; id <= count; id++) tasks.push({ id, status: pick(STATUSES), depends: id > 1 && rand() < 0.5 ? [pad(id - 1)] : [] });
    stories.push({ n, slug: `s${n}`, status: pick(['Draft', 'Ready', 'In Progress']), deps: [], tasks, note: 0 });
  }
  // Refs to earlier stories (a DAG to start with), some to tasks that do not exist.
  for (const s of stories) {
    if (s.n > 3 && rand() < 0.6) s.deps.push(1 + Math.floor(rand() * (s.n - 1)));
    for (const t of s.tasks) {
      if (s.n > 3 && rand() < 0.35) {
        const o = stories[Math.floor(rand() * (s.n - 1))]!;
        t.depends.push(`${pad(o.n)}/${pad(1 + Math.floor(rand() * (o.tasks.length + 1)))}`);
      }
    }
  }
  return stories;
}

/** One random pull-request edit; returns a description for failure messages. */
function mutate(stories: StoryData[], rand: () => number, repo: Repo, step: number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const s = pick(stories);
  const kind = Math.floor(rand() * 10);
  switch (kind) {
    case 0:
    case 1: {
      const t = pick(s.tasks);
      t.status = pick(STATUSES);
      return `status ${s.n}/${t.id}`;
    }
    case 2:
      s.note = step;
      return `note ${s.n}`;
    case 3: {
      if (s.tasks.length < 2) return 'none';
      s.tasks.splice(Math.floor(rand() * s.tasks.length), 1);
      return `delete a task of ${s.n}`;
    }
    case 4:
      s.tasks.push({ id: Math.max(0, ...s.tasks.map((t) => t.id)) + 1, status: 'pending', depends: [] });
      return `add a task to ${s.n}`;
    case 5: {
      // A ref to any story: later ones can close a cycle through stories that never name this one.
      const o = pick(stories);
      if (o === s) return 'none';
      if (rand() < 0.5) s.deps.push(o.n);
      else pick(s.tasks).depends.push(`${pad(o.n)}/${pad(pick(o.tasks).id)}`);
      return `ref ${s.n} -> ${o.n}`;
    }
    case 6: {
      if (stories.length < 40) return 'none';
      stories.splice(stories.indexOf(s), 1);
      repo.git('rm', '-q', fileOf(s));
      return `delete story ${s.n}`;
    }
    case 7: {
      repo.git('mv', fileOf(s), `${DIR}/${pad(s.n)}-${s.slug}-renamed.md`);
      s.slug += '-renamed';
      return `rename story ${s.n}`;
    }
    case 8: {
      const free = Math.max(...stories.map((o) => o.n)) + 1;
      repo.git('mv', fileOf(s), `${DIR}/${pad(free)}-${s.slug}.md`);
      s.n = free;
      return `renumber a story to ${free}`;
    }
    default: {
      const t = pick(s.tasks);
      t.id += 10;
      return `renumber task ${s.n}/${t.id - 10}`;
    }
  }
}

function writeAll(repo: Repo, stories: StoryData[]): void {
  for (const s of stories) repo.write(fileOf(s), render(s));
}

type Key = string;
const keyOf = (path: string, m: { ruleId: string | null; line: number; column: number }) => `${path.replace(/^.*docs\/stories\//, '')}|${m.ruleId}|${m.line}:${m.column}`;

/** Full lint of a folder's stories: file name -> message keys. */
async function fullLint(dir: string): Promise<Map<string, Key[]>> {
  const run = await lint(dir, ['--no-transitions']);
  expect(run.code, run.stderr).toBeLessThan(2);
  return new Map(run.json.map((r) => [r.filePath.replace(/^.*docs\/stories\//, ''), r.messages.map((m) => keyOf(r.filePath, m))]));
}

/**
 * `lint --base BASE` beside the definition computed from full lints of the new and the old
 * tree: every finding in a changed story, and the findings of an untouched story that the
 * old tree does not have. Message keys, sorted.
 */
async function compareWithDefinition(repo: Repo, base: string, newLint: Map<string, Key[]>, newFiles: Set<string>): Promise<{ expected: Key[]; got: Key[]; causedCount: number }> {
  const oldDir = checkout(repo, base);
  const oldLint = await fullLint(oldDir);
  const expected = new Set<Key>();
  let causedCount = 0;
  for (const name of newFiles) {
    const oldPath = join(oldDir, DIR, name);
    const same = existsSync(oldPath) && readFileSync(oldPath, 'utf8') === readFileSync(join(repo.dir, DIR, name), 'utf8');
    const had = new Set(oldLint.get(name) ?? []);
    for (const k of newLint.get(name) ?? []) {
      if (!same) expected.add(k);
      else if (!had.has(k)) {
        expected.add(k);
        causedCount++;
      }
    }
  }
  const run = await lint(repo.dir, ['--base', base, '--no-transitions']);
  expect(run.code, run.stderr).toBeLessThan(2);
  const got = new Set(run.json.flatMap((r) => r.messages.map((m) => keyOf(r.filePath, m))));
  repo.git('worktree', 'remove', '--force', oldDir);
  rmSync(oldDir, { recursive: true, force: true });
  return { expected: [...expected].sort(), got: [...got].sort(), causedCount };
}

/** The tree of `rev` as plain files in a temp folder. */
function checkout(repo: Repo, rev: string): string {
  const dir = tempDir('plan-tasks-gate-eq-');
  repo.git('worktree', 'add', '-q', '--detach', dir, rev);
  return dir;
}

describe('lint --base equals a full lint restricted to the gate semantics', () => {
  for (const seed of [7, 19]) {
    it(`on a generated 60-story repository with 24 commits (seed ${seed})`, async () => {
      const rand = random(seed);
      const repo = Repo.init();
      repo.write('plan-tasks.config.json', JSON.stringify({ domains: ['backend'] }));
      const stories = generate(rand);
      writeAll(repo, stories);
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'stories');
      const log: string[] = [];
      for (let step = 1; step <= 24; step++) {
        const edits = 1 + Math.floor(rand() * 3);
        for (let e = 0; e < edits; e++) log.push(mutate(stories, rand, repo, step));
        writeAll(repo, stories);
        repo.git('add', '-A');
        repo.git('commit', '-q', '--allow-empty', '-m', `step ${step}`);
      }
      const newLint = await fullLint(repo.dir);
      const newFiles = new Set(readdirSync(join(repo.dir, DIR)));
      let compared = 0;
      let caused = 0;
      for (const back of [1, 3, 8, 24]) {
        const base = `HEAD~${back}`;
        const { expected, got, causedCount } = await compareWithDefinition(repo, base, newLint, newFiles);
        expect(got, `base ${base} after: ${log.join('; ')}`).toEqual(expected);
        compared += expected.length;
        caused += causedCount;
      }
      // The comparison is not empty, and includes findings in untouched stories.
      expect(compared).toBeGreaterThan(20);
      expect(caused).toBeGreaterThan(0);
      // Stories are read from the working tree only where it holds HEAD's bytes (story 030):
      // with every third story file holding another story's text and one removed, the same result.
      const args = ['--base', 'HEAD~8', '--no-transitions'];
      const clean = await lint(repo.dir, args);
      const names = [...newFiles].sort();
      const texts = names.map((n) => readFileSync(join(repo.dir, DIR, n), 'utf8'));
      names.forEach((n, i) => {
        if (i % 3 === 2) writeFileSync(join(repo.dir, DIR, n), texts[(i + 1) % texts.length]!);
      });
      rmSync(join(repo.dir, DIR, names[4]!));
      const dirty = await lint(repo.dir, args);
      expect([dirty.code, dirty.json]).toEqual([clean.code, clean.json]);
      repo.git('checkout', '-q', '--', '.');
    }, 120_000);
  }
});

describe('a cycle the change closes is reported in every untouched story on it', () => {
  it('also in a story that does not name the changed one', async () => {
    const repo = Repo.init();
    repo.write('plan-tasks.config.json', JSON.stringify({ domains: ['backend'] }));
    const s = (n: number, deps: number[]): StoryData => ({ n, slug: `s${n}`, status: 'Ready', deps, tasks: [{ id: 1, status: 'pending', depends: [] }], note: 0 });
    // 001 -> 002 -> 003; the change makes 003 depend on 001.
    const stories = [s(1, [2]), s(2, [3]), s(3, [])];
    writeAll(repo, stories);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'stories');
    repo.git('checkout', '-q', '-b', 'feature');
    stories[2]!.deps.push(1);
    writeAll(repo, stories);
    repo.git('commit', '-q', '-am', 'close the cycle');
    const run = await lint(repo.dir, ['--base', 'main']);
    const cycles = run.json.filter((r) => r.messages.some((m) => m.ruleId === 'story-dependency' && /cycle/.test(m.message))).map((r) => r.filePath.replace(/^.*\//, ''));
    // 001 names only 002, which the change did not touch: it is on the new cycle all the same.
    expect(cycles.sort()).toEqual(['001-s1.md', '002-s2.md', '003-s3.md']);
    expect(run.code).toBe(1);
  });
});


describe('found by a hostile review: findings the change moves onto untouched stories', () => {
  it('a deleted story on a cycle: the cycle reported through other loops of untouched stories', async () => {
    // test/fixtures/gate/cycle-moves: 40 generated stories whose task refs form one large
    // strongly connected group; deleting 023 leaves cycles that 010, 029, 032 and 035 now
    // report, none of which names 023's loop any more.
    const repo = Repo.init();
    const from = join(FIXTURES, 'gate/cycle-moves');
    repo.write('plan-tasks.config.json', JSON.stringify({ domains: ['core'] }));
    for (const name of readdirSync(from)) repo.write(`${DIR}/${name}`, readFileSync(join(from, name), 'utf8'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'stories');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.git('rm', '-q', `${DIR}/023-s23.md`);
    repo.git('commit', '-q', '-m', 'delete 023');
    const newLint = await fullLint(repo.dir);
    const { expected, got, causedCount } = await compareWithDefinition(repo, 'main', newLint, new Set(readdirSync(join(repo.dir, DIR))));
    expect(got).toEqual(expected);
    expect(causedCount).toBeGreaterThanOrEqual(4);
    expect(got.filter((k) => k.includes('|dependency-cycle|')).map((k) => k.split('|')[0])).toEqual(expect.arrayContaining(['010-s10.md', '029-s29.md', '032-s32.md', '035-s35.md']));
  });

  it('a new story taking the number of an untouched story that never writes its own number', async () => {
    const repo = Repo.init();
    repo.write('plan-tasks.config.json', JSON.stringify({ domains: ['backend'] }));
    const s = (n: number): StoryData => ({ n, slug: `s${n}`, status: 'Ready', deps: [], tasks: [{ id: 1, status: 'pending', depends: [] }], note: 0 });
    const stories = [s(1), s(2)];
    writeAll(repo, stories);
    // 002's text never says "002" (no `Story 002` title): only its file name carries the number.
    repo.write(fileOf(stories[1]!), render(stories[1]!).replace(/^# Story 002: [^\n]*/, '# Alpha parser work').replace('problem of story 002', 'problem'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'stories');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write(`${DIR}/002-b.md`, render({ ...s(2), slug: 'b' }));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'a second 002');
    const newLint = await fullLint(repo.dir);
    const { expected, got } = await compareWithDefinition(repo, 'main', newLint, new Set(readdirSync(join(repo.dir, DIR))));
    expect(got).toEqual(expected);
    expect(got.filter((k) => k.includes('|story-id-unique|')).map((k) => k.split('|')[0]).sort()).toEqual(['002-b.md', '002-s2.md']);
  });
});

describe('a change of statuses only: untouched stories naming a task whose status changed', () => {
  it('reports what the new status causes there, and nothing in stories naming other tasks', async () => {
    const repo = Repo.init();
    repo.write('plan-tasks.config.json', JSON.stringify({ domains: ['backend'] }));
    const s = (n: number, tasks: Task[], deps: number[] = []): StoryData => ({ n, slug: `s${n}`, status: 'Ready', deps, tasks, note: 0 });
    const t = (id: number, status: string, depends: string[] = []): Task => ({ id, status, depends });
    const stories = [
      s(1, [t(1, 'done')]),
      // 002 names 001/001 (its status changes) as `0001/001`: a story number spelled longer.
      s(2, [t(1, 'done', ['0001/001'])]),
      // 003 names 001 only through `## Dependencies`, 004 names a task of 001 whose status stays.
      s(3, [t(1, 'in_progress')], [1]),
      s(4, [t(1, 'in_progress', ['001/002'])]),
    ];
    stories[0]!.tasks.push(t(2, 'done'));
    writeAll(repo, stories);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'stories');
    repo.git('checkout', '-q', '-b', 'feature');
    // Statuses only: task 001 moves back to pending, and the story's own status changes.
    stories[0]!.tasks[0]!.status = 'pending';
    stories[0]!.status = 'In Progress';
    writeAll(repo, stories);
    repo.git('commit', '-q', '-am', 'reopen 001/001');
    const newLint = await fullLint(repo.dir);
    const { expected, got, causedCount } = await compareWithDefinition(repo, 'main', newLint, new Set(readdirSync(join(repo.dir, DIR))));
    expect(got).toEqual(expected);
    expect(causedCount).toBe(1);
    expect(got.filter((k) => k.includes('|dependency-status|')).map((k) => k.split('|')[0])).toEqual(['002-s2.md']);
  });
});
