/**
 * `plan-tasks scaffold <NNN> [--dry-run] [--force] [--stdout]`: wiring only.
 * Options -> config -> src/scaffold -> atomic write -> hand-off line.
 */
import { relative } from 'node:path';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { visible } from '../report/visible.js';
import type { IO } from './io.js';
import { parseCommandArgs } from './args.js';

export const SCAFFOLD_HELP = `Usage: plan-tasks scaffold <NNN> [options]

Write a starting task breakdown for a Ready story (docs/stories/NNN-*.md): one
task per open acceptance criterion (or per ### group of criteria), one domain
per task, dependencies in a buildable order. Sets the story to In Progress.

Options:
  --dry-run             print the ## Tasks section; write nothing
  --stdout              print the whole new file; write nothing
  --force               scaffold even if a ## Tasks section exists (it is kept,
                        verbatim, under ## Previous Tasks); also accepts a story
                        already In Progress
  -c, --config <file>   use this config file instead of discovering one
  -h, --help            show this help

Warnings (untestable criteria, open questions, too many tasks, story
dependencies not Done) go to stderr. Exit codes: 0 written (or printed),
2 refused (the file is untouched) or usage error.
`;

export async function scaffoldCommand(argv: string[], io: IO): Promise<number> {
  const parsed = parseCommandArgs('scaffold', argv, {
    'dry-run': { type: 'boolean' },
    stdout: { type: 'boolean' },
    force: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  const v = parsed.values;
  if (v.help) {
    io.stdout(SCAFFOLD_HELP);
    return 0;
  }
  const { parseStoryNumber, scaffoldStory } = await import('../scaffold/index.js');
  if (parsed.positionals.length > 1) {
    throw new UsageError(`Unexpected ${parsed.positionals.length} story numbers, expected one`, 'Scaffold one story at a time: plan-tasks scaffold 015');
  }
  const id = parseStoryNumber(parsed.positionals[0]);
  const config = await loadConfig({ cwd: io.cwd, configPath: v.config });
  const result = scaffoldStory(id, { config, cwd: io.cwd, force: Boolean(v.force) });
  const rel = relative(io.cwd, result.path) || result.path;
  for (const w of result.warnings) io.stderr(`${visible(rel)}${w.line ? `:${w.line}` : ''}: warning: ${visible(w.message)}\n`);
  if (v['dry-run']) {
    io.stdout(result.section);
    return 0;
  }
  if (v.stdout) {
    io.stdout(result.output);
    return 0;
  }
  writeFileAtomic(result.path, result.output, { expected: result.original });
  io.stdout(`Tasks are ready. Start implementation with \`Implement Story ${id}\`.\n`);
  return 0;
}
