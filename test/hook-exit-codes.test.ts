/**
 * `plan-tasks hook claude` keeps Claude Code's exit codes (src/commands/hook.ts)
 * even when the hook cannot run at all: a failure of ours is 1 (shown to the
 * user, never blocks the agent), never 2, which Claude Code reads as "the edit
 * has problems" and feeds back to the model, on every edit of every file. A
 * broken install (a bundle missing from dist/, a checkout never built) is such a
 * failure. Other commands keep ESLint's 2. Runs copies of the built package.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'pt-hook-exit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the built package (bin, dist, package.json) without `missing` (paths under it). */
function brokenPackage(name: string, missing: string): string {
  const pkg = join(tmp, name);
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(REPO, part), join(pkg, part), { recursive: true });
  rmSync(join(pkg, missing), { recursive: true, force: true });
  return pkg;
}

const input = (file: string) => JSON.stringify({ cwd: tmp, hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: file } });
const run = (pkg: string, args: string[], stdin = '') =>
  spawnSync(process.execPath, [join(pkg, 'bin', 'plan-tasks.js'), ...args], { cwd: tmp, input: stdin, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEBUG: '' } });

describe('hook claude when the hook cannot run: exit 1, never 2', () => {
  it('its bundle missing from dist/', () => {
    const pkg = brokenPackage('no-hook-bundle', 'dist/hook.cjs');
    const r = run(pkg, ['hook', 'claude'], input(join(tmp, 'src', 'x.ts')));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^plan-tasks: internal error: .*hook\.cjs/);
    // Other commands: ESLint's 2, as before.
    expect(run(pkg, ['hook-nope']).status).toBe(2);
  });

  it('a checkout never built (no dist/cli.cjs)', () => {
    const pkg = brokenPackage('never-built', 'dist');
    const r = run(pkg, ['hook', 'claude'], input(join(tmp, 'docs', 'stories', '001-x.md')));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cli\.cjs is missing: run `npm run build`/);
    expect(run(pkg, ['lint']).status).toBe(2);
  });

  it('arguments it does not take: 1, as before', () => {
    const r = run(REPO, ['hook', 'claude', '--bogus'], input(join(tmp, 'x.ts')));
    expect(r.status).toBe(1);
  });
});
