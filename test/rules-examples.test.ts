/**
 * Every rule's documented examples (`meta.examples`, rendered into
 * docs/rules/<id>.md) run as tests, like remark-lint's `@example` blocks: with
 * only that rule on, a valid example gives no message and an invalid one
 * exactly the messages it states. Single-file and cross-story rules run
 * through the CLI's pipeline (`lint` over a snapshot of the example and its
 * other story files, with the lint-only parse the rule's `reads` decide);
 * transition rules compare the example's `before` with its `markdown`.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { resolveConfig, validateConfig } from '../src/config/load.js';
import * as schema from '../src/config/schema.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { lint } from '../src/lint/lint.js';
import { memorySnapshot } from '../src/lint/snapshot.js';
import type { Finding, Rule, RuleExample } from '../src/rules/types.js';
import { parseStory } from '../src/story/parse.js';

const ROOT = '/plan-tasks-examples';
const DIR = `${ROOT}/docs/stories`;
const encode = (s: string) => new TextEncoder().encode(s);

/** The config an example runs with: its keys, and only its rule on (at its default severity). */
function exampleConfig(rule: Rule, example: RuleExample): ResolvedConfig {
  const off = Object.fromEntries(rules.map((r) => [r.meta.id, r.meta.id === rule.meta.id ? r.meta.severity : 'off']));
  const file = `${ROOT}/plan-tasks.config.json`;
  return resolveConfig(validateConfig(schema, { ...(example.config ?? {}), rules: off }, file), ROOT, file);
}

async function messagesOf(rule: Rule, example: RuleExample): Promise<string[]> {
  const config = exampleConfig(rule, example);
  if (example.before !== undefined) {
    const at = (f: Finding) => `${f.span.start.line}:${f.span.start.column}-${f.span.end.line}:${f.span.end.column}: ${f.message}`;
    return rule.checkTransition!(parseStory(example.before, `${DIR}/${example.name}`), parseStory(example.markdown, `${DIR}/${example.name}`), { config, before: 'HEAD', after: 'staged' }).map(at);
  }
  const files = new Map<string, Uint8Array>([[`${DIR}/${example.name}`, encode(example.markdown)]]);
  for (const [name, text] of Object.entries(example.files ?? {})) files.set(`${DIR}/${name}`, encode(text));
  const results = await lint(memorySnapshot(files, [...files.keys()]), { config, files: [`${DIR}/${example.name}`] });
  return results.flatMap((r) => r.messages).map((m) => {
    expect(m.ruleId, `${example.name}: ${m.message}`).toBe(rule.meta.id);
    return `${m.line}:${m.column}-${m.endLine}:${m.endColumn}: ${m.message}`;
  });
}

describe('rule examples', () => {
  for (const rule of rules) {
    describe(rule.meta.id, () => {
      it('has a valid and an invalid example', () => {
        expect(rule.meta.examples.some((e) => !e.messages?.length), 'a valid example').toBe(true);
        expect(rule.meta.examples.some((e) => e.messages?.length), 'an invalid example').toBe(true);
      });
      for (const example of rule.meta.examples) {
        it(`${example.messages?.length ? 'not ok' : 'ok'}: ${example.name}`, async () => {
          expect(await messagesOf(rule, example)).toEqual(example.messages ?? []);
        });
      }
    });
  }
});
