/**
 * Tasks written in shapes the parser used to skip without a word (a plain
 * `002: Title` line over fields, `**002** Title`, a bullet item with fields, a
 * task in a block quote, a table with a `State` column): `lint` reports them,
 * and `graph` / `next` fail closed on them (issue 13).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './graph-helpers.js';

const task = (id: string, title: string, status: string, deps: string) =>
  `### ${id}: ${title}\n**Domain:** compute\n**Status:** ${status}\n**Depends on:** ${deps}\n\nChange \`f${id}()\` in \`src/a.c\`; a unit test checks it.\n\n---\n`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-tasks-shapes-'));
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  writeFileSync(join(dir, 'plan-tasks.config.json'), '{}\n');
  writeFileSync(
    join(dir, 'docs/stories/050-export.md'),
    '# Story 050: Export\n\n## Status\nIn Progress\n\n## Tasks\n\n' +
      task('001', 'Add header', 'done', 'none') +
      '\n002: Reject bad tokens\n**Domain:** compute\n**Status:** pending\n**Depends on:** 001\n\nReturn 401 from `handle()` in `src/b.c`; a test sends a bad token.\n\n---\n\n' +
      task('003', 'Log bad tokens', 'pending', '002'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a task as a plain title line over its fields', () => {
  it('lint reports it at its line, fixable', async () => {
    const r = await run(dir, ['lint', '--no-transitions']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/17:1 +error +Unexpected task title as a line of text `002: Reject bad tokens`, expected a heading `### 002: Reject bad tokens` +tasks-section/);
  });

  it('next does not offer the task that depends on it, names it and exits 1', async () => {
    const r = await run(dir, ['next', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/tasks-section/);
    expect(r.stderr).toMatch(/050\/003/);
  });

  it('graph reports it and exits 1', async () => {
    const r = await run(dir, ['graph', '050', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unexpected task title as a line of text `002: Reject bad tokens`/);
  });
});
