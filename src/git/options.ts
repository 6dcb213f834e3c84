/**
 * What a `--staged` / `--base` run reads of the lint command's options. The
 * lint command's `LintOptions` (src/commands/lint.ts) extends it, so the gate
 * does not import the command that loads it.
 */
export interface GateOptions {
  /** Paths named on the command line: only the changed stories among them are linted (none: every changed story). */
  paths: string[];
  /** `--staged`: the index against HEAD; else `--base`. */
  staged: boolean;
  /** `--base <rev>`: the revision whose merge-base with HEAD is the old side. */
  base: string | undefined;
  /** False with `--no-transitions`: skip the status-transition rules. */
  transitions: boolean;
}
