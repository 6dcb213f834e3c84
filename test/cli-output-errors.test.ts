/**
 * The bin when its own output cannot be written (src/commands/io.ts
 * `fdWriter`, src/cli.ts `run`): standard output on a full disk is an I/O
 * error (exit 2, one line on stderr saying so, never "internal error"); a
 * standard error that cannot be written loses its text but never the exit
 * code (ESLint's 0, 1, 2; Node's own 7 or a stack trace are never the result).
 * /dev/full (Linux) fails every write with ENOSPC; elsewhere these are skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli-helpers.js';

const FULL = '/dev/full';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-output-errors-'));
  mkdirSync(join(dir, 'repo', 'docs'), { recursive: true });
  // Outside this repository, so its plan-tasks.config.json does not apply.
  cpSync(join(REPO, 'test/fixtures/weave/stories'), join(dir, 'repo', 'docs', 'stories'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bin with stdout and/or stderr on /dev/full (the other to a file), its exit code and what reached the file. */
function runTo(where: { stdout: 'full' | 'file'; stderr: 'full' | 'file' }, ...args: string[]): { status: number | null; signal: string | null; written: string } {
  const file = join(dir, 'captured.txt');
  rmSync(file, { force: true });
  const full = openSync(FULL, 'w');
  const out = openSync(file, 'w');
  try {
    const r = spawnSync(process.execPath, [join(REPO, 'bin/plan-tasks.js'), ...args], {
      cwd: join(dir, 'repo'),
      env: { ...process.env, NO_COLOR: '1', DEBUG: '' },
      stdio: ['ignore', where.stdout === 'full' ? full : out, where.stderr === 'full' ? full : out],
    });
    return { status: r.status, signal: r.signal, written: existsSync(file) ? readFileSync(file, 'utf8') : '' };
  } finally {
    closeSync(full);
    closeSync(out);
  }
}

describe.skipIf(!existsSync(FULL))('output that cannot be written', () => {
  it('a report to a full standard output: exit 2 and an I/O error on stderr, not an internal error', () => {
    for (const format of ['stylish', 'json']) {
      const r = runTo({ stdout: 'full', stderr: 'file' }, 'lint', '--format', format);
      expect(r.status, format).toBe(2);
      expect(r.written).toBe('plan-tasks: Cannot write to standard output: ENOSPC\n');
    }
  });

  it('other commands too (graph): exit 2, the same line', () => {
    const r = runTo({ stdout: 'full', stderr: 'file' }, 'graph', 'all');
    expect(r.status).toBe(2);
    expect(r.written).toBe('plan-tasks: Cannot write to standard output: ENOSPC\n');
  });

  it('a usage error with a full standard error: still exit 2 (not Node\'s 7)', () => {
    const r = runTo({ stdout: 'file', stderr: 'full' }, 'lint', '--no-such-option');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.written).toBe('');
  });

  it('lint errors with a full standard error: the report on stdout, exit 1', () => {
    const r = runTo({ stdout: 'file', stderr: 'full' }, 'lint', '--max-warnings', '0');
    expect(r.status).toBe(1);
    expect(r.written).toMatch(/problems \(\d+ errors, \d+ warnings\)/);
  });

  it('both full: exit 2, nothing else', () => {
    const r = runTo({ stdout: 'full', stderr: 'full' }, 'lint', '--format', 'json');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
  });
});
