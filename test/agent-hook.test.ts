/**
 * `plan-tasks hook claude`, run as Claude Code runs it: the built bin, a
 * recorded PostToolUse payload on stdin, exit code and stderr read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli-helpers.js';
import { payload, runBinInput, tempProject } from './agent-helpers.js';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});
const project = () => {
  const p = tempProject();
  cleanup = p.done;
  return p;
};

describe('plan-tasks hook claude', () => {
  it('is silent with exit 0 for a clean story', () => {
    const p = project();
    const r = runBinInput(['hook', 'claude'], p.dir, payload('edit-story.json', p.dir));
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 2 with the rule id, line and message on stderr for a story with errors', () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('**Domain:** backend', '**Domain:** backend + electron').replace('**Status:** pending\n**Depends on:** 002', '**Status:** Pending\n**Depends on:** 002'));
    const r = runBinInput(['hook', 'claude'], p.dir, payload('edit-story.json', p.dir));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/docs\/stories\/010-token-auth\.md:25:13 error task-domain: Unexpected two domains .*\n  fix: Split it into one task per domain/);
    expect(r.stderr).toMatch(/error task-status: /);
    expect(r.stderr).toMatch(/plan-tasks lint --fix docs\/stories\/010-token-auth\.md/);
  });

  it('resolves cross-story refs: a ref to a task another story does not have is an error', () => {
    const p = project();
    const file = p.story('011-token-rotation.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('010/002', '010/009'));
    const r = runBinInput(['hook', 'claude'], p.dir, payload('multiedit-story-relative.json', p.dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/011-token-rotation\.md:\d+:\d+ error dependency-unknown: .*010\/009/);
  });

  it('reports the refs an edit broke in the stories that depend on it, and only those', () => {
    const p = project();
    const edited = p.story('010-token-auth.md');
    const text = readFileSync(edited, 'utf8');
    // Task 002 renumbered to 004 (003 follows it): 011's ref to 010/002 now dangles.
    writeFileSync(edited, text.replace('### 002: Reject', '### 004: Reject').replace('**Depends on:** 002', '**Depends on:** 004'));
    // An old problem of 011 that the edit did not cause is not reported.
    const dependent = p.story('011-token-rotation.md');
    writeFileSync(dependent, readFileSync(dependent, 'utf8').replace('**Domain:** backend', '**Domain:** weave'));
    const r = runBinInput(['hook', 'claude'], p.dir, payload('edit-story.json', p.dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the edit broke 1 reference in docs\/stories\/011-token-rotation\.md/);
    expect(r.stderr).toMatch(/011-token-rotation\.md:\d+:\d+ error dependency-unknown: .*010\/002/);
    expect(r.stderr).not.toMatch(/task-domain/);
    // Put back: clean again, though 011 still has its own old error.
    writeFileSync(edited, text);
    expect(runBinInput(['hook', 'claude'], p.dir, payload('edit-story.json', p.dir))).toMatchObject({ code: 0, stderr: '' });
  });

  it('uses the config nearest the edited file (a package of a monorepo), not only the session folder', () => {
    const p = project();
    const pkg = join(p.dir, 'packages/app');
    mkdirSync(pkg, { recursive: true });
    cpSync(join(p.dir, 'docs'), join(pkg, 'plans'), { recursive: true });
    writeFileSync(join(pkg, 'plan-tasks.config.json'), JSON.stringify({ stories: 'plans/stories/*.md' }));
    const file = join(pkg, 'plans/stories/010-token-auth.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('**Domain:** backend', '**Domain:** weave'));
    const input = JSON.stringify({ cwd: p.dir, hook_event_name: 'PostToolUse', tool_name: 'Edit', tool_input: { file_path: file } });
    const r = runBinInput(['hook', 'claude'], p.dir, input);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/packages\/app\/plans\/stories\/010-token-auth\.md:25:13 error task-domain/);
  });

  it('exits 0 silently for a file that is not a story (source, README)', () => {
    const p = project();
    for (const name of ['write-source.json', 'write-readme.json']) {
      const r = runBinInput(['hook', 'claude'], p.dir, payload(name, p.dir));
      expect(r, name).toMatchObject({ code: 0, stdout: '', stderr: '' });
    }
  });

  it('exits 0 for a payload with no file path (another tool)', () => {
    const p = project();
    const r = runBinInput(['hook', 'claude'], p.dir, JSON.stringify({ cwd: p.dir, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } }));
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('an unreadable story is an error (exit 2), not a silent pass', () => {
    const p = project();
    writeFileSync(p.story('010-token-auth.md'), Buffer.from([0x23, 0x20, 0x00, 0xff, 0x0a]));
    const r = runBinInput(['hook', 'claude'], p.dir, payload('edit-story.json', p.dir));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/binary file/);
  });

  it('a failure of its own (bad input, bad config) exits 1, which never blocks the agent', () => {
    const p = project();
    const bad = runBinInput(['hook', 'claude'], p.dir, 'not json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/expected Claude Code's PostToolUse JSON/);
    writeFileSync(join(p.dir, 'plan-tasks.config.json'), '{ "stories": 42 }');
    const config = runBinInput(['hook', 'claude'], p.dir, payload('edit-story.json', p.dir));
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/Invalid config/);
    // A source file is not even looked at: no config read, exit 0.
    expect(runBinInput(['hook', 'claude'], p.dir, payload('write-source.json', p.dir)).code).toBe(0);
    expect(runBinInput(['hook', 'cursor'], p.dir, '{}').code).toBe(1);
  });

  it('loads the dispatcher and the hook for an edit that is not a story, and its lint bundle too for a story (the hook runs after every edit)', () => {
    const p = project();
    const loads = (name: string) => {
      const log = join(p.dir, 'loads.txt');
      writeFileSync(log, '');
      const r = spawnSync(process.execPath, ['--import', join(REPO, 'test/fixtures/cli/log-loads.mjs'), join(REPO, 'bin/plan-tasks.js'), 'hook', 'claude'], {
        cwd: p.dir,
        input: payload(name, p.dir),
        env: { ...process.env, PT_LOAD_LOG: log },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      return [...new Set(readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:') && !u.includes('/test/fixtures/')).map((u) => u.replace(`file://${REPO}`, '')))];
    };
    expect(loads('write-source.json')).toEqual(['bin/plan-tasks.js', 'bin/code-cache.cjs', 'dist/cli.cjs', 'dist/errors.cjs', 'dist/hook.cjs']);
    expect(loads('edit-story.json')).toEqual(['bin/plan-tasks.js', 'bin/code-cache.cjs', 'dist/cli.cjs', 'dist/errors.cjs', 'dist/hook.cjs', 'dist/hook-lint.cjs']);
  });
});
