/**
 * How the bin ends a run (src/cli.ts, run): once nothing is left to run (Node's
 * 'beforeExit'), it calls process.exit() instead of letting Node tear its heap
 * down first; pending work (a timer, a git process not yet reaped) runs before;
 * with another 'beforeExit' listener, Node's usual exit. Output and exit code are the same either way. Each run gets a
 * preload that records whether process.exit was called and that 'exit'
 * listeners ran; some also leave work pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli-helpers.js';

let dir: string;
const STORY = 'docs/stories/006-web-ui-foundation.md';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-exit-'));
  mkdirSync(join(dir, 'repo', 'docs'), { recursive: true });
  // Outside this repository, so its plan-tasks.config.json does not apply.
  cpSync(join(REPO, 'test/fixtures/weave/stories'), join(dir, 'repo', 'docs', 'stories'), { recursive: true });
  writeFileSync(
    join(dir, 'record.cjs'),
    [
      "const fs = require('fs');",
      'const exit = process.exit;',
      "process.exit = function (code) { fs.appendFileSync(process.env.PT_LOG, 'process.exit\\n'); return exit.apply(this, arguments); };",
      "process.on('exit', (code) => fs.appendFileSync(process.env.PT_LOG, `exit ${code}\\n`));",
      "if (process.env.PT_PENDING === 'timer') setTimeout(() => fs.appendFileSync(process.env.PT_LOG, 'timer\\n'), 200);",
      "if (process.env.PT_PENDING === 'beforeExit') process.on('beforeExit', () => fs.appendFileSync(process.env.PT_LOG, 'beforeExit\\n'));",
      "if (process.env.PT_PENDING === 'beforeExit-work') process.once('beforeExit', () => setTimeout(() => fs.appendFileSync(process.env.PT_LOG, 'work\\n'), 100));",
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(pending: string, ...args: string[]): { status: number | null; stdout: string; stderr: string; log: string[] } {
  const log = join(dir, `log-${pending || 'none'}.txt`);
  rmSync(log, { force: true });
  const r = spawnSync(process.execPath, ['--require', join(dir, 'record.cjs'), join(REPO, 'bin/plan-tasks.js'), ...args], {
    cwd: join(dir, 'repo'),
    env: { ...process.env, PT_LOG: log, PT_PENDING: pending, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, log: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
}

describe('the end of a run', () => {
  it('with nothing pending: process.exit(), the exit code of the lint, exit listeners run', () => {
    const r = run('', 'lint', STORY);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/\d+ problems? \(\d+ errors?, \d+ warnings?\)\n+$/);
    expect(r.log).toEqual(['process.exit', 'exit 1']);
  });

  it('a clean run exits 0 the same way', () => {
    const r = run('', '--version');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.log).toEqual(['process.exit', 'exit 0']);
  });

  it('with a timer pending: the timer runs first, then the same exit, output and code', () => {
    const plain = run('', 'lint', STORY);
    const r = run('timer', 'lint', STORY);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.log).toEqual(['timer', 'process.exit', 'exit 1']);
  });

  it('lint --staged (the pre-commit hook) exits the same way once its git processes are reaped', () => {
    const repo = join(dir, 'repo');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@localhost', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@localhost', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const git = (...args: string[]) => expect(spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' }).status).toBe(0);
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'stories');
    writeFileSync(join(repo, STORY), `${readFileSync(join(repo, STORY), 'utf8')}\nEdited.\n`);
    git('add', '--', STORY);
    const r = run('', 'lint', '--staged');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('006-web-ui-foundation.md');
    expect(r.log).toEqual(['process.exit', 'exit 1']);
    rmSync(join(repo, '.git'), { recursive: true, force: true });
  });

  it("with another 'beforeExit' listener: Node exits as usual, and the listener runs", () => {
    const r = run('beforeExit', 'lint', STORY);
    expect(r.status).toBe(1);
    expect(r.log).toEqual(['beforeExit', 'exit 1']);
  });

  it("with work a 'beforeExit' listener leaves behind: the work runs, then Node exits as usual", () => {
    const r = run('beforeExit-work', 'lint', STORY);
    expect(r.status).toBe(1);
    expect(r.log).toEqual(['work', 'exit 1']);
  });
});
