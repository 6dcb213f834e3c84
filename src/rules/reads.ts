/**
 * What the lint-only parse keeps: the `##` sections the rules read, from their
 * `meta.reads` declarations. `src/lint/analyze.ts`'s `parseForLint` reads
 * every other `##` section's lines as blank (same offsets; `unreadSections`
 * in src/story/sections.ts gives the scanner those ranges), which saves about a fifth
 * of the parse-and-rules CPU time on the 504-story corpus (bench/sections.mjs).
 * A rule that reads a part of the Story declares it, and then sees it in the
 * CLI as in its fixtures.
 */
import type { ResolvedConfig } from '../config/types.js';
import { LINT_SECTIONS } from '../story/sections.js';
import type { Rule, StoryPart } from './types.js';

/** The `##` section keys (lower case, as `scanSections` keys them) behind each part; null: every section. */
export const PART_SECTIONS: Readonly<Record<StoryPart, readonly string[] | null>> = {
  title: [],
  status: ['status'],
  dependencies: ['dependencies'],
  tasks: ['tasks'],
  criteria: ['acceptance criteria'],
  questions: ['open questions'],
  sections: null,
};

const memo = new WeakMap<readonly Rule[], Map<ResolvedConfig | undefined, ReadonlySet<string> | null>>();

/**
 * The `##` sections to keep for `rules` (with `config`: only the rules it does
 * not turn off), or null when one of them reads every section (nothing may be
 * blanked). Always includes `LINT_SECTIONS` (status, dependencies, tasks):
 * the summary other stories read of a story (src/lint/project.ts) needs them
 * whatever rules run on the story itself. Memoized per rule list and config.
 */
export function sectionsRead(rules: readonly Rule[], config?: ResolvedConfig): ReadonlySet<string> | null {
  let byConfig = memo.get(rules);
  if (!byConfig) memo.set(rules, (byConfig = new Map()));
  if (byConfig.has(config)) return byConfig.get(config)!;
  let keep: Set<string> | null = new Set(LINT_SECTIONS);
  for (const rule of rules) {
    if (config && (config.rules[rule.meta.id] ?? rule.meta.severity) === 'off') continue;
    for (const part of rule.meta.reads) {
      const sections = PART_SECTIONS[part];
      if (sections === null) keep = null;
      else if (keep) for (const s of sections) keep.add(s);
    }
    if (keep === null) break;
  }
  byConfig.set(config, keep);
  return keep;
}
