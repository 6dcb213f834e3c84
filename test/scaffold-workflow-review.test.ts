// What a hostile review of story 041 found in `scaffold` (story 043): an existing workflow's
// `on:` decides how its task is verified (the criteria's words only pick among its events or
// decide for a new workflow), a CI criterion in a repository with no workflow yet gets a new
// one in `.github/workflows/`, every `on:` shape GitHub accepts is read with the `yaml`
// package (an unreadable one is said), an open criterion nested under a checked one is a task,
// and no scaffold text is false or empty. Each case is a real git repository in a temp folder
// with a real story, scaffolded for real; every written plan lints with no errors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, run as runIn } from './cli-helpers.js';
import { listed, prose, scaffoldAndLint, taskOf } from './scaffold-helpers.js';
import { criteriaTrigger, workflowTriggers } from '../src/scaffold/workflow.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A committed git repository in a temp folder: package.json `{"name":"demo"}`, `files`, and a Ready story 001 with `criteria` (Markdown lines). */
function repo(criteria: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-review-'));
  temps.push(dir);
  const all: Record<string, string> = {
    'package.json': '{"name":"demo"}\n',
    'docs/stories/001-demo.md': `# Story 001: Demo story\n\n## Status\nReady\n\n## Problem\n\nSomething is wrong.\n\n## Acceptance Criteria\n\n${criteria}\n\n## Open Questions\n\nNone.\n`,
    ...files,
  };
  for (const [p, t] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  execFileSync('git', ['add', '.'], { cwd: dir, env });
  execFileSync('git', ['commit', '-qm', 'c'], { cwd: dir, env });
  return dir;
}

/** A plain Node project with a source folder, a test script and a test folder. */
const NODE = {
  'package.json': '{"name":"demo","scripts":{"test":"node --test"}}\n',
  'src/index.js': 'export const x = 1;\n',
  'src/report.js': 'export function report() {}\n',
  'test/report.test.js': "import 'node:test';\n",
  'README.md': '# Demo\n',
};

/** `plan-tasks ARGV` in-process in `cwd` (./cli-helpers.ts). */
const run = (cwd: string, ...argv: string[]) => runIn(argv, cwd);

/** Scaffold story 001 for real, check that the project lints with no errors, and return the written tasks and the warnings. */
const scaffold = (dir: string) => scaffoldAndLint(dir, 'docs/stories/001-demo.md');


/** The verification the one task of a story with `criterion` gets when `.github/workflows/ci.yml` holds `workflow`. */
async function verifyOf(criterion: string, workflow: string): Promise<string> {
  const dir = repo(`- [ ] ${criterion}`, { ...NODE, '.github/workflows/ci.yml': workflow });
  const { tasks } = await scaffold(dir);
  expect(tasks).toHaveLength(1);
  const p = prose(tasks[0]!);
  return p.slice(p.indexOf('Verify:'));
}

describe("an existing workflow's `on:` decides, not the criterion's words", () => {
  const PR = 'on:\n  pull_request:\njobs: {}\n';
  const PULL = 'Verify: run `actionlint .github/workflows/ci.yml`, then open a pull request and check each point below in the run it starts.';

  it('"HTML tags", "publishes ... as a comment" and "daily report template" in a pull-request workflow: a pull request', async () => {
    expect(await verifyOf('The CI workflow `.github/workflows/ci.yml` checks that the HTML tags in the docs are closed.', PR)).toBe(PULL);
    expect(await verifyOf('The CI workflow `.github/workflows/ci.yml` publishes the coverage summary as a comment.', PR)).toBe(PULL);
    expect(await verifyOf('The CI workflow `.github/workflows/ci.yml` fails a pull request that edits the daily report template.', PR)).toBe(PULL);
  });

  it('"nightly" in a push workflow: a push, no `schedule:` advice', async () => {
    const v = await verifyOf('The CI workflow `.github/workflows/ci.yml` runs the nightly-size benchmark.', 'on:\n  push:\n    branches: [main]\njobs: {}\n');
    expect(v).toBe('Verify: run `actionlint .github/workflows/ci.yml`, then push to a branch its `push:` trigger matches and check each point below in the run it starts.');
  });

  it('the words still pick among the events the file lists', async () => {
    const both = 'on:\n  pull_request:\n  schedule:\n    - cron: "0 3 * * *"\njobs: {}\n';
    expect(await verifyOf('The CI workflow `.github/workflows/ci.yml` runs the benchmarks nightly.', both)).toContain('so add `workflow_dispatch:` to its `on:`, run it once with `gh workflow run ci.yml`');
    expect(await verifyOf('The CI workflow `.github/workflows/ci.yml` runs the linter.', both)).toBe(PULL);
  });

  it('for a new workflow the words decide, and a git tag is not an HTML tag nor a published comment a release', () => {
    expect(criteriaTrigger(['The workflow checks that the HTML tags are closed'])).toBeNull();
    expect(criteriaTrigger(['The workflow publishes the coverage summary as a comment'])).toBeNull();
    expect(criteriaTrigger(['The workflow publishes the package to npm'])).toBe('tag');
    expect(criteriaTrigger(['The workflow builds the binaries on every tag'])).toBe('tag');
    expect(criteriaTrigger(['The workflow runs on `v*` tags'])).toBe('tag');
  });
});

describe('a CI criterion in a repository with no workflow yet', () => {
  it('a nightly workflow: a new `.github/workflows/` file with `workflow_dispatch:` and `gh workflow run`', async () => {
    const dir = repo('- [ ] A nightly workflow runs the benchmarks and posts the results.', NODE);
    const { tasks } = await scaffold(dir);
    expect(tasks).toHaveLength(1);
    expect(prose(tasks[0]!)).toBe(
      'Implement acceptance criterion 1 below. Add a new workflow, `.github/workflows/nightly-benchmarks-posts.yml` (the repository has no workflow yet, and GitHub runs only those in `.github/workflows/`). Verify: run `actionlint .github/workflows/nightly-benchmarks-posts.yml`; a pull request never runs a `schedule:` trigger, so give the workflow `workflow_dispatch:` beside `schedule:`, run it once with `gh workflow run nightly-benchmarks-posts.yml` and check each point below in that run.',
    );
  });

  it('a release on a tag: a new workflow verified by a test tag, never `npm test`', async () => {
    const dir = repo('- [ ] The release workflow publishes the package to npm when a version tag is pushed.', NODE);
    const { tasks } = await scaffold(dir);
    const p = prose(taskOf(tasks, 'release workflow'));
    expect(p).toContain('Add a new workflow, `.github/workflows/release-publishes-package.yml`');
    expect(p).toContain('then in a fork push a test tag (`git tag v0.0.0-test.1 && git push origin v0.0.0-test.1`;');
    expect(p).not.toContain('npm test');
  });

  it('a repository whose CI is another service gets no GitHub workflow', async () => {
    const dir = repo('- [ ] A nightly CI job runs the benchmarks.', { ...NODE, '.gitlab-ci.yml': 'test:\n  script: npm test\n' });
    const { tasks } = await scaffold(dir);
    expect(prose(tasks[0]!)).not.toContain('.github/workflows');
  });
});

describe('every `on:` shape is read, and an unreadable one is said', () => {
  const events = (text: string) => [...workflowTriggers(text).events].sort();

  it('comments, lists, flow style, aliases, merge keys', () => {
    expect(events('on: # nightly only\n  schedule:\n    - cron: "0 3 * * *"\njobs: {}\n')).toEqual(['schedule']);
    expect(events('on:\n  - schedule\n  - workflow_dispatch\njobs: {}\n')).toEqual(['dispatch', 'schedule']);
    expect(events('on: {schedule: [{cron: "0 3 * * *"}]}\njobs: {}\n')).toEqual(['schedule']);
    expect(events('on: { push: { tags: ["v*"] } }\njobs: {}\n')).toEqual(['tag']);
    expect(events('x-trig: &trig\n  schedule:\n    - cron: "0 3 * * *"\non: *trig\njobs: {}\n')).toEqual(['schedule']);
    expect(events('x-trig: &trig\n  schedule:\n    - cron: "0 3 * * *"\non:\n  <<: *trig\n  workflow_dispatch:\njobs: {}\n')).toEqual(['dispatch', 'schedule']);
    expect(events('on:\n  push:\n    branches: [main]\n    tags: ["v*"]\n')).toEqual(['push', 'tag']);
  });

  it('reusable, follow-up, merge-queue and comment workflows have their own verification, never "open a pull request"', async () => {
    const cases: [string, RegExp][] = [
      ['on:\n  workflow_call:\njobs: {}\n', /then call it from a workflow in a fork \(`uses: \.\/\.github\/workflows\/ci\.yml`; a reusable workflow runs only from a caller\)/],
      ['on:\n  workflow_run:\n    workflows: [Build]\n    types: [completed]\njobs: {}\n', /then in a fork let a run of `Build` complete and check each point below in the run it then starts/],
      ['on:\n  merge_group:\njobs: {}\n', /add a pull request to the queue/],
      ['on:\n  issue_comment:\n    types: [created]\njobs: {}\n', /then in a fork comment on an issue or a pull request \(its `issue_comment:` trigger\)/],
      ['on: [gollum]\njobs: {}\n', /then in a fork edit a wiki page/],
    ];
    for (const [workflow, want] of cases) {
      const v = await verifyOf('The CI workflow `.github/workflows/ci.yml` posts a summary.', workflow);
      expect(v, workflow).toMatch(want);
      expect(v, workflow).not.toContain('open a pull request');
    }
  });

  it('a test tag the tag filters let through: `release-*`, `tags-ignore` alone, a filter no tag is guessed for', async () => {
    expect(await verifyOf('The CI workflow `.github/workflows/ci.yml` attaches the binaries.', 'on:\n  push:\n    tags: ["release-*"]\njobs: {}\n')).toContain(
      '(`git tag release-0.0.0-test.1 && git push origin release-0.0.0-test.1`;',
    );
    // tags-ignore alone: tag pushes only (GitHub), any tag not ignored.
    const ignore = await verifyOf('The CI workflow `.github/workflows/ci.yml` attaches the binaries.', 'on:\n  push:\n    tags-ignore: ["v*"]\njobs: {}\n');
    expect(ignore).toContain('(`git tag 0.0.0-test.1 && git push origin 0.0.0-test.1`;');
    expect(ignore).not.toContain('push to a branch');
    expect(workflowTriggers('on:\n  push:\n    tags: ["v[0-9]+.[0-9]+.[0-9]+"]\n').testTag).toBe('v0.0.0');
    expect(workflowTriggers('on:\n  push:\n    tags: ["v*", "!v*-rc*"]\n').testTag).toBe('v0.0.0-test.1');
  });

  it('`yaml` is a runtime dependency that only the scaffold bundle carries', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(pkg.dependencies.yaml).toBeDefined();
    expect(pkg.devDependencies?.yaml).toBeUndefined();
    // The built bundles (npm test builds first): yaml's own error text is in scaffold.cjs alone.
    const carriers = readdirSync(join(REPO, 'dist')).filter((f) => /\.c?js$/.test(f) && readFileSync(join(REPO, 'dist', f), 'utf8').includes('Excessive alias count'));
    expect(carriers).toEqual(['scaffold.cjs']);
  });

  it('an unreadable workflow is said: broken YAML, no `on:`, an `on:` of another shape', async () => {
    expect(workflowTriggers('on: [push\njobs: {}\n').unreadable).toMatch(/^YAML error at line \d+: /);
    expect(workflowTriggers('name: x\njobs: {}\n').unreadable).toBe('it has no `on:`');
    expect(workflowTriggers('on: 3\n').unreadable).toBe('`on:` is not an event, a list or a mapping of events');
    const v = await verifyOf('The CI workflow `.github/workflows/ci.yml` runs the linter.', 'name: x\njobs: {}\n');
    expect(v).toBe('Verify: run `actionlint .github/workflows/ci.yml` (its `on:` could not be read: it has no `on:`), then give it an `on:` GitHub can read, start a run with an event it lists, and check each point below in the run it starts.');
  });
});

describe('every open criterion is in exactly one task, and no scaffold text is false or empty', () => {
  it('an open criterion nested under a checked one is a task of its own, numbered under its parent', async () => {
    const dir = repo(
      '- [x] The `report` function in `src/report.js` prints totals.\n  - [ ] Totals are sorted by name in `src/report.js`.\n- [ ] The README documents the report.',
      NODE,
    );
    const { tasks } = await scaffold(dir);
    expect(tasks).toHaveLength(2);
    const nested = taskOf(tasks, 'Totals are sorted by name');
    expect(prose(nested)).toMatch(/^Implement acceptance criterion 1\.1 below\. Change `src\/report\.js`\./);
    expect(listed(nested)).not.toContain('prints totals');
    expect(prose(taskOf(tasks, 'README documents'))).toMatch(/^Document acceptance criterion 2 below\. Change `README\.md`\./);
  });

  it('a file no path or subject matches is not said to match: a new file in the source folder', async () => {
    const dir = repo('- [ ] Exports are written atomically.', NODE);
    const { tasks } = await scaffold(dir);
    expect(prose(tasks[0]!)).toBe('Implement acceptance criterion 1 below. Add the code in a new file in `src/`. Verify: add a test for each point below and run `npm test`.');
  });

  it('a file whose path shares the words says so truly, with no domain it is not', async () => {
    const dir = repo('- [ ] The report prints a footer.', NODE);
    const { tasks } = await scaffold(dir);
    expect(prose(tasks[0]!)).toMatch(/Start in `src\/report\.js` \(the file (?:that holds the criteria's subject|whose path shares the criteria's words)\)\./);
    expect(prose(tasks[0]!)).not.toMatch(/backend file/);
  });

  it('the README a criterion names is changed, not "the backend file whose path matches"', async () => {
    const dir = repo('- [ ] The README documents the `--cache` flag.', NODE);
    const { tasks } = await scaffold(dir);
    expect(prose(tasks[0]!)).toBe('Document acceptance criterion 1 below. Change `README.md`. Verify: follow `README.md` on a clean checkout; every command in it runs as written and it states each point below.');
  });

  it('no source folder: a new file at the root named after the subject, with its test and command', async () => {
    const dir = repo('- [ ] The exporter writes a CSV file with one row per task.\n- [ ] Exports include a header row.', { 'scripts/build.sh': 'echo\n', 'README.md': '# Demo\n' });
    const { tasks } = await scaffold(dir);
    expect(tasks).toHaveLength(1);
    expect(prose(tasks[0]!)).toBe(
      'Implement acceptance criteria 1 and 2 below. Add the code in a new file, `exporter.js`, at the repository root (it has no source folder). Verify: add `exporter.test.js` with a case for each point below, and run `node --test exporter.test.js`.',
    );
  });

  it('an empty `- [ ]` is skipped with a warning naming it, never a task; "`npm test` passes" is a check, not code', async () => {
    const dir = repo('- [ ] The `report` function in `src/report.js` prints totals.\n- [ ] `npm test` passes.\n- [ ]', NODE);
    const { tasks, stderr } = await scaffold(dir);
    expect(stderr).toContain('docs/stories/001-demo.md:14: warning: Missing the text of acceptance criterion 3, expected what it checks after its checkbox: skipped, no task for it\n');
    expect(tasks.map((t) => listed(t)).join('\n')).not.toMatch(/\\\[|\[ \]/);
    const check = taskOf(tasks, '`npm test` passes');
    expect(check.title).toBe('Check the whole story end to end');
  });
});
