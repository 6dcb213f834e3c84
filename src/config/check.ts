/**
 * The config check a run makes without loading zod: `checkConfig(value)` is
 * the zod schema's parse (`schema.ts`, the one source of the config's shape,
 * its messages and schema.json) written out by hand for the valid case. It
 * returns what zod's `configSchema.safeParse(value).data` would (strings
 * trimmed where the schema trims them, only known keys), or null for anything
 * zod would not accept as is. On null the caller loads zod (`schema.ts`) to
 * say what is wrong, so this check only decides how fast a valid config is
 * read, never what a message says; a config it wrongly calls invalid costs
 * time, not correctness. test/config-check.test.ts holds it to zod's verdict
 * and output on every config fixture and on generated configs, valid and not.
 *
 * Also here, zod-free so both paths share them: the checks between keys
 * (`crossCheck`, which the schema runs as its refinement) and `MAX_STATUSES`.
 */
import { RULE_IDS } from './defaults.js';
import { hours } from './duration.js';
import { statusKey } from '../status/match.js';

/** Severity as a config may write it. */
export type SeverityInput = 'off' | 'warn' | 'error' | 0 | 1 | 2;
/** `"1h"`, `"90m"`, `"1d"`, or a number of hours. */
export type DurationInput = number | string;

/** A valid config value, as the schema parses it (`schema.ts` checks that its zod type is this one). */
export interface ConfigInput {
  $schema?: string;
  stories?: string | string[];
  domains?: (string | { name: string; keywords?: string[]; paths?: string[]; description?: string })[];
  taskStatuses?: string[];
  storyStatuses?: string[];
  transitions?: Record<string, string[]>;
  sizing?: {
    sentences?: number | { min: number; max: number };
    estimate?: { min: DurationInput; max: DurationInput };
    maxTasks?: number;
    maxFiles?: number;
    maxSteps?: number;
  };
  rules?: Partial<Record<string, SeverityInput>>;
}

/** A problem found in a config value: the key path and the message (`Unexpected X, expected Y`). */
export interface ConfigProblem {
  path: readonly PropertyKey[];
  message: string;
}

/**
 * Most statuses in a list: a workflow has a handful, and the default
 * transitions list every later status for each one (quadratic: 20,000
 * statuses took 12 s and 2.5 GB before this limit).
 */
export const MAX_STATUSES = 100;

/** The forms of a duration string (the schema's regex). */
export const DURATION = /^\s*\d+(?:\.\d+)?\s*(?:m|min|h|hr|hours?|d|days?)\s*$/i;

const isList = (v: unknown): v is unknown[] => Array.isArray(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStatusList = (v: unknown): v is string[] => isList(v) && v.length >= 2 && v.every((x) => typeof x === 'string' && x.trim() !== '');
/** A value the schema's `duration` accepts. */
const isDuration = (v: unknown): v is DurationInput => (typeof v === 'number' && Number.isFinite(v) && v > 0) || (typeof v === 'string' && DURATION.test(v));

/**
 * The checks between keys (duplicates, transitions naming task statuses,
 * ranges), on a raw config value: each part is checked when it has the right
 * shape, so a config with other problems gets these too, in the same pass
 * (zod runs a refinement only on a value that parsed).
 */
export function crossCheck(config: unknown): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (!isObject(config)) return out;
  const seen = new Map<string, number>();
  if (isList(config.domains)) {
    config.domains.forEach((d, i) => {
      const name = typeof d === 'string' ? d : isObject(d) && typeof d.name === 'string' ? d.name : null;
      if (name === null || !name.trim()) return;
      const key = name.trim().toLowerCase();
      if (seen.has(key)) {
        out.push({ path: ['domains', i], message: `Unexpected domain "${name.trim()}" named twice (also domains[${seen.get(key)}]), expected each domain once` });
      } else seen.set(key, i);
    });
  }
  for (const field of ['taskStatuses', 'storyStatuses'] as const) {
    const list = config[field];
    if (!isList(list)) continue;
    // First index by loose key (statusKey: what a written status is matched by), linear in
    // the list: two statuses one key apart would make `In Progress` as written ambiguous.
    const firstAt = new Map<string, number>();
    list.forEach((s, i) => {
      if (typeof s !== 'string') return;
      const key = statusKey(s);
      if (!firstAt.has(key)) firstAt.set(key, i);
      const first = firstAt.get(key)!;
      if (first === i) return;
      const other = list[first] as string;
      out.push({
        path: [field, i],
        message: other === s
          ? `Unexpected status "${s}" named twice (also ${field}[${first}]), expected each status once`
          : `Unexpected status "${s}", the same as "${other}" (${field}[${first}]) ignoring case, spaces, "-" and "_", expected statuses that differ in more`,
      });
    });
  }
  // Transitions name task statuses: the configured ones when they can be read, else the defaults.
  if (isObject(config.transitions) && (config.taskStatuses === undefined || isStatusList(config.taskStatuses))) {
    const statuses = config.taskStatuses ?? ['pending', 'in_progress', 'done'];
    const known = new Set(statuses);
    const where = config.taskStatuses ? 'taskStatuses' : 'the default taskStatuses';
    const expected = `expected one of ${statuses.map((x) => `"${x}"`).join(', ')} (${where})`;
    for (const [from, tos] of Object.entries(config.transitions)) {
      if (!known.has(from)) out.push({ path: ['transitions', from], message: `Unexpected task status "${from}", ${expected}` });
      if (!isList(tos)) continue;
      tos.forEach((to, i) => {
        if (typeof to === 'string' && to.trim() && !known.has(to)) out.push({ path: ['transitions', from, i], message: `Unexpected task status "${to}", ${expected}` });
      });
    }
  }
  const s = config.sizing;
  if (isObject(s)) {
    const sentences = s.sentences;
    if (isObject(sentences) && typeof sentences.min === 'number' && typeof sentences.max === 'number' && sentences.min > sentences.max) {
      out.push({ path: ['sizing', 'sentences'], message: `Unexpected range ${sentences.min}..${sentences.max}, expected min <= max` });
    }
    const e = s.estimate;
    if (isObject(e) && isDuration(e.min) && isDuration(e.max) && hours(e.min) > hours(e.max)) {
      out.push({ path: ['sizing', 'estimate'], message: `Unexpected range ${e.min}..${e.max}, expected min <= max` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The schema's parse for the valid case. Each reader returns the parsed value,
// or BAD when zod would report an issue there.

const BAD: unique symbol = Symbol('invalid');
type Read<T> = T | typeof BAD;

const RULES = new Set(RULE_IDS);
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** `string().trim().min(1)`. */
function nonEmpty(v: unknown): Read<string> {
  if (typeof v !== 'string') return BAD;
  const t = v.trim();
  return t.length >= 1 ? t : BAD;
}

/** `array(item)` with optional length bounds. */
function list<T>(v: unknown, item: (x: unknown) => Read<T>, min = 0, max = Infinity): Read<T[]> {
  if (!isList(v) || v.length < min || v.length > max) return BAD;
  const out: T[] = [];
  for (const x of v) {
    const r = item(x);
    if (r === BAD) return BAD;
    out.push(r);
  }
  return out;
}

/** `strictObject(shape)` with every key optional unless listed in `required`. */
function strict(v: unknown, shape: Record<string, (x: unknown) => Read<unknown>>, required: readonly string[] = []): Read<Record<string, unknown>> {
  if (!isObject(v)) return BAD;
  for (const k of Object.keys(v)) if (!own(shape, k)) return BAD;
  const out: Record<string, unknown> = {};
  for (const [k, read] of Object.entries(shape)) {
    if (!own(v, k) || v[k] === undefined) {
      if (required.includes(k)) return BAD;
      continue;
    }
    const r = read(v[k]);
    if (r === BAD) return BAD;
    out[k] = r;
  }
  return out;
}

const anyString = (v: unknown): Read<string> => (typeof v === 'string' ? v : BAD);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** `number().int().positive()`. */
const count = (v: unknown): Read<number> => (finite(v) && Number.isSafeInteger(v) && v > 0 ? v : BAD);
/** `number().int().nonnegative()`. */
const atLeastZero = (v: unknown): Read<number> => (finite(v) && Number.isSafeInteger(v) && v >= 0 ? v : BAD);
const duration = (v: unknown): Read<DurationInput> => (isDuration(v) ? v : BAD);
const range = <T>(item: (x: unknown) => Read<T>) => (v: unknown) => strict(v, { min: item, max: item }, ['min', 'max']);
const severity = (v: unknown): Read<SeverityInput> => (v === 'off' || v === 'warn' || v === 'error' || v === 0 || v === 1 || v === 2 ? v : BAD);
/** The first branch that reads the value, as zod's union. */
const either = (...branches: ((x: unknown) => Read<unknown>)[]) => (v: unknown): Read<unknown> => {
  for (const b of branches) {
    const r = b(v);
    if (r !== BAD) return r;
  }
  return BAD;
};
const statuses = (v: unknown) => list(v, nonEmpty, 2, MAX_STATUSES);
const domain = either(nonEmpty, (v) => strict(v, { name: nonEmpty, keywords: (x) => list(x, nonEmpty), paths: (x) => list(x, nonEmpty), description: anyString }, ['name']));

function record<T>(v: unknown, key: (k: string) => boolean, value: (x: unknown) => Read<T>): Read<Record<string, T>> {
  if (!isObject(v)) return BAD;
  const out: Record<string, T> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!key(k)) return BAD;
    const r = value(x);
    if (r === BAD) return BAD;
    out[k] = r;
  }
  return out;
}

const CONFIG_SHAPE: Record<string, (x: unknown) => Read<unknown>> = {
  $schema: anyString,
  stories: either(nonEmpty, (v) => list(v, nonEmpty, 1)),
  domains: (v) => list(v, domain, 1),
  taskStatuses: statuses,
  storyStatuses: statuses,
  transitions: (v) => record(v, () => true, (x) => list(x, nonEmpty)),
  sizing: (v) => strict(v, { sentences: either(count, range(atLeastZero)), estimate: range(duration), maxTasks: count, maxFiles: count, maxSteps: count }),
  rules: (v) => record(v, (k) => RULES.has(k), severity),
};

/** Whether a JSON value holds an own `__proto__` key anywhere (the zod path names each). */
function hasProtoKey(value: unknown): boolean {
  const work: unknown[] = [value];
  while (work.length) {
    const v = work.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) work.push(x);
      continue;
    }
    if (own(v, '__proto__')) return true;
    for (const x of Object.values(v)) work.push(x);
  }
  return false;
}

/**
 * A config value as the schema parses it, or null when the schema would
 * report a problem (then load `schema.ts` to explain it). Never throws.
 */
export function checkConfig(value: unknown): ConfigInput | null {
  if (hasProtoKey(value)) return null;
  const parsed = strict(value, CONFIG_SHAPE);
  if (parsed === BAD || crossCheck(parsed).length > 0) return null;
  return parsed as ConfigInput;
}
