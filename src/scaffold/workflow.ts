/**
 * How a GitHub Actions workflow task is verified: by the event that runs the
 * workflow. A pull request runs only `pull_request` workflows; a nightly job
 * (`schedule:`) is run once by hand (`gh workflow run`, which needs
 * `workflow_dispatch:`), a release workflow by a tag push, and so on. The
 * event comes from the criteria's words ("nightly", "on every tag", "on every
 * pull request"), else from the triggers the workflow file's `on:` lists.
 */

/** An event that starts a workflow run, as a verification needs it. */
export type Trigger = 'pull_request' | 'push' | 'tag' | 'release' | 'schedule' | 'dispatch';

/** The events a workflow's `on:` lists, and the first tag pattern of its `push:` (a light read of the YAML: key names only). */
export interface WorkflowTriggers {
  events: Set<Trigger>;
  tagPattern: string | null;
}

const EVENT: Record<string, Trigger> = {
  pull_request: 'pull_request',
  pull_request_target: 'pull_request',
  push: 'push',
  release: 'release',
  schedule: 'schedule',
  workflow_dispatch: 'dispatch',
};

/** The triggers of a workflow file's text; no events when it has no readable `on:`. */
export function workflowTriggers(text: string): WorkflowTriggers {
  const events = new Set<Trigger>();
  let tagPattern: string | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const start = lines.findIndex((l) => /^(?:on|"on"|'on'|true)\s*:/.test(l));
  if (start === -1) return { events, tagPattern };
  const inline = lines[start]!.replace(/^[^:]*:\s*/, '').replace(/\s+#.*$/, '').trim();
  if (inline) {
    for (const name of inline.replace(/^\[|\]$/g, '').split(/\s*,\s*/)) {
      const e = EVENT[name.replace(/['"]/g, '').trim()];
      if (e) events.add(e);
    }
    return { events, tagPattern };
  }
  // The block under `on:`: its least indented keys are the events.
  const block: { indent: number; text: string }[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.trim() || /^\s*#/.test(l)) continue;
    const indent = l.length - l.trimStart().length;
    if (indent === 0) break;
    block.push({ indent, text: l.trim() });
  }
  const top = Math.min(...block.map((b) => b.indent));
  let current: string | null = null;
  let sub: string | null = null;
  let hasPush = false;
  let pushHasTags = false;
  let pushHasBranches = false;
  for (const b of block) {
    if (b.indent === top) {
      current = b.text.replace(/\s*:.*$/, '').replace(/['"]/g, '');
      sub = null;
      const e = EVENT[current];
      if (e === 'push') hasPush = true;
      else if (e) events.add(e);
      continue;
    }
    if (current !== 'push') continue;
    const key = /^([\w-]+)\s*:/.exec(b.text);
    if (key) {
      sub = key[1]!;
      if (sub === 'tags') {
        pushHasTags = true;
        const inlineTag = /^tags\s*:\s*\[?\s*['"]?([^'",\]\s]+)/.exec(b.text);
        if (inlineTag && !tagPattern) tagPattern = inlineTag[1]!;
      } else if (/^(?:branches|branches-ignore|paths|paths-ignore)$/.test(sub)) pushHasBranches = true;
    } else if (sub === 'tags' && !tagPattern && b.text.startsWith('-')) {
      tagPattern = b.text.replace(/^-\s*/, '').replace(/['"]/g, '').trim() || null;
    }
  }
  if (hasPush) {
    if (pushHasTags) events.add('tag');
    if (pushHasBranches || !pushHasTags) events.add('push');
  }
  return { events, tagPattern };
}

const SCHEDULE = /\b(?:nightly|daily|weekly|hourly|monthly|every (?:night|day|week|hour|morning|evening|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+ (?:minutes|hours|days))|on a schedule|scheduled|cron)\b/i;
const RELEASE_EVENT = /\b(?:when|once|after) a (?:GitHub )?release is (?:published|created)\b|\bon (?:every |each )?(?:published )?release\b/i;
const TAG = /\b(?:tags?|tagged)\b/i;
const RELEASE = /\b(?:releases?|publish(?:es|ed)?|deploys?)\b/i;
const PULL_REQUEST = /\bpull requests?\b|\bPRs?\b/;
const PUSH = /\bpush(?:es|ed)? to (?:`?main`?|`?master`?|the default branch)\b|\bon (?:every |each )?push\b|\bmerged?\b/i;
const DISPATCH = /\bmanual(?:ly)?\b|\bon demand\b|\bworkflow_dispatch\b/i;

/** The event the criteria say runs the workflow, or null when they name none. */
export function criteriaTrigger(texts: readonly string[]): Trigger | null {
  const text = texts.join(' ');
  if (SCHEDULE.test(text)) return 'schedule';
  if (RELEASE_EVENT.test(text)) return 'release';
  if (TAG.test(text)) return 'tag';
  if (PULL_REQUEST.test(text)) return 'pull_request';
  if (PUSH.test(text)) return 'push';
  if (DISPATCH.test(text)) return 'dispatch';
  if (RELEASE.test(text)) return 'tag';
  return null;
}

/** A tag the workflow's tag pattern matches (`v*` -> `v0.0.0-test.1`). */
function testTag(pattern: string | null): string {
  if (pattern && /^[0-9*]/.test(pattern) && !pattern.startsWith('v')) return '0.0.0-test.1';
  return 'v0.0.0-test.1';
}

const code = (s: string) => '`' + s + '`';

/**
 * The verification sentence (one sentence, starting " Verify:") for a task
 * that changes or adds the workflow `file`: actionlint, then the event that
 * runs it. `fileText`: the existing workflow's text, null for a new one.
 */
export function workflowVerification(file: string, texts: readonly string[], fileText: string | null): string {
  const found = fileText === null ? null : workflowTriggers(fileText);
  const events = found?.events ?? new Set<Trigger>();
  const said = criteriaTrigger(texts);
  // The cheapest event that runs it: a pull request, a push, else by hand (with the schedule's note).
  const order: Trigger[] = ['pull_request', 'push', 'schedule', 'dispatch', 'tag', 'release'];
  let trigger: Trigger = said ?? order.find((t) => events.has(t)) ?? 'pull_request';
  // "the release workflow ...": a workflow run by a published release, not a tag push.
  if (trigger === 'tag' && !events.has('tag') && events.has('release')) trigger = 'release';
  const name = file.slice(file.lastIndexOf('/') + 1);
  const lint = `run ${code(`actionlint ${file}`)}`;
  const check = 'check each point below in the run it starts';
  switch (trigger) {
    case 'schedule': {
      const run = `run it once with ${code(`gh workflow run ${name}`)} and check each point below in that run`;
      if (fileText === null) return ` Verify: ${lint}; a pull request never runs a ${code('schedule:')} trigger, so give the workflow ${code('workflow_dispatch:')} beside ${code('schedule:')}, ${run}.`;
      if (events.has('dispatch')) return ` Verify: ${lint}, then ${run} (a pull request never runs its ${code('schedule:')} trigger).`;
      return ` Verify: ${lint}; a pull request never runs its ${code('schedule:')} trigger, so add ${code('workflow_dispatch:')} to its ${code('on:')}, ${run}.`;
    }
    case 'dispatch':
      return ` Verify: ${lint}, then run it with ${code(`gh workflow run ${name}`)} and check each point below in that run.`;
    case 'tag': {
      const tag = testTag(found?.tagPattern ?? null);
      return ` Verify: ${lint}, then in a fork push a test tag (${code(`git tag ${tag} && git push origin ${tag}`)}; a pull request never runs a tag trigger) and ${check}.`;
    }
    case 'release':
      return ` Verify: ${lint}, then in a fork publish a test pre-release (${code('gh release create v0.0.0-test.1 --prerelease')}) and ${check}.`;
    case 'push':
      return ` Verify: ${lint}, then push to a branch its ${code('push:')} trigger matches and ${check}.`;
    default:
      return ` Verify: ${lint}, then open a pull request and ${check}.`;
  }
}
