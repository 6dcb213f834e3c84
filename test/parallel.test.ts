/**
 * `--concurrency` (src/lint/parallel.ts, src/lint/worker.ts): the files'
 * single-file half computed on worker threads gives the same results, in the
 * same order, as the in-process path, on every fixture folder and the weave
 * copy, through the API and the built CLI (every byte of the report, the exit
 * code); a worker that fails loses no file; bad values are usage errors.
 * The workers run dist/lint-worker.cjs: `npm test` builds first.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { UsageError } from '../src/errors.js';
import { lint, type ProjectLintOptions } from '../src/lint/lint.js';
import { LintPool, parseConcurrency, threadCount, AUTO_MIN_FILES } from '../src/lint/parallel.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import { analyzeFile } from '../src/lint/worker.js';
import { markdownFiles, mdFiles } from './lint-helpers.js';

const ROOT = resolve(__dirname, '..');
const WEAVE = resolve(ROOT, 'test/fixtures/weave/stories');
const BIN = join(ROOT, 'bin', 'plan-tasks.js');
const tmp = mkdtempSync(join(tmpdir(), 'plan-tasks-parallel-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const configFor = (root: string): ResolvedConfig => ({ ...defaultConfig(root), stories: ['*.md'] });
const lintWith = (files: string[], config: ResolvedConfig, extra: Partial<ProjectLintOptions> = {}) => lint(workingTreeSnapshot(config), { config, files, ...extra });

/** Every folder of test/fixtures holding .md files, and its files. */
function fixtureFolders(): [string, string[]][] {
  const byDir = new Map<string, string[]>();
  for (const file of markdownFiles(join(ROOT, 'test', 'fixtures'))) byDir.set(dirname(file), [...(byDir.get(dirname(file)) ?? []), file]);
  return [...byDir].sort(([a], [b]) => (a < b ? -1 : 1)).map(([dir, files]) => [dir, files.sort()]);
}

describe('parallel lint = in-process lint (API)', () => {
  it('gives the same results on the weave copy, with 2 and 3 threads', async () => {
    const config = configFor(WEAVE);
    const files = mdFiles(WEAVE);
    const expected = await lintWith(files, config);
    expect(expected.reduce((n, r) => n + r.messages.length, 0)).toBeGreaterThan(100);
    expect(await lintWith(files, config, { concurrency: 2 })).toEqual(expected);
    expect(await lintWith(files, config, { concurrency: 3 })).toEqual(expected);
    expect(await lintWith(files, config, { concurrency: 'off' })).toEqual(expected);
  });

  it('gives the same results on every fixture folder (fatal files, refs to later files, every rule)', async () => {
    let compared = 0;
    for (const [dir, files] of fixtureFolders()) {
      if (files.length < 2) continue;
      const config = configFor(dir);
      const expected = await lintWith(files, config);
      expect(await lintWith(files, config, { concurrency: 2 }), dir).toEqual(expected);
      compared += files.length;
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('streams the results in file order', async () => {
    const config = configFor(WEAVE);
    const files = mdFiles(WEAVE).reverse();
    const seen: string[] = [];
    const { lintEach } = await import('../src/lint/lint.js');
    await lintEach(workingTreeSnapshot(config), { config, files, concurrency: 2 }, (r) => void seen.push(r.filePath));
    expect(seen).toEqual(files);
  });

  it('throws the I/O error of the first unreadable file in order, as in-process', async () => {
    const config = configFor(WEAVE);
    const files = mdFiles(WEAVE);
    const broken = [...files.slice(0, 20), join(tmp, 'missing-a.md'), ...files.slice(20), join(tmp, 'missing-b.md')];
    const message = async (extra: Partial<ProjectLintOptions>) => {
      try {
        await lintWith(broken, config, extra);
        return 'no error';
      } catch (error) {
        return `${(error as Error).constructor.name}: ${(error as Error).message}`;
      }
    };
    const expected = await message({});
    expect(expected).toMatch(/missing-a\.md/);
    expect(await message({ concurrency: 2 })).toBe(expected);
  });

  it('rejects a concurrency the API cannot use', async () => {
    const config = configFor(WEAVE);
    await expect(lintWith(mdFiles(WEAVE), config, { concurrency: 0 })).rejects.toThrow(UsageError);
    await expect(lintWith(mdFiles(WEAVE), config, { concurrency: 1.5 })).rejects.toThrow(/expected a positive whole number, auto or off/);
    // A string from a JSON config or a form is named as one.
    await expect(lintWith(mdFiles(WEAVE), config, { concurrency: '2' as unknown as number })).rejects.toThrow('Unexpected concurrency "2", expected');
  });

  it('the worker computes what the main thread computes for a file', async () => {
    const config = configFor(WEAVE);
    for (const file of mdFiles(WEAVE).slice(0, 6)) {
      const [result] = await lintWith([file], config);
      const a = analyzeFile(file, config);
      expect('analysis' in a).toBe(true);
      // Single-file messages are the result's, before the cross-story ones and sorting.
      if ('analysis' in a) for (const m of a.analysis.messages) expect(result!.messages).toContainEqual(m);
    }
  });
});

describe('which runs start workers', () => {
  /** How many worker threads `run` starts (node:worker_threads' Worker, counted). */
  async function workersStarted(run: () => Promise<unknown>): Promise<number> {
    const threads = process.getBuiltinModule('node:worker_threads') as { Worker: typeof import('node:worker_threads').Worker };
    const Original = threads.Worker;
    let started = 0;
    threads.Worker = class extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        started++;
      }
    };
    try {
      await run();
    } finally {
      threads.Worker = Original;
    }
    return started;
  }

  it('a plain working-tree lint with --concurrency 2 does; --cache, --fix, extra (the gates), --stdin and one file do not', async () => {
    const root = join(tmp, 'which');
    cpSync(WEAVE, root, { recursive: true });
    const config = configFor(root);
    const files = mdFiles(root);
    const snapshot = workingTreeSnapshot(config);
    expect(await workersStarted(() => lint(snapshot, { config, files, concurrency: 2 }))).toBe(1);
    expect(await workersStarted(() => lint(snapshot, { config, files, concurrency: 'off' }))).toBe(0);
    expect(await workersStarted(() => lint(snapshot, { config, files: files.slice(0, 1), concurrency: 2 }))).toBe(0);
    expect(await workersStarted(() => lint(snapshot, { config, files, concurrency: 2, cacheFile: join(tmp, 'which-cache') }))).toBe(0);
    expect(await workersStarted(() => lint(snapshot, { config, files, concurrency: 2, fix: true }))).toBe(0);
    expect(await workersStarted(() => lint(snapshot, { config, files, concurrency: 2, extra: () => [] }))).toBe(0);
    const { overlaySnapshot } = await import('../src/lint/snapshot.js');
    const overlay = overlaySnapshot(snapshot, new Map([[files[0]!, 'x']]));
    expect(await workersStarted(() => lint(overlay, { config, files, concurrency: 2 }))).toBe(0);
  });
});

describe('a worker that fails loses no file', () => {
  const config = configFor(WEAVE);
  const files = mdFiles(WEAVE);
  for (const script of ['throws.cjs', 'exit-after-one.cjs', 'claims-and-hangs.cjs']) {
    it(`analyses every file on the main thread when the worker ${script.replace('.cjs', '')}`, async () => {
      const pool = LintPool.start(files, config, 2, (r) => ('analysis' in r ? { analysis: r.analysis } : { fatal: r.fatal }), join(ROOT, 'test/fixtures/parallel', script));
      expect(pool).not.toBeNull();
      const got: unknown[] = [];
      try {
        for (let i = 0; i < files.length; i++) {
          const r = await pool!.take(i, (k) => analyzeFile(files[k]!, config));
          got.push(r);
        }
      } finally {
        pool!.close();
      }
      expect(got).toEqual(files.map((f) => analyzeFile(f, config)));
    });
  }

  it('the built CLI gives the same report and exit code when the worker bundle is broken', () => {
    const pkg = join(tmp, 'broken-pkg');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(pkg, part), { recursive: true });
    writeFileSync(join(pkg, 'dist', 'lint-worker.cjs'), "throw new Error('broken worker');\n");
    const root = join(tmp, 'broken-run');
    cpSync(WEAVE, join(root, 'docs', 'stories'), { recursive: true });
    const run = (bin: string, args: string[]) => spawnSync(process.execPath, [bin, 'lint', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const expected = run(BIN, ['--concurrency', 'off']);
    const broken = run(join(pkg, 'bin', 'plan-tasks.js'), ['--concurrency', '2']);
    expect(broken.stdout).toBe(expected.stdout);
    expect(broken.stderr).toBe(expected.stderr);
    expect(broken.status).toBe(expected.status);
    expect(expected.status).toBe(1);
  });
});

describe('the built CLI', () => {
  const run = (cwd: string, args: string[]) => spawnSync(process.execPath, [BIN, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('gives the same report byte for byte with --concurrency 2 and auto, in every format', () => {
    const root = join(tmp, 'cli');
    cpSync(WEAVE, join(root, 'docs', 'stories'), { recursive: true });
    for (const format of ['stylish', 'json', 'sarif']) {
      const off = run(root, ['--format', format, '--concurrency', 'off']);
      expect(off.status).toBe(1);
      for (const value of ['2', 'auto']) {
        const r = run(root, ['--format', format, '--concurrency', value]);
        expect(r.stdout, `${format} ${value}`).toBe(off.stdout);
        expect(r.stderr).toBe(off.stderr);
        expect(r.status).toBe(off.status);
      }
    }
  });

  it.each([['0'], ['-1'], ['two'], ['1.5'], ['']])('refuses --concurrency=%j with exit 2, naming the values', (value) => {
    const r = run(WEAVE, [`--concurrency=${value}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/expected a positive whole number, auto or off/);
    expect(r.stdout).toBe('');
  });

  it('refuses --concurrency without a value (exit 2)', () => {
    const r = run(WEAVE, ['--concurrency']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--concurrency/);
  });
});

describe("the worker's code cache", () => {
  /**
   * The bundles each worker of a built-CLI run compiled, and what the code cache
   * did with them (bin/code-cache.cjs), logged by a preload in the workers.
   */
  function workerCaches(cwd: string, args: string[]): { variant: string | null; files: Record<string, string> }[] {
    const log = join(tmp, `cache-log-${Math.random().toString(36).slice(2)}.txt`);
    const r = spawnSync(process.execPath, ['--require', join(ROOT, 'test/fixtures/parallel/log-code-cache.cjs'), BIN, 'lint', ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: { ...process.env, NO_COLOR: '1', PT_LOG: log, PT_CODE_CACHE: join(ROOT, 'bin', 'code-cache.cjs') },
    });
    expect(r.status, r.stderr).toBe(1);
    const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    rmSync(log, { force: true });
    return lines.map((l) => JSON.parse(l) as { variant: string | null; files: Record<string, string> });
  }

  /** A project of `count` stories: the weave copy, again and again, renumbered. */
  function project(name: string, count: number): string {
    const root = join(tmp, name);
    const stories = join(root, 'docs', 'stories');
    mkdirSync(stories, { recursive: true });
    const texts = mdFiles(WEAVE).map((f) => readFileSync(f, 'utf8'));
    for (let n = 1; n <= count; n++) writeFileSync(join(stories, `${String(n).padStart(4, '0')}-s.md`), texts[n % texts.length]!);
    return root;
  }

  // V8 rejects a code cache recorded under other V8 flags, and the lint sets
  // --no-turbo-inlining from 16 files, before its workers start: the worker then
  // compiled its whole bundle from source, on every run that starts one.
  it.each([[120, 'noinline'], [40, 'noinlinelate']])('%i stories with --concurrency 2: the worker compiles from the cache recorded under the run\'s flags (%s)', (count, variant) => {
    const seen = workerCaches(project(`cache-${count}`, count), ['--concurrency', '2']);
    expect(seen.length).toBeGreaterThan(0);
    for (const entry of seen) {
      expect(Object.values(entry.files).every((state) => state === 'accepted'), JSON.stringify(entry.files)).toBe(true);
      expect(entry.variant).toBe(variant);
    }
    expect(Object.keys(seen[seen.length - 1]!.files).map((f) => f.replace(/^.*[\\/]/, ''))).toContain('lint-worker.cjs');
  });
});

describe('parseConcurrency and threadCount', () => {
  it('reads ESLint\'s values', () => {
    expect(parseConcurrency('off')).toBe('off');
    expect(parseConcurrency('auto')).toBe('auto');
    expect(parseConcurrency('4')).toBe(4);
    for (const bad of ['0', '01', '-2', 'Auto', 'max', '2x', ' 2']) expect(() => parseConcurrency(bad), bad).toThrow(UsageError);
  });

  it('counts threads: off 1, n at most one per file and one per core, auto by files and half the idle cores', () => {
    expect(threadCount('off', 5000, 8, 0)).toBe(1);
    expect(threadCount(3, 2, 8, 0)).toBe(2);
    // A number ignores the load, not the cores: no thread beyond them (each is a heap and a JIT warm-up).
    expect(threadCount(3, 500, 8, 9)).toBe(3);
    expect(threadCount(3, 500, 2, 0)).toBe(2);
    expect(threadCount(3, 500, 1, 0)).toBe(1);
    expect(threadCount(999_999, 504, 4, 0)).toBe(4);
    expect(threadCount(999_999, 504)).toBe(Math.min(504, availableParallelism()));
    expect(threadCount('auto', AUTO_MIN_FILES - 1, 8, 0)).toBe(1);
    // 2 cores: never a worker, idle or not.
    expect(threadCount('auto', 2016, 2, 0)).toBe(1);
    expect(threadCount('auto', 504, 4, 0.2)).toBe(2);
    expect(threadCount('auto', 504, 4, 1.6)).toBe(1);
    expect(threadCount('auto', 504, 8, 4.5)).toBe(2);
    expect(threadCount('auto', 504, 8, 5.6)).toBe(1);
    expect(threadCount('auto', 250, 16, 0)).toBe(2);
    expect(threadCount('auto', 100_000, 64, 0)).toBe(4);
  });
});
