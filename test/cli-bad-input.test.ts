/**
 * Bad input, with real files: never a stack trace, never a silent pass. A file
 * that cannot be read as a story is a fatal lint message (exit 1, like
 * ESLint's parse errors); a path or config that cannot be used is exit 2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readStory } from '../src/lint/files.js';
import { UsageError } from '../src/errors.js';
import { loadConfig } from '../src/config/load.js';
import { CLI_FIXTURES, parseJson, run, tempCopy } from './cli-helpers.js';

const LINT = join(CLI_FIXTURES, 'lint');
const ERRORS = readFileSync(join(LINT, '003-errors.md'), 'utf8');

let t: ReturnType<typeof tempCopy>;
beforeEach(() => {
  t = tempCopy(LINT);
});
afterEach(() => t.done());

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |Error:/);

async function lintOne(name: string, content: string | Buffer) {
  writeFileSync(join(t.dir, name), content);
  const r = await run(['lint', '--format', 'json', name], t.dir);
  noStack(r.stderr);
  return { ...r, result: r.stdout ? parseJson(r.stdout)[0] : undefined };
}

const positions = (r: { result?: { messages: { line: number; column: number; endLine: number; endColumn: number; ruleId: string | null; message: string }[] } }) =>
  r.result!.messages.map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.message}`);

describe('files that are not stories', () => {
  it('a binary file is a fatal error, exit 1', async () => {
    const r = await lintOne('005-image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    expect(r.code).toBe(1);
    expect(r.result!.messages).toEqual([
      { ruleId: null, severity: 2, fatal: true, message: 'Unexpected binary file, expected a Markdown story (UTF-8 text)', line: 1, column: 1, endLine: 1, endColumn: 1 },
    ]);
    expect(r.result!.fatalErrorCount).toBe(1);
  });

  it('invalid UTF-8 says where the bad byte is', async () => {
    const latin1 = Buffer.from(ERRORS.replace('Token authentication', 'Authentification du d\u00e9mon'), 'latin1');
    const r = await lintOne('005-latin1.md', latin1);
    expect(r.code).toBe(1);
    expect(r.result!.messages).toHaveLength(1);
    expect(r.result!.messages[0]).toMatchObject({
      fatal: true,
      line: 1,
      column: 35,
      message: 'Unexpected invalid UTF-8 byte 0xe9 at line 1, column 35, expected UTF-8 text',
      note: 'Re-save the file as UTF-8.',
    });
  });

  it('an empty or blank file is a fatal error, not a pass', async () => {
    for (const content of ['', '\n\n  \n', '\ufeff']) {
      const r = await lintOne('005-empty.md', content);
      expect(r.code).toBe(1);
      expect(r.result!.messages.map((m) => m.message)).toEqual(['Unexpected empty file, expected a Markdown story']);
    }
  });

  it('the stylish report shows fatal errors like ESLint parse errors', async () => {
    writeFileSync(join(t.dir, '005-empty.md'), '');
    const r = await run(['lint', '005-empty.md'], t.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1:1  error  Unexpected empty file');
  });
});

describe('BOM and line endings', () => {
  // Outside the stories glob (`*.md`), where a name without a story number is an error of its own.
  beforeEach(() => mkdirSync(join(t.dir, 'eol')));
  const lf = async () => positions(await lintOne('eol/lf.md', ERRORS));

  it('a UTF-8 BOM does not shift positions', async () => {
    const r = await lintOne('eol/bom.md', `\ufeff${ERRORS}`);
    expect(r.code).toBe(1);
    expect(positions(r)).toEqual(await lf());
  });

  it('CRLF and mixed line endings give the same positions as LF', async () => {
    expect(positions(await lintOne('eol/crlf.md', ERRORS.replace(/\n/g, '\r\n')))).toEqual(await lf());
    const mixed = ERRORS.split('\n').map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('');
    expect(positions(await lintOne('eol/mixed.md', mixed))).toEqual(await lf());
  });
});

describe('paths that cannot be linted: exit 2', () => {
  it('a missing path', async () => {
    const r = await run(['lint', 'docs/stories/404-missing.md'], t.dir);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'plan-tasks: No such file or directory: docs/stories/404-missing.md\n' });
  });

  it('a directory is searched for Markdown; a directory named like a story is not a file', async () => {
    mkdirSync(join(t.dir, '006-folder.md'));
    writeFileSync(join(t.dir, '006-folder.md/notes.md'), ERRORS);
    const r = await run(['lint', '--format', 'json', '006-folder.md'], t.dir);
    expect(parseJson(r.stdout).map((x) => x.filePath)).toEqual([join(t.dir, '006-folder.md/notes.md')]);
    // The configured glob matches it: reported (exit 2), never skipped as if it were not there.
    const all = await run(['lint', '--format', 'json'], t.dir);
    expect(all).toEqual({ code: 2, stdout: '', stderr: `plan-tasks: Cannot lint ${join(t.dir, '006-folder.md')}: it is a directory\n` });
  });

  it('a symlink loop', async () => {
    symlinkSync(join(t.dir, 'loop-b.md'), join(t.dir, 'loop-a.md'));
    symlinkSync(join(t.dir, 'loop-a.md'), join(t.dir, 'loop-b.md'));
    const r = await run(['lint', 'loop-a.md'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot read loop-a.md: too many levels of symbolic links');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file', async () => {
    chmodSync(join(t.dir, '001-clean.md'), 0o000);
    const r = await run(['lint', '001-clean.md'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`plan-tasks: Cannot read ${join(t.dir, '001-clean.md')}: permission denied\n`);
  });

  it('a file that cannot be read (gone after it was listed) is a usage error, not a crash', () => {
    expect(() => readStory(join(t.dir, 'gone.md'))).toThrow(new UsageError(`Cannot read ${join(t.dir, 'gone.md')}: no such file (was it removed?)`));
    expect(() => readStory(t.dir)).toThrow(new UsageError(`Cannot lint ${t.dir}: it is a directory`));
  });

  it('a broken config', async () => {
    writeFileSync(join(t.dir, 'plan-tasks.config.json'), '{"stories": "*.md",');
    const r = await run(['lint'], t.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Invalid JSON in config file ${join(t.dir, 'plan-tasks.config.json')}`);
    noStack(r.stderr);
  });
});

describe('an empty value for an option that names a file (story 037)', () => {
  // `--config "$CFG"` with CFG unset: the lookup silently used another config (exit 0 or 1),
  // `-o ""` said the working directory "is not a regular file", `--cache-location ""` used the
  // default cache. Each is a usage error now, for every command that takes the option.
  const listing = () => readdirSync(t.dir).sort();

  it('--config / -c "" is exit 2 in every command, and nothing is written', async () => {
    execFileSync('git', ['init', '-q'], { cwd: t.dir });
    execFileSync('git', ['add', '-A'], { cwd: t.dir });
    const before = listing();
    const story = readFileSync(join(t.dir, '001-clean.md'), 'utf8');
    for (const argv of [
      ['lint', '--config', ''],
      ['lint', '--config=  '],
      ['lint', '-c', ''],
      ['lint', '--staged', '--config', ''],
      ['lint', '--print-config', '--config', ''],
      ['graph', 'all', '-c', ''],
      ['next', '--config', ''],
      ['status', '001/001', 'done', '-c', ''],
      ['scaffold', '001', '--config', ''],
    ]) {
      const r = await run(argv, t.dir);
      expect([argv, r.code, r.stdout]).toEqual([argv, 2, '']);
      expect(r.stderr).toMatch(/^plan-tasks: Unexpected empty --config, expected a config file such as plan-tasks\.config\.json\n/);
      noStack(r.stderr);
    }
    expect(listing()).toEqual(before);
    expect(readFileSync(join(t.dir, '001-clean.md'), 'utf8')).toBe(story);
  });

  it('-o "" and --cache-location "" are exit 2, and write no report or cache', async () => {
    const before = listing();
    for (const [argv, option, expected] of [
      [['lint', '-o', '', '001-clean.md'], 'output', 'a report file such as plan-tasks.sarif'],
      [['lint', '--output=', '--format', 'sarif', '001-clean.md'], 'output', 'a report file such as plan-tasks.sarif'],
      [['lint', '--cache', '--cache-location', '', '001-clean.md'], 'cache-location', 'a cache file or folder such as .plan-tasks-cache'],
    ] as const) {
      const r = await run([...argv], t.dir);
      expect([argv, r.code, r.stdout, r.stderr.split('\n')[0]]).toEqual([argv, 2, '', `plan-tasks: Unexpected empty --${option}, expected ${expected}`]);
    }
    expect(listing()).toEqual(before);
  });

  it('loadConfig refuses an empty configPath rather than looking one up', async () => {
    await expect(loadConfig({ cwd: t.dir, configPath: '' })).rejects.toThrow(UsageError);
    await expect(loadConfig({ cwd: t.dir, configPath: ' ' })).rejects.toThrow(/Unexpected empty config path/);
  });
});
