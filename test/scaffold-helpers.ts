/**
 * What the scaffold tests on real repositories share: scaffold story 001 for
 * real (in-process, `run` of ./cli-helpers.ts), check that the project then
 * lints with no errors, and read the written tasks back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Task } from '../src/story/model.js';
import { parseStory } from '../src/story/parse.js';
import { run } from './cli-helpers.js';

/** `plan-tasks scaffold 001` in `dir`, then `plan-tasks lint`: no error anywhere; the tasks written into `story` (a path in `dir`) and scaffold's stderr. */
export async function scaffoldAndLint(dir: string, story: string): Promise<{ tasks: Task[]; stderr: string }> {
  const r = await run(['scaffold', '001'], dir);
  expect(r.stderr).not.toMatch(/: error: /);
  expect(r.code).toBe(0);
  const lint = await run(['lint', '--format', 'json'], dir);
  expect(lint.code).toBe(0);
  expect(JSON.parse(lint.stdout).flatMap((f: { messages: { severity: number }[] }) => f.messages.filter((m) => m.severity === 2))).toEqual([]);
  return { tasks: parseStory(readFileSync(join(dir, story), 'utf8')).tasks, stderr: r.stderr };
}

/** A task's first paragraph, its lines joined. */
export const prose = (t: Task): string => t.description[0]!.text.replace(/\s+/g, ' ');

/** The text of a task's lists (the criteria it covers). */
export const listed = (t: Task): string => t.blocks.filter((b) => b.kind === 'list').map((b) => b.text).join('\n');

/** The one task whose lists hold `words` (fails when none or several do). */
export function taskOf(tasks: Task[], words: string): Task {
  const found = tasks.filter((t) => listed(t).includes(words));
  expect(found, words).toHaveLength(1);
  return found[0]!;
}
