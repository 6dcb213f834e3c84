/**
 * Config failures: each is exit 2 with the path of the bad key and what was
 * expected (unknown keys list the valid ones), never a stack and never a run
 * with a half-read config.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli-helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-config-'));
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  writeFileSync(join(dir, 'docs/stories/001-x.md'), '# Story 001: X\n\n## Status\nDraft\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS: [string, string, string[]][] = [
  ['an unknown top-level key lists the valid ones', '{"stoires": "docs/*.md"}', ['stoires: Unexpected key "stoires" (did you mean "stories"?), expected one of: $schema, stories, domains, taskStatuses, storyStatuses, transitions, sizing, rules']],
  ['an unknown nested key lists the valid ones', '{"sizing": {"maxTask": 3}}', ['sizing.maxTask: Unexpected key "maxTask"', 'expected one of: sentences, estimate, maxTasks, maxFiles, maxSteps']],
  ['an unknown key in a domain object', '{"domains": [{"name": "core", "keyword": ["x"]}]}', ['domains[0].keyword: Unexpected key "keyword" (did you mean "keywords"?)']],
  ['an unknown rule id', '{"rules": {"task-heding": "warn"}}', ['rules.task-heding: Unexpected rule id "task-heding" (did you mean "task-heading"?)']],
  ['a domain named twice (any case)', '{"domains": ["core", {"name": "Core"}]}', ['domains[1]: Unexpected domain "Core" named twice (also domains[0]), expected each domain once']],
  ['a transition from a status that does not exist', '{"transitions": {"finished": ["pending"]}}', ['transitions.finished: Unexpected task status "finished", expected one of "pending", "in_progress", "done"']],
  ['a transition to a status that does not exist', '{"taskStatuses": ["todo", "doing", "done"], "transitions": {"todo": ["started"]}}', ['transitions.todo[0]: Unexpected task status "started", expected one of "todo", "doing", "done" (taskStatuses)']],
  ['a status named twice', '{"taskStatuses": ["todo", "done", "todo"]}', ['taskStatuses[2]: Unexpected status "todo" named twice']],
  // A written `In Progress` is matched ignoring case and separators: two such statuses would make it ambiguous.
  ['two statuses one apart in case or separators', '{"taskStatuses": ["todo", "In Progress", "in_progress", "done"]}', ['taskStatuses[2]: Unexpected status "in_progress", the same as "In Progress" (taskStatuses[1]) ignoring case, spaces, "-" and "_"']],
  ['two story statuses one apart in surrounding space', '{"storyStatuses": ["Draft", "Done", " done "]}', ['storyStatuses[2]: Unexpected status " done ", the same as "Done" (storyStatuses[1])']],
  ['a wrong type', '{"domains": "core"}', ['domains: Unexpected string "core", expected a list']],
  ['invalid JSON names the line and column', '{\n  "stories": "x",\n  oops\n}', ['Invalid JSON in config file', 'line 3, column 3']],
  ['a list at the top', '[]', ['(top level): Unexpected empty list, expected an object']],
  ['an empty file', '', ['plan-tasks.config.json']],
];

describe('config errors', () => {
  for (const [name, json, says] of ROWS) {
    it(`${name}: exit 2`, async () => {
      writeFileSync(join(dir, 'plan-tasks.config.json'), json);
      const r = await run(['lint'], dir);
      for (const s of says) expect(r.stderr).toContain(s);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
      expect(r.code).toBe(2);
    });
  }

  it('--config naming a missing file or a directory: exit 2', async () => {
    for (const path of ['missing.json', 'docs']) {
      const r = await run(['lint', '--config', path], dir);
      expect(r.stderr).toMatch(/^plan-tasks: .*(missing\.json|docs)/);
      expect(r.code).toBe(2);
    }
  });

  it('"plan-tasks" in package.json is validated the same way', async () => {
    rmSync(join(dir, 'plan-tasks.config.json'), { force: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', 'plan-tasks': { domians: ['core'] } }));
    const r = await run(['lint'], dir);
    expect(r.stderr).toContain('Unexpected key "domians" (did you mean "domains"?)');
    expect(r.code).toBe(2);
    rmSync(join(dir, 'package.json'));
  });
});
