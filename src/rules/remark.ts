/**
 * The bridge from a pure rule (`check(story, ctx)`) to a remark-lint rule:
 * the Story comes from the per-tree cache, findings become vfile messages at
 * the positions the model recorded, with what editors need:
 *
 * - `note`: the how-to-fix text (shown under the message);
 * - `expected`: for a fixable finding, the one replacement of the message's
 *   range (`place`), which unified-language-server offers as a quick fix
 *   ("Replace `actual` with `expected`"). When the fix edits text outside the
 *   finding's span, the message's range grows to cover both.
 *
 * The config comes from the options: a ResolvedConfig (the preset built from
 * a config), or a function of the file (the default preset: the config file
 * that applies to the linted file's folder, so an editor's language server,
 * whose working directory is anywhere, reads the same config as
 * `plan-tasks lint` in that project). Without options: the defaults for the
 * file's project. The config is kept on `file.data` for the other rules.
 */
import { dirname, resolve } from 'node:path';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { defaultConfig } from '../config/defaults.js';
import { projectRoot } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Point, Story } from '../story/model.js';
import { storyFromTree } from '../story/parse.js';
import type { Check, Finding } from './types.js';

/** Marks a message that stays a warning even when its rule is an error. */
export const WARN_ONLY = 'planTasksWarnOnly';

/** Where a file's resolved config is kept on `file.data` (the preset's severities read it too). */
export const CONFIG_KEY = 'planTasksConfig';

/** Options a rule takes: a config, or how to find one for a file. */
export type RuleOptions = ResolvedConfig | ((file: VFile) => ResolvedConfig) | null | undefined;

const folderOf = (file: VFile) => (file.path ? dirname(resolve(file.cwd, file.path)) : file.cwd);

function configOf(file: VFile, options: RuleOptions): ResolvedConfig {
  if (isConfig(options)) return options;
  const data = file.data as Record<string, unknown>;
  const cached = data[CONFIG_KEY] as ResolvedConfig | undefined;
  if (cached) return cached;
  const config = typeof options === 'function' ? options(file) : defaultConfig(projectRoot(folderOf(file)));
  data[CONFIG_KEY] = config;
  return config;
}

const isConfig = (options: unknown): options is ResolvedConfig => Boolean(options && typeof options === 'object' && 'taskStatuses' in options);

function pointAt(story: Story, offset: number): Point {
  const text = story.text;
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1, offset };
}

/** The place a message covers and, for a fix, the text that replaces it. */
export function placeAndExpected(story: Story, finding: Finding): { place: Finding['span']; expected?: string[] } {
  const { span, fix } = finding;
  if (!fix) return { place: span };
  const [from, to] = fix.range;
  const start = Math.min(span.start.offset, from);
  const end = Math.max(span.end.offset, to);
  const place = {
    start: start === span.start.offset ? span.start : pointAt(story, start),
    end: end === span.end.offset ? span.end : pointAt(story, end),
  };
  const expected = story.text.slice(start, from) + fix.text + story.text.slice(to, end);
  return { place, expected: [expected] };
}

export function remarkRule(check: Check) {
  return function (tree: Root, file: VFile, options?: RuleOptions): void {
    const config = configOf(file, options);
    const story = storyFromTree(tree, String(file.value ?? ''), file.path || undefined);
    for (const finding of check(story, { config })) {
      const { place, expected } = placeAndExpected(story, finding);
      const message = file.message(finding.message, { place });
      if (finding.note) message.note = finding.note;
      if (expected) message.expected = expected;
      if (finding.warnOnly) (message as unknown as Record<string, unknown>)[WARN_ONLY] = true;
      if (finding.fix) (message as unknown as Record<string, unknown>).fix = finding.fix;
    }
  };
}
