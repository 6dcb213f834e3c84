/**
 * Whether to colour a report, decided the way ESLint's terminal output is
 * (chalk, which asks supports-color), with the command line first:
 *
 * 1. `--color` / `--no-color` (ESLint's flags) decide outright.
 * 2. `FORCE_COLOR` as supports-color reads it: `''`, `true` or a number from
 *    1 up force colour (supports-color caps the level at 3; any level is
 *    colour here, the reporters use the 16 basic colours only); `0` or
 *    `false` turn it off. Any other value is ignored.
 * 3. `NO_COLOR` set to a non-empty value turns it off (https://no-color.org).
 * 4. `TERM=dumb` turns it off.
 * 5. Otherwise: colour when standard output is a terminal and the report is
 *    not written to a file (`--output`).
 *
 * supports-color itself is not used: it reads `process.env` and `process.argv`
 * when imported, while the CLI takes its environment from the caller's `IO`.
 * Unlike supports-color, an explicit flag beats `FORCE_COLOR` (a command line
 * overrides the environment, as git's `--color` does).
 */
export interface ColorInput {
  /** `true` for `--color`, `false` for `--no-color`, undefined when neither was given. */
  flag: boolean | undefined;
  env: NodeJS.ProcessEnv;
  /** Whether standard output is a terminal. */
  isTTY: boolean;
  /** Whether the report goes to a file (`--output`) rather than standard output. */
  toFile: boolean;
}

/** FORCE_COLOR as supports-color reads it: true (force), false (never), undefined (not set or not understood). */
export function forceColorFromEnv(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  const level = Number.parseInt(value, 10);
  if (Number.isNaN(level)) return undefined;
  return level > 0;
}

/** Decides colour for a report; see the module comment for the order. */
export function useColor({ flag, env, isTTY, toFile }: ColorInput): boolean {
  if (flag !== undefined) return flag;
  const forced = forceColorFromEnv(env.FORCE_COLOR);
  if (forced !== undefined) return forced;
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY && !toFile;
}
