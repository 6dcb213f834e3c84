/**
 * The zod-free config check (src/config/check.ts) against the zod schema it
 * stands for (src/config/schema.ts): on every config fixture, on a list of
 * invalid configs, and on generated configs (valid and not), it must accept
 * exactly what zod accepts, with zod's output (trimmed strings, known keys
 * only). A config it accepted wrongly would pass without a word; one it
 * rejected wrongly would only load zod. And the CLI reads a valid config
 * without loading zod, but still explains a bad one.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../src/config/check.js';
import { RULE_IDS } from '../src/config/defaults.js';
import { configSchema } from '../src/config/schema.js';
import { REPO } from './cli-helpers.js';

/** zod's verdict as checkConfig reports it: the parsed value, or null (also for a `__proto__` key, which load.ts rejects). */
function zodVerdict(value: unknown): unknown {
  const r = configSchema.safeParse(value);
  if (!r.success || hasProtoKey(value)) return null;
  return r.data;
}

function hasProtoKey(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasProtoKey);
  return Object.prototype.hasOwnProperty.call(v, '__proto__') || Object.values(v).some(hasProtoKey);
}

function agree(value: unknown): void {
  const want = zodVerdict(value);
  const got = checkConfig(value);
  expect(got, JSON.stringify(value)).toStrictEqual(want);
}

function configFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) configFiles(p, out);
    else if (name === 'plan-tasks.config.json' || name === '.plan-tasksrc.json') out.push(p);
  }
  return out;
}

describe('checkConfig agrees with the zod schema', () => {
  it('on every config fixture (all valid) and the README example', () => {
    const files = configFiles(join(REPO, 'test/fixtures'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const value = JSON.parse(readFileSync(f, 'utf8')) as unknown;
      agree(value);
      expect(checkConfig(value), f).not.toBeNull();
    }
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Config'), readme.indexOf('## CLI'));
    const example = JSON.parse(/```json\n([^]*?)```/.exec(section)![1]!) as unknown;
    agree(example);
    expect(checkConfig(example)).not.toBeNull();
  });

  it('on configs zod rejects, one kind of problem each', () => {
    const bad: unknown[] = [
      null, [], 'x', 3, true,
      { stories: '' }, { stories: '  ' }, { stories: [] }, { stories: [''] }, { stories: 3 },
      { domains: [] }, { domains: [''] }, { domains: [{}] }, { domains: [{ name: 'a', extra: 1 }] }, { domains: [{ name: 'a', keywords: [''] }] },
      { domains: ['a', 'A'] }, { domains: [' a', 'a'] }, { domains: [{ name: 'a', description: 3 }] },
      { taskStatuses: ['a'] }, { taskStatuses: ['a', 'a'] }, { taskStatuses: ['a', ' a'] }, { taskStatuses: Array.from({ length: 101 }, (_, i) => `s${i}`) },
      { storyStatuses: ['a', ''] }, { transitions: { nope: [] } }, { transitions: { pending: ['nope'] } }, { transitions: { pending: 'done' } }, { transitions: [] },
      { taskStatuses: ['a', 'b'], transitions: { pending: [] } },
      { sizing: { sentences: 0 } }, { sizing: { sentences: 1.5 } }, { sizing: { sentences: { min: 3, max: 1 } } }, { sizing: { sentences: { min: -1, max: 1 } } },
      { sizing: { sentences: { min: 1 } } }, { sizing: { estimate: { min: '1h', max: '1x' } } }, { sizing: { estimate: { min: '4h', max: '1h' } } },
      { sizing: { estimate: { min: 0, max: 1 } } }, { sizing: { estimate: { min: '1d', max: '7h' } } }, { sizing: { maxTasks: 0 } }, { sizing: { maxTasks: 2 ** 53 } }, { sizing: { other: 1 } },
      { rules: { nope: 'off' } }, { rules: { 'task-size': 'warning' } }, { rules: { 'task-size': 3 } }, { rules: [] },
      { $schema: 3 }, { unknown: 1 },
      JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"rules": {"__proto__": "off"}}'), JSON.parse('{"transitions": {"__proto__": []}}'),
    ];
    for (const value of bad) {
      expect(zodVerdict(value), JSON.stringify(value)).toBeNull();
      agree(value);
    }
  });

  it('on configs zod accepts, with its output (trimmed where it trims)', () => {
    const good: unknown[] = [
      {}, { $schema: '' }, { stories: ' docs/*.md ' }, { stories: [' a ', 'b'] }, { domains: [' backend ', { name: ' web ', keywords: [' React '], paths: [' web/** '], description: ' x ' }] },
      { taskStatuses: [' todo ', 'done '], transitions: { todo: [' done'] } }, { transitions: { pending: [], done: ['pending'] } },
      { sizing: { sentences: 3, estimate: { min: ' 90 min ', max: 2.5 }, maxTasks: 1, maxFiles: 8, maxSteps: 8 } }, { sizing: { sentences: { min: 0, max: 0 } } },
      { rules: Object.fromEntries(RULE_IDS.map((id, i) => [id, (['off', 'warn', 'error', 0, 1, 2] as const)[i % 6]])) },
      { sizing: { estimate: { min: '1d', max: '8h' } } },
    ];
    for (const value of good) {
      expect(zodVerdict(value), JSON.stringify(value)).not.toBeNull();
      agree(value);
    }
  });

  it('on generated configs near the schema (valid and invalid)', () => {
    // Each key: mostly a value of the right shape, sometimes anything.
    const text = fc.oneof(fc.constantFrom('', ' ', 'pending', 'in_progress', 'done', ' done ', 'Draft', 'a', 'A', '1h', '90m', ' 2 d ', '1x', 'backend', '__proto__'), fc.string({ maxLength: 6 }));
    const word = fc.oneof(fc.constantFrom('pending', 'in_progress', 'done', ' done ', 'Draft', 'a', 'B', 'backend', ' web '), fc.string({ minLength: 1, maxLength: 6 }).filter((x) => x.trim() !== ''));
    const num = fc.oneof(fc.constantFrom(0, 1, 2, 3, -1, 1.5, 100, 2 ** 53), fc.integer({ min: -3, max: 20 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }));
    const scalar = fc.oneof(text, num, fc.boolean(), fc.constant(null));
    const any = fc.oneof(scalar, fc.array(text, { maxLength: 3 }), fc.dictionary(text, scalar, { maxKeys: 2 }));
    const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good as fc.Arbitrary<unknown>, weight: 12 }, { arbitrary: any, weight: 1 });
    const words = (min: number, max: number) => fc.uniqueArray(word, { minLength: min, maxLength: max, selector: (x) => x.trim().toLowerCase() });
    const pos = fc.oneof(fc.integer({ min: 1, max: 30 }), num);
    const range = <T>(a: fc.Arbitrary<T>) => fc.record({ min: a, max: a });
    const domain = fc.oneof(word, fc.record({ name: word, keywords: words(0, 2), paths: words(0, 2), description: text }, { requiredKeys: ['name'] }));
    const statuses = ['pending', 'in_progress', 'done'];
    const config = fc.record({
      $schema: mostly(text),
      stories: mostly(fc.oneof(word, words(1, 3))),
      domains: mostly(fc.array(domain, { minLength: 1, maxLength: 3 })),
      taskStatuses: fc.oneof({ arbitrary: fc.constant(statuses), weight: 3 }, { arbitrary: mostly(words(2, 4)), weight: 1 }),
      storyStatuses: mostly(words(2, 4)),
      transitions: mostly(fc.dictionary(fc.constantFrom(...statuses), fc.subarray(statuses), { maxKeys: 3 })),
      sizing: mostly(fc.record({ sentences: mostly(fc.oneof(pos, range(fc.integer({ min: 0, max: 9 })))), estimate: mostly(range(fc.oneof(fc.constantFrom('1h', '90m', ' 2 d ', '1.5h', '30 min'), fc.integer({ min: 1, max: 9 })))), maxTasks: mostly(pos), maxFiles: mostly(pos), maxSteps: mostly(pos) }, { requiredKeys: [] })),
      rules: mostly(fc.dictionary(fc.constantFrom(...RULE_IDS), fc.constantFrom('off', 'warn', 'error', 0, 1, 2), { maxKeys: 3 })),
      stray: any,
    }, { requiredKeys: [] }).map(({ stray, ...rest }) => (typeof stray === 'number' && stray > 5 ? { ...rest, stray } : rest));
    let valid = 0;
    fc.assert(fc.property(config, (value) => {
      if (zodVerdict(value) !== null) valid++;
      agree(value);
    }), { numRuns: 3000, seed: 18 });
    // The generator reaches both verdicts (the test could fail either way).
    expect(valid).toBeGreaterThan(100);
    expect(valid).toBeLessThan(2900);
  });
});

describe('the CLI and the config (the built bin; npm test builds first)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pt-config-check-'));
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/001-x.md'), '# Story 001: X\n\n## Status\nDraft\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(config: string): { status: number | null; stderr: string; loaded: string[] } {
    writeFileSync(join(dir, 'plan-tasks.config.json'), config);
    const log = join(dir, 'loads.txt');
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--import', join(REPO, 'test/fixtures/cli/log-loads.mjs'), join(REPO, 'bin/plan-tasks.js'), 'lint', 'docs/stories/001-x.md'], {
      cwd: dir, env: { ...process.env, PT_LOAD_LOG: log, NO_COLOR: '1' }, encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr, loaded: readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/dist/')) };
  }

  it('reads a valid config without loading zod (dist/schema.cjs)', () => {
    const r = run(JSON.stringify({ stories: 'docs/stories/*.md', taskStatuses: ['todo', 'doing', 'done'], rules: { 'task-size': 'off' } }));
    expect(r.stderr).toBe('');
    expect(r.loaded.some((u) => u.endsWith('/dist/schema.cjs'))).toBe(false);
  });

  it('explains an invalid one with zod, every problem in one pass, exit 2', () => {
    const r = run(JSON.stringify({ stories: 3, taskStatuses: ['a', 'a'], rulez: {} }));
    expect(r.status).toBe(2);
    expect(r.loaded.some((u) => u.endsWith('/dist/schema.cjs'))).toBe(true);
    expect(r.stderr).toContain('stories: Unexpected number 3, expected a string or a list of strings');
    expect(r.stderr).toContain('taskStatuses[1]: Unexpected status "a" named twice');
    expect(r.stderr).toContain('rulez: Unexpected key "rulez" (did you mean "rules"?)');
  });
});
