/**
 * ## story-id-unique
 *
 * A story number names one story: the `# Story NNN` heading agrees with the
 * number in the file name. Two files with the same number (`020-alpha.md`,
 * `020-beta.md`, what two branches that each add "the next" story give) are
 * reported by the CLI's cross-story checks under the same id, on both files.
 *
 * Default severity: error. Not fixable (renumbering changes what refs mean).
 */
import { lintRule } from 'unified-lint-rule';
import { remarkRule } from '../src/rules/remark.js';
import type { Check, Finding, RuleMeta } from '../src/rules/types.js';
import { code, ruleUrl, storyKey } from '../src/rules/util.js';

export const meta: RuleMeta = {
  id: 'story-id-unique',
  description: 'One file per story number, and the `# Story NNN` heading agrees with the file name',
  fixable: false,
  url: ruleUrl('story-id-unique'),
};

export const check: Check = (story) => {
  if (story.id === null || story.fileId === null || story.titleSpan === null) return [];
  if (storyKey(story.id) === storyKey(story.fileId)) return [];
  return [
    {
      message: `Unexpected heading ${code(`Story ${story.id}`)} in the file of story ${story.fileId}, expected ${code(`Story ${story.fileId}`)}: the file name and the heading name one story (rename the file or fix the heading)`,
      span: story.titleSpan,
    } satisfies Finding,
  ];
};

const remarkLintStoryIdUnique = /* @__PURE__ */ lintRule({ origin: 'plan-tasks:story-id-unique', url: meta.url }, remarkRule(check));
export default remarkLintStoryIdUnique;
