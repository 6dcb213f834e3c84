/**
 * How the bin ends a run (src/cli.ts, run): once nothing is left to run, it
 * calls process.exit() instead of letting Node tear its heap down first; with
 * anything still pending (a timer, a 'beforeExit' listener), Node's usual exit,
 * after that work. Output and exit code are the same either way. Each run gets a
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
      "if (process.env.PT_PENDING === 'beforeExit') process.once('beforeExit', () => fs.appendFileSync(process.env.PT_LOG, 'beforeExit\\n'));",
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

  it('with a timer pending: Node exits as usual, after the timer, with the same output and code', () => {
    const plain = run('', 'lint', STORY);
    const r = run('timer', 'lint', STORY);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.log).toEqual(['timer', 'exit 1']);
  });

  it("with a 'beforeExit' listener: Node exits as usual, and the listener runs", () => {
    const r = run('beforeExit', 'lint', STORY);
    expect(r.status).toBe(1);
    expect(r.log).toEqual(['beforeExit', 'exit 1']);
  });
});
