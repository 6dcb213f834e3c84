/**
 * Domain inference for acceptance criteria: the configured keywords and path
 * globs (`scoreDomains` from src/rules/signals.ts, the same signals the
 * `task-domain-hint` rule reads), plus the codebase: files a criterion names
 * and identifiers it mentions are looked up in the repository, and the
 * domains of the files they resolve to count as signals.
 */
import picomatch from 'picomatch';
import type { DomainConfig } from '../config/types.js';
import { pathsIn, scoreDomains } from '../rules/signals.js';
import type { RepoIndex } from './repo.js';

/** A concrete place a criterion points at, and the domains it belongs to. */
export interface Place {
  /** As it should appear in a task (a path or an identifier). */
  text: string;
  kind: 'file' | 'repo-file' | 'identifier';
  domains: string[];
}

export interface CriterionSignals {
  /** Score per configured domain (0 when there is no signal). */
  scores: Map<string, number>;
  /** The words, paths and files that produced the scores, per domain. */
  signals: Map<string, string[]>;
  places: Place[];
  /** Significant tokens (code spans, paths, identifiers) for relating tasks. */
  tokens: Set<string>;
}

const IDENT_PROSE = /\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z0-9]+[A-Z]\w*\b|\b[A-Za-z]+_[A-Za-z0-9_]+\b|\b[A-Za-z_]\w*(?=\(\))/g;

export function codeSpansOf(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim()).filter(Boolean);
}

/** Identifiers a criterion mentions: identifier-like code spans and camelCase / snake_case words. */
export function identifiersOf(text: string): string[] {
  const out = new Set<string>();
  for (const c of codeSpansOf(text)) {
    const id = c.endsWith(')') && c.includes('(') ? c.slice(0, c.indexOf('(')) : c;
    if (/^[A-Za-z_]\w{3,}$/.test(id)) out.add(id);
  }
  const prose = text.replace(/`[^`]*`/g, ' ');
  for (const m of prose.matchAll(IDENT_PROSE)) if (m[0].length >= 4) out.add(m[0]);
  return [...out];
}

function normalizeName(s: string): string {
  return s.toLowerCase().replace(/[_-]/g, '');
}

/** Maps repository files to domains: configured path globs, else a path segment named like a domain. */
export class DomainPaths {
  private readonly globs: { name: string; isMatch: (p: string) => boolean }[];
  private readonly names: Set<string>;
  private readonly rooted: { name: string; isMatch: (p: string) => boolean }[];
  constructor(domains: DomainConfig[]) {
    this.globs = domains.map((d) => ({ name: d.name, isMatch: d.paths.length ? picomatch(d.paths, { dot: true }) : () => false }));
    this.rooted = domains.map((d) => {
      const rooted = d.paths.filter((p) => !p.startsWith('**'));
      return { name: d.name, isMatch: rooted.length ? picomatch(rooted, { dot: true }) : () => false };
    });
    this.names = new Set(domains.map((d) => d.name));
  }
  /**
   * The domains of a file, narrowed to those whose folder glob (not a `**`
   * extension glob) matches it when there are any: `electron/main.js` is
   * electron's, though the extension glob for `.js` files is weave's too.
   */
  owner(file: string): string[] {
    const all = this.of(file);
    if (all.length < 2) return all;
    const clean = file.replace(/^\.?\//, '');
    const rooted = this.rooted.filter((g) => all.includes(g.name) && g.isMatch(clean)).map((g) => g.name);
    return rooted.length ? rooted : all;
  }

  of(file: string): string[] {
    const clean = file.replace(/^\.?\//, '');
    const hit = this.globs.filter((g) => g.isMatch(clean)).map((g) => g.name);
    if (hit.length) return hit;
    const segments = clean.split('/').slice(0, -1);
    return [...new Set(segments.filter((s) => this.names.has(s)))];
  }
}

/** Repository files a named path refers to: the path itself, or files ending with it. */
export function resolveNamed(path: string, files: readonly string[]): string[] {
  const p = path.replace(/^\.?\//, '');
  if (!p || p.includes('*')) return [];
  if (p.endsWith('/')) return files.filter((f) => f.startsWith(p)).slice(0, 50);
  if (files.includes(p)) return [p];
  return files.filter((f) => f.endsWith('/' + p));
}

/**
 * Signals for each criterion text. `repo` is consulted once for the files and
 * once (one `git grep`) for every identifier of every criterion.
 */
export function inferSignals(texts: readonly string[], domains: DomainConfig[], repo: RepoIndex | null): CriterionSignals[] {
  const domainPaths = new DomainPaths(domains);
  const files = repo ? repo.files() : [];
  const allIds = texts.flatMap(identifiersOf);
  const byName = new Map<string, string[]>();
  if (files.length) {
    for (const f of files) {
      const base = f.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
      const key = normalizeName(base);
      if (key.length < 4) continue;
      const list = byName.get(key) ?? [];
      list.push(f);
      byName.set(key, list);
    }
  }
  const grep = repo && files.length && allIds.length ? repo.grep(allIds) : new Map<string, string[]>();

  return texts.map((text) => {
    const codeSpans = codeSpansOf(text);
    const paths = pathsIn(text, codeSpans);
    const scores = new Map<string, number>();
    const signals = new Map<string, string[]>();
    for (const s of scoreDomains(text, paths, domains)) {
      scores.set(s.name, s.score);
      signals.set(s.name, [...s.signals]);
    }
    const add = (files: readonly string[], why: string, weight = 2) => {
      const counts = new Map<string, number>();
      let total = 0;
      for (const f of files) {
        for (const d of domainPaths.of(f)) {
          counts.set(d, (counts.get(d) ?? 0) + 1);
          total++;
        }
      }
      for (const [d, n] of counts) {
        scores.set(d, (scores.get(d) ?? 0) + (weight * n) / total);
        signals.get(d)!.push(why);
      }
    };
    const places: Place[] = [];
    const tokens = new Set<string>();
    for (const p of paths) {
      tokens.add(p.replace(/^.*\//, '').toLowerCase());
      const resolved = files.length ? resolveNamed(p, files) : [];
      if (resolved.length) {
        // A file the criterion names is the strongest evidence of where the work lands.
        add(resolved, `${p} (in the repository)`, 4);
        for (const f of resolved.slice(0, 3)) places.push({ text: f, kind: 'repo-file', domains: domainPaths.of(f) });
      } else {
        places.push({ text: p, kind: 'file', domains: domainPaths.of(p) });
      }
    }
    for (const id of identifiersOf(text)) {
      tokens.add(id.toLowerCase());
      const hits = new Set<string>(grep.get(id) ?? []);
      for (const f of byName.get(normalizeName(id)) ?? []) hits.add(f);
      const list = [...hits].filter((f) => !/\.md$/i.test(f)).sort();
      if (list.length) {
        add(list, `${id} (in ${list.length === 1 ? list[0] : `${list.length} files`})`);
        for (const f of list.slice(0, 3)) places.push({ text: f, kind: 'repo-file', domains: domainPaths.of(f) });
      }
      places.push({ text: id, kind: 'identifier', domains: [] });
    }
    for (const c of codeSpans) tokens.add(c.toLowerCase());
    return { scores, signals, places, tokens };
  });
}

/**
 * The domains a criterion belongs to: every domain with a clear signal (at
 * least 2: a path, or two keywords) and at least half the best score; at most
 * three. A single best domain when no domain reaches 2; none without signals.
 */
export function domainsOf(s: CriterionSignals, order: readonly string[]): string[] {
  const ranked = [...s.scores.entries()]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || order.indexOf(a[0]) - order.indexOf(b[0]));
  if (ranked.length === 0) return [];
  const top = ranked[0]![1];
  if (top < 2) return [ranked[0]![0]];
  return ranked.filter(([, v]) => v >= 2 && v >= top / 2).slice(0, 3).map(([d]) => d);
}
