/**
 * ESLint's CLI conventions: --color / --no-color with FORCE_COLOR, NO_COLOR and
 * the terminal (supports-color's reading), and --print-config [file].
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { forceColorFromEnv, useColor } from '../src/commands/color.js';
import { CLI_FIXTURES, tempCopy } from './cli-helpers.js';

const ESC = '\u001b[';

async function run(argv: string[], cwd: string, env: Record<string, string> = {}, isTTY = false) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env, isTTY };
  const code = await main(argv, io);
  return { code, ...out };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function lintCopy() {
  const t = tempCopy(join(CLI_FIXTURES, 'lint'));
  cleanups.push(t.done);
  return t.dir;
}

describe('colour', () => {
  it('reads FORCE_COLOR as supports-color does', () => {
    expect(forceColorFromEnv(undefined)).toBeUndefined();
    expect(forceColorFromEnv('')).toBe(true);
    expect(forceColorFromEnv('true')).toBe(true);
    expect(forceColorFromEnv('1')).toBe(true);
    expect(forceColorFromEnv('2')).toBe(true);
    expect(forceColorFromEnv('3')).toBe(true);
    expect(forceColorFromEnv('0')).toBe(false);
    expect(forceColorFromEnv('false')).toBe(false);
    expect(forceColorFromEnv('banana')).toBeUndefined();
  });

  it('decides flag, then FORCE_COLOR, then NO_COLOR and TERM=dumb, then the terminal', () => {
    const base = { env: {}, isTTY: true, toFile: false };
    expect(useColor({ ...base, flag: undefined })).toBe(true);
    expect(useColor({ ...base, flag: false })).toBe(false);
    expect(useColor({ ...base, flag: true, isTTY: false })).toBe(true);
    expect(useColor({ ...base, flag: undefined, isTTY: false })).toBe(false);
    expect(useColor({ ...base, flag: undefined, toFile: true })).toBe(false);
    expect(useColor({ ...base, flag: undefined, env: { NO_COLOR: '1' } })).toBe(false);
    expect(useColor({ ...base, flag: undefined, env: { NO_COLOR: '' } })).toBe(true);
    expect(useColor({ ...base, flag: undefined, env: { TERM: 'dumb' } })).toBe(false);
    expect(useColor({ ...base, flag: undefined, isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(useColor({ ...base, flag: undefined, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(useColor({ ...base, flag: undefined, env: { FORCE_COLOR: '2', NO_COLOR: '1' } })).toBe(true);
    expect(useColor({ ...base, flag: false, env: { FORCE_COLOR: '3' } })).toBe(false);
    expect(useColor({ ...base, flag: true, env: { NO_COLOR: '1' } })).toBe(true);
  });

  it('paints stylish output on a terminal, and not with --no-color, NO_COLOR or FORCE_COLOR=0', async () => {
    const dir = lintCopy();
    const tty = await run(['lint', '003-errors.md'], dir, {}, true);
    expect(tty.code).toBe(1);
    expect(tty.stdout).toContain(ESC);
    for (const [argv, env] of [
      [['--no-color'], {}],
      [[], { NO_COLOR: '1' }],
      [[], { FORCE_COLOR: '0' }],
      [['--color', '--no-color'], {}],
    ] as [string[], Record<string, string>][]) {
      const r = await run(['lint', '003-errors.md', ...argv], dir, env, true);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).toBe(tty.stdout.replace(/\u001b\[\d+m/g, ''));
    }
  });

  it('paints a pipe with --color or FORCE_COLOR, never the json format', async () => {
    const dir = lintCopy();
    expect((await run(['lint', '003-errors.md'], dir)).stdout).not.toContain(ESC);
    expect((await run(['lint', '003-errors.md', '--color'], dir)).stdout).toContain(ESC);
    expect((await run(['lint', '003-errors.md', '--no-color', '--color'], dir)).stdout).toContain(ESC);
    expect((await run(['lint', '003-errors.md'], dir, { FORCE_COLOR: '1' })).stdout).toContain(ESC);
    expect((await run(['lint', '003-errors.md'], dir, { FORCE_COLOR: '' })).stdout).toContain(ESC);
    const json = await run(['lint', '003-errors.md', '--format', 'json', '--color'], dir);
    expect(json.stdout).not.toContain(ESC);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('writes --output uncoloured on a terminal unless --color asks', async () => {
    const dir = lintCopy();
    await run(['lint', '003-errors.md', '-o', 'report.txt'], dir, {}, true);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).not.toContain(ESC);
    await run(['lint', '003-errors.md', '-o', 'report.txt', '--color'], dir, {}, false);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toContain(ESC);
  });
});

describe('--print-config', () => {
  it('prints the resolved config of the config file found from the working directory', async () => {
    const dir = lintCopy();
    writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify({ stories: '*.md', rules: { 'task-specific': 'error', 'story-size': 0 } }));
    const r = await run(['lint', '--print-config'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const printed = JSON.parse(r.stdout);
    expect(printed.configFile).toBe(join(dir, 'plan-tasks.config.json'));
    expect(printed.root).toBe(dir);
    expect(printed.stories).toEqual(['*.md']);
    expect(printed.rules['task-specific']).toBe('error');
    expect(printed.rules['story-size']).toBe('off');
    // Every rule has its resolved severity, not just the configured ones.
    expect(Object.keys(printed.rules)).toContain('task-heading');
    expect(printed.taskStatuses.length).toBeGreaterThan(0);
  });

  it('prints the defaults (configFile null) without a config file, and the --config file when given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-print-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '.git'));
    const r = await run(['lint', '--print-config'], dir);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed.configFile).toBeNull();
    expect(printed.stories).toEqual(['docs/stories/*.md']);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ taskStatuses: ['todo', 'doing', 'done'], rules: { 'task-separator': 'off' } }));
    const c = await run(['lint', '--print-config', 'docs/x.md', '--config', 'other.json'], dir);
    expect(c.code).toBe(2); // the named file does not exist
    writeFileSync(join(dir, 'x.md'), '# Story 001: X\n');
    const d = await run(['lint', '--print-config', 'x.md', '--config', 'other.json'], dir);
    expect(d.code).toBe(0);
    const other = JSON.parse(d.stdout);
    expect(other.taskStatuses).toEqual(['todo', 'doing', 'done']);
    expect(other.rules['task-separator']).toBe('off');
    expect(other.configFile).toBe(join(dir, 'other.json'));
  });

  it('takes the file as --print-config=FILE too, as ESLint does (story 037)', async () => {
    // Was "Option '--print-config' does not take an argument", though it takes a file.
    const dir = mkdtempSync(join(tmpdir(), 'pt-print-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ taskStatuses: ['todo', 'doing', 'done'] }));
    writeFileSync(join(dir, 'x.md'), '# Story 001: X\n');
    const spaced = await run(['lint', '--print-config', 'x.md', '--config', 'other.json'], dir);
    const joined = await run(['lint', '--print-config=x.md', '--config', 'other.json'], dir);
    expect([joined.code, joined.stderr]).toEqual([0, '']);
    expect(joined.stdout).toBe(spaced.stdout);
    expect(JSON.parse(joined.stdout).taskStatuses).toEqual(['todo', 'doing', 'done']);
    const missing = await run(['lint', '--print-config=nope.md'], dir);
    expect([missing.code, missing.stderr.split('\n')[0]]).toEqual([2, 'plan-tasks: No such file: nope.md']);
    const empty = await run(['lint', '--print-config='], dir);
    expect([empty.code, empty.stdout, empty.stderr.split('\n')[0]]).toEqual([2, '', 'plan-tasks: Unexpected empty --print-config=, expected a story file (or --print-config alone)']);
    // After `--` it is a path, as every other argument there.
    const after = await run(['lint', '--', '--print-config=x.md'], dir);
    expect(after.stderr).toMatch(/--print-config=x\.md/);
  });

  it('exits 2 with the problems of an invalid config, and on two files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-print-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'plan-tasks.config.json'), '{"rules": {"task-heading": "loud"}}');
    const r = await run(['lint', '--print-config'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('rules.task-heading');
    writeFileSync(join(dir, 'plan-tasks.config.json'), '{}');
    const two = await run(['lint', '--print-config', 'a.md', 'b.md'], dir);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('--print-config takes at most one file');
  });
});
