// The scaffolder in repositories the default domains were not written for (story 041):
// a plain Node project and a Go project, in real git repositories in temp folders, with
// no config (the default domains: backend, compute, electron, packaging). A workflow task
// is verified by the event that runs it (a pull request runs no `schedule:` or tag
// trigger), the defaults say so once instead of warning on every criterion, and criteria
// that name no file are one task only when they are one change, each task saying which
// criteria it covers. Every written plan lints with no errors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run as runIn } from './cli-helpers.js';
import { listed, prose, scaffoldAndLint, taskOf } from './scaffold-helpers.js';
import { starterConfig } from '../src/commands/init.js';
import { subjectOf } from '../src/scaffold/plan.js';
import { criteriaTrigger, workflowTriggers } from '../src/scaffold/workflow.js';
import type { Task } from '../src/story/model.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A real git repository in a temp folder holding `files` (added to the index). */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-any-'));
  temps.push(dir);
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  execFileSync('git', ['add', '.'], { cwd: dir, env });
  return dir;
}

/** A Ready story in the README's format with these open criteria. */
function story(criteria: readonly string[]): string {
  return `# Story 001: Benchmarks

## Status

Ready

## Problem

Performance regressions land unnoticed.

## Acceptance Criteria

${criteria.map((c) => `- [ ] ${c}`).join('\n')}
`;
}

/** `plan-tasks ARGV` in-process in `cwd` (./cli-helpers.ts). */
const run = (cwd: string, ...argv: string[]) => runIn(argv, cwd);

/** Scaffold story 001 for real, check that the project lints with no errors, and return the written tasks and the warnings. */
const scaffold = (dir: string) => scaffoldAndLint(dir, 'docs/stories/001-bench.md');


/** A plain Node project: package.json with a real test script, src/, test/, a pull-request workflow. */
const NODE = {
  'package.json': '{ "name": "app", "type": "module", "scripts": { "test": "node --test test/" } }\n',
  'src/bench.js': 'export function bench() {}\n',
  'src/parser.js': 'export function parse(s) { return s; }\n',
  'src/report.js': 'export function formatReport(r) { return r; }\n',
  'test/parser.test.js': "import test from 'node:test';\n",
  '.github/workflows/ci.yml': 'name: CI\non: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
};

describe('a workflow task is verified by the event that runs it', () => {
  it('a new nightly workflow: workflow_dispatch beside schedule and `gh workflow run`, never "open a pull request"', async () => {
    const dir = repo({ ...NODE, 'docs/stories/001-bench.md': story(['A nightly workflow runs the benchmarks and posts the results']) });
    const { tasks } = await scaffold(dir);
    const t = taskOf(tasks, 'nightly workflow');
    expect(t.domain?.value).toBe('packaging');
    expect(prose(t)).toContain('Add a new workflow, `.github/workflows/nightly-benchmarks-posts.yml`');
    expect(prose(t)).toContain('a pull request never runs a `schedule:` trigger, so give the workflow `workflow_dispatch:` beside `schedule:`, run it once with `gh workflow run nightly-benchmarks-posts.yml` and check each point below in that run.');
    expect(prose(t)).not.toContain('open a pull request');
  });

  it('an existing scheduled workflow: add workflow_dispatch when it lacks it, else just run it', async () => {
    const nightly = 'name: Bench\non:\n  schedule:\n    - cron: "0 3 * * *"\njobs: {}\n';
    const criteria = ['The bench workflow posts the results as a comment on the tracking issue'];
    const without = repo({ ...NODE, '.github/workflows/bench.yml': nightly, 'docs/stories/001-bench.md': story(criteria) });
    const a = taskOf((await scaffold(without)).tasks, 'bench workflow');
    expect(prose(a)).toContain('Start in `.github/workflows/bench.yml`');
    expect(prose(a)).toContain('Verify: run `actionlint .github/workflows/bench.yml`; a pull request never runs its `schedule:` trigger, so add `workflow_dispatch:` to its `on:`, run it once with `gh workflow run bench.yml` and check each point below in that run.');
    const withDispatch = repo({ ...NODE, '.github/workflows/bench.yml': nightly.replace('on:\n', 'on:\n  workflow_dispatch:\n'), 'docs/stories/001-bench.md': story(criteria) });
    const b = taskOf((await scaffold(withDispatch)).tasks, 'bench workflow');
    expect(prose(b)).toContain('then run it once with `gh workflow run bench.yml` and check each point below in that run (a pull request never runs its `schedule:` trigger).');
  });

  it('a release workflow: a test tag matching its pattern, pushed in a fork; a pull-request workflow keeps the pull request', async () => {
    const release = "name: release\non:\n  push:\n    tags:\n      - 'v*'\njobs: {}\n";
    const dir = repo({
      ...NODE,
      '.github/workflows/release.yml': release,
      'docs/stories/001-bench.md': story(['The release workflow attaches the benchmark report to the GitHub release', 'The CI workflow runs the benchmarks on every pull request']),
    });
    const { tasks } = await scaffold(dir);
    const rel = taskOf(tasks, 'release workflow');
    expect(prose(rel)).toContain('Start in `.github/workflows/release.yml`');
    expect(prose(rel)).toContain('then in a fork push a test tag (`git tag v0.0.0-test.1 && git push origin v0.0.0-test.1`; a pull request never runs a tag trigger) and check each point below in the run it starts.');
    const ci = taskOf(tasks, 'CI workflow');
    expect(prose(ci)).toContain('Start in `.github/workflows/ci.yml`');
    expect(prose(ci)).toContain('Verify: run `actionlint .github/workflows/ci.yml`, then open a pull request and check each point below in the run it starts.');
  });

  it('a Dockerfile is verified by building the image, not by the unit tests', async () => {
    const dir = repo({ ...NODE, Dockerfile: 'FROM node:20\n', 'docs/stories/001-bench.md': story(['The `Dockerfile` installs only the production dependencies']) });
    const t = taskOf((await scaffold(dir)).tasks, 'Dockerfile');
    expect(prose(t)).toContain('Verify: run `docker build -f Dockerfile .` and check each point below.');
  });

  it('reads the triggers of `on:` in its three shapes, and the event the criteria name', () => {
    const events = (text: string) => [...workflowTriggers(text).events].sort();
    expect(events('on: pull_request\n')).toEqual(['pull_request']);
    expect(events('on: [push, workflow_dispatch]\n')).toEqual(['dispatch', 'push']);
    expect(events("on:\n  push:\n    branches: [main]\n    tags: ['v*']\n  schedule:\n    - cron: '0 0 * * 0'\n")).toEqual(['push', 'schedule', 'tag']);
    expect(events('on:\n  release:\n    types: [published]\n')).toEqual(['release']);
    expect(events('name: x\njobs: {}\n')).toEqual([]);
    expect(workflowTriggers("on:\n  push:\n    tags:\n      - 'release-*'\n").tagPattern).toBe('release-*');
    expect(criteriaTrigger(['A weekly job rebuilds the cache'])).toBe('schedule');
    expect(criteriaTrigger(['The workflow publishes the package when a tag is pushed'])).toBe('tag');
    expect(criteriaTrigger(['The workflow runs on every pull request'])).toBe('pull_request');
    expect(criteriaTrigger(['The workflow lints the code'])).toBeNull();
  });
});

describe('the default domains in a repository they were not written for', () => {
  const CRITERIA = [
    'A nightly workflow runs the benchmarks and posts the results',
    'The parser rejects an empty input with a clear message',
    'The report shows the median time of each benchmark',
    'The report shows the slowest benchmark first',
    'The README documents how to run the benchmarks locally',
  ];

  it('says once that the domains are the defaults and how to set them, and plans code in the code, not in .github', async () => {
    const dir = repo({ ...NODE, 'docs/stories/001-bench.md': story(CRITERIA) });
    const { tasks, stderr } = await scaffold(dir);
    expect(stderr).not.toMatch(/Missing domain signals in criterion/);
    expect(stderr.match(/warning: /g)).toHaveLength(1);
    expect(stderr).toMatch(/^docs\/stories\/001-bench\.md: warning: Missing domains of this project, expected them in the configuration: the tasks use the default domains \(backend, compute, electron, packaging\), and 3 of 5 criteria name none of their keywords or paths \(given `compute`, the closest by the rest of the story; check them\)\. Run `npx plan-tasks init` for a starter plan-tasks\.config\.json, then list your project's own domains in it, with their keywords and paths\n$/);
    // Code that names no domain takes the domain of the story's code ("parser": compute), not
    // the domain of its workflow; it lands in the file its subject names, whatever the domains' folders.
    const report = taskOf(tasks, 'median time');
    expect(report.domain?.value).toBe('compute');
    expect(prose(report)).toContain('Start in `src/report.js`');
    expect(prose(report)).toContain('add `test/report.test.js` with a case for each point below, and run `npm test`.');
    expect(prose(taskOf(tasks, 'parser rejects'))).toContain('Start in `src/parser.js`');
    // Documentation goes in the README the criterion names (a new one here), never in a code folder.
    const readme = taskOf(tasks, 'README documents');
    expect(prose(readme)).toContain('Add `README.md` at the repository root. Verify: follow `README.md` on a clean checkout');
    for (const t of tasks) expect(prose(t)).not.toMatch(/new file in `\.github\/`|follow `\.github\/`/);
    expect(tasks.filter((t) => t.domain?.value === 'packaging').map((t) => listed(t))).toEqual([CRITERIA[0]]);
  });

  it('with the starter config init writes (the defaults, unedited), says where to edit them', async () => {
    const dir = repo({ ...NODE, 'plan-tasks.config.json': starterConfig().replace('./node_modules/plan-tasks/schema.json', 'https://example.invalid/schema.json'), 'docs/stories/001-bench.md': story(CRITERIA) });
    const { stderr } = await scaffold(dir);
    expect(stderr).toMatch(/Missing domains of this project.*List your project's own domains, with their keywords and paths, under `domains` in plan-tasks\.config\.json\n$/);
    expect(stderr).not.toMatch(/npx plan-tasks init/);
  });

  it('keeps the per-criterion warning when the project configured its own domains', async () => {
    const config = JSON.stringify({ domains: [{ name: 'app', paths: ['src/**'] }, { name: 'ci', keywords: ['workflow'], paths: ['.github/**'] }] });
    const dir = repo({ ...NODE, 'plan-tasks.config.json': config, 'docs/stories/001-bench.md': story(['The report shows the slowest benchmark first', 'A nightly workflow runs the benchmarks']) });
    const { tasks, stderr } = await scaffold(dir);
    expect(stderr).not.toMatch(/Missing domains of this project/);
    expect(stderr).toMatch(/001-bench\.md:13: warning: Missing domain signals in criterion "The report shows the slowest benchmark first".*assigned `app`/);
    expect(taskOf(tasks, 'slowest').domain?.value).toBe('app');
  });

  it('in a Go project: the subject after a determiner is a noun ("The store caches"), found in the package', async () => {
    expect(subjectOf('The store caches reads for 5 minutes')).toBe('The store');
    expect(subjectOf('The report shows the median')).toBe('The report');
    expect(subjectOf('Closing the window stops the daemon')).toBe('Closing the window');
    const dir = repo({
      'go.mod': 'module example.com/app\n',
      'cmd/app/main.go': 'package main\n',
      'internal/store/store.go': 'package store\n\nfunc Open() {}\n',
      'docs/stories/001-bench.md': story(['The store caches reads for 5 minutes', 'The store evicts the oldest entry when full', 'The CLI prints the cache hit rate with `--stats`']),
    });
    const { tasks, stderr } = await scaffold(dir);
    expect(stderr).toBe('');
    const store = taskOf(tasks, 'caches reads');
    expect(store.domain?.value).toBe('backend');
    expect(prose(store)).toContain('Implement acceptance criteria 1 and 2 below. Start in `internal/store/store.go`');
    expect(prose(store)).toContain('run `go test ./internal/store/...`');
  });
});

describe('criteria that name no file are one task only when they are one change', () => {
  it('keeps separate outcomes apart, merges the same change, and every task says which criteria it covers', async () => {
    const criteria = [
      'The parser rejects an empty input with a clear message',
      'The exporter writes the results as CSV',
      'The report shows the median time of each benchmark',
      'The report shows the slowest benchmark first',
      'A weekly workflow runs the report against the main branch',
      'The progress bar shows the share of benchmarks done',
      'The progress bar hides when every benchmark is done',
    ];
    // No source file matches any subject: every criterion names no file and lands in none.
    const { 'src/parser.js': _parser, 'src/report.js': _report, ...rest } = NODE;
    const dir = repo({ ...rest, 'docs/stories/001-bench.md': story(criteria) });
    const { tasks } = await scaffold(dir);
    const covered = (t: Task) => /acceptance criteri(?:on|a) ((?:\d+(?:, | and )?)+) below/.exec(prose(t))?.[1]?.split(/, | and /).map(Number) ?? [];
    // Each criterion is in exactly one task, and the numbers a task names are the criteria listed under it.
    for (const [i, c] of criteria.entries()) {
      const t = taskOf(tasks, c);
      expect(covered(t), c).toContain(i + 1);
    }
    for (const t of tasks) expect(covered(t).map((n) => criteria[n - 1]).join('\n')).toBe(listed(t));
    // Separate outcomes: the parser and the exporter, the report and the workflow that runs it.
    expect(taskOf(tasks, 'parser rejects')).not.toBe(taskOf(tasks, 'exporter writes'));
    expect(covered(taskOf(tasks, 'weekly workflow'))).toEqual([5]);
    // One change each: the report's two points, the progress bar's two.
    expect(covered(taskOf(tasks, 'median time'))).toEqual([3, 4]);
    expect(covered(taskOf(tasks, 'progress bar hides'))).toEqual([6, 7]);
    expect(tasks).toHaveLength(5);
  });
});

describe('a task never starts in a story file', () => {
  it('sends a README criterion to a new README.md, not to the story whose name shares its words (new-user review)', async () => {
    // The story's file name holds "csv", as the criterion does: the story itself was the file
    // "whose path shares the criteria's words", and `grep` found its identifiers there too.
    const dir = repo({
      'package.json': '{"name":"demo","scripts":{"test":"node --test"}}\n',
      'src/index.js': 'export const x = 1;\n',
      'docs/stories/001-bench.md': story(['`exportCsv()` writes one CSV row per task to stdout', 'The README documents the CSV columns of `exportCsv()`']),
      'docs/stories/002-export-csv.md': '# Story 002: Export CSV\n\n## Status\n\nDraft\n\n## Problem\n\nThe `exportCsv()` CSV columns.\n',
    });
    const { tasks } = await scaffold(dir);
    const all = tasks.map((t) => t.blocks.map((b) => b.text).join('\n') + prose(t)).join('\n');
    expect(all).not.toMatch(/docs\/stories/);
    expect(prose(taskOf(tasks, 'README documents'))).toMatch(/`README\.md`/);
  });
});
