/** Shared helpers for the agent-facing commands' tests: a temp project from test/fixtures/agent. */
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO } from './cli-helpers.js';

export const AGENT_FIXTURE = join(REPO, 'test/fixtures/agent');
export const PAYLOADS = join(REPO, 'test/fixtures/agent-payloads');

/** A temp git repository holding the agent fixture project (stories 010 and 011, default config). */
export function tempProject(): { dir: string; story: (name: string) => string; done: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-agent-')));
  cpSync(AGENT_FIXTURE, dir, { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return { dir, story: (name) => join(dir, 'docs/stories', name), done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A recorded PostToolUse payload with its project folder put in. */
export function payload(name: string, project: string): string {
  return readFileSync(join(PAYLOADS, name), 'utf8').replaceAll('/PROJECT', project);
}

/** `node bin/plan-tasks.js ARGV` with `input` on stdin (needs `npm run build`). */
export function runBinInput(argv: string[], cwd: string, input: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/plan-tasks.js'), ...argv], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
