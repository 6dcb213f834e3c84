/**
 * ## dependency-cycle
 *
 * The tasks of a story form no dependency cycle. The message spells the whole
 * cycle, `001 -> 003 -> 002 -> 001`, read as "001 depends on 003, which
 * depends on 002, which depends on 001". `plan-tasks lint` also reports cycles
 * that run through other stories.
 *
 * Default severity: error. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { findCyclePaths } from '../src/graph/cycles.js';
import { storyGraph } from '../src/graph/story-graph.js';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { ruleUrl } from '../src/rules/util.js';
import type { Task } from '../src/story/model.js';

export const meta: RuleMeta = {
  id: 'dependency-cycle',
  description: 'No dependency cycles; the message spells the cycle',
  fixable: false,
  url: ruleUrl('dependency-cycle'),
};

export const check: Check = (story) => {
  const out: Finding[] = [];
  const graph = storyGraph(story);
  for (const cycle of findCyclePaths(graph)) {
    const first = graph.node(cycle[0]!) as Task;
    const ref = first.depends.find((r) => r.task === cycle[1] && (r.story === undefined || r.story === story.id));
    out.push({
      message: `Unexpected dependency cycle ${cycle.join(' -> ')}, expected tasks that can be ordered`,
      note: 'Remove one of these dependencies.',
      span: ref ? ref.span : first.heading.span,
    });
  }
  return out;
};

const remarkLintDependencyCycle = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:dependency-cycle', url: meta.url }, remarkRule(check));
export default remarkLintDependencyCycle;
