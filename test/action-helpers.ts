/** The composite action's lint step (action.yml), run as a runner runs it, for the tests. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const REPO = resolve(__dirname, '..');
type Step = { name?: string; run?: string; env?: Record<string, string> };

/**
 * The action's lint step in `cwd` (the workspace): its `run:` under bash, its
 * `env:` resolved from `inputs` (else the input defaults) and `extraEnv`
 * (`github.*` values by their expression name, e.g. `github.action_path`,
 * plus plain variables), GITHUB_OUTPUT and RUNNER_TEMP in `cwd`'s parent.
 * Returns the spawn result and the outputs the step wrote.
 */
export function runActionStep(cwd: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}, baseEnv: NodeJS.ProcessEnv = process.env) {
  const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { steps: Step[] } };
  const step = action.runs.steps.find((s) => s.name === 'plan-tasks lint')!;
  const values: Record<string, string> = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? ''])), ...inputs };
  const env = Object.fromEntries(
    Object.entries(step.env!).map(([k, v]) => {
      const m = /^\$\{\{ (inputs\.([\w-]+)|github\.(\w+)) \}\}$/.exec(v)!;
      return [k, m[2] ? values[m[2]]! : (extraEnv[`github.${m[3]}`] ?? '')];
    }),
  );
  const outputFile = join(cwd, '..', 'github-output');
  writeFileSync(outputFile, '');
  const r = spawnSync('bash', ['-e', '-c', step.run!], { cwd: join(cwd, values['working-directory']!), encoding: 'utf8', env: { ...baseEnv, FORCE_COLOR: undefined, ...env, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: join(cwd, '..'), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: undefined, ...extraEnv } });
  const outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { ...r, outputs };
}

