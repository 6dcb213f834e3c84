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
import { CodeMap, isCodeFile, isDocFile, isTestFile, isWorkflowFile, WORKFLOWS_DIR, wordsOf } from './code.js';
import { DomainPaths, domainsOf, inferSignals, type CriterionSignals, type Place } from './infer.js';
import { workflowVerification } from './workflow.js';
import type { RepoIndex } from './repo.js';
import { pathsIn, scoreDomains } from '../rules/signals.js';

export type Kind = 'contract' | 'core' | 'client' | 'errors' | 'docs' | 'tests';

/** One task of the plan, before rendering. */
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
  /** Per criterion, its nested list items as Markdown lines (indented under the criterion). */
  nested: string[][];
  /** The `###` group the criteria came from, if any. */
  group: string | null;
  /** The files the task changes (existing ones, repository-relative). */
  files: string[];
}

export interface Warning {
  message: string;
  line?: number;
}

export interface Plan {
  tasks: PlannedTask[];
  warnings: Warning[];
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

/** Words that open a clause (a cut before them leaves a whole clause) and prepositions (a whole phrase, less often). */
const CLAUSE_WORD = /^(?:and|or|but|when|whenever|while|if|so|because|until|unless|after|before|than|which|that|where|whose|then|instead)$/i;
const PREPOSITION = /^(?:with|without|via|using|by|for|from|to|in|on|at|into|through|as|of)$/i;
const DETERMINER = /^(?:the|a|an|its|their|this|that|these|those|each|every|all|no)$/i;
const TRAILING_FUNCTION_WORDS = /(?:\s+(?:and|or|but|with|the|a|an|to|in|of|for|from|by|on|at|as|that|which|is|are|than|its|their|when|if|so|via))+$/i;

/**
 * A heading title from a criterion's words: whole phrases, at most `max`
 * characters, never cut inside a word, a code span or a quotation. A long
 * criterion is cut at its first sentence, else at the last clause boundary
 * that fits (punctuation, a dash, or before a conjunction or preposition),
 * and only when none does, at a word (dropping dangling function words).
 */
export function titleFrom(text: string, max = 70): string {
  let t = text
    .replace(/(?<!\s)\s*\((?:[^()`]|`[^`]*`)*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // A long criterion loses where it happens first ("in `compute/include/weave/protocol.h`"):
  // the description names the file.
  if (t.length > max) t = t.replace(/\s(?:in|from|under|to)\s`[^`\s]*\/[^`\s]*`(?=[\s,;:.]|$)/g, '').replace(/\s+/g, ' ').trim();
  // "If Electron is force-killed, Go server detects stdin EOF ...": the main clause says what
  // to build (unless it is only a quotation).
  if (t.length > max) {
    const main = /^(?:if|when|whenever|while|after|before|once|unless)\b[^,;]{3,80},\s+(.{15,})$/i.exec(t);
    if (main && !/["“]/.test(main[1]!)) t = main[1]!;
  }
  // A code span too long for a title: its first words when it reads as prose, else an ellipsis.
  if (t.length > max) t = t.replace(/`([^`]{41,})`/g, (_, c: string) => (/^[\w\s.,-]+$/.test(c) ? `${c.trim().split(/\s+/).slice(0, 4).join(' ')}…` : '…'));
  if (t.length > max) {
    const sentence = /^(.{20,}?)(?:[;:]\s|\s[-–—]\s|\.\s)/.exec(t);
    if (sentence && sentence[1]!.length <= max && !/`[^`]*$/.test(sentence[1]!)) t = sentence[1]!;
  }
  if (t.length > max) t = cutPhrase(t, max);
  t = t.replace(/[\s,;:.!?#-]+$/, '').replace(/^[\s#>*+-]+/, '');
  if (/^[a-z]/.test(t)) t = t[0]!.toUpperCase() + t.slice(1);
  return t || 'Acceptance criterion';
}

/** The longest whole-phrase prefix of `t` within `max` characters. */
function cutPhrase(t: string, max: number): string {
  const atoms = [...t.matchAll(/`[^`]*`|"[^"]*"|“[^”]*”|\S+/g)].map((m) => ({ text: m[0], end: m.index! + m[0].length }));
  let best = { len: 0, rank: 0 };
  const candidates: { len: number; rank: number }[] = [];
  for (let k = 0; k < atoms.length - 1; k++) {
    const len = atoms[k]!.end;
    if (len > max) break;
    const here = atoms[k]!.text;
    const next = atoms[k + 1]!.text;
    // A prefix ending in a clause word, a preposition or a determiner dangles ("gives the before").
    if (CLAUSE_WORD.test(here) || PREPOSITION.test(here) || DETERMINER.test(here)) continue;
    const rank = /[,;:]$/.test(here) || /^[-–—]$/.test(next) ? 4 : CLAUSE_WORD.test(next) ? 3 : PREPOSITION.test(next) ? 2 : 1;
    candidates.push({ len, rank });
  }
  const floor = Math.min(28, Math.floor(max * 0.4));
  for (const rank of [4, 3, 2]) {
    for (const c of candidates) if (c.rank >= rank && c.len >= floor && c.len >= best.len) best = c;
    if (best.len) break;
  }
  let out: string;
  if (best.len) out = t.slice(0, best.len);
  else {
    const words = candidates.filter((c) => c.len >= 1);
    const last = words[words.length - 1];
    // A first code span longer than the title: the words around it instead.
    out = last ? t.slice(0, last.len) : t.replace(/`[^`]*`/g, '').replace(/\s+/g, ' ').trim().slice(0, max).replace(/\s+\S*$/, '');
  }
  let prev = '';
  while (prev !== out) {
    prev = out;
    out = out.replace(TRAILING_FUNCTION_WORDS, '').replace(/[\s,;:]+$/, '');
  }
  return out;
}

function code_(s: string): string {
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

/** What the planner reads besides the story and the config. */
export interface PlanOptions {
  repo: RepoIndex | null;
  /** Files earlier stories' tasks named, per domain (a tie-breaker for where work lands). */
  priorFiles?: ReadonlyMap<string, readonly string[]>;
  /**
   * Set when the domains are plan-tasks' built-in defaults, not the project's
   * own: a criterion with no domain signal is then no warning of its own, and
   * one warning says so and how to configure domains. `configFile`: the
   * config file the defaults came through (a starter config, or one without
   * `domains`), null when there is none.
   */
  defaultDomains?: { configFile: string | null };
}

/**
 * Criteria about a CI pipeline (a workflow, GitHub Actions, a scheduled job):
 * work of their own, never merged with code criteria or given their domain.
 */
const PIPELINE = /\b(?:workflows?|GitHub Actions|CI(?:\/CD)?|pipelines?|cron jobs?)\b/;

/** True for a criterion about a CI pipeline (a workflow, GitHub Actions). */
export function isPipeline(text: string): boolean {
  return PIPELINE.test(text.replace(/`[^`]*`/g, (m) => (/\.github\/workflows\//.test(m) ? ' workflow ' : ' ')));
}

/** A criterion that only checks the rest ("all tests pass", "still works"): folded, never a task of its own. */
const CHECK_ONLY =
  /^(?:all\s+)?(?:(?:existing|unit|integration|go|compute|electron|the|other)\s+)*(?:tests?|test suites?|builds?)(?:\s*\([^)]*\))?\s+(?:still\s+)?(?:pass|succeed|compile)|\bstill (?:works?|pass(?:es)?|builds?|runs?)\b|\bno regressions?\b|^(?:all\s+)?builds? succeed|^(?:all\s+)?(?:existing\s+)?(?:functionality|features?)\s+(?:still\s+)?works?\b|^(?:application|the app|app) (?:still )?(?:runs|starts|launches)\b|^manual(?:ly)?\s+test(?:ed|ing)?\b/i;

/** A test command in a code span that passes: "`npm test` passes", "`go test ./...` succeeds". */
const COMMAND_PASSES = /^`(?:npm|pnpm|yarn|bun|npx|go|cargo|make|pytest|python -m pytest|dotnet|mvn|gradle|\.\/gradlew)\b[^`]*`\s+(?:still\s+)?(?:pass(?:es)?|succeeds?|is green)\b/i;

/** True for a criterion that only verifies the others. */
export function isCheckOnly(text: string): boolean {
  return CHECK_ONLY.test(text.trim()) || COMMAND_PASSES.test(text.trim());
}

/** Subject words too generic to look up. */
const NOUN_STOP = new Set(['when', 'each', 'every', 'that', 'this', 'with', 'from', 'user', 'users', 'then', 'also', 'only', 'after', 'before', 'there', 'their', 'data', 'value', 'values', 'file', 'files', 'test', 'tests', 'error', 'errors', 'message', 'messages', 'code', 'thing', 'things', 'clicking', 'closing', 'opening', 'pressing', 'selecting',
  // A language's keywords: "Exports are written" names no file that says `export`.
  'export', 'import', 'function', 'class', 'return', 'const', 'default', 'module', 'require', 'package', 'public', 'private', 'static', 'async', 'await', 'struct', 'interface', 'type', 'func', 'void']);

/** Words of a subject that say nothing about which component it is. */
const SUBJECT_STOP = new Set(['the', 'and', 'for', 'how', 'you', 'its', 'are', 'not', 'all', 'any', 'new', 'now', 'one', 'two', 'who', 'why', 'what', 'where', 'which', 'while', 'once', 'system', 'app', 'application', 'workflow', 'workflows', 'pipeline', 'pipelines', 'job', 'jobs']);

/** Words any criterion may use: two criteria sharing only these are not about one thing. */
const TOPIC_STOP = new Set(['with', 'has', 'have', 'had', 'use', 'uses', 'using', 'used', 'can', 'does', 'should', 'must', 'will', 'when', 'than', 'then', 'into', 'onto', 'from', 'without', 'within', 'after', 'before', 'each', 'every', 'only', 'also', 'more', 'most', 'less', 'same', 'other', 'existing', 'correctly', 'properly', 'appropriately', 'consistent', 'clear', 'new', 'still', 'always', 'never', 'not', 'none', 'show', 'shows', 'shown', 'work', 'works', 'working', 'make', 'makes', 'get', 'gets', 'set', 'sets', 'run', 'runs', 'second', 'seconds', 'time', 'way', 'like', 'instead', 'there', 'here', 'they', 'them', 'their', 'this', 'that', 'these', 'those', 'which', 'what', 'user', 'users']);

/** Most criteria one task takes: more is a multi-day task. */
const MAX_CRITERIA_PER_TASK = 4;

/** The nested list items under a criterion, as Markdown lines indented under the criterion's own item. */
export function nestedItems(text: string, start: number, end: number): string[] {
  const lines = text.slice(start, end).split(/\r?\n/);
  const items: { indent: number; text: string }[] = [];
  let inNested = false;
  for (const line of lines.slice(1)) {
    const m = /^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+(.*)$/.exec(line);
    if (m) {
      inNested = true;
      items.push({ indent: m[1]!.replace(/\t/g, '    ').length, text: m[2]!.replace(/^\[[ xX]\][ \t]+/, '') });
    } else if (inNested && line.trim()) items[items.length - 1]!.text += ' ' + line.trim();
  }
  const indents = [...new Set(items.map((i) => i.indent))].sort((a, b) => a - b);
  return items.filter((i) => i.text.trim()).map((i) => `${'  '.repeat(indents.indexOf(i.indent) + 1)}- ${i.text.trim()}`);
}

interface Item {
  /** Index into the open criteria. */
  c: number;
  domain: string;
  kind: Kind;
  /** The file the criterion lands in, and whether the criterion named it (or its identifiers). */
  file: string | null;
  resolved: boolean;
  /** Why an unnamed file was chosen: its content names the criterion's subject, or its path shares the criterion's words. */
  why: 'subject' | 'path' | null;
  split: boolean;
}

interface Unit {
  items: Item[];
  domain: string;
  kind: Kind;
  group: string | null;
  origin: number;
  files: string[];
  resolved: boolean;
  /** Why its unnamed files were chosen (see `Item.why`). */
  why: Set<'subject' | 'path'>;
  tokens: Set<string>;
  /** Folded check-only criteria (not counted as work). */
  checks: number[];
  /** The previous part of the same bucket, when a bucket was split at the cap. */
  previous: Unit | null;
  /** For a split criterion: true on the first (provider) side. */
  provider: boolean;
  /** For a split criterion: the provider side's domain. */
  providerDomain: string | null;
}

/** The folder part of a path (`a/b` for `a/b/c.go`, '' at the root). */
function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

const SUBJECT_END = /\b(?:is|are|was|were|has|have|can|cannot|must|should|will|does|do|(?:return|send|show|display|load|exit|use|run|start|stop|call|write|read|accept|reject|log|provide|handle|create|render|receive|spawn|kill|close|open|support|include|contain|generate|stream|validate|parse|select|emit|respond|list|set|store|save|keep|move|appear|persist|wait|trigger|update|add|remove|bundle|build|install|expose|serve|fetch|cache|map|convert|encode|decode|resize|toggle|collapse|expand|hide|sort|count|limit|retr(?:y|ie)|follow|match|replace|pass|fail|work|succeed|complete|finish|produce|output|print|report|require|allow|prevent|ensure|stay|remain|become|get|package|ship|launch|terminate|clean|delete|sit|fit|take|make|let|reach|contain|cover|check|verif(?:y|ie)|document|explain|describe)(?:s|es)?|processes|goes|says|say|tells|asks)\b/i;

/** The grammatical subject of a criterion: its words before the first verb (at most 8 words). */
export function subjectOf(text: string): string {
  // A verb right after a determiner is a noun ("The store caches ...", "The report shows ..."):
  // the subject ends at the first verb after a word of its own.
  const verbs = new RegExp(SUBJECT_END.source, 'gi');
  let end = text.length;
  for (const m of text.matchAll(verbs)) {
    if (text.slice(0, m.index).split(/\s+/).some((w) => w && !DETERMINER.test(w))) {
      end = m.index;
      break;
    }
  }
  return text.slice(0, end).trim().split(/\s+/).slice(0, 8).join(' ');
}

/**
 * The tasks for a story's open criteria, and the warnings met on the way
 * (criteria with no domain signal). Reads the repository through
 * `options.repo` (one `git ls-files`, two `git grep` runs); never throws on
 * any story text. Task ids are `001`, `002`... in order; dependencies only
 * point at earlier tasks.
 */
export function planTasks(story: Story, config: ResolvedConfig, options: PlanOptions): Plan {
  const warnings: Warning[] = [];
  // The criteria's numbers in the story; an open item nested under a checked criterion is `N.k`.
  const label = new Map<Criterion, string>(story.criteria.map((c, i) => [c, String(i + 1)]));
  const open: Criterion[] = [];
  story.criteria.forEach((c, i) => {
    if (c.checked === true) {
      // Its open sub-items are work still to do: criteria of their own.
      openNested(c).forEach((n, k) => {
        label.set(n, `${i + 1}.${k + 1}`);
        open.push(n);
      });
      return;
    }
    // An empty `- [ ]` checks nothing: said, never a task.
    if (isEmptyCriterion(c.text)) {
      warnings.push({ message: `Missing the text of acceptance criterion ${i + 1}, expected what it checks after its checkbox: skipped, no task for it`, line: c.span.start.line });
      return;
    }
    open.push(c);
  });
  const order = domainOrder(config);
  const configOrder = config.domains.map((d) => d.name);
  const prior = storyPrior(story, config);
  const tieOrder = [...order].sort((a, b) => (prior.get(b) ?? 0) - (prior.get(a) ?? 0) || order.indexOf(a) - order.indexOf(b));
  const nested = open.map((c) => nestedItems(story.text, c.span.start.offset, c.span.end.offset));
  const texts = open.map((c, i) => [c.text, ...nested[i]!.map((l) => l.replace(/^\s*-\s/, ''))].join(' '));
  const signals: CriterionSignals[] = inferSignals(texts, config.domains, options.repo);
  const code = new CodeMap(options.repo ? options.repo.files() : [], options.repo?.read?.bind(options.repo));
  const domainPaths = new DomainPaths(config.domains);

  // The grammatical subject ("the C engine ...", "Closing the Electron window ...")
  // names the component that changes: its keywords weigh more than the rest.
  const subjectScores = inferSignals(open.map((c) => subjectOf(c.text)), config.domains, null);
  signals.forEach((s, i) => {
    // A path the criterion names outranks its subject (task-domain-hint reads paths first).
    if (s.places.some((p) => p.kind !== 'identifier' && p.domains.length)) return;
    for (const [d, v] of subjectScores[i]!.scores) if (v > 0) s.scores.set(d, (s.scores.get(d) ?? 0) + 0.75 * v);
  });
  // What earlier stories' tasks assigned the same files to.
  if (options.priorFiles?.size) {
    signals.forEach((sig) => {
      const files = new Set(sig.places.filter((p) => p.kind === 'repo-file').map((p) => p.text));
      for (const [d, list] of options.priorFiles!) {
        if (!sig.scores.has(d)) continue;
        const n = list.filter((f) => files.has(f)).length;
        if (n) {
          sig.scores.set(d, sig.scores.get(d)! + Math.min(2, n));
          sig.signals.get(d)?.push(`${list.find((f) => files.has(f))} (an earlier story's ${d} task)`);
        }
      }
    });
  }
  // The subject's nouns, looked up with one `git grep` ("Closing the window ..."
  // -> the file that handles `window`): where the work lands when the
  // criterion names neither a path nor an identifier. Not domain evidence:
  // on the weave corpus it moved 5 % of the domains away from the authors'.
  const nounHits = new Map<number, string[]>();
  if (options.repo && !code.empty) {
    const nouns = open.map((c) => [...new Set(wordsOf(subjectOf(c.text).replace(/`[^`]*`/g, ' ')).filter((w) => w.length >= 4 && !NOUN_STOP.has(w)))]);
    const all = [...new Set(nouns.flat())];
    const found = all.length ? options.repo.grep(all) : new Map<string, string[]>();
    nouns.forEach((list, i) => {
      if (signals[i]!.places.some((p) => p.kind === 'repo-file')) return;
      const counts = new Map<string, number>();
      for (const w of list) {
        const hits = (found.get(w) ?? []).filter((f) => !isDocFile(f) && !isTestFile(f));
        if (hits.length === 0 || hits.length > 8) continue; // a word everywhere says nothing
        for (const f of hits) counts.set(f, (counts.get(f) ?? 0) + 1 / hits.length);
      }
      const files = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f);
      if (files.length === 0) return;
      nounHits.set(i, files);
      // A criterion with no other signal and no group to inherit one from takes
      // the domain of the files its subject's nouns are in, when they agree.
      if (open[i]!.group !== null || [...signals[i]!.scores.values()].some((v) => v > 0)) return;
      const ds = new Set(files.flatMap((f) => domainPaths.owner(f)));
      if (ds.size === 1) {
        const d = [...ds][0]!;
        signals[i]!.scores.set(d, 2);
        signals[i]!.signals.get(d)?.push(`${files[0]} (its subject's words)`);
      }
    });
  }

  const groupNames = [...new Set(open.map((c) => c.group).filter((g): g is string => g !== null))];
  const groupSignals = new Map<string, string[]>();
  const groupScores = new Map<string, Map<string, number>>();
  inferSignals(groupNames, config.domains, null).forEach((s, i) => {
    groupSignals.set(groupNames[i]!, domainsOf(s, tieOrder));
    groupScores.set(groupNames[i]!, s.scores);
  });
  // A `###` heading ("Go Client", "C Daemon (Server Side)") is the subject of every criterion under it.
  open.forEach((c, i) => {
    if (c.group === null || signals[i]!.places.some((p) => p.kind !== 'identifier' && p.domains.length)) return;
    for (const [d, v] of groupScores.get(c.group) ?? []) if (v > 0) signals[i]!.scores.set(d, (signals[i]!.scores.get(d) ?? 0) + 2 * v);
  });

  const kinds: (Kind | 'check')[] = open.map((c, i) => (isCheckOnly(c.text) ? 'check' : kindOf(texts[i]!, c.group)));

  // Domains per criterion: its own signals, else its group heading's.
  const doms: string[][] = open.map((c, i) => {
    let own = domainsOf(signals[i]!, tieOrder);
    // Code in two domains that the criterion names (files, identifiers found by
    // git grep): a contract and its two sides, one task each.
    const coded = [...new Set(signals[i]!.places.filter((p) => p.kind === 'repo-file' && !isTestFile(p.text) && !isDocFile(p.text)).flatMap((p) => domainPaths.owner(p.text)))];
    if (coded.length >= 2 && kinds[i] !== 'tests' && kinds[i] !== 'docs' && kinds[i] !== 'check') own = [...new Set([...coded.filter((d) => own.includes(d)), ...coded])].slice(0, 3);
    if (own.length > 1) {
      // Two sides need evidence for each: a file there, or being the subject.
      // Keywords alone ("lists the compute daemon module") do not split a task.
      const subject = [...subjectScores[i]!.scores.entries()].filter(([, v]) => v > 0).map(([d]) => d);
      const evidenced = own.filter((d) => subject.includes(d) || signals[i]!.places.some((p) => p.kind !== 'identifier' && p.domains.includes(d)));
      if (evidenced.length) own = evidenced;
    }
    const kind = kinds[i]!;
    if (own.length && (kind === 'docs' || kind === 'tests' || kind === 'check')) {
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
  // A criterion with no signal of its own takes the most common domain of its
  // group, else of the story's criteria of the same sort (code, CI pipelines,
  // documentation): code that names no domain does not go where the story's
  // workflows went.
  const pipeline = open.map((_, i) => isPipeline(texts[i]!));
  const sortOf = (i: number) => (kinds[i] === 'docs' ? 'docs' : pipeline[i] ? 'pipeline' : 'code');
  const majorityOf = (sort: string | null) => majority(doms.flatMap((d, j) => (d.length && (sort === null || sortOf(j) === sort) ? [d[0]!] : [])), tieOrder);
  const priorTop = (prior.get(tieOrder[0]!) ?? 0) > 0 ? tieOrder[0]! : null;
  const pipelineMajority = majorityOf('pipeline');
  // The story's words point at the pipeline's domain because of its pipeline criteria: not code evidence.
  const codePrior = priorTop !== null && priorTop !== pipelineMajority ? priorTop : null;
  const fallback = (i: number): { domain: string; why: string } | null => {
    const sort = sortOf(i);
    const chain: [string | null, string][] =
      sort === 'code'
        ? [[majorityOf('code'), "the most common domain of the story's code criteria"], [codePrior, "the domain the story's text points at"]]
        : sort === 'docs'
          ? [[majorityOf('docs'), "the most common domain of the story's documentation criteria"], [majorityOf('code'), "the most common domain of the story's code criteria"], [majorityOf(null), "the most common domain of the story's criteria"], [priorTop, "the domain the story's text points at"]]
          : [[pipelineMajority, "the most common domain of the story's pipeline criteria"], [majorityOf(null), "the most common domain of the story's criteria"], [priorTop, "the domain the story's text points at"]];
    for (const [domain, why] of chain) if (domain) return { domain, why };
    return null;
  };
  const unsignalled: string[] = [];
  const assigned = open.map((c, i) => {
    if (doms[i]!.length) return null;
    const groupMajority = c.group
      ? majority(open.map((o, j) => (o.group === c.group && doms[j]!.length ? doms[j]![0]! : '')).filter(Boolean), tieOrder)
      : null;
    return groupMajority ? { domain: groupMajority, why: `the most common domain of its group "${plain(c.group!)}"` } : (fallback(i) ?? { domain: configOrder[0]!, why: 'the first configured domain' });
  });
  open.forEach((c, i) => {
    const a = assigned[i];
    if (!a) return;
    doms[i] = [a.domain];
    if (kinds[i] === 'check') return;
    unsignalled.push(a.domain);
    if (options.defaultDomains) return;
    warnings.push({
      message: `Missing domain signals in criterion "${short(c.text)}", expected a keyword or path of one of the configured domains (${configOrder.join(', ')}): assigned ${code_(a.domain)}, ${a.why}; check it`,
      line: c.span.start.line,
    });
  });
  if (options.defaultDomains && unsignalled.length) {
    // Said once: the defaults describe another project (a Go server, a C engine, an Electron shell).
    const work = kinds.filter((k) => k !== 'check').length;
    const given = [...new Set(unsignalled)].map(code_).join(', ');
    const file = options.defaultDomains.configFile;
    const how = file
      ? `List your project's own domains, with their keywords and paths, under \`domains\` in ${basenameOf(file)}`
      : "Run `npx plan-tasks init` for a starter plan-tasks.config.json, then list your project's own domains in it, with their keywords and paths";
    warnings.push({
      message: `Missing domains of this project, expected them in the configuration: the tasks use the default domains (${configOrder.join(', ')}), and ${unsignalled.length} of ${work} criteria name none of their keywords or paths (given ${given}, the closest by the rest of the story; check them). ${how}`,
    });
  }

  // Where each criterion lands: a file it names (or that holds an identifier it
  // names), else the domain's file whose path shares its words.
  const fileFor = (i: number, domain: string): { file: string | null; resolved: boolean; why: Item['why'] } => {
    const places = signals[i]!.places.filter((p) => p.kind === 'repo-file' && code.has(p.text));
    const kind = kinds[i]!;
    const wantTests = kind === 'tests';
    // A named file of the domain, or one no domain claims (the criterion names it, so it is the place).
    const fit = (p: Place) => (p.domains.includes(domain) || p.domains.length === 0) && (wantTests || !isTestFile(p.text)) && (kind === 'docs' || !isDocFile(p.text));
    const named = places.find(fit);
    if (named) return { file: named.text, resolved: true, why: null };
    // A pipeline criterion that names no file lands in a workflow (an existing one whose
    // name matches, else a new one), never in code whose path shares a word with it.
    const onlyWorkflows = pipeline[i]! && !otherCi(code);
    // Its subject's file: one of the domain's, else one no domain claims (still the place).
    const hits = (nounHits.get(i) ?? []).filter((f) => !onlyWorkflows || isWorkflowFile(f));
    const byNoun = hits.find((f) => domainPaths.of(f).includes(domain)) ?? hits.find((f) => domainPaths.of(f).length === 0 && isCodeFile(f));
    if (byNoun) return { file: byNoun, resolved: false, why: 'subject' };
    if (code.empty) {
      // No repository: a path the criterion names is still the place.
      const path = signals[i]!.places.find((p) => p.kind === 'file' && !p.text.includes('*') && (p.domains.length === 0 || p.domains.includes(domain)));
      return path ? { file: path.text.replace(/^\.\//, ''), resolved: true, why: null } : { file: null, resolved: false, why: null };
    }
    const guess = code.guess(texts[i]! + ' ' + (open[i]!.group ?? ''), domain, domainPaths, kind === 'docs', options.priorFiles?.get(domain) ?? []);
    const file = guess !== null && onlyWorkflows && !isWorkflowFile(guess) ? null : guess;
    // "The README documents ...": a file the criterion names by its conventional name is named.
    const conventional = file !== null && /^(?:README|CHANGELOG|CONTRIBUTING|LICENSE|Dockerfile|Makefile)\b/.exec(basenameOf(file));
    if (conventional && new RegExp(`\\b${conventional[0]}\\b`).test(texts[i]!)) return { file, resolved: true, why: null };
    return { file, resolved: false, why: file === null ? null : 'path' };
  };

  const items: Item[] = [];
  const checks: number[] = [];
  open.forEach((_, i) => {
    const kind = kinds[i]!;
    if (kind === 'check') {
      checks.push(i);
      return;
    }
    const ds = [...doms[i]!].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const domain of ds) {
      const { file, resolved, why } = fileFor(i, domain);
      items.push({ c: i, domain, kind, file, resolved, why, split: ds.length > 1 });
    }
  });

  // Units of work: criteria landing in the same folder (same group, domain and
  // sort of work) go together; criteria with no file, when consecutive. At most
  // MAX_CRITERIA_PER_TASK criteria per task.
  // Inside a `###` group the authors already drew the module: only tests and
  // docs leave the group's work task.
  const kindClass = (k: Kind, grouped: boolean) => (k === 'tests' || k === 'docs' ? k : grouped || k === 'core' || k === 'client' ? 'work' : k);
  const keyOf = (it: Item) => {
    const g = open[it.c]!.group;
    return `${g ?? ''}\u0000${it.domain}\u0000${kindClass(it.kind, g !== null)}\u0000${it.split ? `split${it.c}` : it.resolved && it.file ? dirOf(it.file) : ''}`;
  };
  const subjects = open.map((c) => new Set(wordsOf(subjectOf(c.text).replace(/`[^`]*`/g, ' ')).filter((w) => !NOUN_STOP.has(w) && !SUBJECT_STOP.has(w))));
  const topics = texts.map((t) => new Set(wordsOf(t.replace(/`[^`]*`/g, ' ')).filter((w) => !NOUN_STOP.has(w) && !SUBJECT_STOP.has(w) && !TOPIC_STOP.has(w))));
  const sameChange = (bucket: readonly Item[], it: Item): boolean => {
    if (bucket.some((b) => pipeline[b.c] !== pipeline[it.c])) return false;
    const files = bucket.map((b) => b.file).filter((f): f is string => f !== null);
    if (it.file !== null && files.includes(it.file)) return true;
    if (it.file !== null && files.length) return false;
    // Two workflows are two pipelines: one named and one not are two pieces of work.
    if (pipeline[it.c] && (it.file !== null || files.length)) return false;
    const shared = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].filter((w) => b.has(w)).length;
    // A criterion with no file joins a task that has one only when it speaks of the same
    // subject or identifiers; two with no file, also when they share a word of substance.
    return bucket.some((b) => shared(subjects[b.c]!, subjects[it.c]!) > 0 || shared(signals[b.c]!.tokens, signals[it.c]!.tokens) > 0 || (files.length === 0 && shared(topics[b.c]!, topics[it.c]!) >= 1));
  };
  const buckets: Item[][] = [];
  const byKey = new Map<string, Item[]>();
  let last: { key: string; bucket: Item[] } | null = null;
  for (const it of items) {
    const key = keyOf(it);
    // Criteria landing in one folder, or in one group, go together wherever they sit.
    if (!it.split && ((it.file && it.resolved) || open[it.c]!.group !== null)) {
      const b = byKey.get(key);
      if (b) {
        b.push(it);
        continue;
      }
      const nb = [it];
      byKey.set(key, nb);
      buckets.push(nb);
      last = null;
      continue;
    }
    // Elsewhere, consecutive criteria of one domain and sort of work, when they are one
    // change: they land in the same file, or (no file) speak of the same subject or
    // identifiers. Separate outcomes stay separate tasks, and a pipeline criterion never
    // joins code (each workflow is a pipeline of its own).
    if (!it.split && last && last.key === key && sameChange(last.bucket, it)) {
      last.bucket.push(it);
      continue;
    }
    const nb = [it];
    buckets.push(nb);
    last = it.split ? null : { key, bucket: nb };
  }
  const units: Unit[] = [];
  for (const b of buckets) {
    let previous: Unit | null = null;
    // Documentation of one page is one sitting; other work splits past the cap.
    const cap = b[0]!.kind === 'docs' ? 2 * MAX_CRITERIA_PER_TASK : MAX_CRITERIA_PER_TASK;
    const n = Math.ceil(b.length / cap);
    const size = Math.ceil(b.length / n);
    for (let k = 0; k < b.length; k += size) {
      const part = b.slice(k, k + size);
      const kind = (majority(part.map((p) => p.kind), ['contract', 'core', 'client', 'errors', 'docs', 'tests']) ?? 'core') as Kind;
      const files = [...new Set(part.map((p) => p.file).filter((f): f is string => f !== null))];
      const tokens = new Set<string>();
      for (const p of part) for (const t of signals[p.c]!.tokens) tokens.add(t);
      units.push({
        items: part,
        domain: part[0]!.domain,
        kind,
        group: open[part[0]!.c]!.group,
        origin: part[0]!.c,
        files,
        resolved: part.some((p) => p.resolved),
        why: new Set(part.flatMap((p) => (p.why && p.file ? [p.why] : []))),
        tokens,
        checks: [],
        previous,
        provider: part.some((p) => p.split && items.find((x) => x.c === p.c) === p),
        providerDomain: part.find((p) => p.split) ? items.find((x) => x.c === part.find((p) => p.split)!.c)!.domain : null,
      });
      previous = units[units.length - 1]!;
    }
  }

  // Check-only criteria join a task of their own group, else one final check task.
  const finalChecks: number[] = [];
  for (const i of checks) {
    const g = open[i]!.group;
    const home = g !== null ? [...units].reverse().find((u) => u.group === g && u.kind !== 'docs') : undefined;
    if (home) home.checks.push(i);
    else finalChecks.push(i);
  }

  // Order: contracts, core, clients, error handling (each in story order); docs
  // and tests right after the task they cover.
  const isSide = (u: Unit) => u.kind === 'docs' || u.kind === 'tests';
  const main = units
    .filter((u) => !isSide(u))
    .map((u, i) => ({ u, i }))
    .sort((a, b) => KIND_RANK[a.u.kind] - KIND_RANK[b.u.kind] || a.u.origin - b.u.origin || a.i - b.i)
    .map((x) => x.u);
  const overlap = (a: Unit, b: Unit) => {
    let n = 0;
    for (const t of a.tokens) if (b.tokens.has(t)) n++;
    return n;
  };
  const sameFolder = (a: Unit, b: Unit) => a.files.some((f) => b.files.some((g) => dirOf(f) === dirOf(g) || dirOf(f).startsWith(dirOf(g) + '/') || dirOf(g).startsWith(dirOf(f) + '/')));
  const affinity = (side: Unit, m: Unit) => overlap(side, m) * 2 + (sameFolder(side, m) ? 3 : 0) + (m.domain === side.domain ? 1 : 0) + (m.group !== null && m.group === side.group ? 2 : 0);
  const covers = new Map<Unit, Unit[]>();
  const orphans: Unit[] = [];
  const coverOf = new Map<Unit, Unit>();
  for (const s of units.filter(isSide)) {
    // Tests check code, not the spec: a contract wins only when nothing else fits as well.
    let best: Unit | null = null;
    let bestScore = 0;
    for (const m of main) {
      const score = affinity(s, m) + (s.kind === 'tests' && m.kind !== 'contract' ? 0.5 : 0);
      if (score > bestScore) {
        best = m;
        bestScore = score;
      }
    }
    if (best) {
      covers.set(best, [...(covers.get(best) ?? []), s]);
      coverOf.set(s, best);
    } else orphans.push(s);
  }
  const ordered: Unit[] = [];
  for (const m of main) {
    ordered.push(m);
    for (const c of covers.get(m) ?? []) ordered.push(c);
  }
  for (const o of orphans) ordered.push(o);

  // Dependencies from data flow, only on earlier tasks.
  const deps = new Map<Unit, Set<Unit>>();
  ordered.forEach((u, pos) => {
    const earlier = ordered.slice(0, pos);
    const d = new Set<Unit>();
    const cover = coverOf.get(u);
    if (cover) d.add(cover);
    // The parts of one piece of work come one after the other.
    if (u.previous && earlier.includes(u.previous)) d.add(u.previous);
    // The provider side of a split criterion comes before its consumer.
    for (const e of earlier) if (e.items.some((x) => x.split && u.items.some((y) => y.c === x.c))) d.add(e);
    if (!isSide(u)) {
      // Whoever first mentions a shared identifier, route or file defines it.
      for (const t of u.tokens) {
        const definer = earlier.find((e) => !isSide(e) && e.tokens.has(t));
        if (definer) d.add(definer);
      }
      if (u.kind === 'core' || u.kind === 'client') {
        for (const e of earlier) if (e.kind === 'contract' && (e.domain === u.domain || sameFolder(e, u))) d.add(e);
      }
      if (d.size === 0) {
        // Building on the same module: the latest earlier task in the same folder.
        const prev = [...earlier].reverse().find((e) => !isSide(e) && sameFolder(e, u));
        if (prev) d.add(prev);
      }
      if (d.size === 0 && u.files.length === 0) {
        // No file known: the latest earlier task of the domain about the same thing (a
        // word of substance in common) is where the code it builds on lands.
        const words = (x: Unit) => new Set(x.items.flatMap((it) => [...subjects[it.c]!, ...topics[it.c]!]));
        const mine = words(u);
        const prev = [...earlier].reverse().find((e) => !isSide(e) && e.domain === u.domain && [...words(e)].some((w) => mine.has(w)));
        if (prev) d.add(prev);
      }
      if (u.kind === 'errors' && d.size === 0) {
        // Error handling guards one piece of code: the closest, not everything.
        let best: Unit | null = null;
        let bestScore = 0;
        for (const e of earlier) {
          if (e.kind !== 'core' && e.kind !== 'client' && e.kind !== 'contract') continue;
          const score = overlap(u, e) * 2 + (sameFolder(u, e) ? 3 : 0) + (e.domain === u.domain ? 1 : 0) + (e.group !== null && e.group === u.group ? 2 : 0);
          if (score >= bestScore) {
            best = e;
            bestScore = score;
          }
        }
        if (best && bestScore > 0) d.add(best);
      }
    }
    deps.set(u, d);
  });

  const ids = new Map<Unit, string>();
  ordered.forEach((u, i) => ids.set(u, String(i + 1).padStart(3, '0')));
  const tasks: PlannedTask[] = ordered.map((u) => {
    const criteria = [...u.items.map((x) => open[x.c]!), ...u.checks.map((i) => open[i]!)];
    const split = u.items.some((x) => x.split);
    const groupAll = u.group !== null && open.every((c, i) => c.group !== u.group || kinds[i] === 'check' || u.items.some((x) => x.c === i));
    const room = split ? 70 - u.domain.length - 3 : 70;
    let title: string;
    if (groupAll && criteria.length > 1 && plain(u.group!)) title = titleFrom(plain(u.group!), room);
    else if (u.group !== null && criteria.length > 1 && plain(u.group).length <= room - 28) title = `${plain(u.group)}: ${titleFrom(criteria[0]!.text, room - plain(u.group).length - 2)}`;
    else title = titleFrom(criteria[0]!.text, room);
    if (split) title = `${title} (${u.domain})`;
    const numbers = criteria.map((c) => label.get(c)!);
    const prose = describe(u, criteria.map((c) => c.text), numbers, code, config, split, u.items.some((x) => pipeline[x.c]));
    return {
      id: ids.get(u)!,
      title,
      domain: u.domain,
      kind: u.kind,
      dependsOn: [...deps.get(u)!].map((x) => ids.get(x)!).sort(),
      prose,
      criteria,
      nested: criteria.map((c) => nested[open.indexOf(c)]!),
      group: u.group,
      files: u.files,
    };
  });

  if (finalChecks.length) {
    const depended = new Set(tasks.flatMap((t) => t.dependsOn));
    const sinks = tasks.filter((t) => !depended.has(t.id)).map((t) => t.id);
    const runs = ordered.flatMap((u) => u.files.map((f) => ({ command: code.verification(f).command, domain: u.domain }))).filter((r): r is { command: string; domain: string } => r.command !== null);
    const commands = [...new Set(runs.map((r) => r.command))];
    const criteria = finalChecks.map((i) => open[i]!);
    // The domain whose commands it runs (their paths are its signals), else its criteria's.
    const domain = majority(runs.map((r) => r.domain), tieOrder) ?? majority(finalChecks.map((i) => doms[i]![0]!), tieOrder) ?? tasks[0]?.domain ?? configOrder[0]!;
    const id = String(tasks.length + 1).padStart(3, '0');
    // Its own domain's commands (other domains' paths would make it a task of theirs).
    const own = [...new Set(runs.filter((r) => r.domain === domain).map((r) => r.command))];
    const others = commands.length > own.length;
    const run = own.length
      ? `run ${own.slice(0, 3).map(code_).join(', ')}${others ? ' and every other task\'s command above' : ''}`
      : commands.length
        ? "run every task's command above"
        : "run the project's full test suite";
    tasks.push({
      id,
      title: tasks.length ? 'Check the whole story end to end' : titleFrom(criteria[0]!.text),
      domain,
      kind: 'tests',
      dependsOn: tasks.length ? sinks : [],
      prose: `Verify the story once the tasks above are done: ${run}, then check each point below by hand.`,
      criteria,
      nested: criteria.map((c) => nested[open.indexOf(c)]!),
      group: null,
      files: [],
    });
  }
  return { tasks, warnings };
}

/** True for a criterion with no words (an empty `- [ ]`, or one of emphasis marks alone). */
function isEmptyCriterion(text: string): boolean {
  return !text.replace(/[\s*_~]/g, '');
}

/**
 * The open checkbox items nested under a checked criterion (at any depth, under
 * no open item: an open item's own sub-items are part of it), as criteria of
 * their own. Empty ones are left out.
 */
export function openNested(parent: Criterion): Criterion[] {
  const found: Criterion[] = [];
  const walk = (items: readonly Criterion[]): void => {
    for (const c of items) {
      if (c.checked === false) {
        if (!isEmptyCriterion(c.text)) found.push(c);
      } else walk(c.items);
    }
  };
  walk(parent.items);
  return found;
}

/** Criterion numbers as prose: `3`, `2 and 3`, `1, 2 and 4`. */
function numberList(numbers: readonly string[]): string {
  return numbers.length < 2 ? numbers.join('') : `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/**
 * The description's prose: what to do (which of the story's acceptance
 * criteria, by number), where, and how to verify it, in three sentences.
 * `numbers`: the criteria's 1-based positions in the story; `pipeline`: the
 * unit is about a CI pipeline (its new file is a workflow, never code in
 * `.github/`).
 */
function describe(u: Unit, texts: readonly string[], numbers: readonly string[], code: CodeMap, config: ResolvedConfig, split: boolean, pipeline: boolean): string {
  const n = texts.length;
  const what = n === 1 ? `acceptance criterion ${numberList(numbers)} below` : `acceptance criteria ${numberList(numbers)} below`;
  const part = split ? `the ${u.domain} side of ` : '';
  // The consumer side of a split criterion uses what the provider defines.
  const consumer = split && u.kind === 'contract' && !u.provider;
  const lead = `${consumer ? 'Implement' : VERB[u.kind]} ${part}${what}${consumer ? `, using what the ${u.providerDomain} side defines` : ''}.`;
  const files = u.files.slice(0, 3);
  const workflow = files.length || !pipeline ? null : newWorkflow(texts[0] ?? '', code);
  const folder = folderOf(u.domain, code, config, pipeline) ?? (pipeline ? null : code.sourceFolder());
  // Documentation with no page named: the domain's folder when it holds documents, else the README.
  const docsFolder = folderOf(u.domain, code, config, pipeline);
  const readme = /\bREADME\b/i.test(texts.join(' '));
  const holdsDocs = (dir: string) => (code.empty ? !readme : code.files.some((f) => f.startsWith(dir) && isDocFile(f)));
  const page = u.kind === 'docs' && !files.length ? (docsFolder && holdsDocs(docsFolder) ? docsFolder : 'README.md') : null;
  let where: string;
  let fresh: string | null = null;
  if (files.length) {
    const list = files.map(code_).join(files.length === 2 ? ' and ' : ', ');
    const many = files.length > 1;
    // Why these files, said truly: what the criteria name, else where their subject is, else a path sharing their words.
    const why = u.why.has('subject') && u.why.has('path')
      ? `the file${many ? 's' : ''} that hold${many ? '' : 's'} the criteria's subject or whose path${many ? 's' : ''} share${many ? '' : 's'} their words`
      : u.why.has('subject')
        ? `the file${many ? 's' : ''} that hold${many ? '' : 's'} the criteria's subject`
        : `the file${many ? 's' : ''} whose path${many ? 's' : ''} share${many ? '' : 's'} the criteria's words`;
    where = u.resolved ? ` Change ${list}.` : ` Start in ${list} (${why}).`;
  } else if (workflow) {
    where = code.hasDir(WORKFLOWS_DIR)
      ? ` Add a new workflow, ${code_(workflow)} (no workflow's name matches the criteria).`
      : ` Add a new workflow, ${code_(workflow)} (the repository has no workflow yet, and GitHub runs only those in ${code_(WORKFLOWS_DIR + '/')}).`;
  } else if (page) {
    where = page.endsWith('/') ? ` Add a new page in ${code_(page)}.` : code.has(page) || code.empty ? ` Change ${code_(page)}.` : ` Add ${code_(page)} at the repository root.`;
  } else if (folder) {
    where = ` Add the code in a new file in ${code_(folder)}.`;
  } else {
    // No source folder: a new file at the root, named after the criteria's subject.
    fresh = pipeline || u.kind === 'docs' ? null : rootFile(texts[0] ?? '', code);
    where = fresh ? ` Add the code in a new file, ${code_(fresh)}, at the repository root (it has no source folder).` : '';
  }
  const primary = files[0] ?? workflow ?? (page && !page.endsWith('/') ? page : undefined) ?? fresh ?? undefined;
  const v = primary ? code.verification(primary) : null;
  if (u.kind === 'tests' && v?.testFile && files.length === 1 && files[0] === v.testFile) where = '';
  const wf = workflow ?? (primary && isWorkflowFile(primary) ? primary : null);
  let verify: string;
  if (wf) {
    // The event that runs the workflow: a pull request runs no `schedule:` or tag trigger.
    verify = workflowVerification(wf, texts, workflow ? null : code.text(wf));
  } else if (v?.testFile && v.command) {
    verify =
      u.kind === 'tests'
        ? ` Verify: write the tests in ${code_(v.testFile)} and run ${code_(v.command)}.`
        : u.kind === 'errors'
          ? ` Verify: ${v.testExists ? 'extend' : 'add'} ${code_(v.testFile)} with a case that triggers each failure below, and run ${code_(v.command)}.`
          : ` Verify: ${v.testExists ? 'extend' : 'add'} ${code_(v.testFile)} with a case for each point below, and run ${code_(v.command)}.`;
  } else if (v?.testFile) {
    verify = u.kind === 'tests' ? ` Verify: write the tests in ${code_(v.testFile)} and run them.` : ` Verify: ${v.testExists ? 'extend' : 'add'} ${code_(v.testFile)} with a case for each point below, and run it.`;
  } else if (v?.command) {
    verify = ` Verify: run ${code_(v.command)} and check each point below.`;
  } else if (u.kind === 'docs' || (primary && isDocFile(primary))) {
    const doc = primary ?? page ?? folder;
    verify = doc ? ` Verify: follow ${code_(doc)} on a clean checkout; every command in it runs as written and it states each point below.` : ' Verify by hand that each point below is observable, and name the test that will keep it so.';
  } else if (code.fallbackCommand(folder)) {
    verify = ` Verify: add a test for each point below and run ${code_(code.fallbackCommand(folder)!)}.`;
  } else {
    verify = ' Verify by hand that each point below is observable, and name the test that will keep it so.';
  }
  return lead + where + verify;
}

/**
 * A new code file at the repository root for a criterion in a repository
 * with no source folder: named after the criterion's subject ("The exporter
 * writes ..." -> `exporter.js`), in the language its manifest says (`go.mod`,
 * `package.json` with or without `tsconfig.json`, `pyproject.toml`); null
 * when there is no manifest, no subject word, or the name is taken.
 */
function rootFile(text: string, code: CodeMap): string | null {
  const ext = code.has('go.mod') ? 'go' : code.has('package.json') ? (code.has('tsconfig.json') ? 'ts' : 'js') : code.has('pyproject.toml') || code.has('setup.py') ? 'py' : null;
  if (ext === null) return null;
  const word = wordsOf(subjectOf(text).replace(/`[^`]*`/g, ' ')).find((w) => !NOUN_STOP.has(w) && !SUBJECT_STOP.has(w) && !DETERMINER.test(w));
  if (!word) return null;
  const file = `${word}.${ext}`;
  return code.has(file) ? null : file;
}

/**
 * The workflow file to add for a unit about CI (a workflow, GitHub Actions) when
 * no existing workflow's name matches it: `.github/workflows/<words of its
 * criterion>.yml`, the one folder GitHub runs workflows from (created with the
 * file when the repository has no workflow yet); null in a repository whose CI
 * is another service's (`otherCi`).
 */
function newWorkflow(text: string, code: CodeMap): string | null {
  if (otherCi(code)) return null;
  const skip = new Set(['ci', 'the', 'and', 'for', 'with', 'every', 'each', 'all', 'workflow', 'workflows', 'github', 'actions', 'runs', 'run', 'on', 'in', 'of', 'a', 'an', 'to', 'from', 'that', 'it', 'its']);
  const words = (text.toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []).filter((w) => !skip.has(w)).slice(0, 3);
  let name = words.length ? words.join('-') : 'ci';
  for (let n = 2; code.has(`${WORKFLOWS_DIR}/${name}.yml`); n++) name = `${words.join('-') || 'ci'}-${n}`;
  return `${WORKFLOWS_DIR}/${name}.yml`;
}

/** True when the repository's CI is not GitHub Actions: no workflow, and another service's file (GitLab, Jenkins, CircleCI, Azure, Travis). */
function otherCi(code: CodeMap): boolean {
  return !code.hasDir(WORKFLOWS_DIR) && code.files.some((f) => /^(?:\.gitlab-ci\.ya?ml|Jenkinsfile|\.circleci\/|azure-pipelines\.ya?ml|\.travis\.ya?ml)/.test(f));
}

/**
 * An existing folder for new code of `domain`: the fixed prefix of its first
 * path glob; `.github/` only for pipeline work (code never goes there).
 */
function folderOf(domain: string, code: CodeMap, config: ResolvedConfig, pipeline = false): string | null {
  const globs = config.domains.find((d) => d.name === domain)?.paths ?? [];
  for (const g of globs) {
    const prefix = g.split('/').filter(Boolean);
    const fixed: string[] = [];
    for (const p of prefix) {
      if (/[*?{[]/.test(p)) break;
      fixed.push(p);
    }
    if (fixed.length === 0 || fixed.length === prefix.length) continue;
    const dir = fixed.join('/');
    if (!pipeline && /^\.github(?:\/|$)/.test(dir)) continue;
    if (code.empty || code.hasDir(dir)) return dir + '/';
  }
  return null;
}

/** Domain scores of the story's text outside any Tasks section. */
export function storyPrior(story: Story, config: ResolvedConfig): Map<string, number> {
  let text = story.text;
  for (const sec of [...story.tasksSections].reverse()) text = text.slice(0, sec.heading.start.offset) + text.slice(sec.span.end.offset);
  const scores = scoreDomains(text, pathsIn(text), config.domains);
  return new Map(scores.map((s) => [s.name, s.score]));
}

function basenameOf(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** A text on one line, cut to `max` characters with an ellipsis (for messages). */
export function short(text: string, max = 60): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}
