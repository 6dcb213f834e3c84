/**
 * The one way plan-tasks runs `git` (the gates, `init`, the scaffolder):
 * argument arrays (never a shell string), stdout as bytes, `LC_ALL=C` (stable
 * messages to classify) and no terminal prompt. `git` is asynchronous (the
 * gates, with a constant number of processes per run: blobs go through one
 * `git cat-file --batch`); `gitSync` is for the synchronous callers (`init`
 * looking for hook managers, the scaffolder's `ls-files` and `grep`). Git that
 * cannot start is a UsageError (exit 2); what git says is the caller's to judge.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';

/** What one git process gave back. */
export interface GitResult {
  /** Its exit code (128 when a signal ended it). */
  code: number;
  /** Its standard output, as bytes (`-z` listings, blobs). */
  stdout: Buffer;
  /** Its standard error, decoded as UTF-8 (C-locale messages). */
  stderr: string;
}

export interface GitEnv {
  /** Working directory for git. */
  cwd: string;
  /** Environment for git (the caller's; GIT_INDEX_FILE etc. from a hook are kept). */
  env: NodeJS.ProcessEnv;
  /** The hint of the UsageError thrown when git cannot start (what to do without git). */
  hint?: string;
}

const NO_GIT_HINT = '--staged and --base read story versions with git; install git, or lint without them.';

/** The environment git runs with: the caller's, with C-locale messages and no prompt. */
const gitProcessEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' });

/** The UsageError for a git that could not be started (spawn's `error`). */
function cannotRun(error: NodeJS.ErrnoException, hint: string | undefined): UsageError {
  if (error.code === 'ENOENT') return new UsageError('Cannot run git: it is not installed or not on PATH', hint ?? NO_GIT_HINT);
  return new UsageError(`Cannot run git: ${error.code ?? error.message}`, hint);
}

/**
 * A private temporary file for a large stdout, already unlinked where the
 * system allows (POSIX: nothing is left behind, even if this process is
 * killed), or null when none can be made (a read-only or full temp folder):
 * the caller then reads a pipe. `close` is idempotent. Read once at the end, megabytes of blobs
 * cost Node one read instead of a stream event per few kilobytes of pipe
 * (5 MB: about 10 instead of 25 ms of CPU).
 */
function scratchFile(): { fd: number; read(): Buffer; close(): void } | null {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'plan-tasks-git-'));
  } catch {
    return null;
  }
  const file = join(dir, 'stdout');
  let fd: number;
  try {
    fd = openSync(file, 'w+', 0o600);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  let removed = false;
  let closed = false;
  try {
    unlinkSync(file);
    rmdirSync(dir);
    removed = true;
  } catch {
    // Windows: an open file is removed after it is closed (`close`)
  }
  return {
    fd,
    read() {
      const size = fstatSync(fd).size;
      const buf = Buffer.allocUnsafe(size);
      let at = 0;
      while (at < size) {
        const n = readSync(fd, buf, at, size - at, at);
        if (n === 0) break;
        at += n;
      }
      return at === size ? buf : buf.subarray(0, at);
    },
    close() {
      if (closed) return; // once: after an 'error', 'close' follows
      closed = true;
      try {
        closeSync(fd);
      } finally {
        if (!removed) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Run `git args...`; resolves with the exit code, rejects only if git cannot
 * start (a UsageError) or, with `bigOutput`, its output cannot be read back
 * (an I/O error). `bigOutput`: stdout goes through a temporary file
 * (`scratchFile`) when one can be made, for output of megabytes.
 */
export function git(args: readonly string[], where: GitEnv, input?: string | Buffer, bigOutput = false): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const scratch = bigOutput ? scratchFile() : null;
    // LC_ALL=C: stable stderr to classify; -c core.quotepath=off is moot with -z.
    let child;
    try {
      child = spawn('git', args as string[], {
        cwd: where.cwd,
        env: gitProcessEnv(where.env),
        stdio: ['pipe', scratch ? scratch.fd : 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      scratch?.close();
      throw error;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failed = true;
      scratch?.close();
      reject(cannotRun(error, where.hint));
    });
    child.stdin!.on('error', () => {
      /* git exited before reading all input; its exit code tells the rest */
    });
    let failed = false;
    child.on('close', (code) => {
      if (failed) return;
      let stdout: Buffer;
      try {
        stdout = scratch ? scratch.read() : Buffer.concat(out);
      } catch (error) {
        reject(new UsageError(`Cannot read what git ${args[0] ?? ''} printed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
        return;
      } finally {
        scratch?.close();
      }
      resolve({ code: code ?? 128, stdout, stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin!.end(input ?? '');
  });
}

/**
 * Run `git args...` synchronously, stdin closed (the environment defaults to
 * this process's): the exit code, stdout (bytes) and stderr. Throws a UsageError when git
 * cannot start (not installed: `where.hint` says what to do) or its output
 * exceeds `maxBuffer` bytes (default 256 MiB).
 */
export function gitSync(args: readonly string[], where: Pick<GitEnv, 'cwd' | 'hint'> & { env?: NodeJS.ProcessEnv }, maxBuffer = 256 * 1024 * 1024): GitResult {
  const r = spawnSync('git', args as string[], { cwd: where.cwd, env: gitProcessEnv(where.env ?? process.env), stdio: ['ignore', 'pipe', 'pipe'], maxBuffer, windowsHide: true });
  if (r.error) {
    const error = r.error as NodeJS.ErrnoException;
    if (error.code === 'ENOBUFS') throw new UsageError(`git ${args[0] ?? ''} printed more than ${maxBuffer} bytes, expected less`);
    throw cannotRun(error, where.hint);
  }
  return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** The first line of git's complaint, without the `fatal: ` prefix. */
export function gitMessage(result: GitResult): string {
  const line = result.stderr.split('\n').find((l) => l.trim()) ?? `exit code ${result.code}`;
  return line.replace(/^(?:fatal|error): /, '').trim();
}

/** Run git and fail with a UsageError naming the command when it does not exit 0. */
export async function gitOk(args: readonly string[], where: GitEnv, input?: string | Buffer): Promise<Buffer> {
  const result = await git(args, where, input);
  if (result.code !== 0) {
    throw new UsageError(`git ${args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')} failed: ${gitMessage(result)}`);
  }
  return result.stdout;
}

/** Split NUL-terminated output (`-z`). */
export function splitZ(buf: Buffer): string[] {
  const parts = buf.toString('utf8').split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Read many blobs in one process: `git cat-file --batch`, one object name per
 * line (`HEAD:docs/stories/001-x.md`, `:docs/stories/001-x.md` for the index).
 * Missing objects come back as null. Names holding a newline cannot be asked
 * for this way and come back as null too.
 */
export async function readBlobs(names: readonly string[], where: GitEnv): Promise<(Buffer | null)[]> {
  if (names.length === 0) return [];
  const asked = names.map((n) => !/[\r\n]/.test(n));
  const input = names.filter((_, i) => asked[i]).map((n) => `${n}\n`).join('');
  const result = await git(['cat-file', '--batch'], where, input, true);
  if (result.code !== 0) throw new UsageError(`git cat-file failed: ${gitMessage(result)}`);
  const buf = result.stdout;
  const blobs: (Buffer | null)[] = [];
  let pos = 0;
  for (let i = 0; i < names.length; i++) {
    if (!asked[i]) {
      blobs.push(null);
      continue;
    }
    const eol = buf.indexOf(10, pos);
    if (eol === -1) throw new UsageError('git cat-file --batch ended early');
    const header = buf.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      // `<name> missing`, `<name> ambiguous`, ...
      blobs.push(null);
      continue;
    }
    const size = Number(m[2]);
    const body = buf.subarray(pos, pos + size);
    pos += size + 1;
    blobs.push(m[1] === 'blob' ? body : null);
  }
  return blobs;
}
