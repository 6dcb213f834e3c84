/**
 * ## task-domain-hint
 *
 * The task's own words point at its domain. Each configured domain's
 * `keywords` and `paths` are signals; when the assigned domain has none of
 * them and another domain has clear ones (a matching path, or two keywords),
 * the domain is probably wrong, or the task spans two domains.
 * Domains listed by name only have no signals, so this rule stays quiet.
 *
 * Default severity: warn. Not fixable.
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import { type DomainScore, domainMatchers, type ScoredText, scoreDomain, taskPaths, taskText } from '../src/rules/signals.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, list, ruleUrl, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-domain-hint',
  description: "The description's signals agree with the domain",
  fixable: false,
  url: ruleUrl('task-domain-hint'),
  severity: 'warn',
  reads: ['tasks'],
  docs: {
    summary: `The task's own words point at its domain: each configured domain's \`keywords\` and \`paths\` are signals. When the assigned domain has none of them and another domain has clear ones (a matching path, or two keywords), the domain is probably wrong, or the task spans two domains. Domains configured by name only carry no signals, so the rule stays quiet.`,
    why: `A wrong domain sends the task to the wrong person or agent.`,
    howToFix: `Set the domain the task's text points at (the note lists the signals found), or split the task into one task per domain with the shared contract first. If the signals mislead, change the domain's \`keywords\` or \`paths\` in the config.`,
    options: `\`domains[].keywords\`, \`domains[].paths\`.`,
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

**Domain:** electron
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` (the \`daemon.toml\`-driven C daemon\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["21:13-21:21: Unexpected domain `electron` for task 002, expected `compute`"],
    },
  ],
};

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  if (!config.domains.some((d) => d.keywords.length || d.paths.length)) return out;
  const matchers = domainMatchers(config.domains);
  for (const task of story.tasks) {
    const assigned = task.domain?.value.trim();
    if (!assigned) continue;
    const own = matchers.find((d) => d.name === assigned);
    if (!own) continue;
    // The assigned domain's own signals first: with any, the others need no scoring.
    const on: ScoredText = { text: taskText(task), paths: taskPaths(task) };
    if (scoreDomain(on, own).score > 0) continue;
    // The first of the highest scores, in config order (the sort is stable).
    let best: DomainScore | undefined;
    for (const d of matchers) {
      if (d.name === assigned) continue;
      const s = scoreDomain(on, d);
      if (best === undefined || s.score > best.score) best = s;
    }
    if (!best || best.score < 2) continue;
    out.push({
      message: `Unexpected domain ${code(assigned)} for ${taskLabel(task)}, expected ${code(best.name)}`,
      note: `It mentions ${best.name} signals (${list(best.signals.slice(0, 4))}); or split the task per domain.`,
      span: task.domain!.valueSpan,
    });
  }
  return out;
};

const remarkLintTaskDomainHint = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-domain-hint', url: meta.url }, remarkRule(check));
export default remarkLintTaskDomainHint;
