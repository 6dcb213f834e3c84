/**
 * The config schema (zod). Imported only when a config file exists; the JSON
 * schema shipped for editors (`schema.json`) is generated from it.
 */
// Named imports (not the `z` namespace) let the bundler leave zod's locales and
// unused parts out: the schema file a config run loads is 5x smaller.
import type { z } from 'zod';
import { array, enum as zenum, literal, number, partialRecord, record, strictObject, string, toJSONSchema, union } from 'zod';
import { RULE_IDS } from './defaults.js';
import { hours } from './duration.js';
import { distance } from '../rules/util.js';
import { statusKey } from '../status/match.js';

const nonEmpty = string().trim().min(1, 'expected a non-empty string');
const count = number().int('expected a whole number').positive('expected a number above 0');

const severity = union([zenum(['off', 'warn', 'error']), literal(0), literal(1), literal(2)]);

/** `"1h"`, `"90m"`, `"1.5h"`, `"1d"` (8h) or a number of hours. */
export const duration = union([
  number().positive('expected a number of hours above 0'),
  string().regex(/^\s*\d+(?:\.\d+)?\s*(?:m|min|h|hr|hours?|d|days?)\s*$/i, 'expected a duration such as "1h", "90m" or "1d"'),
]);

const range = <T extends z.ZodType>(item: T) =>
  strictObject({ min: item, max: item });

export const domainSchema = union([
  nonEmpty,
  strictObject({
    name: nonEmpty,
    keywords: array(nonEmpty).optional(),
    paths: array(nonEmpty).optional(),
    description: string().optional(),
  }),
]);

/**
 * Most statuses in a list: a workflow has a handful, and the default
 * transitions list every later status for each one (quadratic: 20,000
 * statuses took 12 s and 2.5 GB before this limit).
 */
export const MAX_STATUSES = 100;

export const configSchema = strictObject({
    $schema: string().describe('The JSON schema for editors: "./node_modules/plan-tasks/schema.json".').optional(),
    stories: union([nonEmpty, array(nonEmpty).min(1, 'expected at least one glob')]).describe('Glob(s) of the story files, relative to this file. Default: "docs/stories/*.md".').optional(),
    domains: array(domainSchema).min(1, 'expected at least one domain').describe('The domains a task may name in **Domain:**: names, or { name, keywords, paths } for hints and scaffolding. Default: backend, compute, electron, packaging.').optional(),
    taskStatuses: array(nonEmpty).min(2, 'expected at least two statuses').max(MAX_STATUSES, `expected at most ${MAX_STATUSES} statuses`).describe('Task statuses in workflow order: the first is not started, the last is done. Default: pending, in_progress, done.').optional(),
    storyStatuses: array(nonEmpty).min(2, 'expected at least two statuses').max(MAX_STATUSES, `expected at most ${MAX_STATUSES} statuses`).describe('Story statuses in workflow order: the last is done, the one before it in progress. Default: Draft, Ready, In Progress, Done.').optional(),
    transitions: record(string(), array(nonEmpty)).describe('Allowed task status changes, from -> [to]. Default: forward moves, in-progress back to the first status, nothing leaves the last.').optional(),
    sizing: strictObject({
        sentences: union([count, range(number().int('expected a whole number').nonnegative('expected 0 or more'))]).optional(),
        estimate: range(duration).optional(),
        maxTasks: count.optional(),
        maxFiles: count.optional(),
        maxSteps: count.optional(),
      })
      .describe('Sizing hints: sentences per description (a max, or { min, max }), estimate range ("1h".."4h"), maxTasks per story (15), maxFiles (8) and maxSteps (8) per task.')
      .optional(),
    rules: partialRecord(zenum(RULE_IDS as [string, ...string[]]), severity).describe('Rule severities by rule id: "off", "warn", "error" (or 0, 1, 2).').optional(),
  })
  .superRefine((config, ctx) => {
    for (const p of crossCheck(config)) ctx.addIssue({ code: 'custom', path: [...p.path] as (string | number)[], message: p.message });
  });

const isList = (v: unknown): v is unknown[] => Array.isArray(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStatusList = (v: unknown): v is string[] => isList(v) && v.length >= 2 && v.every((x) => typeof x === 'string' && x.trim() !== '');

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
    if (isObject(e) && duration.safeParse(e.min).success && duration.safeParse(e.max).success && hours(e.min as number | string) > hours(e.max as number | string)) {
      out.push({ path: ['sizing', 'estimate'], message: `Unexpected range ${e.min}..${e.max}, expected min <= max` });
    }
  }
  return out;
}

export type ConfigInput = z.infer<typeof configSchema>;

/** The JSON schema for editors, generated from the zod schema (`npm run schema` writes schema.json). */
export function jsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  // Spell the rule ids out as properties, so editors complete them.
  const props = schema.properties as Record<string, Record<string, unknown>>;
  const rules = props.rules;
  if (rules && rules.additionalProperties) {
    const { propertyNames: _names, additionalProperties: sev, ...rest } = rules;
    void _names;
    props.rules = { ...rest, properties: Object.fromEntries(RULE_IDS.map((id) => [id, sev])), additionalProperties: false };
  }
  return {
    $schema,
    $id: 'https://github.com/plan-tasks/plan-tasks/blob/main/schema.json',
    title: 'plan-tasks config',
    description: 'Configuration for plan-tasks (plan-tasks.config.json, .plan-tasksrc.json or "plan-tasks" in package.json).',
    ...schema,
  };
}

// ---------------------------------------------------------------------------
// Error messages: one line per problem, naming the key path and what was
// expected, in the "Unexpected X, expected Y" style of the lint messages.

type Schema = z.core.$ZodType;
type Def = { type: string; [k: string]: unknown };
const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strip optional/default/pipe wrappers. */
function unwrap(s: Schema): Schema {
  for (;;) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'readonly') s = d.innerType as Schema;
    else if (d.type === 'pipe') s = d.in as Schema;
    else return s;
  }
}

/** The schemas that can describe the value at `path` (several under a union). */
function schemasAt(root: Schema, path: readonly PropertyKey[]): Schema[] {
  let current = [root];
  for (const key of path) {
    const next: Schema[] = [];
    const visit = (s: Schema) => {
      s = unwrap(s);
      const d = defOf(s);
      if (d.type === 'union') (d.options as Schema[]).forEach(visit);
      else if (d.type === 'object' && typeof key === 'string' && (d.shape as Record<string, Schema>)[key]) next.push((d.shape as Record<string, Schema>)[key]!);
      else if (d.type === 'array' && typeof key === 'number') next.push(d.element as Schema);
      else if (d.type === 'record') next.push(d.valueType as Schema);
    };
    current.forEach(visit);
    current = next;
  }
  return current;
}

/** The keys an object at `path` accepts. */
function keysAt(root: Schema, path: readonly PropertyKey[]): string[] {
  const keys: string[] = [];
  const visit = (s: Schema) => {
    s = unwrap(s);
    const d = defOf(s);
    if (d.type === 'union') (d.options as Schema[]).forEach(visit);
    else if (d.type === 'object') keys.push(...Object.keys(d.shape as object));
    else if (d.type === 'record') {
      const k = defOf(unwrap(d.keyType as Schema));
      if (k.type === 'enum') keys.push(...Object.values(k.entries as Record<string, string>));
    }
  };
  schemasAt(root, path).forEach(visit);
  return [...new Set(keys)];
}

const quote = (v: unknown) => JSON.stringify(v);

/** "a string", "a list of strings", "one of "off", "warn"", ... */
function describe(s: Schema, plural = false): string {
  s = unwrap(s);
  const d = defOf(s);
  const noun = (one: string, many: string) => (plural ? many : one);
  switch (d.type) {
    case 'string':
      return noun('a string', 'strings');
    case 'number': {
      const checks = ((d.checks as Schema[] | undefined) ?? []).map((c) => defOf(c) as Def & { format?: string; check?: string; value?: number; inclusive?: boolean });
      const whole = checks.some((c) => c.format === 'safeint');
      const min = checks.find((c) => c.check === 'greater_than');
      const bound = min ? (min.inclusive ? ` of ${min.value} or more` : ` above ${min.value}`) : '';
      return whole ? noun(`a whole number${bound}`, `whole numbers${bound}`) : noun(`a number${bound}`, `numbers${bound}`);
    }
    case 'boolean':
      return noun('true or false', 'booleans');
    case 'array':
      return noun(`a list of ${describe(d.element as Schema, true)}`, 'lists');
    case 'object':
      return noun(`an object with keys ${Object.keys(d.shape as object).join(', ')}`, 'objects');
    case 'record':
      return noun('an object', 'objects');
    case 'enum':
      return `one of ${Object.values(d.entries as object).map(quote).join(', ')}`;
    case 'literal':
      return (d.values as unknown[]).map(quote).join(', ');
    case 'union': {
      const options = d.options as Schema[];
      const flat = options.every((o) => ['enum', 'literal'].includes(defOf(unwrap(o)).type));
      if (flat) {
        const values = options.flatMap((o) => {
          const od = defOf(unwrap(o));
          return od.type === 'enum' ? Object.values(od.entries as object) : (od.values as unknown[]);
        });
        return `one of ${values.map(quote).join(', ')}`;
      }
      return options.map((o) => describe(o, plural)).join(' or ');
    }
    default:
      return noun('a valid value', 'valid values');
  }
}

function received(value: unknown): string {
  if (value === undefined) return 'missing value';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? 'list' : 'empty list';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return `string ${quote(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${quote(String(part))}]`;
  }
  return out || '(top level)';
}

function suggest(key: string, valid: string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const d = distance(key.toLowerCase(), v.toLowerCase());
    if (d < bestD) [best, bestD] = [v, d];
  }
  return best && bestD <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

export interface ConfigProblem {
  path: readonly PropertyKey[];
  message: string;
}

/** Explain zod issues for a config value, one problem per bad key. */
export function explainIssues(issues: readonly z.core.$ZodIssue[], value: unknown, root: Schema = configSchema, base: readonly PropertyKey[] = []): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const got = valueAt(value, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const valid = keysAt(root, path);
        const isRules = path.length === 1 && path[0] === 'rules';
        for (const key of issue.keys) {
          out.push({
            path: [...path, key],
            message: isRules
              ? `Unexpected rule id "${key}"${suggest(key, valid)}, expected one of: ${valid.join(', ')}`
              : `Unexpected key "${key}"${suggest(key, valid)}, expected one of: ${valid.join(', ')}`,
          });
        }
        break;
      }
      case 'invalid_union': {
        // A branch whose problems lie deeper than the union matched the shape: report those.
        const deeper = issue.errors.find((branch) => branch.some((i) => i.path.length > 0 || i.code !== 'invalid_type'));
        if (deeper) {
          out.push(...explainIssues(deeper, value, root, path));
          break;
        }
        const schemas = schemasAt(root, path);
        out.push({ path, message: `Unexpected ${received(got)}, expected ${schemas.length ? schemas.map((s) => describe(s)).join(' or ') : 'a valid value'}` });
        break;
      }
      case 'invalid_type':
      case 'invalid_value':
      case 'invalid_key': {
        const schemas = schemasAt(root, path);
        out.push({ path, message: `Unexpected ${received(got)}, expected ${schemas.length ? schemas.map((s) => describe(s)).join(' or ') : 'a valid value'}` });
        break;
      }
      default: {
        const message = issue.message;
        out.push({ path, message: /^expected\b/.test(message) ? `Unexpected ${received(got)}, ${message}` : message });
      }
    }
  }
  return out;
}
