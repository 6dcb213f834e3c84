/**
 * Real git repositories in temp folders for the git-mode tests. Each repo
 * sets user.name/email and commit.gpgsign=false locally, and git runs with
 * the global and system config ignored, so nothing depends on the machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../src/cli.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures', 'git');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Environment for git: no global/system config, no inherited repository. */
export function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_CEILING_DIRECTORIES: tmpdir(), ...extra };
}

const made: string[] = [];

export function tempDir(prefix = 'plan-tasks-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export class Repo {
  constructor(readonly dir: string) {}

  static init(dir = tempDir()): Repo {
    const repo = new Repo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.name', 'Plan Tasks Test');
    repo.git('config', 'user.email', 'test@example.com');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  write(path: string, text: string): string {
    const abs = join(this.dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    return abs;
  }

  /** Write files, stage them, commit. */
  commit(files: Record<string, string>, message = 'change'): void {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    if (Object.keys(files).length) this.git('add', '--', ...Object.keys(files));
    this.git('commit', '-q', '--allow-empty', '-m', message);
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed `--format json` output (when the run printed JSON). */
  json: { filePath: string; messages: { ruleId: string | null; severity: number; message: string; line: number; column: number }[] }[];
}

/** Run `plan-tasks lint ...args --format json` in-process in `cwd`. */
export async function lint(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: gitEnv(env), isTTY: false };
  const code = await main(['lint', ...args, '--format', 'json'], io);
  let json: Run['json'] = [];
  if (out.stdout.trim().startsWith('[')) json = JSON.parse(out.stdout);
  return { code, ...out, json };
}

export const TRANSITION_RULES = ['status-transition', 'task-removed', 'story-status-transition'];

/** The transition messages of a run, as `rule line:message`. */
export function transitions(run: Run): { file: string; ruleId: string; line: number; message: string }[] {
  return run.json.flatMap((r) =>
    r.messages.filter((m) => TRANSITION_RULES.includes(m.ruleId ?? '')).map((m) => ({ file: r.filePath, ruleId: m.ruleId!, line: m.line, message: m.message })),
  );
}
