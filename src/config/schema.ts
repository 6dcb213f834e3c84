/**
 * The config schema (zod). Imported only when a config file exists; the JSON
 * schema shipped for editors (`schema.json`) is generated from it.
 */
import { z } from 'zod';
import { RULE_IDS } from './defaults.js';

const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');

const severity = z.union([z.enum(['off', 'warn', 'error']), z.literal(0), z.literal(1), z.literal(2)]);

/** `"1h"`, `"90m"`, `"1.5h"`, `"1d"` (8h) or a number of hours. */
export const duration = z.union([
  z.number().positive(),
  z.string().regex(/^\s*\d+(?:\.\d+)?\s*(?:m|min|h|hr|hours?|d|days?)\s*$/i, 'expected a duration such as "1h", "90m" or "1d"'),
]);

const range = <T extends z.ZodType>(item: T) =>
  z.strictObject({ min: item, max: item });

export const domainSchema = z.union([
  nonEmpty,
  z.strictObject({
    name: nonEmpty,
    keywords: z.array(nonEmpty).optional(),
    paths: z.array(nonEmpty).optional(),
    description: z.string().optional(),
  }),
]);

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    stories: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
    domains: z.array(domainSchema).min(1, 'expected at least one domain').optional(),
    taskStatuses: z.array(nonEmpty).min(2, 'expected at least two statuses').optional(),
    storyStatuses: z.array(nonEmpty).min(2, 'expected at least two statuses').optional(),
    transitions: z.record(z.string(), z.array(nonEmpty)).optional(),
    sizing: z
      .strictObject({
        sentences: z.union([z.number().int().positive(), range(z.number().int().nonnegative())]).optional(),
        estimate: range(duration).optional(),
        maxTasks: z.number().int().positive().optional(),
        maxFiles: z.number().int().positive().optional(),
        maxSteps: z.number().int().positive().optional(),
      })
      .optional(),
    rules: z.partialRecord(z.enum(RULE_IDS as [string, ...string[]]), severity).optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.domains?.forEach((d, i) => {
      const name = typeof d === 'string' ? d : d.name;
      const key = name.trim().toLowerCase();
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['domains', i], message: `domain "${name}" is listed twice (also at domains[${seen.get(key)}])` });
      } else seen.set(key, i);
    });
    for (const [field, list] of [['taskStatuses', config.taskStatuses], ['storyStatuses', config.storyStatuses]] as const) {
      const dup = list?.find((s, i) => list.indexOf(s) !== i);
      if (dup) ctx.addIssue({ code: 'custom', path: [field], message: `status "${dup}" is listed twice` });
    }
    if (config.transitions) {
      const statuses = config.taskStatuses ?? ['pending', 'in_progress', 'done'];
      for (const [from, tos] of Object.entries(config.transitions)) {
        if (!statuses.includes(from)) {
          ctx.addIssue({ code: 'custom', path: ['transitions', from], message: `unknown task status "${from}"; expected one of ${statuses.join(', ')}` });
        }
        tos.forEach((to, i) => {
          if (!statuses.includes(to)) {
            ctx.addIssue({ code: 'custom', path: ['transitions', from, i], message: `unknown task status "${to}"; expected one of ${statuses.join(', ')}` });
          }
        });
      }
    }
    const s = config.sizing;
    if (s && typeof s.sentences === 'object' && s.sentences.min > s.sentences.max) {
      ctx.addIssue({ code: 'custom', path: ['sizing', 'sentences'], message: 'expected min <= max' });
    }
  });

export type ConfigInput = z.infer<typeof configSchema>;

/** The JSON schema for editors, generated from the zod schema. */
export function jsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $id: 'https://github.com/plan-tasks/plan-tasks/blob/main/schema.json',
    title: 'plan-tasks config',
    description: 'Configuration for plan-tasks (plan-tasks.config.json, .plan-tasksrc.json or "plan-tasks" in package.json).',
    ...schema,
  };
}
