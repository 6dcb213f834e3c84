/**
 * Issue 13 through the CLI (`main`, in-process, in temp projects): what people
 * write is read, or reported, never silently passed. The rule-level scenarios
 * (engine and remark preset, with and without GFM, and their fixes) are the
 * fixtures under test/fixtures/rules (tasks-section, task-fields, task-status,
 * task-depends-format, story-status); graph/next in test/graph-fail-closed.test.ts;
 * line endings in test/line-endings.test.ts.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJson, run } from './cli-helpers.js';

const RULES = new URL('./fixtures/rules/', import.meta.url).pathname;
const SCAFFOLD = new URL('./fixtures/scaffold/project/', import.meta.url).pathname;
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A temp project with `docs/stories/<name>` holding each text. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-read-'));
  temps.push(dir);
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'docs/stories', name), text);
  return dir;
}
/** A rule fixture's story text, without its trailing `<!-- expected -->` block. */
const fixture = (name: string) => readFileSync(join(RULES, name), 'utf8').split(/^<!-- (?:expected|config)\b/m)[0]!;

describe('lint reads what people write', () => {
  it('front matter: the issue example passes (no "Missing story status")', async () => {
    const dir = project({
      '050-export.md': '---\nid: 050\nowner: platform\n---\n# Story 050: Export settings\n\n**Status:** In Progress\n',
    });
    const r = await run(['lint', '--format', 'json'], dir);
    expect(parseJson(r.stdout)[0]!.messages).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a task written `## 002:` is an error at its line, and --fix makes it a task', async () => {
    const dir = project({ '015-token.md': fixture('tasks-section/not-ok-level-2-task.md') });
    const r = await run(['lint', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(parseJson(r.stdout)[0]!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['26:1 tasks-section']);
    const fixed = await run(['lint', '--fix'], dir);
    expect(fixed.code).toBe(0);
    expect(readFileSync(join(dir, 'docs/stories/015-token.md'), 'utf8')).toBe(fixture('tasks-section/not-ok-level-2-task.fixed.md'));
  });

  it('a checklist under ## Tasks of a Done story is not a silent pass', async () => {
    const dir = project({ '015-token.md': fixture('tasks-section/not-ok-checklist-done-story.md') });
    const r = await run(['lint', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(parseJson(r.stdout)[0]!.messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(['17 tasks-section', '18 tasks-section', '19 tasks-section']);
  });

  it('values with hard breaks, <br> and comments are read as rendered; one field per line is fixed', async () => {
    const dir = project({
      '015-a.md': fixture('task-fields/ok-rendered-values.md'),
      '016-b.md': fixture('task-fields/not-ok-one-field-per-line.md').replace('Story 015', 'Story 016'),
    });
    const r = await run(['lint', '--format', 'json'], dir);
    const [a, b] = parseJson(r.stdout);
    expect(a!.messages).toEqual([]);
    expect(b!.messages.filter((m) => m.ruleId === 'task-fields').map((m) => m.message)).toEqual([
      'Unexpected `**Status:**` on the line of `**Domain:**` in task 001, expected one field per line',
      'Unexpected `**Status:**` on the line of `**Domain:**` in task 002, expected one field per line',
      'Unexpected `**Depends on:**` on the line of `**Status:**` in task 002, expected one field per line',
    ]);
    await run(['lint', '--fix'], dir);
    expect(readFileSync(join(dir, 'docs/stories/016-b.md'), 'utf8')).toBe(fixture('task-fields/not-ok-one-field-per-line.fixed.md').replace('Story 015', 'Story 016'));
  });

  it('a bare-CR story: findings at their lines, and --fix keeps the CR endings', async () => {
    const lf = fixture('task-depends-format/not-ok-unreadable.md');
    const dir = project({ '015-cr.md': lf.replace(/\n/g, '\r'), '016-lf.md': lf.replace('Story 015', 'Story 016') });
    const r = await run(['lint', '--format', 'json'], dir);
    const [cr, plain] = parseJson(r.stdout) as [ReturnType<typeof parseJson>[number], ReturnType<typeof parseJson>[number]];
    const at = (ms: (typeof cr)['messages']) => ms.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    expect(at(cr!.messages)).toEqual(at(plain!.messages));
    expect(cr!.messages.some((m) => m.line === 1 && m.ruleId === 'task-fields')).toBe(false);
    await run(['lint', '--fix'], dir);
    const out = readFileSync(join(dir, 'docs/stories/015-cr.md'), 'utf8');
    expect(out).not.toMatch(/\n/);
    expect(out).toBe(fixture('task-depends-format/not-ok-unreadable.fixed.md').replace(/\n/g, '\r'));
  });
});

describe('scaffold reads front matter', () => {
  it('scaffolds a Ready story that starts with YAML front matter, keeping it byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-read-'));
    temps.push(dir);
    cpSync(SCAFFOLD, dir, { recursive: true });
    const path = join(dir, 'docs/stories/015-token-auth.md');
    const fm = '---\nid: 015\nowner: platform\n---\n';
    const original = readFileSync(path, 'utf8')
      .replace('## Status\nReady\n\n', '**Status:** Ready\n\n')
      .replace(/## Open Questions\n\n- Should the token rotate on every start\?\n\n/, '');
    writeFileSync(path, fm + original);
    const r = await run(['scaffold', '015', '--force'], dir);
    expect(r.stderr).not.toMatch(/Missing story status|not Ready/);
    expect(r.code).toBe(0);
    const after = readFileSync(path, 'utf8');
    expect(after.startsWith(fm + '# Story 015: Token authentication for the daemon\n\n**Status:** In Progress\n')).toBe(true);
    const lint = await run(['lint', 'docs/stories/015-token-auth.md', '--format', 'json'], dir);
    expect(parseJson(lint.stdout)[0]!.errorCount).toBe(0);
  });
});
