/**
 * `plan-tasks next [NNN]`: the pending tasks whose dependencies are all done,
 * across stories, critical-path tasks first. Wiring only; the graph work is in
 * src/graph.
 */
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { cycleResults, loadProjectGraph, requireStory, storyArg } from '../graph/project.js';
import { analyze, nextTasks, readyTasks, storyView } from '../graph/task-graph.js';
import { problemResults } from '../graph/unresolved.js';
import { stylish } from '../report/stylish.js';
import { visible } from '../report/visible.js';
import type { IO } from './io.js';
import { parseCommandArgs, textOrJsonFormat } from './args.js';

export const NEXT_HELP = `Usage: plan-tasks next [NNN] [options]

List the tasks that can start now: pending, with every dependency done (in any
story). Tasks on the critical path of the remaining work come first, then the
rest by story and task id.

Options:
  --domain <name>       only tasks of this domain
  -f, --format <name>   text (default), json
  -c, --config <file>   use this config file instead of discovering one
  -h, --help            show this help

A task is never offered on what cannot be resolved: an unreadable Depends on
value, a ref to a missing task or story, a story that cannot be read, a
duplicate task id, a task in another shape, or a \`## Dependencies\` story
that is not Done (or whose status cannot be read).

Exit codes: 0 done, 1 the dependencies form a cycle or hold something that
cannot be resolved (reported like the linter; the list is still printed) or
two files carry one story number (nothing is listed), 2 usage, config or I/O
error (a stories glob that matches no file, for one). With a story number,
only what \`graph NNN\` reports counts: the problems of that story and of the
stories its tasks depend on or that depend on them, and the cycles through
it. With --domain, only that domain's tasks are listed as not offered.
`;

export async function nextCommand(argv: string[], io: IO): Promise<number> {
  const parsed = parseCommandArgs('next', argv, {
    domain: { type: 'string' },
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  const v = parsed.values;
  if (v.help) {
    io.stdout(NEXT_HELP);
    return 0;
  }
  if (parsed.positionals.length > 1) throw new UsageError(`Unexpected ${parsed.positionals.length} stories, expected at most one story number`);
  const format = textOrJsonFormat(v.format);
  const story = parsed.positionals.length ? storyArg(parsed.positionals[0], 'next', false) : null;

  const config = await loadConfig({ cwd: io.cwd, configPath: v.config });
  let domain: string | null = null;
  if (v.domain !== undefined) {
    const names = config.domains.map((d) => d.name);
    domain = names.find((n) => n.toLowerCase() === v.domain!.trim().toLowerCase()) ?? null;
    if (domain === null) throw new UsageError(`Unknown domain "${v.domain}", expected one of ${names.join(', ')}`);
  }
  const { tg, duplicates, resolution } = loadProjectGraph(config, io.cwd);
  if (duplicates.length) {
    // Two files with one story number: the graph would keep only one of them.
    io.stderr(stylish(duplicates, { cwd: io.cwd, color: false, rulesMeta: {} }));
    return 1;
  }
  if (story !== null) requireStory(tg, story, config);

  // Fail closed: a task with a dependency that cannot be resolved is never ready.
  const notReady = (id: string) => resolution.blocked.has(id) || resolution.waiting.has(id);
  const { ready, critical } = nextTasks(tg, notReady);
  const picked = ready
    .map((id) => tg.nodes.get(id)!)
    .filter((n) => (story === null || n.story === story) && (domain === null || n.domain.toLowerCase() === domain.toLowerCase()));

  // Pending tasks of this story / domain that something unresolved keeps back (listed on stderr),
  // and tasks whose status cannot be read (they may be pending).
  const held = [...resolution.blocked].filter(([id]) => {
    const n = tg.nodes.get(id);
    return n !== undefined && (n.phase === 'pending' || n.phase === null) && (story === null || n.story === story) && (domain === null || n.domain.toLowerCase() === domain.toLowerCase());
  });

  if (format === 'json') {
    io.stdout(`${JSON.stringify(picked.map((n) => ({ id: n.id, title: n.title, domain: n.domain })), null, 2)}\n`);
  } else if (picked.length === 0) {
    const where = [story !== null ? `in story ${story}` : '', domain !== null ? `in domain ${domain}` : ''].filter(Boolean).join(' ');
    // Not "no pending task has all its dependencies done" alone when the reason is what cannot be resolved.
    const why = held.length
      ? `${held.length === 1 ? '1 pending task is' : `${held.length} pending tasks are`} not offered until the problems reported are resolved, and no other pending task has all its dependencies done`
      : 'no pending task has all its dependencies done';
    io.stdout(`No task can start now${where ? ` ${where}` : ''}: ${why}.\n`);
  } else {
    const shown = picked.map((n) => ({ id: visible(n.id), domain: visible(n.domain), title: visible(n.title), critical: critical.has(n.id) }));
    // Not Math.max(...): 200,000 ready tasks would overflow the stack.
    const w = shown.reduce((m, n) => Math.max(m, n.id.length), -Infinity);
    const d = shown.reduce((m, n) => Math.max(m, n.domain.length), -Infinity);
    io.stdout(`${picked.length === 1 ? '1 task' : `${picked.length} tasks`} can start now:\n\n`);
    for (const n of shown) {
      const mark = n.critical ? '  (critical path)' : '';
      io.stdout(`  ${n.id.padEnd(w)}  ${n.domain.padEnd(d)}  ${n.title}${mark}\n`);
    }
  }

  if (format === 'text') {
    // Tasks that would be ready but for a story they wait for.
    const wouldBe = new Set(readyTasks(tg, (id) => resolution.blocked.has(id)));
    const waits = [...resolution.waiting].filter(([id]) => {
      const n = tg.nodes.get(id)!;
      return wouldBe.has(id) && (story === null || n.story === story) && (domain === null || n.domain.toLowerCase() === domain.toLowerCase());
    });
    if (waits.length) {
      io.stdout(`\nWaiting for a story in \`## Dependencies\` to be Done:\n${waits.map(([id, s]) => `  ${id}  (story ${s.join(', ')})\n`).join('')}`);
    }
  }

  // With a story number, what `graph NNN` reports is reported: the problems of the
  // stories it shows (the story and the stories its tasks depend on or that depend
  // on them) and the cycles through the story. A problem in an unrelated story
  // changes nothing here; it fails that story's `next`, and `next` of every story.
  const shownStories = story === null ? null : new Set([story, ...[...storyView(tg, story)].map((k) => tg.nodes.get(k)!.story)]);
  const shownPaths = shownStories === null ? null : new Set([...shownStories].map((id) => tg.stories.get(id)?.path ?? id));
  const cycles = analyze(tg).cycles.filter((c) => story === null || c.some((k) => k.startsWith(`${story}/`)));
  const problems = resolution.problems.filter((p) => shownPaths === null || shownPaths.has(p.path));
  const results = problemResults(problems, cycles.length ? cycleResults(tg, cycles) : []);
  if (results.length) io.stderr(stylish(results, { cwd: io.cwd, color: false, rulesMeta: {} }));
  if (held.length) {
    io.stderr(`Not offered until resolved:\n${held.sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, why]) => `  ${id}  ${why}\n`).join('')}`);
  }
  if (results.length || held.length) return 1;
  return 0;
}
