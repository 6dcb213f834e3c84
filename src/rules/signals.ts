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
 * read it), so what is derived from one is derived once per task, when a rule
 * first asks, and shared by the rules that ask (task-specific, task-size,
 * task-domain-hint): one record per Task object (one WeakMap entry, not one
 * per signal), its results handed out read-only.
 */
class TaskSignals {
  text: string | undefined = undefined;
  code: readonly string[] | undefined = undefined;
  codePaths: readonly string[] | undefined = undefined;
  prosePaths: readonly string[] | undefined = undefined;
  paths: readonly string[] | undefined = undefined;
  anchors: ReadonlySet<string> | undefined = undefined;
}
const signalCache = new WeakMap<Task, TaskSignals>();
const NO_SPANS: readonly string[] = [];

function signalsOf(task: Task): TaskSignals {
  let s = signalCache.get(task);
  if (s === undefined) signalCache.set(task, (s = new TaskSignals()));
  return s;
}

/** Everything the task says, for signal scanning: title, blocks, field values. */
export function taskText(task: Task): string {
  const signals = signalsOf(task);
  let text = signals.text;
  if (text === undefined) {
    const parts: string[] = [task.title];
    // A paragraph's soft line breaks render as spaces: a sentence wrapped over two lines is one
    // sentence (a list's lines stay apart: there a line break ends an item).
    for (const b of task.blocks) if (b.kind !== 'fields') parts.push(b.kind === 'paragraph' ? b.text.replace(/[ \t]*\n[ \t]*/g, ' ') : b.text);
    for (const f of task.fields) {
      if (f.key === 'domain' || f.key === 'status' || f.key === 'depends on') continue;
      parts.push(f.value, f.continuation);
    }
    text = parts.join('\n');
    signals.text = text;
  }
  return text;
}

const CODE_SPAN = /`([^`]+)`/g;

/** Code spans of the task (blocks and the title). */
export function taskCode(task: Task): readonly string[] {
  const signals = signalsOf(task);
  let out = signals.code;
  if (out === undefined) {
    const spans: string[] = [];
    for (const b of task.blocks) for (const c of b.codeSpans) spans.push(c);
    const raw = task.heading.raw;
    if (raw.includes('`')) for (const m of raw.matchAll(CODE_SPAN)) spans.push(m[1]!);
    for (const f of task.fields) if (f.value.includes('`')) for (const m of f.value.matchAll(CODE_SPAN)) spans.push(m[1]!);
    out = spans;
    signals.code = out;
  }
  return out;
}

/**
 * Distinct file paths and file names the task names. In code spans anything
 * path-like counts; in prose a path needs a file extension, a trailing slash
 * or three segments (so `request/response` and `CLIP-L/CLIP-G` do not count).
 * Returns a new array (the caller may change it).
 */
export function pathsIn(text: string, codeSpans: readonly string[] = NO_SPANS): string[] {
  const found = new Set<string>();
  for (const c of codeSpans) considerPaths(c, false, found);
  considerPaths(proseOf(text), true, found);
  return [...found];
}

/** pathsIn(taskText(task), taskCode(task)), derived once per task (read-only). */
export function taskPaths(task: Task): readonly string[] {
  const signals = signalsOf(task);
  if (signals.paths === undefined) {
    const code = codePaths(task, signals);
    const prose = prosePaths(task, signals);
    if (prose.length === 0) signals.paths = code;
    else if (code.length === 0) signals.paths = prose;
    else {
      // The order pathsIn gives: the code spans' paths, then the prose's not among them.
      const found = new Set(code);
      for (const p of prose) found.add(p);
      signals.paths = [...found];
    }
  }
  return signals.paths;
}

/** The paths found in the task's code spans (pathsIn's first part). */
function codePaths(task: Task, signals: TaskSignals): readonly string[] {
  if (signals.codePaths === undefined) {
    const found = new Set<string>();
    // One scan of the spans joined by spaces finds what one scan per span finds, in the same order:
    // a match never holds a space, and each span is scanned with a space on either side.
    const spans = taskCode(task);
    if (spans.length > 0) considerPaths(spans.length === 1 ? spans[0]! : spans.join(' '), false, found);
    signals.codePaths = [...found];
  }
  return signals.codePaths;
}

/** The paths found in the task's prose, code spans left out: pathsIn(taskText(task)). */
function prosePaths(task: Task, signals: TaskSignals): readonly string[] {
  if (signals.prosePaths === undefined) {
    const found = new Set<string>();
    considerPaths(proseOf(taskText(task)), true, found);
    signals.prosePaths = [...found];
  }
  return signals.prosePaths;
}

/** The text with its code spans blanked (one space each). */
const proseOf = (text: string) => (text.includes('`') ? text.replace(/`[^`]*`/g, ' ') : text);

/** PATH anchored at lastIndex: tried only where a match may start. */
const PATH_AT = new RegExp(PATH.source, 'y');

/** JavaScript's `\s`, by UTF-16 code unit. */
function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
/** Where a PATH match may start besides `\s`: `(`, `[`, a backtick or a quote. */
const isOpenCode = (c: number) => c === 40 || c === 91 || c === 96 || c === 39 || c === 34;

/**
 * Adds the paths of `s` to `found`: every match of PATH (global) in ` s `, in
 * order, then pathsIn's filters. PATH is not run at every position: a match
 * holds a `/` or a `.` in a run of non-space characters (its body has no
 * space, nor an opening bracket or quote), and starts at the space before that
 * run or at a bracket or quote inside it, so only those positions of the runs
 * holding a `/` or a `.` are tried, left to right, as the global scan would.
 */
function considerPaths(s: string, strict: boolean, found: Set<string>): void {
  // Both of PATH's shapes hold a `/` or a `.`: without either, nothing to find.
  if (!s.includes('/') && !s.includes('.')) return;
  const padded = ' ' + s + ' ';
  const n = padded.length;
  // The next `/` and `.` at or after `from` (indexOf: native, no per-character loop in JavaScript).
  let slash = padded.indexOf('/');
  let dot = padded.indexOf('.');
  let from = 0; // where the global scan goes on: the end of the last match
  // The end of the run the last `c` was in: a later `c` before it is in the same run, so
  // its end is the same (found once per run, not once per match: a run of thousands of
  // paths without a space stays linear).
  let runEnd = 0;
  for (;;) {
    if (slash !== -1 && slash < from) slash = padded.indexOf('/', from);
    if (dot !== -1 && dot < from) dot = padded.indexOf('.', from);
    const c = slash === -1 ? dot : dot === -1 ? slash : Math.min(slash, dot);
    if (c === -1) return;
    // The run of non-space characters holding c, not before `from`.
    let begin = c;
    while (begin > from && !isSpaceCode(padded.charCodeAt(begin - 1))) begin--;
    if (begin > from) begin--; // the space before the run
    let end = c < runEnd ? runEnd : c + 1;
    while (end < n && !isSpaceCode(padded.charCodeAt(end))) end++;
    runEnd = end;
    let m: RegExpExecArray | null = null;
    for (let at = begin; at < end; at++) {
      if (at !== begin && !isOpenCode(padded.charCodeAt(at))) continue;
      PATH_AT.lastIndex = at;
      m = PATH_AT.exec(padded);
      if (m !== null) break;
    }
    if (m === null) {
      from = end;
      continue;
    }
    from = m.index + m[0].length;
    const p = m[1]!.replace(/(?<![.,;:])[.,;:]+$/, '');
    if (p.length < 3 || /^[\d./]+$/.test(p) || /^(?:https?:|www\.)/.test(p)) continue;
    if (strict && !(/\.[A-Za-z]\w*$/.test(p) || p.endsWith('/') || p.split('/').filter(Boolean).length >= 3)) continue;
    found.add(p);
  }
}

/** Files known by name alone (`Makefile`), which need no extension to be a place. */
const KNOWN_FILE = /(?<![\w/.-])(?:Makefile|Dockerfile|Containerfile|Justfile|Rakefile|Gemfile|Procfile|Jenkinsfile|Vagrantfile|CMakeLists\.txt|LICENSE|README|CHANGELOG)(?![\w-])/;
/** A text KNOWN_FILE may match holds one of these (each of its names holds one). */
const mayNameKnownFile = (text: string) =>
  text.includes('file') || text.includes('CMakeLists') || text.includes('LICENSE') || text.includes('README') || text.includes('CHANGELOG');
/** A title or description that starts by testing rather than changing something. */
const VERIFICATION_TASK = /^\s*(?:manual(?:ly)?\s+)?(?:test|tests|testing|verify|verification|check|qa|validate|smoke[- ]test)\b/i;
const CHANGE_FROM_TO = /\bfrom\s+\S+.{0,60}?\bto\s+\S+|\binstead of\b|\bensures?\b|\bso (?:that|the)\b|\bfollows\b/i;

/** Distinct concrete anchors: code spans, paths, endpoints, identifiers. */
export function anchors(task: Task): ReadonlySet<string> {
  const signals = signalsOf(task);
  if (signals.anchors !== undefined) return signals.anchors;
  const found = new Set<string>(taskCode(task));
  const text = taskText(task);
  for (const p of prosePaths(task, signals)) found.add(p);
  identifiersIn(text, found);
  if (text.includes('/')) for (const m of text.matchAll(ENDPOINTS)) found.add(m[0]); // an endpoint holds a `/`
  if (mayNameKnownFile(text)) {
    const known = KNOWN_FILE.exec(text);
    if (known) found.add(known[0]);
  }
  signals.anchors = found;
  return found;
}

const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const CAMEL = /^(?:[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|[A-Za-z]+_\w+)$/;

/** Where a word may match IDENTIFIER: a lower case letter or digit before a capital, `_`, or `()` after it. */
const IDENTIFIER_HINT = /[a-z0-9][A-Z]|_|\(\)/g;

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

/** outcomeIn's first half: a verification or outcome word (`test`, `returns`, `so that`...). */
export function verificationWordIn(text: string): boolean {
  return VERIFY.test(text);
}

/** outcomeIn's second half: a change stated as from/to, `instead of`, `ensures`, `so that`... */
export function changeStatedIn(text: string): boolean {
  return CHANGE_FROM_TO.test(text);
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

/**
 * One configured domain, compiled: each keyword's regex (word-bounded, case
 * sensitive for short or capitalised words) with the substring any match of
 * it holds (`needle`, lower case when `lower`; null when none is known, for a
 * keyword with non-ASCII characters under case folding), and the paths glob.
 */
export interface DomainMatcher {
  name: string;
  keywords: { word: string; re: RegExp; needle: string | null; lower: boolean }[];
  isPath: (p: string) => boolean;
}

const matcherCache = new WeakMap<DomainConfig[], DomainMatcher[]>();

/** The domains compiled once per config's domain list (memoized on the array). */
export function domainMatchers(domains: DomainConfig[]): DomainMatcher[] {
  let m = matcherCache.get(domains);
  if (!m) {
    m = domains.map((d) => ({
      name: d.name,
      keywords: d.keywords.map((word) => {
        // Short or capitalised words (C, Go, CLI, IPC) match case-sensitively.
        const sensitive = word.length <= 3 || /[A-Z]/.test(word.slice(1)) || /^[A-Z][a-z]?$/.test(word);
        // A case-insensitive match of an ASCII word is ASCII text, which holds the word in lower case once
        // the text is lower-cased (non-unicode /i never folds a non-ASCII character to an ASCII one).
        const needle = sensitive ? word : /^[\x00-\x7f]*$/.test(word) ? word.toLowerCase() : null;
        return { word, re: new RegExp(`(?<![\\w/.-])${escape(word)}(?![\\w/-]|\\.\\w)`, sensitive ? '' : 'i'), needle, lower: !sensitive };
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
  const on: ScoredText = { text, paths };
  return domainMatchers(domains).map((d) => scoreDomain(on, d));
}

/** What scoreDomain scores: a task's text and paths; `lower` is the text in lower case, filled in when first needed. */
export interface ScoredText {
  text: string;
  paths: readonly string[];
  lower?: string;
}

/** Whether each path matched, per compiled domain (a corpus names the same files again and again). */
const pathHits = new WeakMap<DomainMatcher, Map<string, boolean>>();

/** The score of one domain of domainMatchers(domains): scoreDomains' entry for it. */
export function scoreDomain(on: ScoredText, d: DomainMatcher): DomainScore {
  const text = on.text;
  const signals: string[] = [];
  let score = 0;
  if (on.paths.length > 0) {
    let hits = pathHits.get(d);
    if (!hits) pathHits.set(d, (hits = new Map()));
    for (const p of on.paths) {
      let hit = hits.get(p);
      if (hit === undefined) {
        const clean = p.replace(/^\.?\//, '');
        hit = d.isPath(clean) || d.isPath(clean.replace(/\/$/, '') + '/x');
        hits.set(p, hit);
      }
      if (hit) {
        score += 2;
        signals.push(p);
      }
    }
  }
  for (const k of d.keywords) {
    // The regex only runs on a text holding the keyword (a substring test is far cheaper).
    if (k.needle !== null && !(k.lower ? (on.lower ??= text.toLowerCase()) : text).includes(k.needle)) continue;
    if (k.re.test(text)) {
      score += 1;
      signals.push(k.word);
    }
  }
  return { name: d.name, score, signals };
}
