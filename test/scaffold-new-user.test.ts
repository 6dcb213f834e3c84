// The scaffolder in a new user's repository (story 036), a real git repository in a
// temp folder as `npm init -y` and `plan-tasks init` leave it: the test command when
// package.json's test script is npm's placeholder, the workflow file a CI criterion
// lands in once the repository has more than one workflow, and a written story that
// passes markdownlint's defaults and plan-tasks lint.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lint as markdownlint } from 'markdownlint/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { wrapLine } from '../src/scaffold/render.js';

/** package.json as `npm init -y` writes it: its test script fails whatever the code does. */
const NPM_INIT = `{
  "name": "app",
  "version": "1.0.0",
  "main": "index.js",
  "scripts": {
    "test": "echo \\"Error: no test specified\\" && exit 1"
  },
  "license": "ISC"
}
`;

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-new-user-'));
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

/** A story in the README's format that itself passes markdownlint's defaults. */
function story(criteria: string[]): string {
  return `# Story 001: Release notes

## Status

Ready

## Problem

Releases ship without notes, so users cannot tell what changed.

## Acceptance Criteria

${criteria.map((c) => `- [ ] ${c}`).join('\n')}
`;
}

async function run(cwd: string, ...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

const WORKFLOW = 'name: plan-tasks\non: pull_request\njobs: {}\n';
const RELEASE = 'name: release\non:\n  push:\n    tags: ["v*"]\njobs: {}\n';
const EXPORTS = '`src/notes.js` exports a `releaseNotes(commits)` function that groups commits by type';
const base = (pkg: string) => ({ 'package.json': pkg, 'src/notes.js': 'export const x = 1;\n', '.github/workflows/plan-tasks.yml': WORKFLOW });

describe('scaffold in a new user\'s repository', () => {
  it('never verifies with `npm test` while package.json\'s test script is npm\'s placeholder: Node\'s runner on the test file instead', async () => {
    const dir = repo({ ...base(NPM_INIT), 'docs/stories/001-notes.md': story([EXPORTS]) });
    const r = await run(dir, 'scaffold', '001', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('npm test');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('Verify: add `src/notes.test.js` with a case for each point below, and run `node --test src/notes.test.js`.');

    // A real test script is what the project runs.
    const real = repo({ ...base(NPM_INIT.replace('echo \\"Error: no test specified\\" && exit 1', 'vitest run')), 'docs/stories/001-notes.md': story([EXPORTS]) });
    const withTests = await run(real, 'scaffold', '001', '--dry-run');
    expect(withTests.stdout.replace(/\s+/g, ' ')).toContain('and run `npm test`.');
  });

  it('lands a CI criterion in the workflow its name matches, never in another one because both sit in .github/workflows', async () => {
    const criteria = ['The CI workflow builds the release notes from the commit log on every tag', 'The CI workflow runs the unit tests on every pull request'];
    // Only the plan-tasks workflow: neither criterion is about it.
    const one = repo({ ...base(NPM_INIT), 'docs/stories/001-notes.md': story(criteria) });
    const first = await run(one, 'scaffold', '001', '--dry-run');
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain('plan-tasks.yml');
    expect(first.stdout.replace(/\s+/g, ' ')).toContain('Add a new workflow, `.github/workflows/builds-release-notes.yml` (no workflow\'s name matches the criteria).');
    // The project gains release.yml: the release criterion lands there, the test one still in a new workflow.
    const two = repo({ ...base(NPM_INIT), '.github/workflows/release.yml': RELEASE, 'docs/stories/001-notes.md': story(criteria) });
    const second = await run(two, 'scaffold', '001', '--dry-run');
    const flat = second.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('Start in `.github/workflows/release.yml`');
    expect(flat).toContain('Verify: run `actionlint .github/workflows/release.yml`');
    expect(flat).toContain('Add a new workflow, `.github/workflows/unit-tests-pull.yml`');
    expect(flat).not.toContain('plan-tasks.yml');
    expect(flat).not.toMatch(/a new file in `\.github\/`/);
    // ci.yml (a name under three letters): "The CI workflow ..." lands there, not in a new workflow said to match nothing.
    const three = repo({ ...base(NPM_INIT), '.github/workflows/ci.yml': RELEASE.replace(/^name: .*$/m, 'name: CI'), 'docs/stories/001-notes.md': story([criteria[1]!]) });
    const ci = (await run(three, 'scaffold', '001', '--dry-run')).stdout.replace(/\s+/g, ' ');
    expect(ci).toContain('Start in `.github/workflows/ci.yml`');
    expect(ci).not.toContain('Add a new workflow');
  });

  it('writes a story that passes markdownlint\'s defaults (MD022 blank lines around headings, MD013 line length) and plan-tasks lint', async () => {
    const long = 'The release notes page lists every commit since the previous tag, grouped by type, with the author and a link to the pull request that brought it in';
    const dir = repo({ ...base(NPM_INIT), 'docs/stories/001-notes.md': story([EXPORTS, long, 'The CI workflow builds the release notes from the commit log on every tag']) });
    const before = readFileSync(join(dir, 'docs/stories/001-notes.md'), 'utf8');
    // The story as the user wrote it passes (MD013 aside: their criterion is theirs).
    expect(markdownlint({ strings: { before }, config: { MD013: false } }).before).toEqual([]);
    const r = await run(dir, 'scaffold', '001');
    expect(r.code).toBe(0);
    const after = readFileSync(join(dir, 'docs/stories/001-notes.md'), 'utf8');
    const section = after.slice(after.indexOf('## Tasks'));
    // The section the scaffolder wrote, under markdownlint's defaults (it starts at `##`, so no MD041).
    const findings = markdownlint({ strings: { section }, config: { MD041: false } }).section!.map((f) => `${f.lineNumber} ${f.ruleNames[0]} ${f.errorDetail ?? ''}`);
    expect(findings).toEqual([]);
    expect(section).toMatch(/^### 001: .*\n\n\*\*Domain:\*\* /m);
    const lint = await run(dir, 'lint');
    expect([lint.code, lint.stdout]).toEqual([0, '']);
  });

  it('wraps at spaces outside code spans, and never starts a line with a block marker', () => {
    expect(wrapLine('aaa bbb `c c c` ddd', '- ', '  ', 12)).toEqual(['- aaa bbb', '  `c c c`', '  ddd']);
    // `- x` or `1. x` at the start of a line would begin a list; `===` a setext heading.
    // The word before a marker goes down with it, so no line runs past the width (a review found 83 columns).
    expect(wrapLine('aaaa bbbb - cccc', '', '', 10)).toEqual(['aaaa', 'bbbb -', 'cccc']);
    expect(wrapLine('aaaa bbbb 1. cccc ====', '', '', 10)).toEqual(['aaaa', 'bbbb 1.', 'cccc ====']);
    // Every line within the width unless one word is longer, none opening a block, the words in order.
    const marker = /^\s*(?:[-+*>#=|]|\d+[.)](?:\s|$))/;
    const pool = ['a', 'bb', 'ccc', 'dddd', '-', '>', '1.', '12)', '#', '`x`', 'eeeeeeeeeee', '='];
    for (let seed = 1; seed <= 300; seed++) {
      let r = seed;
      const next = () => (r = (r * 1103515245 + 12345) % 2147483648);
      const words = Array.from({ length: 5 + (next() % 20) }, () => pool[next() % pool.length]!);
      if (marker.test(words[0]!)) words.unshift('lead');
      const width = 8 + (next() % 20);
      const lines = wrapLine(words.join(' '), '- ', '  ', width);
      expect(lines.join(' ').replace(/^- /, '').replace(/\s+/g, ' ')).toBe(words.join(' '));
      lines.slice(1).forEach((l) => expect(marker.test(l.slice(2)), `${width}: ${JSON.stringify(lines)}`).toBe(false));
      // Past the width only where no break could avoid it: one word, or markers back to the line's start.
      lines.forEach((l) => { if (l.length > width) expect(l.slice(2).split(' ').slice(1).every((w) => marker.test(w)), `${width}: ${JSON.stringify(lines)}`).toBe(true); });
    }
    expect(wrapLine('a-very-long-word-with-no-space', '', '', 10)).toEqual(['a-very-long-word-with-no-space']);
  });
});
