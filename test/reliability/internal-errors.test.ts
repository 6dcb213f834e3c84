/**
 * Internal errors: a rule that throws (injected through a seam: the rule list
 * is mocked to add one), a command module that fails to load, a non-Error
 * thrown, a stray rejection in the real bin. Each exits 2 with one line and
 * "Run with DEBUG=plan-tasks for details." (the stack only with DEBUG), never 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../src/rules/types.js';

const seam = vi.hoisted(() => ({ throwing: null as unknown }));

vi.mock('../../rules/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../rules/index.js')>();
  const bomb: Rule = {
    meta: { ...real.rules[0]!.meta, id: 'task-heading', description: 'a rule that throws', url: 'https://example.invalid', examples: [] },
    check: () => {
      if (seam.throwing !== null) throw seam.throwing;
      return [];
    },
  } as unknown as Rule;
  return { ...real, rules: [...real.rules, bomb] };
});

const { COMMANDS, main } = await import('../../src/cli.js');
const REPO = new URL('../../', import.meta.url).pathname;
const STORY = readFileSync(new URL('./fixtures/bad-input/007 with spaces.md', import.meta.url), 'utf8');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-internal-'));
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  writeFileSync(join(dir, 'docs/stories/007-story.md'), STORY.replace('### 002:', '### Task 002:'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  seam.throwing = null;
  delete COMMANDS.broken;
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { cwd: dir, stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, isTTY: false });
  return { code, ...out };
}

const ONE_LINE = /^plan-tasks: internal error: [^\n]+\nRun with DEBUG=plan-tasks for details\.\n$/;

describe('internal errors exit 2 with one line, never 0', () => {
  it('the seam is inert until armed (the story lints)', async () => {
    expect((await cli(['lint', '--no-transitions'])).code).toBe(1);
  });

  for (const [name, argv] of [
    ['lint', ['lint']],
    ['lint --fix', ['lint', '--fix']],
    ['lint --format json', ['lint', '--format', 'json']],
  ] as const) {
    it(`a rule that throws during ${name}`, async () => {
      seam.throwing = new TypeError("Cannot read properties of undefined (reading 'span')\n    at check (rules/x.ts:1:1)");
      const before = readFileSync(join(dir, 'docs/stories/007-story.md'), 'utf8');
      const r = await cli([...argv]);
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.stderr).toContain("internal error: Cannot read properties of undefined (reading 'span')");
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
      expect(readFileSync(join(dir, 'docs/stories/007-story.md'), 'utf8')).toBe(before);
    });
  }

  it('DEBUG=plan-tasks prints the stack instead of the hint', async () => {
    seam.throwing = new Error('boom');
    const r = await cli(['lint'], { DEBUG: 'other,plan-tasks' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^plan-tasks: internal error: boom\nError: boom\n\s+at /);
    expect(r.stderr).not.toContain('Run with DEBUG');
  });

  it('a thrown non-Error (a string, undefined)', async () => {
    for (const thrown of ['just a string', undefined, 42]) {
      seam.throwing = thrown;
      const r = await cli(['lint']);
      if (thrown === undefined) {
        // `throw undefined` looks like "no error" to a careless check: it must still be exit 2.
        expect(r.code).toBe(2);
        continue;
      }
      expect(r.stderr).toMatch(ONE_LINE);
      expect(r.code).toBe(2);
    }
  });

  it('a command module that fails to load', async () => {
    COMMANDS.broken = { summary: 'x', load: () => Promise.reject(new Error("Cannot find module '/nowhere/broken.js'")) };
    const r = await cli(['broken']);
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.code).toBe(2);
  });

  it('a name from Object.prototype is an unknown command (usage, exit 2), not an internal error', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const r = await cli([name]);
      expect(r.stderr).toContain(`Unknown command "${name}"`);
      expect(r.code).toBe(2);
    }
  });

  it('the bin: a stray rejection outside main is exit 2 with one line, not a stack and exit 1', () => {
    const preload = 'data:text/javascript,const t = setInterval(() => { if (process.listenerCount("unhandledRejection") > 0) { clearInterval(t); Promise.reject(new Error("stray rejection")); } }, 1);';
    const r = spawnSync(process.execPath, ['--import', preload, join(REPO, 'bin/plan-tasks.js'), 'lint', 'docs/stories'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEBUG: '' } });
    expect(r.stderr).toMatch(/^plan-tasks: internal error: stray rejection\nRun with DEBUG=plan-tasks for details\.\n$/);
    expect(r.status).toBe(2);
  });
});
