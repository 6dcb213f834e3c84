/**
 * The bridge from a pure rule (`check(story, ctx)`) to a remark-lint rule:
 * the Story comes from the per-tree cache, findings become vfile messages at
 * the positions the model recorded.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { defaultConfig } from '../config/defaults.js';
import type { ResolvedConfig } from '../config/types.js';
import { storyFromTree } from '../story/parse.js';
import type { Check } from './types.js';

/** Marks a message that stays a warning even when its rule is an error. */
export const WARN_ONLY = 'planTasksWarnOnly';

let fallback: ResolvedConfig | undefined;

export function remarkRule(check: Check) {
  return function (tree: Root, file: VFile, options?: ResolvedConfig | null): void {
    const config = options && typeof options === 'object' && 'taskStatuses' in options ? options : (fallback ??= defaultConfig(process.cwd()));
    const story = storyFromTree(tree, String(file.value ?? ''), file.path || undefined);
    for (const finding of check(story, { config })) {
      const message = file.message(finding.message, { place: finding.span });
      if (finding.warnOnly) (message as unknown as Record<string, unknown>)[WARN_ONLY] = true;
      if (finding.fix) (message as unknown as Record<string, unknown>).fix = finding.fix;
    }
  };
}
