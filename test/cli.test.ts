/**
 * `plan-tasks lint`: paths, formats, options and ESLint's exit codes, in-process
 * through `main(argv, io)` and a few times as a real process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../src/cli.js';
import { CLI_FIXTURES, parseJson, run, runBin, tempCopy } from './cli-helpers.js';

const LINT = join(CLI_FIXTURES, 'lint');
const files = (stdout: string) => parseJson(stdout).map((r) => r.filePath);
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |Error:/);

describe('paths', () => {
  it('lints the configured glob by default, every file in the report', async () => {
    const r = await run(['lint', '--format', 'json'], LINT);
    expect(files(r.stdout)).toEqual(['001-clean', '002-warnings', '003-errors', '004-fixable'].map((n) => join(LINT, `${n}.md`)));
  });

  it('takes files, folders and globs; each file once; filePath always absolute', async () => {
    const r = await run(['lint', '--format', 'json', '001-clean.md', '.', '00[23]-*.md', join(LINT, '001-clean.md')], LINT);
    expect(files(r.stdout)).toEqual(['001-clean', '002-warnings', '003-errors', '004-fixable'].map((n) => join(LINT, `${n}.md`)));
    const one = await run(['lint', '--format', 'json', 'lint/001-clean.md'], CLI_FIXTURES);
    expect(files(one.stdout)).toEqual([join(LINT, '001-clean.md')]);
  });

  it('a folder is searched for *.md, skipping node_modules', async () => {
    const t = tempCopy(LINT);
    try {
      mkdirSync(join(t.dir, 'node_modules/x'), { recursive: true });
      writeFileSync(join(t.dir, 'node_modules/x/README.md'), '# not a story\n');
      mkdirSync(join(t.dir, 'nested'));
      writeFileSync(join(t.dir, 'nested/005-more.md'), readFileSync(join(LINT, '001-clean.md')));
      const r = await run(['lint', '--format', 'json', '.'], t.dir);
      expect(files(r.stdout).map((f) => f.slice(t.dir.length + 1))).toEqual(['001-clean.md', '002-warnings.md', '003-errors.md', '004-fixable.md', 'nested/005-more.md']);
    } finally {
      t.done();
    }
  });

  it('a missing path, a glob matching nothing, or a folder without Markdown is exit 2', async () => {
    const t = tempCopy(LINT);
    try {
      mkdirSync(join(t.dir, 'empty'));
      for (const [arg, message] of [
        ['nope.md', 'No such file or directory: nope.md'],
        ['zz-*.md', 'No files match the pattern "zz-*.md"'],
        ['empty', 'No Markdown files in the directory empty'],
      ] as const) {
        const r = await run(['lint', arg], t.dir);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toContain(message);
        noStack(r.stderr);
      }
    } finally {
      t.done();
    }
  });

  it('no file matches the configured glob: exit 2 saying which glob', async () => {
    const t = tempCopy(join(CLI_FIXTURES, 'fixed'));
    try {
      writeFileSync(join(t.dir, 'plan-tasks.config.json'), '{"stories": "stories/*.md"}');
      const r = await run(['lint'], t.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('No story files match "stories/*.md"');
    } finally {
      t.done();
    }
  });
});

describe('exit codes (ESLint\'s)', () => {
  it('0 when clean, with no output', async () => {
    expect(await run(['lint', '001-clean.md'], LINT)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('0 with warnings only; the warnings are printed', async () => {
    const r = await run(['lint', '002-warnings.md'], LINT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✖ 2 problems (0 errors, 2 warnings)');
  });

  it('--max-warnings: 1 when over it, 0 at it', async () => {
    let r = await run(['lint', '--max-warnings', '0', '002-warnings.md'], LINT);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('plan-tasks found too many warnings (maximum: 0).');
    expect((await run(['lint', '--max-warnings', '1', '002-warnings.md'], LINT)).code).toBe(1);
    r = await run(['lint', '--max-warnings', '2', '002-warnings.md'], LINT);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect((await run(['lint', '--max-warnings', '-1', '002-warnings.md'], LINT)).code).toBe(0);
  });

  it('1 with errors', async () => {
    const r = await run(['lint', '003-errors.md'], LINT);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✖ 3 problems (3 errors, 0 warnings)');
  });

  it('--quiet: errors only, still exit 1 for errors; warnings neither printed nor counted', async () => {
    let r = await run(['lint', '--quiet', '--format', 'json', '003-errors.md', '004-fixable.md'], LINT);
    expect(r.code).toBe(1);
    const results = parseJson(r.stdout);
    expect(results.flatMap((x) => x.messages.map((m) => m.severity))).toEqual(Array(10).fill(2));
    expect(results.map((x) => x.warningCount)).toEqual([0, 0]);
    r = await run(['lint', '--quiet', '--max-warnings', '0', '002-warnings.md'], LINT);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('2 for usage errors, with the message and a hint, never a stack', async () => {
    const cases: [string[], string][] = [
      [['lint', '--bogus'], "Unknown option '--bogus'"],
      [['lint', '--format', 'xml'], 'Unknown format "xml"; expected one of stylish, json'],
      [['lint', '--max-warnings', 'many'], 'Invalid --max-warnings "many"; expected a whole number'],
      [['lint', '--max-warnings'], "Option '--max-warnings <value>' argument missing"],
      [['lint', '--staged', '--base', 'main'], '--staged and --base cannot be used together'],
      [['lint', '--fix', '--staged'], '--fix cannot be combined with --staged or --base'],
      [['frobnicate'], 'Unknown command "frobnicate"'],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv, LINT);
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      noStack(r.stderr);
    }
  });

  it('2 for an internal error, with no stack unless DEBUG=plan-tasks', async () => {
    COMMANDS.boom = { summary: 'test only', load: async () => async () => { throw new TypeError('x is undefined'); } };
    try {
      let r = await run(['boom'], LINT);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('plan-tasks: internal error: x is undefined\nRun with DEBUG=plan-tasks for details.\n');
      r = await run(['boom'], LINT, { DEBUG: 'plan-tasks' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/TypeError: x is undefined\n\s+at /);
    } finally {
      delete COMMANDS.boom;
    }
  });

  it('paths without the `lint` command lint too; --help and --version exit 0', async () => {
    expect((await run(['003-errors.md'], LINT)).code).toBe(1);
    const help = await run(['lint', '--help'], LINT);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--max-warnings <n>');
    expect((await run(['--version'], LINT)).stdout).toMatch(/^(\d+\.\d+\.\d+|dev)\n$/);
  });
});

describe('formats and output', () => {
  it('--format json is ESLint\'s shape: the same keys in the same order, one entry per file', async () => {
    const r = await run(['lint', '--format', 'json', '001-clean.md', '003-errors.md', '004-fixable.md'], LINT);
    const results = JSON.parse(r.stdout);
    for (const result of results) {
      expect(Object.keys(result)).toEqual(['filePath', 'messages', 'suppressedMessages', 'errorCount', 'fatalErrorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount', 'usedDeprecatedRules']);
      for (const m of result.messages) {
        expect(Object.keys(m).slice(0, 7)).toEqual(['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn']);
      }
    }
    expect(results[0]).toEqual({ filePath: join(LINT, '001-clean.md'), messages: [], suppressedMessages: [], errorCount: 0, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] });
    expect(results[1].messages[2]).toEqual({
      ruleId: 'task-status',
      severity: 2,
      message: 'Unexpected task status `Complete`, expected `done`?',
      line: 27,
      column: 13,
      endLine: 27,
      endColumn: 21,
      note: 'The task statuses: `pending`, `in_progress`, `done`.',
    });
    expect(Object.keys(results[1].messages[2])).toEqual(['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'note']);
    expect(results[2]).toMatchObject({ errorCount: 7, warningCount: 1, fixableErrorCount: 7, fixableWarningCount: 1 });
    // A fix is ESLint's { range, text } into the file's text.
    const text = readFileSync(join(LINT, '004-fixable.md'), 'utf8');
    const status = results[2].messages.find((m: { message: string }) => m.message.includes('`In Progress`'));
    expect(text.slice(...(status.fix.range as [number, number]))).toBe('In Progress');
    expect(status.fix.text).toBe('in_progress');
  });

  it('stylish: ESLint\'s layout, fixable counts, no colour when not a terminal', async () => {
    const r = await run(['lint', '004-fixable.md'], LINT);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      '',
      join(LINT, '004-fixable.md'),
      '    12:1  error    Unexpected `Task` prefix, expected `### 001: Watch the token file`           task-heading',
      '    13:3  error    Unexpected field label `domain`, expected `Domain`                           task-fields',
    ]);
    expect(r.stdout).toContain('✖ 8 problems (7 errors, 1 warning)\n  7 errors and 1 warning potentially fixable with the `--fix` option.\n');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('-o writes the report to a file (creating its folder) and nothing to stdout; the exit code is unchanged', async () => {
    const t = tempCopy(LINT);
    try {
      const r = await run(['lint', '--format', 'json', '-o', 'reports/lint.json', '003-errors.md'], t.dir);
      expect(r).toEqual({ code: 1, stdout: '', stderr: '' });
      expect(parseJson(readFileSync(join(t.dir, 'reports/lint.json'), 'utf8'))[0]!.errorCount).toBe(3);
      const clean = await run(['lint', '--output', 'clean.txt', '001-clean.md'], t.dir);
      expect(clean.code).toBe(0);
      expect(readFileSync(join(t.dir, 'clean.txt'), 'utf8')).toBe('');
    } finally {
      t.done();
    }
  });

  it('--no-transitions and --config are accepted on a plain run', async () => {
    expect((await run(['lint', '--no-transitions', '--config', 'plan-tasks.config.json', '001-clean.md'], LINT)).code).toBe(0);
  });
});

describe('the real bin (node bin/plan-tasks.js)', () => {
  let t: ReturnType<typeof tempCopy>;
  beforeAll(() => {
    t = tempCopy(LINT);
  });
  afterAll(() => t.done());

  it('exits 0, 1 and 2 like ESLint', () => {
    expect(runBin(['lint', '001-clean.md', '002-warnings.md'], t.dir).code).toBe(0);
    expect(runBin(['lint', '--max-warnings', '0', '002-warnings.md'], t.dir).code).toBe(1);
    const errors = runBin(['lint', '--format', 'json'], t.dir);
    expect(errors.code).toBe(1);
    expect(parseJson(errors.stdout).map((r) => r.errorCount)).toEqual([0, 0, 3, 7]);
    const missing = runBin(['lint', 'missing.md'], t.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('plan-tasks: No such file or directory: missing.md\n');
  });

  it('a broken config is exit 2 with the key and no stack', () => {
    const dir = join(t.dir, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'plan-tasks.config.json'), '{"rules": {"task-size": "loud"}}');
    writeFileSync(join(dir, '001-clean.md'), readFileSync(join(LINT, '001-clean.md')));
    const r = runBin(['lint', '001-clean.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('rules.task-size: Unexpected string "loud", expected one of "off", "warn", "error", 0, 1, 2');
    noStack(r.stderr);
  });
});
