/**
 * The speed-ups keep the diagnostics identical: the CLI's fast path
 * (src/lint/batch.ts: the hand-written scanner, worker threads, --cache)
 * against the plain full-parse path (lintFiles with micromark only) over the whole weave corpus and every fixture, cached vs
 * uncached, after another story changed, with a corrupt cache, and with
 * worker threads vs without (through the built CLI).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { lintFilesFast } from '../src/lint/batch.js';
import { resolveCacheLocation } from '../src/lint/cache.js';
import { lintFiles } from '../src/lint/run.js';
import { scanner } from '../src/story/fast.js';
import type { LintResult } from '../src/lint/types.js';

const ROOT = resolve(__dirname, '..');
const WEAVE = resolve(ROOT, '../shared/corpus/weave/stories');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-perf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function configFor(root: string, stories = ['*.md']): ResolvedConfig {
  return { ...defaultConfig(root), stories };
}

function mdFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(dir, f))
    .sort();
}

/** Copy the weave stories into a fresh docs/stories folder. */
function corpusCopy(name: string): { root: string; stories: string; files: string[] } {
  const root = join(tmp, name);
  const stories = join(root, 'docs', 'stories');
  cpSync(WEAVE, stories, { recursive: true });
  return { root, stories, files: mdFiles(stories) };
}

/** The reference: every story parsed by micromark (the hand-written scanner off), no cache, no workers. */
const plain = (files: string[], config: ResolvedConfig): LintResult[] => {
  scanner.enabled = false;
  try {
    return lintFiles(files, { config });
  } finally {
    scanner.enabled = true;
  }
};

describe('fast path = plain full-parse path', () => {
  it('gives the same messages on every weave story', async () => {
    const config = configFor(WEAVE);
    const files = mdFiles(WEAVE);
    expect(files.length).toBeGreaterThanOrEqual(28);
    const expected = plain(files, config);
    expect(expected.reduce((n, r) => n + r.messages.length, 0)).toBeGreaterThan(0);
    expect(await lintFilesFast(files, { config, workers: 0 })).toEqual(expected);
  });

  it('gives the same messages when one weave story is linted alone (other stories read on demand)', async () => {
    const config = configFor(WEAVE);
    for (const file of mdFiles(WEAVE).filter((_, i) => i % 5 === 0)) {
      expect(await lintFilesFast([file], { config, workers: 0 })).toEqual(plain([file], config));
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
      expect(await lintFilesFast(files, { config, workers: 0 }), dir).toEqual(plain(files, config));
      compared += files.length;
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('--cache', () => {
  it('gives the same messages cold, warm, and after other stories changed', async () => {
    const { root, stories, files } = corpusCopy('cache');
    const config = configFor(root, ['docs/stories/*.md']);
    const cacheFile = join(root, '.plan-tasks-cache');

    const cold = await lintFilesFast(files, { config, cacheFile, workers: 0 });
    expect(cold).toEqual(plain(files, config));
    expect(existsSync(cacheFile)).toBe(true);
    const written = readFileSync(cacheFile, 'utf8');

    // Warm: nothing changed, every file from the cache, the cache not rewritten.
    expect(await lintFilesFast(files, { config, cacheFile, workers: 0 })).toEqual(cold);
    expect(readFileSync(cacheFile, 'utf8')).toBe(written);

    // Another story changes under unchanged, cached ones: the cross-story
    // results of the cached stories must follow. Delete every story the others
    // depend on through `## Dependencies` or `NNN/NNN` refs is too much; delete
    // one that is referenced, and flip a status in another.
    const referenced = cold.flatMap((r) => r.messages).length;
    expect(referenced).toBeGreaterThan(0);
    const target = files.find((f) => /005-/.test(f))!;
    rmSync(target);
    const other = files.find((f) => /014-/.test(f))!;
    writeFileSync(other, readFileSync(other, 'utf8').replace(/\*\*Status:\*\* done/i, '**Status:** pending'));
    const remaining = mdFiles(stories);
    const expected = plain(remaining, config);
    const warm = await lintFilesFast(remaining, { config, cacheFile, workers: 0 });
    expect(warm).toEqual(expected);
    // The change is visible in stories whose text did not change.
    const unchanged = remaining.filter((f) => f !== other);
    const before = cold.filter((r) => unchanged.includes(r.filePath));
    expect(warm.filter((r) => unchanged.includes(r.filePath))).not.toEqual(before);
  });

  it('is invalidated by a config change', async () => {
    const { root, files } = corpusCopy('config');
    const cacheFile = join(root, 'cache.json');
    const config = configFor(root, ['docs/stories/*.md']);
    await lintFilesFast(files, { config, cacheFile, workers: 0 });
    const changed: ResolvedConfig = { ...config, rules: { ...config.rules, 'task-specific': 'off', 'task-status': 'warn' } };
    const expected = plain(files, changed);
    expect(expected).not.toEqual(plain(files, config));
    expect(await lintFilesFast(files, { config: changed, cacheFile, workers: 0 })).toEqual(expected);
  });

  it('ignores a corrupt or foreign cache file and replaces it', async () => {
    const { root, files } = corpusCopy('corrupt');
    const config = configFor(root, ['docs/stories/*.md']);
    const expected = plain(files, config);
    const cacheFile = join(root, '.plan-tasks-cache');
    for (const junk of ['{"format":1,"key":', 'null', '[]', '{"format":1,"key":"x","entries":{}}', '\u0000\u0001binary']) {
      writeFileSync(cacheFile, junk);
      expect(await lintFilesFast(files, { config, cacheFile, workers: 0 })).toEqual(expected);
      expect(() => JSON.parse(readFileSync(cacheFile, 'utf8'))).not.toThrow();
    }
    // A cache entry with the right hash but a broken shape is not trusted.
    const data = JSON.parse(readFileSync(cacheFile, 'utf8'));
    for (const entry of Object.values(data.entries) as Record<string, unknown>[]) entry.messages = 'broken';
    writeFileSync(cacheFile, JSON.stringify(data));
    expect(await lintFilesFast(files, { config, cacheFile, workers: 0 })).toEqual(expected);
  });

  it('lints without the cache when it cannot be written, and says so', async () => {
    const { root, files } = corpusCopy('unwritable');
    const config = configFor(root, ['docs/stories/*.md']);
    const warnings: string[] = [];
    const cacheFile = join(files[0]!, 'cannot-be-here');
    expect(await lintFilesFast(files, { config, cacheFile, workers: 0, warn: (m) => warnings.push(m) })).toEqual(plain(files, config));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Cannot write the cache/);
  });

  it('resolves --cache-location like ESLint: a file, or a directory holding .plan-tasks-cache', () => {
    expect(resolveCacheLocation('/repo', undefined)).toBe(resolve('/repo/.plan-tasks-cache'));
    expect(resolveCacheLocation('/repo', 'tmp/cache.json')).toBe(resolve('/repo/tmp/cache.json'));
    expect(resolveCacheLocation('/repo', 'tmp/')).toBe(resolve('/repo/tmp/.plan-tasks-cache'));
    expect(resolveCacheLocation('/', tmp)).toBe(join(tmp, '.plan-tasks-cache'));
  });
});

describe('the built CLI', () => {
  const bin = join(ROOT, 'bin', 'plan-tasks.js');
  const run = (cwd: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, 'lint', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

  it('gives the same report with worker threads as without, and with --cache', () => {
    const { root } = corpusCopy('cli');
    const noWorkers = run(root, [], { PLAN_TASKS_WORKERS: '0' });
    expect(noWorkers.status).toBe(1);
    const workers = run(root, [], { PLAN_TASKS_WORKERS: '1' });
    expect(workers.stderr).toBe('');
    expect(workers.stdout).toBe(noWorkers.stdout);
    const cached1 = run(root, ['--cache'], { PLAN_TASKS_WORKERS: '1' });
    expect(existsSync(join(root, '.plan-tasks-cache'))).toBe(true);
    const cached2 = run(root, ['--cache', '--cache-location', join(root, '.plan-tasks-cache')]);
    expect(cached1.stdout).toBe(noWorkers.stdout);
    expect(cached2.stdout).toBe(noWorkers.stdout);
    expect(cached2.status).toBe(1);
  });
});
