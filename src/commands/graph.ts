/**
 * `plan-tasks graph <NNN|all>`: wiring only. Options -> config -> stories ->
 * task graph (src/graph) -> Mermaid / DOT / JSON, or the Mermaid block
 * written into the story (`--write`).
 */
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { cycleResults, loadProjectGraph, requireStory, storyArg, withGraphBlock } from '../graph/project.js';
import { graphView, toDot, toJson, toMermaid } from '../graph/render.js';
import { analyze } from '../graph/task-graph.js';
import { problemResults } from '../graph/unresolved.js';
import { stylish } from '../report/stylish.js';
import type { IO } from './io.js';
import { parseCommandArgs } from './args.js';

export const GRAPH_HELP = `Usage: plan-tasks graph <NNN|all> [options]

Print the task dependency graph of a story (with the tasks of other stories it
depends on or that depend on it) or of all stories: waves of tasks that can run
in parallel and a critical path (a longest dependency chain).

Options:
  -f, --format <name>   mermaid (default), dot, json
  --write               put the Mermaid graph into the story under "## Tasks",
                        between <!-- plan-tasks:graph:start --> and :end markers
  -c, --config <file>   use this config file instead of discovering one
  -h, --help            show this help

Exit codes: 0 done, 1 the dependencies form a cycle or two files carry one story
number (reported like the linter), or the graph holds something it cannot
resolve (an unreadable Depends on value, a ref to a missing task, an unreadable
story, a duplicate task id, a task in another shape: reported like the linter,
the graph of the rest still printed, nothing written); 2 usage, config or I/O
error (an unknown story, for one).
`;

const FORMATS = ['mermaid', 'dot', 'json'] as const;

export async function graphCommand(argv: string[], io: IO): Promise<number> {
  const parsed = parseCommandArgs('graph', argv, {
    format: { type: 'string', short: 'f' },
    write: { type: 'boolean' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  const v = parsed.values;
  if (v.help) {
    io.stdout(GRAPH_HELP);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    throw new UsageError(`Unexpected ${parsed.positionals.length} stories, expected one story number or all`, 'Run `plan-tasks graph all` for every story.');
  }
  const format = v.format ?? 'mermaid';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${format}", expected one of ${FORMATS.join(', ')}`);
  }
  const focus = storyArg(parsed.positionals[0], 'graph', true);
  if (v.write && focus === null) throw new UsageError('Unexpected --write with all, expected a story number', 'Write one story at a time: plan-tasks graph 015 --write');
  if (v.write && format !== 'mermaid') throw new UsageError(`Unexpected --format ${format} with --write, expected mermaid (the block GitHub renders)`);

  const config = await loadConfig({ cwd: io.cwd, configPath: v.config });
  const { tg, raw, duplicates, resolution } = loadProjectGraph(config);
  if (duplicates.length) {
    // Two files with one story number: the graph would keep only one of them.
    io.stderr(stylish(duplicates, { cwd: io.cwd, color: false, rulesMeta: {} }));
    return 1;
  }
  if (focus !== null) requireStory(tg, focus, config);

  // Cycles anywhere in the plan that touch what is shown: the order is undefined.
  const cycles = analyze(tg).cycles.filter((c) => focus === null || c.some((k) => k.startsWith(`${focus}/`)));
  if (cycles.length) {
    io.stderr(stylish(cycleResults(tg, cycles), { cwd: io.cwd, color: false, rulesMeta: {} }));
    return 1;
  }

  const view = graphView(tg, focus);
  // What the graph cannot resolve in the stories shown: reported, exit 1 (fail closed).
  const shown = new Set(view.stories.map((s) => s.path ?? s.id));
  const problems = resolution.problems.filter((p) => focus === null || shown.has(p.path));
  if (!v.write) {
    io.stdout(format === 'json' ? toJson(view) : format === 'dot' ? toDot(view) : toMermaid(view));
    if (problems.length) {
      io.stderr(stylish(problemResults(problems), { cwd: io.cwd, color: false, rulesMeta: {} }));
      return 1;
    }
    return 0;
  }
  if (problems.length) {
    io.stderr(stylish(problemResults(problems), { cwd: io.cwd, color: false, rulesMeta: {} }));
    io.stderr('plan-tasks: graph block not written: the graph has dependencies it cannot resolve (above)\n');
    return 1;
  }
  const info = tg.stories.get(focus!)!;
  const path = info.path!;
  const next = withGraphBlock(info.story, toMermaid(view));
  if (next === null) {
    io.stdout(`${path}: graph block is up to date\n`);
    return 0;
  }
  const original = raw.get(path)!;
  writeFileAtomic(path, (info.story.bom ? '\ufeff' : '') + next, { expected: original });
  io.stdout(`${path}: wrote the graph block under ## Tasks\n`);
  return 0;
}
