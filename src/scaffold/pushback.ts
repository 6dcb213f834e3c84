/**
 * What a tech lead would say before starting: criteria nobody can test, open
 * questions still listed, a story too big for one breakdown, and story
 * dependencies that are not Done yet. Warnings only: the scaffold still runs.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Project } from '../lint/project.js';
import { storyPhase } from '../rules/util.js';
import type { Story } from '../story/model.js';
import { short, type PlannedTask, type Warning } from './plan.js';

const VAGUE =
  /\b(?:fast|faster|quick(?:ly)?|speedy|snappy|responsive|gracefully|graceful|properly|proper|correctly|appropriate(?:ly)?|user[- ]friendly|intuitive(?:ly)?|easy|easily|simple|seamless(?:ly)?|smooth(?:ly)?|robust(?:ly)?|reliabl[ey]|efficient(?:ly)?|performant|scalable|clean(?:ly)?|nice(?:ly)?|better|improved?|optimi[sz]ed?|as needed|as expected|where possible|if possible|reasonable|good)\b/i;
/** Something observable: a number, code, a quoted message, a named status or a concrete action. */
const ANCHOR = /\d|`|"[^"]{2,}"|“[^”]{2,}”|'[^']{3,}'|\b(?:returns?|prints?|shows?|displays?|exits?|logs?|writes?|sends?|emits?|rejects?|responds?)\b/i;

export function untestable(text: string): string | null {
  const m = VAGUE.exec(text);
  if (!m) return null;
  if (ANCHOR.test(text)) return null;
  return m[0];
}

export function pushback(story: Story, tasks: readonly PlannedTask[], config: ResolvedConfig, project: Project | null): Warning[] {
  const out: Warning[] = [];
  for (const c of story.criteria) {
    if (c.checked === true) continue;
    const word = untestable(c.text);
    if (word) {
      out.push({
        message: `Unexpected untestable criterion "${short(c.text)}" ("${word}" with nothing to measure), expected an observable outcome (a number, a command's output, a message the user sees)`,
        line: c.span.start.line,
      });
    }
  }
  for (const q of story.openQuestions) {
    out.push({
      message: `Unexpected open question "${short(q.text)}" in a Ready story, expected it answered (or moved to Notes) before implementation starts`,
      line: q.span.start.line,
    });
  }
  const max = config.sizing.maxTasks;
  if (tasks.length > max) {
    out.push({ message: `Unexpected ${tasks.length} tasks for one story, expected at most ${max}: split the story` });
  }
  const seen = new Set<string>();
  for (const dep of story.dependencies) {
    if (dep.story === story.id || seen.has(dep.story)) continue;
    seen.add(dep.story);
    const summary = project?.summary(dep.story) ?? null;
    if (!summary) {
      out.push({ message: `Unexpected dependency on story ${dep.story}, which is not in the configured stories, expected a story file ${dep.story}-*.md that is Done`, line: dep.span.start.line });
      continue;
    }
    if (storyPhase(config, summary.status) !== 'done') {
      const done = config.storyStatuses[config.storyStatuses.length - 1]!;
      out.push({
        message: `Unexpected dependency on story ${dep.story}, which is ${summary.status ? `\`${summary.status}\`` : 'without a status'}, expected \`${done}\` before this story's implementation starts`,
        line: dep.span.start.line,
      });
    }
  }
  return out;
}
