/**
 * ## task-size
 *
 * Sizing hints: a task fits in 1-4 hours (`sizing.estimate`). An
 * `**Estimate:**` outside that range is reported; without one, a task that
 * names many files (`sizing.maxFiles`) or lists many numbered steps
 * (`sizing.maxSteps`) is probably bigger than it looks. The heuristics skip
 * done tasks: they help planning, and a done task's notes list what was
 * touched rather than what is left.
 *
 * Default severity: warn. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import { taskPaths } from '../src/rules/signals.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { clip, code, ruleUrl, taskLabel } from '../src/rules/util.js';
import { taskPhase } from '../src/status/index.js';

export const meta: RuleMeta = {
  id: 'task-size',
  description: 'Estimates within 1h..4h; no signs of a bigger task',
  fixable: false,
  url: ruleUrl('task-size'),
  severity: 'warn',
  reads: ['tasks'],
  docs: {
    summary: `Sizing hints: a task fits in \`sizing.estimate\` (default 1h..4h). An \`**Estimate:**\` outside that range, or unreadable, is reported. Without one, a task that names more than \`sizing.maxFiles\` files (8) or lists more than \`sizing.maxSteps\` numbered steps (8) is probably bigger than it looks. The heuristics skip done tasks: they help planning, and a done task's notes list what was touched.`,
    why: `Small tasks are reviewable, parallelisable and honest about progress.`,
    howToFix: `Split the task, or give it an \`**Estimate:**\` within the configured range (\`90m\`, \`2h\`, \`1d\`); fold a task smaller than the minimum into a neighbouring one.`,
    options: `\`sizing.estimate\` (\`{ "min": "1h", "max": "4h" }\`), \`sizing.maxFiles\`, \`sizing.maxSteps\`.`,
  },
  examples: [
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
    },
    {
      name: '015-token-auth.md',
      markdown: `# Story 015: Token authentication

## Status

In Progress

## Tasks

### 001: Add the token field

**Domain:** compute
**Status:** done
**Depends on:** none

Add a \`token\` field to \`request_header_t\` in \`daemon/protocol.h\`. A unit test in \`daemon/test_protocol.c\` checks the header size.

---

### 002: Reject requests without a token

**Domain:** compute
**Status:** in_progress
**Depends on:** 001
**Estimate:** 2d

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["24:15-24:17: Unexpected estimate `2d` for task 002, expected at most 4h"],
    },
  ],
};

/** Hours in `2h`, `90m`, `1.5 hours`, `1d` (8h), `2-3h` (the upper bound); null if unreadable. */
export function parseEstimate(value: string): number | null {
  const m = /^(?:~\s*)?(?:(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*)?(\d+(?:\.\d+)?)\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|pts?|points?)?$/i.exec(value.trim());
  if (!m) return null;
  const n = Number(m[2]);
  const unit = (m[3] ?? 'h').toLowerCase();
  if (unit.startsWith('p')) return null;
  if (unit.startsWith('m')) return n / 60;
  if (unit.startsWith('d')) return n * 8;
  return n;
}

const hours = (h: number) => (h < 1 ? `${Math.round(h * 60)}m` : `${Number(h.toFixed(2))}h`);

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  const { estimate, maxFiles, maxSteps } = config.sizing;
  for (const task of story.tasks) {
    const field = task.fields.find((f) => f.key === 'estimate');
    if (field) {
      const h = parseEstimate(field.value);
      if (h === null) {
        out.push({ message: `Unexpected estimate ${code(clip(field.value, 20))}, expected a duration such as \`2h\``, note: 'Durations: `90m`, `2h`, `1d` (8 hours).', span: field.valueSpan });
      } else if (h > estimate.max) {
        out.push({ message: `Unexpected estimate ${code(clip(field.value, 20))} for ${taskLabel(task)}, expected at most ${hours(estimate.max)}`, note: 'Split the task.', span: field.valueSpan });
      } else if (h < estimate.min) {
        out.push({ message: `Unexpected estimate ${code(clip(field.value, 20))} for ${taskLabel(task)}, expected at least ${hours(estimate.min)}`, note: 'Fold it into a neighbouring task.', span: field.valueSpan });
      }
      continue;
    }
    // The heuristics help plan a task; once it is done, splitting it is moot
    // (and its notes list what was touched, not what is left to do).
    if (taskPhase(config, task.status?.value) === 'done') continue;
    const files = taskPaths(task).filter((p) => /\.\w+$|\/$/.test(p));
    if (files.length > maxFiles) {
      out.push({
        message: `Unexpected ${files.length} files named in ${taskLabel(task)}, expected at most ${maxFiles}`,
        note: `That many is more than a task of ${hours(estimate.max)} or less: split it, or add an \`**Estimate:**\`.`,
        span: task.heading.span,
      });
      continue;
    }
    const steps = task.blocks.filter((b) => b.kind === 'list' && b.ordered).reduce((n, b) => n + (b.items ?? 0), 0);
    if (steps > maxSteps) {
      out.push({
        message: `Unexpected ${steps} numbered steps in ${taskLabel(task)}, expected at most ${maxSteps}`,
        note: `That many is more than a task of ${hours(estimate.max)} or less: split it, or add an \`**Estimate:**\`.`,
        span: task.heading.span,
      });
    }
  }
  return out;
};

const remarkLintTaskSize = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-size', url: meta.url }, remarkRule(check));
export default remarkLintTaskSize;
