/**
 * The config schema (zod): the one description of the config's shape. The
 * JSON schema shipped for editors (`schema.json`) is generated from it, and
 * `check.ts` (the zod-free check a run makes first) is tested to agree with
 * it. Imported only to explain a config that check rejects, and by the remark
 * preset and `npm run schema`.
 */
// Named imports (not the `z` namespace) let the bundler leave zod's locales and
// unused parts out: the schema file a config run loads is 5x smaller.
import type { z } from 'zod';
import { array, enum as zenum, literal, number, partialRecord, record, strictObject, string, toJSONSchema, union } from 'zod';
import { RULE_IDS } from './defaults.js';
import { crossCheck, DURATION, MAX_STATUSES, type ConfigInput as CheckedInput, type ConfigProblem } from './check.js';
import { distance } from '../rules/util.js';

export { crossCheck, MAX_STATUSES, type ConfigProblem };

const nonEmpty = string().trim().min(1, 'expected a non-empty string');
const count = number().int('expected a whole number').positive('expected a number above 0');

const severity = union([zenum(['off', 'warn', 'error']), literal(0), literal(1), literal(2)]);

/** `"1h"`, `"90m"`, `"1.5h"`, `"1d"` (8h) or a number of hours. */
export const duration = union([
  number().positive('expected a number of hours above 0'),
  string().regex(DURATION, 'expected a duration such as "1h", "90m" or "1d"'),
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

/** A parsed config: check.ts's `ConfigInput`, which must be the schema's type both ways (a compile error otherwise). */
export type ConfigInput = CheckedInput;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameType: Same<z.infer<typeof configSchema>, CheckedInput> = true;
void sameType;

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
