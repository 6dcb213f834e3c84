/**
 * What a cold `plan-tasks lint <story>` loads (the built bin; npm test builds
 * first): the CommonJS bin and its code-cache loader, the dispatcher, the
 * error class and the one-file lint bundle, each compiled from the V8 code
 * cache the build recorded; no ES module (Node's ES module loader never
 * starts); and none of the Node built-ins only other paths need (--cache:
 * crypto; --staged and --base: child_process; workers: worker_threads; a
 * terminal: tty, which loads net and stream). Speed itself is measured in
 * bench/, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli-helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-startup-'));
  mkdirSync(join(dir, 'repo', 'docs'), { recursive: true });
  // Outside this repository, so its plan-tasks.config.json does not apply.
  cpSync(join(REPO, 'test/fixtures/weave/stories'), join(dir, 'repo', 'docs', 'stories'), { recursive: true });
  writeFileSync(join(dir, 'builtins.cjs'), "process.on('exit', () => require('fs').writeFileSync(process.env.PT_BUILTINS, process.moduleLoadList.join('\\n')));\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run the bin in the copy: the ES modules it loaded (through a loader hook,
 * which runs in a worker thread), or the Node built-ins (without the hook).
 */
function loads(hook: boolean, ...args: string[]): { modules: string[]; builtins: string[]; status: number | null } {
  const log = join(dir, 'modules.txt');
  const list = join(dir, 'builtins.txt');
  writeFileSync(log, '');
  writeFileSync(list, '');
  const r = spawnSync(process.execPath, [...(hook ? ['--import', join(REPO, 'test/fixtures/cli/log-loads.mjs')] : ['--require', join(dir, 'builtins.cjs')]), join(REPO, 'bin/plan-tasks.js'), ...args], {
    cwd: join(dir, 'repo'),
    env: { ...process.env, PT_LOAD_LOG: log, PT_BUILTINS: list, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  const modules = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:') && !u.includes('/test/fixtures/')).map((u) => u.replace(`file://${REPO}`, ''));
  const builtins = readFileSync(list, 'utf8').split('\n').filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  return { modules, builtins, status: r.status };
}

const ONLY_ELSEWHERE = ['crypto', 'child_process', 'worker_threads', 'tty', 'net', 'stream'];

describe('a one-story lint run (pipe output, no config file)', () => {
  const story = 'docs/stories/006-web-ui-foundation.md';
  it('loads the bin, the dispatcher, the error class and the lint bundle', () => {
    const run = loads(true, 'lint', story);
    expect(run.status).toBe(1);
    // (Under the loader hook, Node runs the CommonJS bin through its ES module loader: it is logged twice.)
    expect([...new Set(run.modules)]).toEqual(['bin/plan-tasks.js', 'bin/code-cache.cjs', 'dist/cli.cjs', 'dist/errors.cjs', 'dist/lint.cjs']);
  });

  it('starts no ES module loader and loads no built-in that only another path needs', () => {
    const run = loads(false, 'lint', story);
    expect(run.status).toBe(1);
    expect(run.builtins).toContain('fs');
    // `node -e 0` loads the ES module loader's core too; translators and module jobs run only for an ES module.
    expect(run.builtins.filter((b) => /^internal\/modules\/esm\/(translators|module_job)$/.test(b))).toEqual([]);
    expect(run.builtins.filter((b) => ONLY_ELSEWHERE.includes(b))).toEqual([]);
  });

  it('--cache does load node:crypto (the check above can fail)', () => {
    const run = loads(false, 'lint', '--cache', '--cache-location', join(dir, 'cache'), story);
    expect(run.builtins).toContain('crypto');
  });
});
