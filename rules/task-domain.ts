/**
 * ## task-domain
 *
 * A task's `**Domain:**` is exactly one of the configured domains. A task that
 * names two (`weave + compute`) is two tasks: one per domain, the shared
 * contract first.
 *
 * Default severity: error. Fixable: case only (`Backend` -> `backend`).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { ResolvedConfig } from '../src/config/types.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { closest, clip, code, list, ruleUrl, shortList, taskLabel } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'task-domain',
  description: 'The domain is exactly one configured domain',
  fixable: true,
  url: ruleUrl('task-domain'),
  severity: 'error',
  reads: ['tasks'],
  docs: {
    summary: `A task's \`**Domain:**\` is exactly one configured domain. A task that names two (\`weave + compute\`) is two tasks: one per domain, the shared contract first.`,
    why: `One owner per task: a two-domain task cannot be picked up by one developer or agent, and hides a contract between them.`,
    howToFix: `Write exactly one configured domain. A task touching two domains becomes two tasks, the shared contract first. Domains are configured under \`domains\` in \`plan-tasks.config.json\`; without a config file the built-in defaults apply. \`--fix\` fixes the case and spelling of a known domain.`,
    options: `\`domains\` (names, or \`{ "name", "keywords", "paths" }\`); without a config file they are the built-in \`backend\`, \`compute\`, \`electron\`, \`packaging\`, and the message says where to list yours. **Fixable:** case only (\`Compute\` -> \`compute\`).`,
    fixableNote: `\`plan-tasks lint --fix\``,
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

**Domain:** backend + compute
**Status:** in_progress
**Depends on:** 001

Make \`handle_request()\` in \`daemon/server.c\` return 401 without a token. The test in \`daemon/test_server.c\` sends a request without one and expects 401.
`,
      messages: ["21:13-21:30: Unexpected two domains `backend + compute` in task 002, expected one"],
    },
  ],
};

/** What a domain value that is not a configured name is: two domains, another case of one, or a near miss. */
interface Reading {
  parts: string[];
  same: string | undefined;
  guess: string | null;
}

/** Per configured domain list: the names, their message texts, and each value read once. */
interface Domains {
  names: string[];
  short: string;
  all: string;
  readings: Map<string, Reading>;
}

const memo = new WeakMap<ResolvedConfig['domains'], Domains>();

function domainsOf(config: ResolvedConfig): Domains {
  let d = memo.get(config.domains);
  if (!d) {
    const names = config.domains.map((x) => x.name);
    d = { names, short: shortList(names), all: list(names), readings: new Map() };
    memo.set(config.domains, d);
  }
  return d;
}

function read(d: Domains, value: string): Reading {
  let r = d.readings.get(value);
  if (!r) {
    const parts = value.split(/(?<!\s)\s*(?:\+|&|\/|,|\band\b)\s*/i).filter(Boolean);
    const same = parts.length > 1 ? undefined : d.names.find((n) => n.toLowerCase() === value.toLowerCase());
    r = { parts, same, guess: parts.length > 1 || same ? null : closest(value, d.names) };
    d.readings.set(value, r);
  }
  return r;
}

export const check: Check = (story, { config }) => {
  const out: Finding[] = [];
  if (story.tasks.length === 0) return out;
  const domains = domainsOf(config);
  const names = domains.names;
  for (const task of story.tasks) {
    const field = task.domain;
    if (!field) continue;
    const value = field.value.trim();
    const span = field.valueSpan;
    if (!value) {
      out.push({ message: `Missing domain in ${taskLabel(task)}, expected one of ${domains.short}`, ...(names.length > 5 ? { note: `The domains: ${domains.all}.` } : {}), span: field.span });
      continue;
    }
    if (names.includes(value)) continue;
    const { parts, same, guess } = read(domains, value);
    if (parts.length > 1) {
      out.push({
        message: `Unexpected two domains ${code(clip(value))} in ${taskLabel(task)}, expected one`,
        note: `Split it into one task per domain (${parts.map(code).join(', ')}), the shared contract first.`,
        span,
      });
      continue;
    }
    if (same) {
      out.push({
        message: `Unexpected domain ${code(value)}, expected ${code(same)}`,
        span,
        fix: { range: [span.start.offset, span.end.offset], text: same },
      });
      continue;
    }
    out.push({
      message: guess ? `Unexpected domain ${code(clip(value))}, expected ${code(guess)}?` : `Unexpected domain ${code(clip(value))}, expected one of ${domains.short}`,
      ...(config.configFile === null && !guess
        ? { note: 'These are the built-in defaults: list your domains under `domains` in plan-tasks.config.json.' }
        : guess || names.length > 5
          ? { note: `The domains: ${domains.all}.` }
          : {}),
      span,
    });
  }
  return out;
};

const remarkLintTaskDomain = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:task-domain', url: meta.url }, remarkRule(check));
export default remarkLintTaskDomain;
