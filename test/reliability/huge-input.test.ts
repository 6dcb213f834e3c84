/**
 * Huge input: a story a user or an agent can write (under the 10 MiB read
 * limit) never ends the run with an engine error. Each site that spread an
 * input-sized array into a call (`push(...x)`: V8 passes spread elements on
 * the stack, and about 120,000 of them overflow it) is proved with a real
 * file that reached it; the safety net (src/lint/analyze.ts) turns an engine
 * limit left anywhere in one file's analysis into that file's fatal message,
 * lints the others, and exits 2 naming the file. (Time is measured in bench/,
 * never here.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../src/rules/types.js';
import { runBin } from '../cli-helpers.js';

// A seam: a rule that recurses without end on a story whose title says "bottomless"
// (a real "Maximum call stack size exceeded", as a recursion over input depth would give).
vi.mock('../../rules/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../rules/index.js')>();
  const down = (n: number): number => (n === -1 ? 0 : down(n + 1) + 1);
  const deep: Rule = {
    meta: { ...real.rules[0]!.meta, id: 'task-heading', description: 'a rule that recurses', url: 'https://example.invalid', examples: [] },
    check: (story: { title?: string | null }) => {
      if (/bottomless/.test(String(story.title ?? ''))) down(0);
      return [];
    },
  } as unknown as Rule;
  return { ...real, rules: [...real.rules, deep] };
});
const { main } = await import('../../src/cli.js');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const TASK = '### 001: Change the parser\n**Domain:** backend\n**Status:** pending\n**Depends on:** none\n\nChange `src/parse.go`; `go test ./src` passes.\n\n---\n';
const story = (id: string, title: string, body = '', tasks = TASK) => `# Story ${id}: ${title}\n${body}\n## Status\nIn Progress\n\n## Tasks\n\n${tasks}`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-huge-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'docs/stories', name), text);
  return dir;
}

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, { cwd, stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t), env, isTTY: false });
  return { code, ...out };
}

type Json = { filePath: string; messages: { ruleId: string | null; message: string; fatal?: boolean }[] }[];

describe('input-sized arrays are never spread into a call', () => {
  it('300,000 paragraphs before the first ## (the preamble of buildStory): lint, --concurrency 2, --cache, graph, next', () => {
    const dir = project({ '001-long.md': story('001', 'Long preamble', '\n' + 'a\n\n'.repeat(300_000)), '002-other.md': story('002', 'Other') });
    for (const args of [['lint'], ['lint', '--concurrency', '2'], ['lint', '--cache', '--cache-location', join(dir, '.cache')], ['lint', '--cache', '--cache-location', join(dir, '.cache')]]) {
      const r = runBin(args, dir);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.code, args.join(' ')).toBe(0);
    }
    const next = runBin(['next'], dir);
    expect(next.stderr).toBe('');
    expect(next.stdout).toContain('001/001');
    expect(runBin(['graph', 'all', '--format', 'json'], dir).code).toBe(0);
  }, 60_000);

  it('150,000 refs to a missing story in one Depends on (the cross-story messages of lintEach): every one reported, exit 1', () => {
    const refs = Array.from({ length: 150_000 }, (_, i) => `999/${String((i % 999) + 1).padStart(3, '0')}`).join(', ');
    const tasks = TASK.replace('**Depends on:** none', `**Depends on:** ${refs}`);
    const dir = project({ '001-refs.md': story('001', 'Many refs', '', tasks), '002-other.md': story('002', 'Other') });
    const r = runBin(['lint', '-f', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as Json;
    expect(results).toHaveLength(2);
    expect(results[0]!.messages.filter((m) => m.ruleId === 'dependency-unknown')).toHaveLength(150_000);
  }, 60_000);
});

describe('the safety net: an engine limit on one file', () => {
  const files = { '001-deep.md': story('001', 'A bottomless story'), '002-other.md': story('002', 'Other').replace('### 001:', '### Task 001:') };

  it('is that file\'s fatal message, the other files are linted, exit 2 naming the file', async () => {
    const dir = project(files);
    for (const args of [['lint', '-f', 'json'], ['lint', '-f', 'json', '--cache', '--cache-location', join(dir, '.cache')]]) {
      const r = await cli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('plan-tasks: internal error on docs/stories/001-deep.md: Maximum call stack size exceeded (the other files were linted)\nRun with DEBUG=plan-tasks for details.\n');
      const results = JSON.parse(r.stdout) as Json;
      expect(results.map((f) => f.filePath)).toEqual([join(dir, 'docs/stories/001-deep.md'), join(dir, 'docs/stories/002-other.md')]);
      expect(results[0]!.messages).toEqual([expect.objectContaining({ ruleId: null, fatal: true, message: 'Unexpected internal error on this file (Maximum call stack size exceeded), expected a story plan-tasks can analyse' })]);
      expect(results[1]!.messages.some((m) => m.ruleId === 'task-heading')).toBe(true);
    }
  });

  it('DEBUG=plan-tasks prints the stack after the line', async () => {
    const r = await cli(['lint'], project(files), { DEBUG: 'plan-tasks' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^plan-tasks: internal error on docs\/stories\/001-deep\.md: Maximum call stack size exceeded \(the other files were linted\)\nRangeError: Maximum call stack size exceeded\n\s+at /);
  });

  it('a file without the limit lints as before (exit 1 for its error, no internal error)', async () => {
    const r = await cli(['lint'], project({ '002-other.md': files['002-other.md'] }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });
});
