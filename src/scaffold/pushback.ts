/**
 * What a tech lead asks before work starts. Reasons that make the story not
 * ready are *refusals* (the scaffold exits 1 and writes nothing unless
 * `--force`): most criteria untestable, open questions still listed, more
 * than `sizing.maxTasks` tasks of work, an identifier that nothing in the
 * repository defines and only a story not yet Done mentions. The rest are
 * warnings: a single untestable criterion, a story dependency not Done.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Project } from '../lint/project.js';
import { storyPhase, storyRoles } from '../status/index.js';
import type { Story } from '../story/model.js';
import { identifiersOf } from './infer.js';
import { isCheckOnly, short, type PlannedTask, type Warning } from './plan.js';
import type { RepoIndex } from './repo.js';

const VAGUE =
  /\b(?:fast|faster|quick(?:ly)?|speedy|snappy|responsive|gracefully|graceful|properly|proper|correctly|appropriate(?:ly)?|user[- ]friendly|intuitive(?:ly)?|easy|easily|simple|seamless(?:ly)?|smooth(?:ly)?|robust(?:ly)?|reliabl[ey]|efficient(?:ly)?|performant|scalable|clean(?:ly)?|nice(?:ly)?|better|improved?|optimi[sz]ed?|as needed|as expected|where possible|if possible|reasonable|good)\b/i;
/** Something observable: a number, code, a quoted message, a named status or a concrete action. */
const ANCHOR = /\d|`|"[^"]{2,}"|“[^”]{2,}”|'[^']{3,}'|\b(?:returns?|prints?|shows?|displays?|exits?|logs?|writes?|sends?|emits?|rejects?|responds?)\b/i;

/** True when story id `a` comes before `b` (`099` before `1000`, `015` before `015a`). */
function earlier(a: string, b: string): boolean {
  const na = parseInt(a, 10);
  const nb = parseInt(b, 10);
  return na !== nb ? na < nb : a < b;
}

/** The vague word that makes a criterion untestable, or null when it names something observable. */
export function untestable(text: string): string | null {
  const m = VAGUE.exec(text);
  if (!m) return null;
  if (ANCHOR.test(text)) return null;
  return m[0];
}

/** The question a tech lead asks about a vague word. */
export function questionFor(word: string): string {
  const w = word.toLowerCase();
  if (/^(?:faster|quicker)$/.test(w)) return `${w} than what, measured how?`;
  if (/^(?:fast|quick|quickly|speedy|snappy|responsive)$/.test(w)) return 'how fast, on what input, measured how?';
  if (/^(?:efficient|efficiently|performant|scalable|optimi[sz]ed?)$/.test(w)) return 'how much, on what input, measured how?';
  if (w === 'better') return 'better than what, and by how much?';
  if (/^improved?$/.test(w)) return 'improved over what, and by how much?';
  if (/^(?:good|nice|nicely)$/.test(w)) return 'judged by what, against what, and by how much?';
  if (/^(?:gracefully|graceful|properly|proper|correctly|appropriate|appropriately|as expected|as needed|reasonable|clean|cleanly)$/.test(w)) return 'what exactly happens, and what does the user see or the log say?';
  if (/^(?:robust|robustly|reliable|reliably)$/.test(w)) return 'under which failures, and what is the observable result?';
  if (/^(?:user[- ]friendly|intuitive|intuitively|easy|easily|simple|seamless|seamlessly|smooth|smoothly)$/.test(w)) return 'for whom, and what would a test or a user check?';
  return 'what would a test check?';
}

/** What `pushback` found. */
export interface Pushback {
  /** Reasons the story is not ready: exit 1 unless --force. */
  refusals: Warning[];
  warnings: Warning[];
}

/** Another story, as far as the push-back needs it. */
export interface OtherStory {
  id: string;
  status: string | null;
  text: string;
  /** Its model, when read from a file (for the files its tasks named). */
  story?: Story;
}

/** What `pushback` reads besides the story. */
export interface PushbackContext {
  config: ResolvedConfig;
  project: Project | null;
  repo: RepoIndex | null;
  /** The other stories of the project (for identifiers only an earlier or depended-on story mentions). */
  others: readonly OtherStory[];
}

/**
 * The push-back on a story and its planned tasks: refusals (not ready) and
 * warnings, each with the story line it is about when there is one. Reads the
 * repository (one `git grep`) only when there are other stories to compare.
 */
export function pushback(story: Story, tasks: readonly PlannedTask[], ctx: PushbackContext): Pushback {
  const { config, project } = ctx;
  const refusals: Warning[] = [];
  const warnings: Warning[] = [];
  const open = story.criteria.filter((c) => c.checked !== true);
  const number = (c: (typeof open)[number]) => story.criteria.indexOf(c) + 1;

  const vague = open.filter((c) => !isCheckOnly(c.text)).map((c) => ({ c, word: untestable(c.text) })).filter((v): v is { c: (typeof open)[number]; word: string } => v.word !== null);
  const work = open.filter((c) => !isCheckOnly(c.text)).length;
  const most = vague.length > 0 && vague.length * 2 > work;
  for (const { c, word } of vague) {
    const message = `Criterion ${number(c)} says "${word}" ("${short(c.text)}"): ${questionFor(word)}`;
    (most ? refusals : warnings).push({ message, line: c.span.start.line });
  }
  if (most) {
    refusals.push({
      message: `Unexpected story where ${vague.length} of ${work} criteria cannot be tested, expected most criteria to name an observable outcome (a number, a command's output, a message the user sees)`,
    });
  }
  story.openQuestions.forEach((q, i) => {
    refusals.push({
      message: `Open question ${i + 1} is still listed ("${short(q.text)}"): who answers it, and does the answer change a criterion? Answer it (or move it to Notes) before the story is Ready`,
      line: q.span.start.line,
    });
  });
  const max = config.sizing.maxTasks;
  if (tasks.length > max) {
    refusals.push({
      message: `Unexpected ${tasks.length} tasks of work for one story (from ${open.length} criteria), expected at most ${max}: which part can ship first? Split the story`,
    });
  }

  // Identifiers nothing in the repository defines and only unfinished stories mention.
  const files = ctx.repo ? ctx.repo.files() : [];
  if (files.length && ctx.others.length) {
    const ids = [...new Set(open.flatMap((c) => identifiersOf(c.text)))];
    const found = ids.length ? ctx.repo!.grep(ids) : new Map<string, string[]>();
    const reported = new Set<string>();
    for (const c of open) {
      for (const id of identifiersOf(c.text)) {
        if (reported.has(id)) continue;
        if ((found.get(id) ?? []).some((f) => !/\.md$/i.test(f))) continue;
        const re = new RegExp(`(?<![\\w])${id.replace(/[$]/g, '\\$')}(?![\\w])`);
        // A provider is a story this one depends on, or an earlier one; later stories are its users.
        const deps = new Set(story.dependencies.map((d) => d.story));
        const mention = ctx.others.filter((o) => (deps.has(o.id) || (story.id !== null && earlier(o.id, story.id))) && re.test(o.text));
        if (mention.length === 0) continue;
        if (mention.some((o) => storyPhase(config, o.status ?? undefined) === 'done')) continue;
        reported.add(id);
        const who = mention.slice(0, 3).map((o) => `story ${o.id} (${o.status ? `\`${o.status}\`` : 'no status'})`).join(', ');
        refusals.push({
          message: `Criterion ${number(c)} uses \`${id}\`, which nothing in the repository defines and only ${who} mentions: is that story done first, or does this one build it?`,
          line: c.span.start.line,
        });
      }
    }
  }

  const seen = new Set<string>();
  for (const dep of story.dependencies) {
    if (dep.story === story.id || seen.has(dep.story)) continue;
    seen.add(dep.story);
    const summary = project?.summary(dep.story) ?? null;
    if (!summary) {
      warnings.push({ message: `Unexpected dependency on story ${dep.story}, which is not in the configured stories, expected a story file ${dep.story}-*.md that is Done`, line: dep.span.start.line });
      continue;
    }
    if (storyPhase(config, summary.status) !== 'done') {
      const { done } = storyRoles(config);
      warnings.push({
        message: `Unexpected dependency on story ${dep.story}, which is ${summary.status ? `\`${summary.status}\`` : 'without a status'}, expected \`${done}\` before this story's implementation starts`,
        line: dep.span.start.line,
      });
    }
  }
  return { refusals, warnings };
}
