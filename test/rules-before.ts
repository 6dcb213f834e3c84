/**
 * The rules as they were before story 024 made them cheaper (the plain path
 * the fast paths are checked against, test/rules-fast.test.ts): the checks of
 * task-fields, task-specific, task-domain, task-domain-hint, task-description
 * dependency-cycle and task-size, and countSentences and scoreDomains, as written at
 * commit bef2ce4, calling the shared signals whose equivalence
 * test/signals.test.ts checks on its own.
 */
import type { DomainConfig } from '../src/config/types.js';
import { findCyclePaths } from '../src/graph/cycles.js';
import { storyGraph } from './reference/story-graph.js';
import { anchors, type DomainScore, domainMatchers, hasVerifyField, isVerificationTask, outcomeIn, pathsIn, taskCode, taskText } from '../src/rules/signals.js';
import type { Check, Finding } from '../src/rules/types.js';
import { clip, closest, code, list, PLACEHOLDER, shortList, taskLabel } from '../src/rules/util.js';
import type { Field, Task } from '../src/story/model.js';
import { eolAt } from '../src/story/parse.js';
import { parseEstimate } from '../rules/task-size.js';
import { taskPhase } from '../src/status/index.js';

/** placeholderOnly as it was: PLACEHOLDER on every description block. */
function placeholderOnlyBefore(task: Task): boolean {
  return task.description.length > 0 && task.description.every((b) => PLACEHOLDER.test(b.text));
}

/** Count sentences of prose: ends at `.`, `!` or `?` followed by a capital, a digit or the end. */
export function countSentencesBefore(text: string): number {
  const prose = text
    .replace(/`[^`]*`/g, 'code')
    .replace(/\bhttps?:\/\/\S+/g, 'url')
    .replace(/\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|Mr|Mrs|Dr|St|No)\.(?=\s)/gi, 'abbr')
    .replace(/\s+/g, ' ')
    .trim();
  if (!prose) return 0;
  const parts = prose.split(/(?<![.!?])[.!?]+["')\]]*(?=\s+["'(\[]?[A-Z0-9`*_]|\s*$)/);
  return parts.filter((p) => /[A-Za-z]{2}/.test(p)).length;
}


/** Score each domain by the task's signals: a matching path counts 2, a keyword 1. */
export function scoreDomainsBefore(text: string, paths: readonly string[], domains: DomainConfig[]): DomainScore[] {
  return domainMatchers(domains).map((d) => {
    const signals: string[] = [];
    let score = 0;
    for (const p of paths) {
      const clean = p.replace(/^\.?\//, '');
      if (d.isPath(clean) || d.isPath(clean.replace(/\/$/, '') + '/x')) {
        score += 2;
        signals.push(p);
      }
    }
    for (const k of d.keywords) {
      if (k.re.test(text)) {
        score += 1;
        signals.push(k.word);
      }
    }
    return { name: d.name, score, signals };
  });
}

const REQUIRED = [
  { key: 'domain', label: 'Domain', example: '**Domain:** backend' },
  { key: 'status', label: 'Status', example: '**Status:** pending' },
  { key: 'depends on', label: 'Depends on', example: '**Depends on:** none' },
] as const;

export const taskFields: Check = (story, { config }) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    let previous: Field | null = null;
    for (const f of task.fields) {
      if (f.inline && previous) {
        // `**Domain:** x **Status:** y`: break the line before the second label.
        const from = previous.valueSpan.end.offset;
        out.push({
          message: `Unexpected ${code(`**${f.label}:**`)} on the line of ${code(`**${previous.label}:**`)} in ${taskLabel(task)}, expected one field per line`,
          // From the end of the previous value: the span covers what the fix replaces.
          span: { start: previous.valueSpan.end, end: f.span.end },
          fix: { range: [from, f.span.start.offset], text: eolAt(story.text, f.span.start.offset, story.eol) },
        });
      }
      if (f.labelForm) {
        // `*Status:*`, `**Status** :`, `Status:`: read as the field, written another way.
        const form = story.text.slice(f.labelForm.start.offset, f.labelForm.end.offset);
        const want = REQUIRED.find((r) => r.key === f.key)?.label ?? f.label;
        out.push({
          message: `Unexpected field label ${code(form)} in ${taskLabel(task)}, expected ${code(`**${want}:**`)}`,
          span: f.labelForm,
          fix: { range: [f.labelForm.start.offset, f.labelForm.end.offset], text: `**${want}:**` },
        });
      }
      if (f.listItem) {
        out.push({
          message: `Unexpected list item for ${code(`**${f.label}:**`)} in ${taskLabel(task)}, expected fields written as lines, not list items`,
          span: f.span,
          fix: { range: [f.listItem.start.offset, f.listItem.end.offset], text: '' },
        });
      }
      previous = f;
    }
    const present: { key: string; line: number }[] = [];
    for (const req of REQUIRED) {
      const fields = task.fields.filter((f) => f.key === req.key);
      if (fields.length === 0) {
        const expected =
          req.key === 'domain'
            ? `one of ${config.domains.map((d) => d.name).join(', ')}`
            : req.key === 'status'
              ? `one of ${config.taskStatuses.join(', ')}`
              : '`none` or the ids it needs (`001, 002`)';
        out.push({
          message: `Missing ${code(`**${req.label}:**`)} in ${taskLabel(task)}, expected it under the heading`,
          note: `A ${code(`**${req.label}:**`)} line right under the heading with ${expected}.`,
          span: task.heading.span,
        });
        continue;
      }
      const [first, ...dups] = fields;
      if (first!.label !== req.label && !first!.labelForm) {
        out.push({
          message: /[\u200b-\u200d\u2060\ufeff]/.test(first!.label)
            ? `Unexpected invisible character in the field label ${code(first!.label)}, expected ${code(req.label)}`
            : `Unexpected field label ${code(first!.label)}, expected ${code(req.label)}`,
          span: first!.labelSpan,
          fix: { range: [first!.labelSpan.start.offset, first!.labelSpan.end.offset], text: req.label },
        });
      }
      for (const dup of dups) {
        out.push({
          message: `Unexpected second ${code(`**${req.label}:**`)} in ${taskLabel(task)}, expected one`,
          note: `The first is at line ${first!.span.start.line}; keep one.`,
          span: dup.span,
        });
      }
      if (!task.leadingFields.includes(first!)) {
        out.push({
          message: `Unexpected ${code(`**${req.label}:**`)} after the description of ${taskLabel(task)}, expected it above`,
          note: 'Task fields go right under the heading, before the description.',
          span: first!.span,
        });
      } else present.push({ key: req.key, line: first!.span.start.offset });
    }
    const order = [...present].sort((a, b) => a.line - b.line).map((p) => p.key);
    const wanted = REQUIRED.map((r) => r.key).filter((k) => order.includes(k));
    if (order.join('|') !== wanted.join('|')) {
      const name = (k: string) => REQUIRED.find((r) => r.key === k)!.label;
      out.push({
        message: `Unexpected field order ${order.map(name).join(', ')} in ${taskLabel(task)}, expected Domain, Status, Depends on`,
        span: task.heading.span,
      });
    }
  }
  return out;
};


/** A glob: `*`, `?` or a `{a,b}` alternation (picomatch's syntax). */
const GLOB = /[*?]|\{[^}]*,[^}]*\}/;

/**
 * A sentence promising a check without naming one: "a test checks each point
 * below", "a reviewer can check every item", with no code span in it. Tested
 * per sentence with two linear regexes (no backtracking across the text).
 */
const CHECK_WORD = /\b(?:tests?|reviewers?|reviews?|manual runs?|checks?)\b/i;
const EACH_POINT = /\b(?:each|every|all)\s+(?:points?|criteri(?:on|a)|items?|bullets?)\b/i;

function isGenericCheck(sentence: string): boolean {
  return !sentence.includes('`') && CHECK_WORD.test(sentence) && EACH_POINT.test(sentence);
}

/** The text without its generic check sentences, and whether it had any. */
function withoutGenericChecks(text: string): { text: string; removed: boolean } {
  let removed = false;
  const kept = text.split(/(?<=[.!?\n])/).filter((s) => {
    const generic = isGenericCheck(s);
    removed ||= generic;
    return !generic;
  });
  return { text: kept.join(' '), removed };
}

/** The task's concrete anchors, folder globs left out. */
function places(task: Task): string[] {
  return [...anchors(task)].filter((a) => !GLOB.test(a));
}

function outcome(task: Task, anchorCount: number): boolean {
  if (hasVerifyField(task)) return true;
  if (outcomeIn(withoutGenericChecks(taskText(task)).text)) return true;
  return anchorCount >= 2;
}

export const taskSpecific: Check = (story) => {
  const out: Finding[] = [];
  for (const task of story.tasks) {
    if (task.description.length === 0 || placeholderOnlyBefore(task)) continue; // task-description reports it
    const where = places(task);
    const verified = outcome(task, where.length);
    // A test or verification task changes nothing: what it checks is its place.
    const place = where.length > 0 || (isVerificationTask(task) && verified);
    if (place && verified) continue;
    const globOnly = !place && anchors(task).size > 0;
    const template = !verified && withoutGenericChecks(taskText(task)).removed;
    const missing = [place ? null : 'where it changes', verified ? null : 'how to verify it'].filter(Boolean);
    const hints = [
      place ? null : `where the change happens (a file, \`identifier\`, endpoint or path${globOnly ? '; a folder glob alone is not a place' : ''})`,
      verified ? null : `how to verify it (a test, a command, what the user sees${template ? '; "a test checks each point" names no test' : ''})`,
    ].filter(Boolean);
    out.push({
      message: `Unexpected vague ${taskLabel(task)}, expected ${missing.join(' and ')}`,
      note: `Name ${hints.join(' and ')}.`,
      span: task.heading.span,
    });
  }
  return out;
};


export const taskDomain: Check = (story, { config }) => {
  const out: Finding[] = [];
  const names = config.domains.map((d) => d.name);
  for (const task of story.tasks) {
    const field = task.domain;
    if (!field) continue;
    const value = field.value.trim();
    const span = field.valueSpan;
    if (!value) {
      out.push({ message: `Missing domain in ${taskLabel(task)}, expected one of ${shortList(names)}`, ...(names.length > 5 ? { note: `The domains: ${list(names)}.` } : {}), span: field.span });
      continue;
    }
    if (names.includes(value)) continue;
    const parts = value.split(/(?<!\s)\s*(?:\+|&|\/|,|\band\b)\s*/i).filter(Boolean);
    if (parts.length > 1) {
      out.push({
        message: `Unexpected two domains ${code(clip(value))} in ${taskLabel(task)}, expected one`,
        note: `Split it into one task per domain (${parts.map(code).join(', ')}), the shared contract first.`,
        span,
      });
      continue;
    }
    const same = names.find((n) => n.toLowerCase() === value.toLowerCase());
    if (same) {
      out.push({
        message: `Unexpected domain ${code(value)}, expected ${code(same)}`,
        span,
        fix: { range: [span.start.offset, span.end.offset], text: same },
      });
      continue;
    }
    const guess = closest(value, names);
    out.push({
      message: guess ? `Unexpected domain ${code(clip(value))}, expected ${code(guess)}?` : `Unexpected domain ${code(clip(value))}, expected one of ${shortList(names)}`,
      ...(config.configFile === null && !guess
        ? { note: 'These are the built-in defaults: list your domains under `domains` in plan-tasks.config.json.' }
        : guess || names.length > 5
          ? { note: `The domains: ${list(names)}.` }
          : {}),
      span,
    });
  }
  return out;
};


export const taskDomainHint: Check = (story, { config }) => {
  const out: Finding[] = [];
  if (!config.domains.some((d) => d.keywords.length || d.paths.length)) return out;
  for (const task of story.tasks) {
    const assigned = task.domain?.value.trim();
    if (!assigned || !config.domains.some((d) => d.name === assigned)) continue;
    const text = taskText(task);
    const scores = scoreDomainsBefore(text, pathsIn(text, [...taskCode(task)]), config.domains);
    const own = scores.find((s) => s.name === assigned)!;
    if (own.score > 0) continue;
    const best = scores.filter((s) => s.name !== assigned).sort((a, b) => b.score - a.score)[0];
    if (!best || best.score < 2) continue;
    out.push({
      message: `Unexpected domain ${code(assigned)} for ${taskLabel(task)}, expected ${code(best.name)}`,
      note: `It mentions ${best.name} signals (${list(best.signals.slice(0, 4))}); or split the task per domain.`,
      span: task.domain!.valueSpan,
    });
  }
  return out;
};


const PLAIN_LABEL = /^[A-Z][A-Za-z /-]{1,30}:[ \t]+[^\n]*$/;
/** Field labels written without bold (`Verification: ...`): the paragraph is that field. */
const FIELD_LABEL = /^(?:verification|verify|tests?|testing|files?(?: to [a-z]+| changed| created| modified| updated)?|notes?|implementation(?: details| notes)?|acceptance(?: criteria)?|done when|result|completion notes)[ \t]*:/i;
/** A list's lead-in (`Helper functions:`) is not a sentence either. */
const LEAD_IN = /^[^.!?\n]{1,60}:$/;

/**
 * Paragraphs that are not prose: a one-line `Label: value` (a field without
 * bold), a paragraph under a known field label, a list's lead-in.
 */
function notProse(text: string): boolean {
  const t = text.trim();
  return (PLAIN_LABEL.test(t) && countSentencesBefore(t) <= 1) || FIELD_LABEL.test(t) || LEAD_IN.test(t);
}

export const taskDescription: Check = (story, { config }) => {
  const out: Finding[] = [];
  const { min, max } = config.sizing.sentences;
  for (const task of story.tasks) {
    const placeholder = task.description.find((b) => PLACEHOLDER.test(b.text));
    if (placeholder) {
      const m = PLACEHOLDER.exec(placeholder.text)!;
      out.push({
        message: `Unexpected placeholder ${code(clip(m[0]))} in ${taskLabel(task)}, expected a description`,
        note: 'Say what changes, where, and how to verify it.',
        span: placeholder.span,
      });
      continue;
    }
    // A one-line `Files to modify: x` paragraph is a field without bold markers, not prose.
    const prose = task.description.filter((b) => !notProse(b.text));
    const sentences = prose.reduce((n, b) => n + countSentencesBefore(b.text), 0);
    if (task.description.length === 0 || sentences === 0) {
      out.push({
        message: `Missing description in ${taskLabel(task)}, expected ${min}-${max} sentences`,
        note: 'Prose under the fields: what changes, where, and how to verify it.',
        span: task.heading.span,
      });
    } else if (sentences < min) {
      out.push({
        message: `Unexpected ${sentences} sentence${sentences === 1 ? '' : 's'} in the description of ${taskLabel(task)}, expected at least ${min}`,
        span: prose[0]!.span,
      });
    } else if (sentences > max) {
      const first = prose[0]!.span;
      const last = prose[prose.length - 1]!.span;
      out.push({
        message: `Unexpected ${sentences} sentences in ${taskLabel(task)}, expected at most ${max}`,
        note: 'Keep what, where and how to verify; move detail into fields (`**Files:**`, `**Test:**`) or split the task.',
        span: { start: first.start, end: last.end },
        warnOnly: true,
      });
    }
  }
  return out;
};


export const dependencyCycle: Check = (story) => {
  const out: Finding[] = [];
  const graph = storyGraph(story);
  for (const cycle of findCyclePaths(graph)) {
    const first = graph.node(cycle[0]!) as Task;
    const ref = first.depends.find((r) => r.task === cycle[1] && (r.story === undefined || r.story === story.id));
    out.push({
      message: `Unexpected dependency cycle ${cycle.join(' -> ')}, expected tasks that can be ordered`,
      note: 'Remove one of these dependencies.',
      span: ref ? ref.span : first.heading.span,
    });
  }
  return out;
};


const hours = (h: number) => (h < 1 ? `${Math.round(h * 60)}m` : `${Number(h.toFixed(2))}h`);

export const taskSize: Check = (story, { config }) => {
  const out: Finding[] = [];
  const { estimate, maxFiles, maxSteps } = config.sizing;
  for (const task of story.tasks) {
    const field = task.fields.find((f) => f.key === 'estimate');
    if (field) {
      const h = parseEstimate(field.value);
      if (h === null) {
        out.push({ message: `Unexpected estimate ${code(clip(field.value, 20))}, expected a duration such as \`2h\``, note: 'Durations: `90m`, `2h`, `1d` (8 hours).', span: field.valueSpan });
      } else if (h > estimate.max) {
        out.push({ message: `Unexpected estimate ${code(clip(field.value, 20))} for ${taskLabel(task)}, expected at most ${hours(estimate.max)}`, note: 'Split the task.', span: field.valueSpan });
      } else if (h < estimate.min) {
        out.push({ message: `Unexpected estimate ${code(clip(field.value, 20))} for ${taskLabel(task)}, expected at least ${hours(estimate.min)}`, note: 'Fold it into a neighbouring task.', span: field.valueSpan });
      }
      continue;
    }
    // The heuristics help plan a task; once it is done, splitting it is moot
    // (and its notes list what was touched, not what is left to do).
    if (taskPhase(config, task.status?.value) === 'done') continue;
    const files = pathsIn(taskText(task), [...taskCode(task)]).filter((p) => /\.\w+$|\/$/.test(p));
    if (files.length > maxFiles) {
      out.push({
        message: `Unexpected ${files.length} files named in ${taskLabel(task)}, expected at most ${maxFiles}`,
        note: `That many is more than a task of ${hours(estimate.max)} or less: split it, or add an \`**Estimate:**\`.`,
        span: task.heading.span,
      });
      continue;
    }
    const steps = task.blocks.filter((b) => b.kind === 'list' && b.ordered).reduce((n, b) => n + (b.items ?? 0), 0);
    if (steps > maxSteps) {
      out.push({
        message: `Unexpected ${steps} numbered steps in ${taskLabel(task)}, expected at most ${maxSteps}`,
        note: `That many is more than a task of ${hours(estimate.max)} or less: split it, or add an \`**Estimate:**\`.`,
        span: task.heading.span,
      });
    }
  }
  return out;
};

