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

Write a starting task breakdown for a Ready story (docs/stories/NNN-*.md):
criteria that land in the same files grouped into tasks, each naming the files
it changes and the test and command that verify it, one domain per task,
dependencies from data flow. Sets the story to In Progress.

Options:
  --dry-run             print the ## Tasks section; write nothing
  --stdout              print the whole new file; write nothing
  --force               write even when the story is not ready (the reasons
                        are printed as warnings), or a ## Tasks section exists
                        (it is kept, verbatim, under ## Previous Tasks); also
                        accepts a story already In Progress
  -c, --config <file>   use this config file instead of discovering one
  -h, --help            show this help

A story that is not ready is refused, the file untouched: most criteria
untestable, open questions listed, more than 15 tasks of work, an identifier
only a story not yet Done provides. The reasons go to stderr as questions.
Warnings (one untestable criterion, story dependencies not Done) go to stderr.
Exit codes: 0 written (or printed), 1 not ready (nothing written), 2 refused
for the story's status or an existing ## Tasks section, or a usage error.
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
  const at = (w: { line?: number }) => `${visible(rel)}${w.line ? `:${w.line}` : ''}`;
  const force = Boolean(v.force);
  if (result.refusals.length && !force) {
    for (const w of result.refusals) io.stderr(`${at(w)}: error: ${visible(w.message)}\n`);
    for (const w of result.warnings) io.stderr(`${at(w)}: warning: ${visible(w.message)}\n`);
    io.stderr(`Not scaffolded: story ${id} is not ready (${result.refusals.length} question${result.refusals.length === 1 ? '' : 's'} above); nothing was written. Answer them in the story, or run with --force to write the tasks anyway.\n`);
    return 1;
  }
  for (const w of result.refusals) io.stderr(`${at(w)}: warning: ${visible(w.message)}\n`);
  for (const w of result.warnings) io.stderr(`${at(w)}: warning: ${visible(w.message)}\n`);
  if (v['dry-run']) {
    io.stdout(result.section);
    return 0;
  }
  if (v.stdout) {
    io.stdout(result.output);
    return 0;
  }
  writeFileAtomic(result.path, result.output, { expected: result.original });
  if (result.refusals.length) io.stdout(`Tasks written with --force; answer the ${result.refusals.length} question${result.refusals.length === 1 ? '' : 's'} above before \`Implement Story ${id}\`.\n`);
  else io.stdout(`Tasks are ready. Start implementation with \`Implement Story ${id}\`.\n`);
  return 0;
}
