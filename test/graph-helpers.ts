/** Shared by the graph and next tests: run the CLI in-process, copy fixture projects. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/graph/', import.meta.url));

export async function run(cwd: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

const copies: string[] = [];
// Registered when a test file imports this module: its copies go when the file is done.
afterAll(() => {
  for (const d of copies.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh copy of a fixture project (tests that write never touch the fixtures), removed after the test file. */
export function copyProject(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-graph-'));
  copies.push(dir);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}
