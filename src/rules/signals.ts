/**
 * What a task's text points at: files and paths, identifiers, endpoints,
 * verification words and domain signals. Shared by task-specific, task-size,
 * task-domain-hint and the scaffolder.
 */
import picomatch from 'picomatch';
import type { DomainConfig } from '../config/types.js';
import type { Task } from '../story/model.js';

const FILE_EXT = 'go|c|h|cc|cpp|hpp|ts|tsx|js|jsx|mjs|cjs|py|rs|md|json|ya?ml|toml|css|scss|html|sh|java|kt|swift|rb|php|sql|proto|lock|txt|xml|ini|cfg|conf|desktop|service|spec|mk';
const PATH = new RegExp(String.raw`(?:^|[\s(\[\`'"])((?:\.{0,2}/)?(?:[\w@.+-]+/)+[\w@.+*-]*|[\w.+-]+\.(?:${FILE_EXT}))(?=$|[\s)\]\`'",;:])`, 'g');
const ENDPOINT = /\b(?:GET|POST|PUT|PATCH|DELETE|HEAD)\s+\/\S*/;
const IDENTIFIER = /\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z0-9]+[A-Z]\w*\b|\b[A-Za-z]+_[A-Za-z0-9_]+\b|\b\w+\(\)|\b[A-Z]{2,}_[A-Z0-9_]+\b/;
const VERIFY = /\b(?:tests?|tested|testing|verify|verified|verifies|verification|assert(?:s|ion)?|expect(?:s|ed)?|checks?|returns?|shows?|displays?|prints?|logs?|renders?|exits?|passes|pass|fails?|responds?|emits?|appears?|visible|confirms?|should|must|so that|until|output|succeeds?|rejects?|errors?|reports?|works?|runs?|compiles?|builds?|loads?|opens?|starts?|stops?|sends?|receives?|clicks?|sees?)\b/i;
const ENDPOINTS = new RegExp(ENDPOINT.source, 'g');
const VERIFY_FIELD = /^(?:test|tests|testing|verification|verify|acceptance|acceptance criteria|done when|check|expected|expected result)$/;

/*
 * A Task is never changed once built (src/story/parse.ts builds it, rules only
 * read it), so what is derived from one is derived once per task and shared by
 * the rules that ask (task-specific, task-size, task-domain-hint): the results
 * below are cached per Task object and handed out read-only.
 */
const textCache = new WeakMap<Task, string>();
const codeCache = new WeakMap<Task, readonly string[]>();
const anchorCache = new WeakMap<Task, ReadonlySet<string>>();
/** The last pathsIn result per code-span list (taskCode's lists live as long as their Task). */
const pathsCache = new WeakMap<readonly string[], { text: string; paths: readonly string[] }>();
const NO_SPANS: readonly string[] = [];

/** Everything the task says, for signal scanning: title, blocks, field values. */
export function taskText(task: Task): string {
  let text = textCache.get(task);
  if (text === undefined) {
    const parts: string[] = [task.title];
    for (const b of task.blocks) if (b.kind !== 'fields') parts.push(b.text);
    for (const f of task.fields) {
      if (f.key === 'domain' || f.key === 'status' || f.key === 'depends on') continue;
      parts.push(f.value, f.continuation);
    }
    text = parts.join('\n');
    textCache.set(task, text);
  }
  return text;
}

const CODE_SPAN = /`([^`]+)`/g;

/** Code spans of the task (blocks and the title). */
export function taskCode(task: Task): readonly string[] {
  let out = codeCache.get(task);
  if (out === undefined) {
    const spans: string[] = [];
    for (const b of task.blocks) for (const c of b.codeSpans) spans.push(c);
    const raw = task.heading.raw;
    if (raw.includes('`')) for (const m of raw.matchAll(CODE_SPAN)) spans.push(m[1]!);
    for (const f of task.fields) if (f.value.includes('`')) for (const m of f.value.matchAll(CODE_SPAN)) spans.push(m[1]!);
    out = spans;
    codeCache.set(task, out);
  }
  return out;
}

/**
 * Distinct file paths and file names the task names. In code spans anything
 * path-like counts; in prose a path needs a file extension, a trailing slash
 * or three segments (so `request/response` and `CLIP-L/CLIP-G` do not count).
 */
export function pathsIn(text: string, codeSpans: readonly string[] = NO_SPANS): string[] {
  if (codeSpans === NO_SPANS) return [...findPaths(text, codeSpans)];
  // The rules pass taskCode(task)'s (cached) list with taskText(task): one entry per task.
  const cached = pathsCache.get(codeSpans);
  if (cached && cached.text === text) return [...cached.paths];
  const paths = findPaths(text, codeSpans);
  pathsCache.set(codeSpans, { text, paths });
  return [...paths];
}

function findPaths(text: string, codeSpans: readonly string[]): readonly string[] {
  const found = new Set<string>();
  const consider = (s: string, strict: boolean) => {
    // Both of PATH's shapes hold a `/` or a `.`: without either, nothing to find.
    if (!s.includes('/') && !s.includes('.')) return;
    const padded = ' ' + s + ' ';
    PATH.lastIndex = 0; // PATH never matches empty: exec from lastIndex is matchAll, without its copy of the regex
    for (let m = PATH.exec(padded); m !== null; m = PATH.exec(padded)) {
      const p = m[1]!.replace(/(?<![.,;:])[.,;:]+$/, '');
      if (p.length < 3 || /^[\d./]+$/.test(p) || /^(?:https?:|www\.)/.test(p)) continue;
      if (strict && !(/\.[A-Za-z]\w*$/.test(p) || p.endsWith('/') || p.split('/').filter(Boolean).length >= 3)) continue;
      found.add(p);
    }
  };
  for (const c of codeSpans) consider(c, false);
  consider(text.replace(/`[^`]*`/g, ' '), true);
  return [...found];
}

/** Files known by name alone (`Makefile`), which need no extension to be a place. */
const KNOWN_FILE = /(?<![\w/.-])(?:Makefile|Dockerfile|Containerfile|Justfile|Rakefile|Gemfile|Procfile|Jenkinsfile|Vagrantfile|CMakeLists\.txt|LICENSE|README|CHANGELOG)(?![\w-])/;
/** A title or description that starts by testing rather than changing something. */
const VERIFICATION_TASK = /^\s*(?:manual(?:ly)?\s+)?(?:test|tests|testing|verify|verification|check|qa|validate|smoke[- ]test)\b/i;
const CHANGE_FROM_TO = /\bfrom\s+\S+.{0,60}?\bto\s+\S+|\binstead of\b|\bensures?\b|\bso (?:that|the)\b|\bfollows\b/i;

/** Distinct concrete anchors: code spans, paths, endpoints, identifiers. */
export function anchors(task: Task): ReadonlySet<string> {
  let found = anchorCache.get(task) as Set<string> | undefined;
  if (found) return found;
  found = new Set<string>(taskCode(task));
  const text = taskText(task);
  for (const p of pathsIn(text)) found.add(p);
  identifiersIn(text, found);
  if (text.includes('/')) for (const m of text.matchAll(ENDPOINTS)) found.add(m[0]); // an endpoint holds a `/`
  const known = KNOWN_FILE.exec(text);
  if (known) found.add(known[0]);
  anchorCache.set(task, found);
  return found;
}

const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
/** Where a word may match IDENTIFIER: a lower case letter or digit before a capital, `_`, or `()` after it. */
const IDENTIFIER_HINT = /[a-z0-9][A-Z]|_|\(\)/g;
const CAMEL = /^(?:[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|[A-Za-z]+_\w+)$/;

/**
 * Adds the matches of IDENTIFIER (global) in `text` to `into`, the same
 * strings, without running the five-way alternation at every position: every
 * match is a whole ASCII word (`\w` run), or a word and `()`, and only a word
 * holding a hint (IDENTIFIER_HINT) can be one; the fifth alternative matches
 * nothing the third does not.
 */
export function identifiersIn(text: string, into: Set<string>): void {
  IDENTIFIER_HINT.lastIndex = 0;
  while (IDENTIFIER_HINT.test(text)) {
    let at = IDENTIFIER_HINT.lastIndex - 1;
    // The hint's word: `()` belongs to the word before it; the others' last character is in it.
    if (text.charCodeAt(at) === 41) at -= 2;
    let start = at;
    while (start > 0 && isWordCode(text.charCodeAt(start - 1))) start--;
    let end = at + 1;
    if (!isWordCode(text.charCodeAt(at))) end = at; // `()` after no word
    while (end < text.length && isWordCode(text.charCodeAt(end))) end++;
    if (end > start) {
      const word = text.slice(start, end);
      if (CAMEL.test(word)) into.add(word);
      else if (text.charCodeAt(end) === 40 && text.charCodeAt(end + 1) === 41) into.add(word + '()');
    }
    IDENTIFIER_HINT.lastIndex = Math.max(end + (text.startsWith('()', end) ? 2 : 0), IDENTIFIER_HINT.lastIndex);
  }
}

/** True for a task that tests or verifies (its title or first words say so). */
export function isVerificationTask(task: Task): boolean {
  const first = task.description[0]?.text ?? '';
  return VERIFICATION_TASK.test(task.title) || VERIFICATION_TASK.test(first);
}

export function namesConcretePlace(task: Task): boolean {
  if (anchors(task).size > 0) return true;
  // A test or verification task changes nothing: what it checks is its place.
  return isVerificationTask(task) && namesOutcome(task);
}

/**
 * An observable outcome or a way to verify: a verification field or word, a
 * change stated as from/to, or a change pinned to two or more concrete
 * anchors (`Add \`X\` to \`y.go\``): reviewing the diff verifies it.
 */
/** Outcome or verification words in a text (no anchors counted). */
export function outcomeIn(text: string): boolean {
  return VERIFY.test(text) || CHANGE_FROM_TO.test(text);
}

/** True when the task has a verification field (`**Test:**`, `**Verification:**`...). */
export function hasVerifyField(task: Task): boolean {
  return task.fields.some((f) => VERIFY_FIELD.test(f.key));
}

export function namesOutcome(task: Task): boolean {
  if (task.fields.some((f) => VERIFY_FIELD.test(f.key))) return true;
  const text = taskText(task);
  if (VERIFY.test(text) || CHANGE_FROM_TO.test(text)) return true;
  return anchors(task).size >= 2;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface DomainMatcher {
  name: string;
  keywords: { word: string; re: RegExp }[];
  isPath: (p: string) => boolean;
}

const matcherCache = new WeakMap<DomainConfig[], DomainMatcher[]>();

export function domainMatchers(domains: DomainConfig[]): DomainMatcher[] {
  let m = matcherCache.get(domains);
  if (!m) {
    m = domains.map((d) => ({
      name: d.name,
      keywords: d.keywords.map((word) => {
        // Short or capitalised words (C, Go, CLI, IPC) match case-sensitively.
        const sensitive = word.length <= 3 || /[A-Z]/.test(word.slice(1)) || /^[A-Z][a-z]?$/.test(word);
        return { word, re: new RegExp(`(?<![\\w/.-])${escape(word)}(?![\\w/-]|\\.\\w)`, sensitive ? '' : 'i') };
      }),
      isPath: d.paths.length ? picomatch(d.paths, { dot: true }) : () => false,
    }));
    matcherCache.set(domains, m);
  }
  return m;
}

export interface DomainScore {
  name: string;
  score: number;
  signals: string[];
}

/** Score each domain by the task's signals: a matching path counts 2, a keyword 1. */
export function scoreDomains(text: string, paths: readonly string[], domains: DomainConfig[]): DomainScore[] {
  return domainMatchers(domains).map((d) => {
    const signals: string[] = [];
    let score = 0;
    for (const p of paths) {
      const clean = p.replace(/^\.?\//, '');
      if (d.isPath(clean) || d.isPath(clean.replace(/\/$/, '') + '/x')) {
        score += 2;
        signals.push(p);
      }
    }
    for (const k of d.keywords) {
      if (k.re.test(text)) {
        score += 1;
        signals.push(k.word);
      }
    }
    return { name: d.name, score, signals };
  });
}
