/** Shared helpers for the CLI tests: in-process runs, the real bin, temp copies. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { main } from '../src/cli.js';

export const REPO = new URL('..', import.meta.url).pathname;
export const CLI_FIXTURES = join(REPO, 'test/fixtures/cli');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `plan-tasks ARGV` in-process, in `cwd`. */
export async function run(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

/** `node bin/plan-tasks.js ARGV` as a real process (needs `npm run build`). */
export function runBin(argv: string[], cwd: string): Run {
  if (!existsSync(join(REPO, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [join(REPO, 'bin/plan-tasks.js'), ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `plan-tasks ARGV` as user `uid` (root only): a Node process started as root
 * loads the whole bundle first, then drops to `uid` and runs the CLI. So it
 * works wherever the clone lives (a 0700 home folder that `uid` cannot enter).
 */
export function runBinAs(uid: number, argv: string[], cwd: string): Run {
  const dist = join(REPO, 'dist');
  const script = `
    import { readdirSync } from 'node:fs';
    import { createRequire } from 'node:module';
    import { pathToFileURL } from 'node:url';
    const dist = ${JSON.stringify(dist)};
    const require = createRequire(dist + '/');
    for (const dir of [dist, dist + '/chunks']) for (const f of readdirSync(dir)) {
      if (f.endsWith('.js')) await import(pathToFileURL(dir + '/' + f).href);
      else if (f.endsWith('.cjs')) require(dir + '/' + f);
    }
    const { run } = await import(pathToFileURL(dist + '/cli.js').href);
    process.setgid(${uid}); process.setuid(${uid});
    process.argv.splice(1, 0, 'plan-tasks');
    await run();`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...argv], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A temp copy of a fixture folder; returns its path and a cleanup. */
export function tempCopy(from: string): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'));
  cpSync(from, dir, { recursive: true });
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface JsonResult {
  filePath: string;
  messages: { ruleId: string | null; severity: 1 | 2; message: string; line: number; column: number; endLine: number; endColumn: number; fatal?: boolean; fix?: { range: [number, number]; text: string } }[];
  errorCount: number;
  fatalErrorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  output?: string;
}

export const parseJson = (stdout: string) => JSON.parse(stdout) as JsonResult[];

/** A copy of this checkout as git sees it (tracked and untracked, not ignored files: no node_modules, no dist). */
export function copyCheckout(to: string): void {
  const list = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of list) {
    if (!existsSync(join(REPO, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(REPO, file), join(to, file));
  }
}
