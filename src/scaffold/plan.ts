/**
 * Acceptance criteria -> tasks: one task per open criterion (or per `###`
 * group of criteria), one domain per task (a criterion or group spanning two
 * domains becomes one task per domain), ordered contracts first, then
 * implementations and clients, error handling after the core it extends, docs
 * and tests right after what they cover. Dependencies only point at earlier
 * tasks, so the plan can never hold a cycle.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Criterion, Story } from '../story/model.js';
import { domainsOf, inferSignals, type CriterionSignals, type Place } from './infer.js';
import type { RepoIndex } from './repo.js';
import { pathsIn, scoreDomains } from '../rules/signals.js';

export type Kind = 'contract' | 'core' | 'client' | 'errors' | 'docs' | 'tests';

export interface PlannedTask {
  id: string;
  title: string;
  domain: string;
  kind: Kind;
  dependsOn: string[];
  /** The description's prose: what, where, how to verify. */
  prose: string;
  /** The criteria the task makes true, as written in the story. */
  criteria: Criterion[];
  /** The `###` group the criteria came from, if any. */
  group: string | null;
}

export interface Warning {
  message: string;
  line?: number;
}

export interface Plan {
  tasks: PlannedTask[];
  warnings: Warning[];
}

interface Draft {
  origin: number;
  group: string | null;
  domain: string;
  split: boolean;
  criteria: number[];
  kind: Kind;
  tokens: Set<string>;
}

const CONTRACT = /\b(?:protocol|spec|specs|specification|schema|contract|interface|wire format|message format|data model|API definition|type definitions?)\b|\.(?:h|proto|graphql)\b/i;
const SPEC_DOC = /\b(?:SPEC|specification|schema|wire format)\b/i;
const TESTS = /^(?:(?:unit|integration|e2e|end-to-end|regression|snapshot|property|fuzz(?:ing)?)\s+)?(?:tests?|test suite|fuzz(?:ing)?(?: harness)?|benchmarks?)\b|^(?:add|write)\s+(?:\w+\s+)?tests?\b/i;
const DOCS = /\b(?:README|documentation|documented|docs?\/[\w./-]*|(?<![\w-])[\w-]+\.md)\b/i;
const TEST_FILE = /(?<![\w/-])[\w/-]*(?:\.(?:test|spec)\.\w+|_test\.\w+|\btest_\w+\.\w+)\b/;
const ERRORS = /(?<!\b(?:no|without|zero) )\b(?:errors?|fails?|failures?|failed|retry|retries|timeouts?|invalid|rejects?|rejected|crash(?:es)?|recover(?:s|y)?|fallback|gracefully|malformed)\b/i;
const CLIENT = /\b(?:client|clients|UI|frontend|renderer|browser|user sees|displays?|buttons?|panels?|page|screen|windows?|clicks?|tooltip|modal|sidebar|toolbar|CSS)\b/;

/** What a criterion is about, from its words (and its group heading). */
export function kindOf(text: string, group: string | null): Kind {
  const g = group ?? '';
  if (TESTS.test(text) || TEST_FILE.test(text) || /\btest(?:s|ing)?\b/i.test(g)) return 'tests';
  if (DOCS.test(text) || /\bdoc(?:s|umentation)?\b/i.test(g)) return SPEC_DOC.test(text) ? 'contract' : 'docs';
  if (CONTRACT.test(text)) return 'contract';
  if (ERRORS.test(text)) return 'errors';
  if (CLIENT.test(text)) return 'client';
  return 'core';
}

const DOCS_DOMAIN = /^(?:docs?|documentation|readme)$/i;

const KIND_RANK: Record<Kind, number> = { contract: 0, core: 1, client: 2, errors: 3, docs: 4, tests: 4 };

const CONTRACT_WORDS = /^(?:protocol|schema|api|contract|spec|types?|parser|parsing|server|daemon|backend|core|model)$/i;
const CLIENT_WORDS = /^(?:client|ui|frontend|renderer|electron|window|menu|tray|browser|css|web ui|documentation|docs|readme)$/i;

/**
 * Provider domains before their clients: a domain whose keywords or paths
 * speak of protocols, headers and servers ranks before one that speaks of UI.
 */
export function domainOrder(config: ResolvedConfig): string[] {
  const rank = (i: number) => {
    const d = config.domains[i]!;
    let r = 0;
    for (const k of [d.name, ...d.keywords]) {
      if (CONTRACT_WORDS.test(k)) r -= 1;
      if (CLIENT_WORDS.test(k)) r += 1;
    }
    for (const p of d.paths) if (/\.(?:h|proto)\b|\{[^}]*\bh\b/.test(p)) r -= 1;
    return r;
  };
  return config.domains
    .map((d, i) => ({ name: d.name, r: rank(i), i }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((d) => d.name);
}

function majority(values: readonly string[], order: readonly string[]): string | null {
  if (values.length === 0) return null;
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]))[0]![0];
}

/** A short heading title from a criterion's words. */
export function titleFrom(text: string, max = 72): string {
  let t = text
    .replace(/(?<!\s)\s*\((?:[^()`]|`[^`]*`)*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // First clause when the criterion runs on.
  if (t.length > max) {
    const clause = /^(.{20,}?)(?:[;:]\s|\s[-–—]\s|\.\s)/.exec(t);
    if (clause && clause[1]!.length <= max) t = clause[1]!;
  }
  if (t.length > max) {
    let cut = t.slice(0, max);
    for (const q of ['`', '"']) {
      if ((cut.split(q).length - 1) % 2 === 1) cut = cut.slice(0, cut.lastIndexOf(q)).trimEnd();
    }
    if (cut.length === max) {
      const comma = cut.lastIndexOf(', ');
      const space = cut.lastIndexOf(' ');
      if (comma > 30) cut = cut.slice(0, comma);
      else if (space > 20) cut = cut.slice(0, space);
    } else if (cut.lastIndexOf(', ') > 30) cut = cut.slice(0, cut.lastIndexOf(', '));
    t = cut.replace(/(?:\s+(?:and|or|with|the|a|an|to|in|of|for|from|by|on|at|as|that|which|is|are))+$/i, '');
  }
  t = t.replace(/[\s,;:.!?#-]+$/, '').replace(/^[\s#>*+-]+/, '');
  if (/^[a-z]/.test(t)) t = t[0]!.toUpperCase() + t.slice(1);
  return t || 'Acceptance criterion';
}

function code(s: string): string {
  return '`' + s + '`';
}

function plain(s: string): string {
  return s.replace(/[`"*_[\]]/g, '').replace(/[.!?]+(?=\s|$)/g, '').replace(/\s+/g, ' ').trim();
}

const VERB: Record<Kind, string> = {
  contract: 'Define',
  core: 'Implement',
  client: 'Build',
  errors: 'Handle',
  docs: 'Document',
  tests: 'Test',
};

const VERIFY: Record<Kind, string> = {
  contract: 'Done when a test or a review checks each point below and the code on both sides uses it.',
  core: 'Done when a test checks each point below.',
  client: 'Done when a test (or a manual run) shows each point below.',
  errors: 'Done when a test triggers each failure below and checks the reported error.',
  docs: 'Done when a reviewer can check each point below against the page.',
  tests: 'Done when the new tests run and pass, asserting each point below.',
};

function wherePhrase(places: Place[], domain: string, config: ResolvedConfig): string {
  const usable = places.filter((p) => !p.text.includes('`'));
  const pick: string[] = [];
  const push = (p: Place) => {
    if (!pick.includes(p.text) && pick.length < 2) pick.push(p.text);
  };
  const rank = (p: Place) => (p.kind === 'file' ? 0 : p.kind === 'repo-file' ? 1 : 2);
  const sorted = [...usable].sort((a, b) => rank(a) - rank(b));
  for (const p of sorted) if (p.domains.includes(domain)) push(p);
  for (const p of sorted) if (p.domains.length === 0 && p.kind !== 'repo-file') push(p);
  if (!pick.length) for (const p of sorted) if (p.kind === 'file') push(p);
  if (pick.length) {
    const files = pick.filter((p) => usable.find((u) => u.text === p)!.kind !== 'identifier');
    const ids = pick.filter((p) => !files.includes(p));
    if (files.length && ids.length) return ` in ${files.map(code).join(' and ')}, around ${ids.map(code).join(' and ')}`;
    return files.length ? ` in ${files.map(code).join(' and ')}` : ` around ${ids.map(code).join(' and ')}`;
  }
  const globs = config.domains.find((d) => d.name === domain)?.paths ?? [];
  const glob = globs.find((g) => !g.startsWith('**')) ?? globs[0];
  if (glob && !glob.includes('`')) return ` under ${code(glob)}`;
  return ` in the ${code(domain)} code`;
}

export interface PlanOptions {
  repo: RepoIndex | null;
}

export function planTasks(story: Story, config: ResolvedConfig, options: PlanOptions): Plan {
  const warnings: Warning[] = [];
  const open = story.criteria.filter((c) => c.checked !== true);
  const order = domainOrder(config);
  const configOrder = config.domains.map((d) => d.name);
  // The story's own words (title, problem, notes...) break ties between domains.
  const prior = storyPrior(story, config);
  const tieOrder = [...order].sort((a, b) => (prior.get(b) ?? 0) - (prior.get(a) ?? 0) || order.indexOf(a) - order.indexOf(b));
  const signals: CriterionSignals[] = inferSignals(
    open.map((c) => c.text),
    config.domains,
    options.repo,
  );
  const groupNames = [...new Set(open.map((c) => c.group).filter((g): g is string => g !== null))];
  const groupSignals = new Map<string, string[]>();
  inferSignals(groupNames, config.domains, null).forEach((s, i) => groupSignals.set(groupNames[i]!, domainsOf(s, tieOrder)));

  // Domains per criterion: its own signals, else its group heading's.
  const doms: string[][] = open.map((c, i) => {
    const own = domainsOf(signals[i]!, tieOrder);
    // Docs and tests sit beside the code they cover: one domain, never split.
    const kind = kindOf(c.text, c.group);
    if (own.length && (kind === 'docs' || kind === 'tests')) {
      // Among equally strong domains, the one a named file's path points at.
      const sig = signals[i]!;
      const top = sig.scores.get(own[0]!) ?? 0;
      const tied = tieOrder.filter((d) => (sig.scores.get(d) ?? 0) >= top);
      const byPath = tied.find((d) => sig.places.some((p) => p.kind !== 'identifier' && p.domains.includes(d)));
      const docsDomain = kind === 'docs' ? tied.find((d) => DOCS_DOMAIN.test(d) || (sig.signals.get(d) ?? []).some((w) => DOCS_DOMAIN.test(w))) : undefined;
      return [byPath ?? docsDomain ?? own[0]!];
    }
    if (own.length) return own;
    const g = c.group ? groupSignals.get(c.group) : undefined;
    return g && g.length ? [g[0]!] : [];
  });
  const resolvedFirst = doms.filter((d) => d.length).map((d) => d[0]!);
  const storyMajority = majority(resolvedFirst, tieOrder);
  const priorTop = (prior.get(tieOrder[0]!) ?? 0) > 0 ? tieOrder[0]! : null;
  open.forEach((c, i) => {
    if (doms[i]!.length) return;
    const groupMajority = c.group
      ? majority(open.map((o, j) => (o.group === c.group && doms[j]!.length ? doms[j]![0]! : '')).filter(Boolean), tieOrder)
      : null;
    const domain = groupMajority ?? storyMajority ?? priorTop ?? configOrder[0]!;
    const why = groupMajority
      ? `the most common domain of its group "${plain(c.group!)}"`
      : storyMajority
        ? "the most common domain of the story's criteria"
        : priorTop
          ? "the domain the story's text points at"
          : 'the first configured domain';
    doms[i] = [domain];
    warnings.push({
      message: `Missing domain signals in criterion "${short(c.text)}", expected a keyword or path of one of the configured domains (${configOrder.join(', ')}): assigned ${code(domain)}, ${why}; check it`,
      line: c.span.start.line,
    });
  });

  // Units: one per `###` group, else one per criterion.
  const grouped = open.some((c) => c.group !== null);
  const units: { group: string | null; criteria: number[] }[] = [];
  open.forEach((c, i) => {
    if (grouped && c.group !== null) {
      const unit = units.find((u) => u.group === c.group);
      if (unit) unit.criteria.push(i);
      else units.push({ group: c.group, criteria: [i] });
    } else units.push({ group: null, criteria: [i] });
  });

  // Partition each unit by domain.
  const drafts: Draft[] = [];
  units.forEach((unit, origin) => {
    const byDomain = new Map<string, number[]>();
    for (const i of unit.criteria) for (const d of doms[i]!) byDomain.set(d, [...(byDomain.get(d) ?? []), i]);
    const domains = [...byDomain.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const domain of domains) {
      const criteria = byDomain.get(domain)!;
      const kinds = criteria.map((i) => kindOf(open[i]!.text, open[i]!.group));
      const kind = (majority(kinds, ['contract', 'core', 'client', 'errors', 'docs', 'tests']) ?? 'core') as Kind;
      const tokens = new Set<string>();
      for (const i of criteria) for (const t of signals[i]!.tokens) tokens.add(t);
      drafts.push({ origin, group: unit.group, domain, split: domains.length > 1, criteria, kind, tokens });
    }
  });

  // Order: main work by kind (contracts, core, clients, error handling), then
  // docs and tests right after the task they cover.
  const isSide = (d: Draft) => d.kind === 'docs' || d.kind === 'tests';
  const main = drafts
    .filter((d) => !isSide(d))
    .map((d, i) => ({ d, i }))
    .sort((a, b) => KIND_RANK[a.d.kind] - KIND_RANK[b.d.kind] || a.d.origin - b.d.origin || a.i - b.i)
    .map((x) => x.d);
  const overlap = (a: Draft, b: Draft) => {
    let n = 0;
    for (const t of a.tokens) if (b.tokens.has(t)) n++;
    return n;
  };
  const sides = new Map<Draft, Draft[]>();
  const orphans: Draft[] = [];
  for (const d of drafts.filter(isSide)) {
    let best: Draft | null = null;
    let bestScore = 0;
    for (const m of main) {
      const score = overlap(d, m) * 2 + (m.domain === d.domain ? 1 : 0);
      if (score > bestScore) {
        best = m;
        bestScore = score;
      }
    }
    best ??= main[main.length - 1] ?? null;
    if (best) sides.set(best, [...(sides.get(best) ?? []), d]);
    else orphans.push(d);
  }
  const ordered: Draft[] = [];
  const cover = new Map<Draft, Draft>();
  for (const m of main) {
    ordered.push(m);
    for (const s of sides.get(m) ?? []) {
      ordered.push(s);
      cover.set(s, m);
    }
  }
  ordered.push(...orphans);

  // Dependencies: only on earlier tasks.
  const ids = new Map<Draft, string>();
  ordered.forEach((d, i) => ids.set(d, String(i + 1).padStart(3, '0')));
  const tasks: PlannedTask[] = ordered.map((d, pos) => {
    const earlier = ordered.slice(0, pos);
    const deps = new Set<Draft>();
    const partners = earlier.filter((e) => e.origin === d.origin && !isSide(e));
    if (isSide(d)) {
      const c = cover.get(d);
      if (c) deps.add(c);
    } else {
      for (const p of partners) deps.add(p);
      const contracts = earlier.filter((e) => e.kind === 'contract');
      const cores = earlier.filter((e) => e.kind === 'core' || e.kind === 'client');
      if (d.kind === 'core') {
        const related = contracts.filter((c) => overlap(c, d) > 0 || c.domain === d.domain);
        for (const c of related.length ? related : contracts) deps.add(c);
      } else if (d.kind === 'client') {
        const related = cores.filter((c) => overlap(c, d) > 0);
        const fallback = contracts.filter((c) => overlap(c, d) > 0 || c.domain === d.domain);
        for (const c of related.length ? related : fallback.length ? fallback : contracts) deps.add(c);
      } else if (d.kind === 'errors') {
        const related = cores.filter((c) => overlap(c, d) > 0 && c.domain === d.domain);
        const sameDomain = cores.filter((c) => c.domain === d.domain);
        const extends_ = related.length ? related : sameDomain.length ? sameDomain : cores.length ? [cores[cores.length - 1]!] : contracts;
        for (const c of extends_) deps.add(c);
      }
    }
    const dependsOn = [...deps].map((x) => ids.get(x)!).sort();
    const criteria = d.criteria.map((i) => open[i]!);
    const places = d.criteria.flatMap((i) => signals[i]!.places);
    const unitSize = units[d.origin]!.criteria.length;
    const room = d.split ? 72 - d.domain.length - 3 : 72;
    const baseTitle = d.group !== null && unitSize > 1 ? plain(d.group) || titleFrom(criteria[0]!.text, room) : titleFrom(criteria[0]!.text, room);
    const title = d.split ? `${baseTitle} (${d.domain})` : baseTitle;
    const what =
      criteria.length === 1 ? 'this acceptance criterion' : `these ${criteria.length} acceptance criteria`;
    const from = d.group !== null && plain(d.group) ? ` from "${plain(d.group)}"` : '';
    const part = d.split ? `the ${d.domain} part of ` : '';
    const prose = `${VERB[d.kind]} ${part}${what}${from}${wherePhrase(places, d.domain, config)}. ${VERIFY[d.kind]}`;
    return { id: ids.get(d)!, title, domain: d.domain, kind: d.kind, dependsOn, prose, criteria, group: d.group };
  });
  return { tasks, warnings };
}

/** Domain scores of the story's text outside any Tasks section. */
export function storyPrior(story: Story, config: ResolvedConfig): Map<string, number> {
  let text = story.text;
  for (const sec of [...story.tasksSections].reverse()) text = text.slice(0, sec.heading.start.offset) + text.slice(sec.span.end.offset);
  const scores = scoreDomains(text, pathsIn(text), config.domains);
  return new Map(scores.map((s) => [s.name, s.score]));
}

export function short(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}
