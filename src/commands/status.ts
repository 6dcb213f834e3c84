/**
 * `plan-tasks status <NNN/TTT> <status> [--story] [--format json]`: wiring
 * only. Options -> config -> planStatusChange (src/agent/status.ts) -> atomic
 * write -> report.
 */
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { parseTaskRef, planStatusChange, type StatusPlan } from '../agent/status.js';
import type { IO } from './io.js';
import { parseCommandArgs, textOrJsonFormat } from './args.js';

export const STATUS_HELP = `Usage: plan-tasks status <NNN/TTT> <status> [options]

Set one task's status in place (only its status value is rewritten, atomically),
for people and agents implementing a story. Refused, with the file untouched
and exit 1: an unknown story or task, a move the configured transitions forbid
(done -> pending by default), and in_progress or done while a dependency is not
done or cannot be resolved.

Options:
  --story               also set the story status that follows (every task done
                        -> Done; a task started in a Ready story -> In Progress)
  --dry-run             say what would change; write nothing
  -f, --format <name>   text (default), json
  -c, --config <file>   use this config file instead of discovering one
  -h, --help            show this help

Exit codes: 0 changed (or already so), 1 refused, 2 usage, config or I/O error.
`;

/** The JSON `--format json` prints: the plan without the file bytes. */
export function statusJson(plan: StatusPlan, written: boolean): Record<string, unknown> {
  return {
    task: plan.task,
    filePath: plan.file,
    from: plan.from,
    to: plan.to,
    changed: plan.changed,
    written,
    story: plan.story,
    refused: plan.refused,
  };
}

/** Run `status`: 0 changed or already so, 1 refused (file untouched), 2 usage errors (thrown as UsageError). */
export async function statusCommand(argv: string[], io: IO): Promise<number> {
  const parsed = parseCommandArgs('status', argv, {
    story: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  const v = parsed.values;
  if (v.help) {
    io.stdout(STATUS_HELP);
    return 0;
  }
  const format = textOrJsonFormat(v.format);
  if (parsed.positionals.length !== 2) {
    throw new UsageError(`Unexpected ${parsed.positionals.length} arguments, expected a task and a status (plan-tasks status 015/003 done)`, 'Run `plan-tasks status --help`.');
  }
  const ref = parseTaskRef(parsed.positionals[0]);
  const config = await loadConfig({ cwd: io.cwd, configPath: v.config });
  const plan = planStatusChange(config, { ...ref, status: parsed.positionals[1]!, setStory: Boolean(v.story) });

  let written = false;
  if (!plan.refused && plan.output !== undefined && !v['dry-run']) {
    // Through a symlink to the file it points at: the link stays a link.
    writeFileAtomic(realpathSync(plan.file!), plan.output, { expected: plan.original! });
    written = true;
  }
  if (format === 'json') {
    io.stdout(`${JSON.stringify(statusJson(plan, written), null, 2)}\n`);
    return plan.refused ? 1 : 0;
  }
  const rel = plan.file ? relative(io.cwd, plan.file) || plan.file : null;
  if (plan.refused) {
    // One statement either way: the story file named and kept as it was, or (no story file found) nothing written.
    io.stderr(`plan-tasks status: refused, ${rel === null ? 'nothing written' : `${rel} unchanged`}.\n${plan.refused.reason}\n`);
    for (const b of plan.refused.blockers) io.stderr(`  - ${b}\n`);
    return 1;
  }
  const would = v['dry-run'] ? 'would set' : 'set';
  if (plan.changed) io.stdout(`${rel}: ${would} task ${plan.task} from ${plan.from} to ${plan.to}\n`);
  else io.stdout(`${rel}: task ${plan.task} is already ${plan.from}\n`);
  const s = plan.story;
  if (s?.applied) io.stdout(`${rel}: ${would} story ${s.id} from ${s.from} to ${s.to}\n`);
  else if (s) io.stdout(`Story ${s.id} is ${s.from}; its tasks call for ${s.to}: add --story to set it (plan-tasks status ${plan.task} ${plan.to} --story).\n`);
  else if (v.story) io.stdout(`${rel}: story status unchanged (nothing follows from its tasks)\n`);
  return 0;
}
