/**
 * Story 035: no silent passes. Each case is a kind of input or option that used
 * to be skipped or dropped without a word; each test asserts its right result
 * on real files in a temp git repository (test/fixtures/silent: stories 001
 * Done, 003 Draft, 004 In Progress with two tasks).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import { defaultConfig } from '../src/config/defaults.js';
import { lint, lintText } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import { lintWithDependents } from '../src/agent/lint-text.js';
import { parseStory } from '../src/story/parse.js';
import { dependencyIds } from '../src/story/sections.js';
import { mayHold, referencedStoryKeys, storyRefNeedles } from '../src/git/gate.js';
import { REPO, parseJson, runBinAs } from './cli-helpers.js';

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
  const io = { cwd: dir, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false, ...(stdin !== undefined ? { stdin: async () => Buffer.from(stdin) } : {}) };
  const code = await main(argv, io);
  return { code, ...out };
}

describe('a file of the stories glob with no story number in its name', () => {
  const MISNAMED = readFileSync(join(FIXTURE, 'docs/stories/004-client.md'), 'utf8').replace('# Story 004: Client library', '# Story 007: Misnamed').replace('**Depends on:** 001/001', '**Depends on:** none').replace('- Story 001: Binary protocol', '- None');
  const misnamed = (name: string, id: string) =>
    `Unexpected file name \`${name}\` for story ${id}, expected \`${id}-${name.replace(/^\d+-/, '')}\`: a story file's name starts with its number`;
  const unnumbered = (name: string) => `Missing story number in the file name \`${name}\`, expected a story file named like \`015-slug.md\` with a \`# Story 015: Title\` heading`;
  const found = (stdout: string) => parseJson(stdout).flatMap((r) => r.messages.map((m) => [r.filePath.replace(/^.*\//, ''), `${m.line}:${m.column}`, m.ruleId, m.message]));

  it('lint reports it as story-id-unique at 1:1 (exit 1), as graph and next do, which offer none of its tasks', async () => {
    writeFileSync(story('7-misnamed.md'), MISNAMED);
    writeFileSync(story('notes.md'), '# Notes\n\nWhat we learnt.\n');
    const want = [
      ['7-misnamed.md', '1:1', 'story-id-unique', misnamed('7-misnamed.md', '007')],
      ['notes.md', '1:1', 'story-id-unique', unnumbered('notes.md')],
    ];
    const l = await run(['lint', '--format', 'json']);
    expect(l.code).toBe(1);
    expect(found(l.stdout).filter((m) => m[2] === 'story-id-unique')).toEqual(want);
    for (const command of [['next'], ['graph', 'all']]) {
      const r = await run(command);
      expect([command, r.code]).toEqual([command, 1]);
      for (const [file, , , message] of want) expect(r.stdout + r.stderr).toContain(`${file}\n  1:1  error  ${message}  story-id-unique`);
    }
    const next = await run(['next', '--format', 'json']);
    expect((JSON.parse(next.stdout) as { id: string }[]).map((t) => t.id)).toEqual(['004/001']); // not 007/001, which the misnamed file holds
  });

  it('the same for unsaved text (--stdin) named so; not for a file linted from outside the glob; a heading that disagrees with the number stays reported', async () => {
    const r = await run(['lint', '--format', 'json', '--stdin', '--stdin-filename', 'docs/stories/story-7.md'], MISNAMED);
    expect(found(r.stdout).filter((m) => m[2] === 'story-id-unique')).toEqual([['story-7.md', '1:1', 'story-id-unique', misnamed('story-7.md', '007')]]);
    writeFileSync(join(dir, 'NOTES.md'), MISNAMED);
    const outside = await run(['lint', '--format', 'json', 'NOTES.md']);
    expect(found(outside.stdout).filter((m) => m[2] === 'story-id-unique')).toEqual([]);
    writeFileSync(story('010-x.md'), MISNAMED.replace('Story 007', 'Story 001'));
    const twin = await run(['lint', '--format', 'json', 'docs/stories/010-x.md']);
    expect(found(twin.stdout).filter((m) => m[2] === 'story-id-unique').map((m) => m[3])).toEqual([
      'Unexpected heading `Story 001` in the file of story 010, expected `Story 010`: the file name and the heading name one story (rename the file or fix the heading)',
    ]);
  });
});

describe('`## Dependencies` entries in other spellings', () => {
  const withDeps = (body: string) => readFileSync(join(FIXTURE, 'docs/stories/004-client.md'), 'utf8').replace('- Story 001: Binary protocol', body);

  it.each([
    ['- 003', '003'],
    ['- #003', '003'],
    ['- Story 3', '003'],
    ['- story 3', '003'],
    ['- 003: Unix socket', '003'],
    ['- **003** Unix socket', '003'],
    ['1. 003', '003'],
    ['- 003/001', '003'],
    ['- Story #3a', '003a'],
    ['Stories 3 and 1', '003 001'],
    ['- 3', '003'],
    ['- 104', '104'],
    ['- 104: Token auth', '104'],
    ['- 012 Token auth', '012'],
    ['- #012 (auth)', '012'],
    ['- Story 3: Unix socket', '003'],
    ['- story-003', '003'],
    ['- Story003', '003'],
    // Numbers that open prose are not stories (a review's examples: each was an unknown story, or a silent wait).
    ['- 2 engineers from the platform team', ''],
    ['- 1.0 release of the SDK', ''],
    ['- 3.5 days of design review', ''],
    ['- 100 beta users', ''],
    ['- 2024 budget approval', ''],
    ['- 404 page from the web team', ''],
    ['- 12:00 cutover window agreed with ops', ''],
    ['- #1234 (backend repo) must be merged first', ''],
    ['- #45 - the rate-limit bug on GitHub', ''],
    ['- 2: the design sign-off from the UX team', ''],
    ["- The mobile team's user story 7 in their backlog", ''],
    ['- #3: Unix socket', ''],
    ['- 3 (the socket)', ''],
  ])('%s names story %s, read the same by the parser and the section scan', (body, want) => {
    const text = withDeps(body);
    expect(parseStory(text, story('004-client.md')).dependencies.map((d) => d.story).join(' ')).toBe(want);
    expect(dependencyIds(text)?.join(' ')).toBe(want);
    // The gates' line scan finds it too (an untouched story the change of story 003 affects), and its byte prefilter lets it through.
    for (const id of want.split(' ').filter(Boolean)) {
      expect(referencedStoryKeys(text)).toContain(id);
      expect(mayHold(Buffer.from(text, 'latin1'), storyRefNeedles([id]))).toBe(true);
    }
  });

  it.each([
    ['None. This is an update to the client from story 003.'],
    ['- None - this builds on story 003'],
    ['**None** (story 003 is only background)'],
    ['N/A'],
  ])('an entry that starts with None names no story: %s', (body) => {
    const text = withDeps(body);
    expect(parseStory(text, story('004-client.md')).dependencies).toEqual([]);
    expect(dependencyIds(text)).toEqual([]);
  });

  it('next waits for story 003 written `- #003` (Draft), and lint reports `- Story 9` as an unknown story (exit 1)', async () => {
    writeFileSync(story('004-client.md'), withDeps('- #003'));
    const waiting = await run(['next']);
    expect(waiting.stdout).toContain('No task can start now');
    expect(waiting.stdout).toMatch(/004\/001 +\(story 003\)/);
    writeFileSync(story('004-client.md'), withDeps('- Story 9'));
    const r = await run(['lint', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(parseJson(r.stdout).flatMap((x) => x.messages).map((m) => [m.ruleId, m.message])).toEqual([
      ['story-dependency', 'Unexpected dependency on unknown story `009`, expected a story file 009-*.md in the configured stories'],
    ]);
    // "None. ... story 003": no dependency, so 004/001 can start.
    writeFileSync(story('004-client.md'), withDeps('None. This updates the client of story 003.'));
    expect((JSON.parse((await run(['next', '--format', 'json'])).stdout) as { id: string }[]).map((t) => t.id)).toEqual(['004/001']);
  });
});

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
    // A folder that does not look like a story is searched, not reported; so is one that does, when the glob searches it.
    rmSync(story('old'), { recursive: true });
    mkdirSync(story('archive'));
    expect((await run(['lint'])).code).toBe(0);
    mkdirSync(story('old.md'));
    writeFileSync(story('old.md/002-old.md'), readFileSync(story('003-socket.md'), 'utf8').replace('Story 003', 'Story 002'));
    const searched = await run(['lint', '--format', 'json']);
    expect([searched.code, searched.stderr]).toEqual([0, '']);
    expect(parseJson(searched.stdout).map((x) => x.filePath)).toContain(story('old.md/002-old.md'));
  });

  it('a dangling link in a folder named on the command line, and one a pattern argument matches', async () => {
    symlinkSync('nowhere.md', story('007-link.md'));
    for (const arg of ['docs/stories', 'docs/stories/*.md']) {
      const r = await run(['lint', arg]);
      expect([arg, r.code, r.stderr]).toEqual([arg, 2, `plan-tasks: Cannot read ${story('007-link.md')}: it is a symbolic link to nowhere.md, which does not exist\n`]);
    }
  });
});

describe('a folder of the stories glob that cannot be listed', () => {
  // Root lists anything: as root, the bin runs as the user nobody (runBinAs), else in-process.
  const isRoot = process.getuid?.() === 0;
  const lintAs = async (argv: string[]) => (isRoot ? runBinAs(65534, argv, dir) : await run(argv));

  it.skipIf(process.platform === 'win32')('is exit 2 naming it, with the default glob and with docs/stories/**/*.md (whose engine passes it over)', async () => {
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'docs'), 0o755);
    try {
      chmodSync(join(dir, 'docs/stories'), 0o311); // enter, not list
      let r = await lintAs(['lint']);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `plan-tasks: Cannot read the folder ${join(dir, 'docs/stories')}: permission denied\n`]);
      chmodSync(join(dir, 'docs/stories'), 0o755);
      writeFileSync(join(dir, 'plan-tasks.config.json'), '{ "stories": "docs/stories/**/*.md" }\n');
      mkdirSync(story('archive'));
      writeFileSync(story('archive/002-old.md'), readFileSync(story('003-socket.md'), 'utf8').replace('Story 003', 'Story 002'));
      chmodSync(story('archive'), 0o000);
      r = await lintAs(['lint']);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `plan-tasks: Cannot read the folder ${story('archive')}: permission denied\n`]);
    } finally {
      chmodSync(join(dir, 'docs/stories'), 0o755);
      if (existsSync(story('archive'))) chmodSync(story('archive'), 0o755);
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

describe('--print-config --fix', () => {
  it('is refused (exit 2), nothing fixed: --print-config lints nothing', async () => {
    const fixable = readFileSync(story('004-client.md'), 'utf8').replace('**Status:** pending', '**Status:** Pending');
    writeFileSync(story('004-client.md'), fixable);
    const r = await run(['lint', '--print-config', '--fix']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^plan-tasks: --print-config cannot be combined with --fix \(it prints the config and lints nothing\)\n/);
    expect(readFileSync(story('004-client.md'), 'utf8')).toBe(fixable);
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
