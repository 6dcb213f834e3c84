/**
 * bin/code-cache.cjs: the CLI bundles compile with the V8 code cache the build
 * recorded, and a cache that is missing, corrupt or from another build changes
 * nothing but speed (V8 rejects it; the file compiles as without one). Runs
 * the built bundles (npm test builds first), copied to a temp folder where a
 * test damages them.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './cli-helpers.js';

interface Loader {
  checksum: (d: Buffer) => string;
  useCodeCache: (dir: string, options?: { record?: boolean }) => { files: Record<string, string> };
}
const loader = (): Loader => createRequire(import.meta.url)(join(REPO, 'bin/code-cache.cjs')) as Loader;
/** The cache file's checksum of `data`, as bin/code-cache.cjs computes it. */
const checksumOf = (data: Buffer): string => loader().checksum(data);

let dir: string;
let dist: string;
let repo: string;
const STORY = 'docs/stories/006-web-ui-foundation.md';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-code-cache-'));
  dist = join(dir, 'dist');
  cpSync(join(REPO, 'dist'), dist, { recursive: true });
  repo = join(dir, 'repo');
  mkdirSync(join(repo, 'docs'), { recursive: true });
  cpSync(join(REPO, 'test/fixtures/weave/stories'), join(repo, 'docs/stories'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `plan-tasks ARGV` from the bundles in `from`: exit code, output, and what the loader did with each file. */
function lint(from: string, record = false): { code: number; stdout: string; files: Record<string, string> } {
  const script = `
    const { useCodeCache } = require(${JSON.stringify(join(REPO, 'bin/code-cache.cjs'))});
    const stats = useCodeCache(${JSON.stringify(from)}, { record: ${record} });
    let stdout = '';
    const io = { cwd: process.cwd(), stdout: (t) => { stdout += t; }, stderr: (t) => process.stderr.write(t), env: { NO_COLOR: '1' }, isTTY: false };
    require(${JSON.stringify(join(from, 'cli.cjs'))}).main(['lint', ${JSON.stringify(STORY)}], io).then((code) => {
      process.stdout.write(JSON.stringify({ code, stdout, files: stats.files }));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: repo, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { code: number; stdout: string; files: Record<string, string> };
  out.files = Object.fromEntries(Object.entries(out.files).map(([f, v]) => [f.slice(from.length + 1), v]));
  return out;
}

describe('the V8 code cache of the CLI bundles', () => {
  it('is used for every bundle a lint run loads (the build recorded it)', () => {
    const run = lint(join(REPO, 'dist'));
    expect(run.code).toBe(1);
    expect(run.files).toEqual({ 'cli.cjs': 'accepted', 'errors.cjs': 'accepted', 'lint.cjs': 'accepted' });
  });

  it('when missing, corrupt or from another build, is skipped or rejected and the output is the same', () => {
    const want = lint(join(REPO, 'dist'));
    rmSync(join(dist, 'cli.cjs.cache'));
    const id = readFileSync(join(dist, 'lint.cjs'), 'latin1').slice(0, 60).match(/plan-tasks build ([0-9a-f]{16})/)![1]!;
    // V8's own check: data with the right header that V8 does not take (another Node, other flags).
    // (Its checksum taken from a cache recorded from that data: record mode writes it.)
    const junk = Buffer.from('not a V8 code cache, or one from another Node');
    writeFileSync(join(dist, 'lint.cjs.cache'), Buffer.concat([Buffer.from(id + checksumOf(junk)), junk]));
    writeFileSync(join(dist, 'errors.cjs.cache'), Buffer.concat([Buffer.from('0123456789abcdef'), readFileSync(join(REPO, 'dist/errors.cjs.cache')).subarray(16)]));
    const run = lint(dist);
    expect(run.files).toEqual({ 'cli.cjs': 'absent', 'errors.cjs': 'stale', 'lint.cjs': 'rejected' });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: want.code, stdout: want.stdout });
    expect(want.stdout).toContain('006-web-ui-foundation.md');
  });

  it('damaged (bytes flipped inside V8\'s data, which V8 does not checksum) is not used: the same output, never a crash or a hang', () => {
    const want = lint(join(REPO, 'dist'));
    const good = readFileSync(join(REPO, 'dist/lint.cjs.cache'));
    for (const at of [100, Math.floor(good.length / 2), good.length - 1]) {
      const bad = Buffer.from(good);
      bad[at]! ^= 0x04;
      writeFileSync(join(dist, 'lint.cjs.cache'), bad);
      const run = lint(dist);
      expect(run.files['lint.cjs']).toBe('corrupt');
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: want.code, stdout: want.stdout });
    }
    writeFileSync(join(dist, 'lint.cjs.cache'), good.subarray(0, 24));
    expect(lint(dist).files['lint.cjs']).toBe('corrupt');
  });

  it('is written in record mode (what the build does), and then used', () => {
    const from = join(dir, 'record');
    cpSync(join(REPO, 'dist'), from, { recursive: true });
    for (const f of readdirSync(from)) if (f.endsWith('.cache')) rmSync(join(from, f));
    const first = lint(from, true);
    expect(first.files).toEqual({ 'cli.cjs': 'recording', 'errors.cjs': 'recording', 'lint.cjs': 'recording' });
    expect(statSync(join(from, 'lint.cjs.cache')).size).toBeGreaterThan(1000);
    expect(readdirSync(from).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const second = lint(from);
    expect(second.files).toEqual({ 'cli.cjs': 'accepted', 'errors.cjs': 'accepted', 'lint.cjs': 'accepted' });
    expect(second.stdout).toBe(first.stdout);
  });
});

describe('the cache of a run that reads git (variant git: NAME.cjs.git.cache)', () => {
  /** `useCodeCache(from, { variant: 'git' })` then require the bundles: what the loader did with each. */
  const loadGit = (from: string): Record<string, string> => {
    const script = `const { useCodeCache } = require(${JSON.stringify(join(REPO, 'bin/code-cache.cjs'))});
      const stats = useCodeCache(${JSON.stringify(from)}, { variant: 'git' });
      require(${JSON.stringify(join(from, 'lint.cjs'))});
      process.stdout.write(JSON.stringify(stats.files));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: repo, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return Object.fromEntries(Object.entries(JSON.parse(r.stdout) as Record<string, string>).map(([f, v]) => [f.slice(from.length + 1), v]));
  };

  it('is recorded by the build and read for such a run, the plain cache when there is none', () => {
    expect(statSync(join(REPO, 'dist/lint.cjs.git.cache')).size).toBeGreaterThan(1000);
    const from = join(dir, 'git-variant');
    cpSync(join(REPO, 'dist'), from, { recursive: true });
    expect(loadGit(from)['lint.cjs']).toBe('accepted');
    // Read (a damaged one is refused), not the plain one.
    const good = readFileSync(join(from, 'lint.cjs.git.cache'));
    const bad = Buffer.from(good);
    bad[good.length >> 1]! ^= 0x10;
    writeFileSync(join(from, 'lint.cjs.git.cache'), bad);
    expect(loadGit(from)['lint.cjs']).toBe('corrupt');
    rmSync(join(from, 'lint.cjs.git.cache'));
    expect(loadGit(from)['lint.cjs']).toBe('accepted');
  });
});

describe('the checksum of a cache', () => {
  it('is FNV-1a over 32-bit words: any length mod 4, any alignment, one changed byte changes it', () => {
    const { checksum } = loader();
    // Deterministic bytes (a linear congruential sequence), all 256 values.
    const bytes = Buffer.alloc(200_003);
    for (let i = 0, x = 7; i < bytes.length; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    expect(checksum(Buffer.alloc(0))).toBe('811c9dc5');
    // The same bytes at another alignment: the same digits (the unaligned path reads them one by one).
    const copy = Buffer.alloc(bytes.length + 1);
    bytes.copy(copy, 1);
    expect(checksum(copy.subarray(1))).toBe(checksum(bytes));
    for (let n = 1; n <= 9; n++) {
      const flipped = Buffer.from(bytes.subarray(0, n));
      flipped[n - 1] = flipped[n - 1]! ^ 1;
      expect(checksum(flipped)).not.toBe(checksum(bytes.subarray(0, n)));
    }
    expect(checksum(bytes)).not.toBe(checksum(bytes.subarray(0, bytes.length - 1)));
  });
});

describe('reading the bundles', () => {
  it('the build writes every CLI bundle as ASCII (the loader reads those as Latin-1)', () => {
    for (const f of readdirSync(join(REPO, 'dist')).filter((n) => n.endsWith('.cjs'))) {
      expect([f, /[^\0-\x7f]/.test(readFileSync(join(REPO, 'dist', f), 'latin1'))]).toEqual([f, false]);
    }
  });

  it('a bundle that is not ASCII is read as UTF-8, one that is as the same text', () => {
    const from = join(dir, 'text');
    mkdirSync(from);
    writeFileSync(join(from, 'utf8.cjs'), '/* plan-tasks build 0123456789abcdef */\n// \u2019 \u2026\nmodule.exports = ["\u00e9\u2013\u{1F532}", /^[\u2013\u2014]\u{1F532}$/u.test("\u2014\u{1F532}")];\n');
    writeFileSync(join(from, 'ascii.cjs'), '/* plan-tasks build 0123456789abcdef */\nmodule.exports = ["\\u00e9\\u2013\\uD83D\\uDD32", /^[\\u2013\\u2014]\\uD83D\\uDD32$/u.test("\\u2014\\uD83D\\uDD32")];\n');
    const script = `const { useCodeCache } = require(${JSON.stringify(join(REPO, 'bin/code-cache.cjs'))});
      const stats = useCodeCache(${JSON.stringify(from)});
      process.stdout.write(JSON.stringify([require(${JSON.stringify(join(from, 'utf8.cjs'))}), require(${JSON.stringify(join(from, 'ascii.cjs'))}), Object.values(stats.files)]));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([['\u00e9\u2013\u{1F532}', true], ['\u00e9\u2013\u{1F532}', true], ['absent', 'absent']]);
  });
});

describe('the bin in a checkout that was never built', () => {
  it('says dist/ is missing and exits 2, without a stack', () => {
    const copy = join(dir, 'unbuilt');
    cpSync(join(REPO, 'bin'), join(copy, 'bin'), { recursive: true });
    const r = spawnSync(process.execPath, [join(copy, 'bin/plan-tasks.js'), 'lint'], { cwd: repo, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`plan-tasks: ${join(copy, 'dist/cli.cjs')} is missing: run \`npm run build\` (npm install runs it)\n`);
  });
});
