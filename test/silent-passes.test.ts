/**
 * Story 035: no silent passes. Each case is a kind of input or option that used
 * to be skipped or dropped without a word; each test asserts its right result
 * on real files in a temp git repository (test/fixtures/silent: stories 001
 * Done, 003 Draft, 004 In Progress with two tasks).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import { defaultConfig } from '../src/config/defaults.js';
import { lint, lintText } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import { lintWithDependents } from '../src/agent/lint-text.js';
import { REPO, parseJson } from './cli-helpers.js';

const FIXTURE = join(REPO, 'test/fixtures/silent');

let dir: string;
const story = (name: string) => join(dir, 'docs/stories', name);
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-silent-')));
  cpSync(FIXTURE, dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `plan-tasks ARGV` in-process in the temp project, with `stdin` as standard input. */
async function run(argv: string[], stdin?: string) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd: dir, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false, ...(stdin !== undefined ? { stdin: async () => stdin } : {}) };
  const code = await main(argv, io);
  return { code, ...out };
}

describe('the stories glob passes nothing over', () => {
  const oneLine = (r: { stderr: string }) => expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);

  it('a dangling symbolic link is an error naming the file, exit 2, for lint, next and graph', async () => {
    symlinkSync('nowhere.md', story('007-link.md'));
    for (const argv of [['lint'], ['lint', '--format', 'json'], ['next'], ['graph', 'all']]) {
      const r = await run(argv);
      expect([argv, r.code, r.stdout]).toEqual([argv, 2, '']);
      expect(r.stderr).toBe(`plan-tasks: Cannot read ${story('007-link.md')}: it is a symbolic link to nowhere.md, which does not exist\n`);
    }
  });

  it('a symbolic link loop, a folder named like a story and a FIFO are errors naming the entry, exit 2', async () => {
    symlinkSync('008-b.md', story('008-a.md'));
    symlinkSync('008-a.md', story('008-b.md'));
    let r = await run(['lint']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`plan-tasks: Cannot read ${story('008-a.md')}: too many levels of symbolic links\n`);
    rmSync(story('008-a.md'));
    rmSync(story('008-b.md'));
    mkdirSync(story('008-dir.md'));
    r = await run(['lint']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `plan-tasks: Cannot lint ${story('008-dir.md')}: it is a directory\n` });
    rmSync(story('008-dir.md'), { recursive: true });
    if (spawnSync('mkfifo', [story('009-pipe.md')]).status === 0) {
      r = await run(['lint']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^plan-tasks: Cannot lint ${story('009-pipe.md')}: it is a named pipe \\(FIFO\\), not a regular file\n`));
    }
  });

  it('the same with a glob the readdir fast path declines (docs/**/*.md): a dangling link in a sub-folder', async () => {
    writeFileSync(join(dir, 'plan-tasks.config.json'), '{ "stories": "docs/stories/**/*.md" }\n');
    mkdirSync(story('old'));
    symlinkSync('../gone.md', story('old/002-moved.md'));
    const r = await run(['lint']);
    expect(r.code).toBe(2);
    oneLine(r);
    expect(r.stderr).toContain(`Cannot read ${story('old/002-moved.md')}: it is a symbolic link to ../gone.md, which does not exist`);
    // A folder that does not look like a story is searched, not reported.
    rmSync(story('old'), { recursive: true });
    mkdirSync(story('archive'));
    expect((await run(['lint'])).code).toBe(0);
  });

  it('a dangling link in a folder named on the command line, and one a pattern argument matches', async () => {
    symlinkSync('nowhere.md', story('007-link.md'));
    for (const arg of ['docs/stories', 'docs/stories/*.md']) {
      const r = await run(['lint', arg]);
      expect([arg, r.code, r.stderr]).toEqual([arg, 2, `plan-tasks: Cannot read ${story('007-link.md')}: it is a symbolic link to nowhere.md, which does not exist\n`]);
    }
  });
});

describe('--stdin --fix', () => {
  const text = () => readFileSync(story('004-client.md'), 'utf8').replace('**Status:** pending', '**Status:** Pending');

  it('with --format json: the fixed text is the result\'s output, nothing is written', async () => {
    const before = readFileSync(story('004-client.md'), 'utf8');
    const r = await run(['lint', '--stdin', '--stdin-filename', 'docs/stories/004-client.md', '--fix', '--format', 'json'], text());
    expect(r.code).toBe(0);
    expect(parseJson(r.stdout)[0]!.output).toBe(before);
    expect(readFileSync(story('004-client.md'), 'utf8')).toBe(before);
  });

  it('with any other format is refused (exit 2): the format has no place for the fixed text', async () => {
    for (const format of [[], ['--format', 'stylish'], ['--format', 'github'], ['--format', 'sarif'], ['--format', 'markdown']]) {
      const r = await run(['lint', '--stdin', '--stdin-filename', 'docs/stories/004-client.md', '--fix', ...format], text());
      expect([format, r.code, r.stdout]).toEqual([format, 2, '']);
      expect(r.stderr).toMatch(/^plan-tasks: --fix with --stdin needs --format json: the fixed text is each result's "output", which the \w+ format has no place for \(nothing is written\)\n/);
    }
  });
});

describe('one result shape (ESLint\'s LintResult) from every caller', () => {
  const KEYS = ['filePath', 'messages', 'suppressedMessages', 'errorCount', 'fatalErrorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount', 'usedDeprecatedRules'];

  it('lint(), lintText(), the agent lint of text and --format json have the same keys in the same order', async () => {
    const config = defaultConfig(dir);
    const files = await lint(workingTreeSnapshot(config), { config });
    expect(files.map((r) => Object.keys(r))).toEqual(files.map(() => KEYS));
    const text = readFileSync(story('004-client.md'), 'utf8');
    expect(Object.keys(await lintText(text, story('004-client.md'), { config }))).toEqual(KEYS);
    const fixed = await lintText(text.replace('**Status:** pending', '**Status:** Pending'), story('004-client.md'), { config, fix: true });
    expect(Object.keys(fixed)).toEqual([...KEYS, 'output']);
    // The MCP server's lint of text (and the Claude Code hook) go through lintWithDependents.
    const dependents = await lintWithDependents(text.replace('### 001: Send', '### 005: Send'), story('004-client.md'), config);
    expect(dependents.map((r) => Object.keys(r))).toEqual(dependents.map(() => KEYS));
    const cli = parseJson((await run(['lint', '--format', 'json'])).stdout);
    expect(cli.map((r) => Object.keys(r))).toEqual(cli.map(() => KEYS));
    expect(files[0]).toMatchObject({ suppressedMessages: [], usedDeprecatedRules: [] });
  });
});
