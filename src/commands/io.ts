/** What a command needs from the outside world; tests pass their own. */
export interface IO {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (for colour). */
  isTTY: boolean;
}

export function processIO(): IO {
  return {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}
