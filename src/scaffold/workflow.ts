/**
 * How a GitHub Actions workflow task is verified: by the event that runs the
 * workflow. A pull request runs only `pull_request` workflows; a nightly job
 * (`schedule:`) is run once by hand (`gh workflow run`, which needs
 * `workflow_dispatch:`), a release workflow by a tag push its filter matches,
 * and so on. An existing workflow's `on:` (parsed with the `yaml` package,
 * aliases and merge keys resolved) decides; the criteria's words ("nightly",
 * "on every tag", "on every pull request") decide only for a new workflow, or
 * pick among the events the file lists. A workflow whose `on:` cannot be read
 * is said to be so, never guessed.
 */
import { parseDocument } from 'yaml';

/** An event that starts a workflow run, as a verification needs it. */
export type Trigger =
  | 'pull_request'
  | 'push'
  | 'tag'
  | 'release'
  | 'schedule'
  | 'dispatch'
  | 'merge_group'
  | 'workflow_run'
  | 'workflow_call'
  | 'other';

/** What a workflow's `on:` says about the events that run it. */
export interface WorkflowTriggers {
  events: Set<Trigger>;
  /** The first tag pattern of its `push: tags:` (null when it has none). */
  tagPattern: string | null;
  /** A tag that its `push:` tag filters (`tags`, `tags-ignore`) let through; null when it runs on no tag or none was found. */
  testTag: string | null;
  /** The workflows a `workflow_run:` trigger follows. */
  follows: string[];
  /** Events with no verification of their own (`issue_comment`, `issues`...), as GitHub names them. */
  others: string[];
  /** Why the `on:` could not be read (a YAML error, no `on:`, a shape GitHub does not accept); null when it was. */
  unreadable: string | null;
}

const EVENT: Record<string, Trigger> = {
  pull_request: 'pull_request',
  pull_request_target: 'pull_request',
  release: 'release',
  schedule: 'schedule',
  workflow_dispatch: 'dispatch',
  merge_group: 'merge_group',
  workflow_run: 'workflow_run',
  workflow_call: 'workflow_call',
};

/** A GitHub filter pattern (`*`, `**`, `?` and `+` after a character, `[...]`, `\` escapes) as an anchored regular expression. */
function filterRegExp(pattern: string): RegExp | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (ch === '?' || ch === '+') out += ch;
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) return null;
      out += pattern.slice(i, end + 1);
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      out += pattern[i + 1]!.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      i++;
    } else out += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    return null;
  }
}

/** A tag a filter pattern matches: `v*` -> `v0.0.0-test.1`, `release-*` -> `release-0.0.0-test.1`, `v[0-9]+.[0-9]+` -> `v0.0`. */
function tagLike(pattern: string): string {
  const stars = (pattern.match(/\*+/g) ?? []).length;
  let seen = 0;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') i++;
      seen++;
      out += seen < stars ? '0' : stars === 1 ? '0.0.0-test.1' : '0-test.1';
    } else if (ch === '?' || ch === '+') continue;
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      const body = end === -1 ? '' : pattern.slice(i + 1, end).replace(/^\^|^!/, '');
      out += body[0] ?? '0';
      i = end === -1 ? pattern.length : end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      out += pattern[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

const strings = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);

/** A tag that `tags` lets through and `tagsIgnore` does not (GitHub's order: a later `!pattern` excludes). */
function tagFor(tags: string[] | undefined, tagsIgnore: string[] | undefined): string | null {
  const matches = (p: string, tag: string) => filterRegExp(p)?.test(tag) ?? false;
  const runs = (tag: string) => {
    let included = tags === undefined;
    for (const p of tags ?? []) {
      if (p.startsWith('!')) {
        if (matches(p.slice(1), tag)) included = false;
      } else if (matches(p, tag)) included = true;
    }
    return included && !(tagsIgnore ?? []).some((p) => matches(p, tag));
  };
  const candidates = [...(tags ?? []).filter((p) => !p.startsWith('!')).map(tagLike), 'v0.0.0-test.1', '0.0.0-test.1', 'test-0.0.0', 'plan-tasks-test-1'];
  return candidates.find(runs) ?? null;
}

/**
 * The triggers of a workflow file's text, parsed as YAML (merge keys on,
 * aliases resolved). `unreadable` says why when the text is not YAML, has no
 * `on:`, or its `on:` is not an event name, a list or a mapping of them.
 */
export function workflowTriggers(text: string): WorkflowTriggers {
  const found: WorkflowTriggers = { events: new Set(), tagPattern: null, testTag: null, follows: [], others: [], unreadable: null };
  let data: unknown;
  try {
    const doc = parseDocument(text.replace(/^\uFEFF/, ''), { merge: true, prettyErrors: true, uniqueKeys: false });
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      found.unreadable = e.linePos ? `YAML error at line ${e.linePos[0].line}: ${what}` : `YAML error: ${what}`;
      return found;
    }
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    found.unreadable = `it is not YAML (${(e as Error).message.split('\n')[0]})`;
    return found;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    found.unreadable = 'it is not a YAML mapping';
    return found;
  }
  const top = data as Record<string, unknown>;
  // `on` is a string key in YAML 1.2; a YAML 1.1 reader would have made it `true`.
  const on = 'on' in top ? top.on : top.true;
  if (on === undefined) {
    found.unreadable = 'it has no `on:`';
    return found;
  }
  let events: Record<string, unknown>;
  if (typeof on === 'string') events = { [on]: null };
  else if (Array.isArray(on) && on.every((e) => typeof e === 'string')) events = Object.fromEntries(on.map((e: string) => [e, null]));
  else if (on !== null && typeof on === 'object' && !Array.isArray(on)) events = on as Record<string, unknown>;
  else {
    found.unreadable = '`on:` is not an event, a list or a mapping of events';
    return found;
  }
  for (const [name, value] of Object.entries(events)) {
    const cfg = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    if (name === 'push') {
      const tags = strings(cfg.tags);
      const tagsIgnore = strings(cfg['tags-ignore']);
      const byBranch = cfg.branches !== undefined || cfg['branches-ignore'] !== undefined;
      const byTag = tags !== undefined || tagsIgnore !== undefined;
      // GitHub: only tag filters -> tag pushes only; only branch filters -> branch pushes only.
      if (byBranch || !byTag) found.events.add('push');
      if (byTag) {
        found.tagPattern ??= tags?.find((t) => !t.startsWith('!')) ?? null;
        found.testTag ??= tagFor(tags, tagsIgnore);
        found.events.add('tag');
      }
      continue;
    }
    const e = EVENT[name];
    if (e) found.events.add(e);
    else found.others.push(name);
    if (name === 'workflow_run') found.follows.push(...(strings(cfg.workflows) ?? []));
  }
  if (found.events.size === 0 && found.others.length === 0) found.unreadable = '`on:` lists no event';
  return found;
}

const SCHEDULE = /\b(?:nightly|daily|weekly|hourly|monthly|every (?:night|day|week|hour|morning|evening|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+ (?:minutes|hours|days))|on a schedule|scheduled|cron)\b/i;
const RELEASE_EVENT = /\b(?:when|once|after) a (?:GitHub )?release is (?:published|created)\b|\bon (?:every |each )?(?:published )?release\b/i;
/** A git tag, not an HTML or a label one: "on every tag", "a tag is pushed", "tagged", "`v*` tags", "version tags". */
const TAG = /\b(?:(?:a|an|the|each|every|new|version|release|git|test|semver) tags?|tags? (?:is |are )?push(?:ed)?|push(?:es|ed|ing)? (?:a |the )?tags?|tagged|on tags?)\b|`[^`]*`\s+tags?\b/i;
/** A release: a package, image or binaries published, a deployment. */
const RELEASE = /\breleases?\b|\bpublish(?:es|ed|ing)? (?:the |a |its |our )?(?:package|packages|crate|gem|wheel|image|images|binaries|artifacts?|to (?:npm|PyPI|the registry|crates\.io|Docker Hub|GHCR))\b|\bdeploy(?:s|ed|ment)?\b/i;
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

const code = (s: string) => '`' + s + '`';

/** How to cause an event the plan has no sentence of its own for. */
const CAUSE: Record<string, string> = {
  issue_comment: 'comment on an issue or a pull request',
  issues: 'open an issue',
  pull_request_review: 'review a pull request',
  pull_request_review_comment: 'comment on a line of a pull request',
  discussion: 'start a discussion',
  discussion_comment: 'comment on a discussion',
  create: 'create a branch',
  delete: 'delete a branch',
  fork: 'fork the repository',
  watch: 'star the repository',
  label: 'create a label',
  milestone: 'create a milestone',
  page_build: 'push to the GitHub Pages branch',
  registry_package: 'publish a package to GitHub Packages',
  check_run: 'let a check run complete',
  check_suite: 'let a check suite complete',
  deployment: 'create a deployment',
  deployment_status: 'update a deployment',
  gollum: 'edit a wiki page',
  project: 'create a project',
  status: 'set a commit status',
  repository_dispatch: 'send a `repository_dispatch` event (`gh api repos/OWNER/REPO/dispatches -f event_type=...`)',
};

/**
 * The verification sentence (one sentence, starting " Verify:") for a task
 * that changes or adds the workflow `file`: actionlint, then the event that
 * runs it. `fileText`: the existing workflow's text, null for a new one.
 */
export function workflowVerification(file: string, texts: readonly string[], fileText: string | null): string {
  const found = fileText === null ? null : workflowTriggers(fileText);
  const name = file.slice(file.lastIndexOf('/') + 1);
  const lint = `run ${code(`actionlint ${file}`)}`;
  const check = 'check each point below in the run it starts';
  if (found?.unreadable) {
    return ` Verify: ${lint} (its ${code('on:')} could not be read: ${found.unreadable.replace(/\.$/, '')}), then give it an ${code('on:')} GitHub can read, start a run with an event it lists, and ${check}.`;
  }
  const events = found?.events ?? new Set<Trigger>();
  const said = criteriaTrigger(texts);
  let trigger: Trigger;
  if (found === null) trigger = said ?? 'pull_request';
  else {
    // The file decides; the words only pick among its events.
    const pick = said === 'tag' && !events.has('tag') && events.has('release') ? 'release' : said;
    // The cheapest event that runs it: a pull request, a push, else by hand (with the schedule's note).
    const order: Trigger[] = ['pull_request', 'merge_group', 'push', 'schedule', 'dispatch', 'tag', 'release', 'workflow_run', 'workflow_call'];
    trigger = pick && events.has(pick) ? pick : (order.find((t) => events.has(t)) ?? 'other');
  }
  switch (trigger) {
    case 'schedule': {
      const run = `run it once with ${code(`gh workflow run ${name}`)} and check each point below in that run`;
      if (fileText === null) return ` Verify: ${lint}; a pull request never runs a ${code('schedule:')} trigger, so give the workflow ${code('workflow_dispatch:')} beside ${code('schedule:')}, ${run}.`;
      if (events.has('dispatch')) return ` Verify: ${lint}, then ${run} (a pull request never runs its ${code('schedule:')} trigger).`;
      return ` Verify: ${lint}; a pull request never runs its ${code('schedule:')} trigger, so add ${code('workflow_dispatch:')} to its ${code('on:')}, ${run}.`;
    }
    case 'dispatch':
      if (fileText === null) return ` Verify: ${lint}; give the workflow ${code('workflow_dispatch:')}, run it with ${code(`gh workflow run ${name}`)} and check each point below in that run.`;
      return ` Verify: ${lint}, then run it with ${code(`gh workflow run ${name}`)} and check each point below in that run.`;
    case 'tag': {
      const tag = found ? found.testTag : 'v0.0.0-test.1';
      if (tag === null) return ` Verify: ${lint}, then in a fork push a tag its ${code('push: tags:')} filter matches (a pull request never runs a tag trigger) and ${check}.`;
      return ` Verify: ${lint}, then in a fork push a test tag (${code(`git tag ${tag} && git push origin ${tag}`)}; a pull request never runs a tag trigger) and ${check}.`;
    }
    case 'release':
      return ` Verify: ${lint}, then in a fork publish a test pre-release (${code('gh release create v0.0.0-test.1 --prerelease')}) and ${check}.`;
    case 'push':
      return ` Verify: ${lint}, then push to a branch its ${code('push:')} trigger matches and ${check}.`;
    case 'merge_group':
      return ` Verify: ${lint}, then in a fork with a merge queue add a pull request to the queue and ${check} (its ${code('merge_group:')} trigger; a plain pull request does not run it).`;
    case 'workflow_run': {
      const after = found?.follows.length ? found.follows.map((w) => code(w)).join(', ') : 'the workflows its `workflow_run:` names';
      return ` Verify: ${lint}, then in a fork let a run of ${after} complete and check each point below in the run it then starts.`;
    }
    case 'workflow_call':
      return ` Verify: ${lint}, then call it from a workflow in a fork (${code(`uses: ./.github/workflows/${name}`)}; a reusable workflow runs only from a caller) and check each point below in the caller's run.`;
    case 'other': {
      const ev = found!.others[0]!;
      const how = CAUSE[ev] ?? `cause its ${code(ev)} event`;
      return ` Verify: ${lint}, then in a fork ${how} (its ${code(`${ev}:`)} trigger) and ${check}.`;
    }
    default:
      if (fileText === null) return ` Verify: ${lint}; give the workflow ${code('pull_request:')}, then open a pull request and ${check}.`;
      return ` Verify: ${lint}, then open a pull request and ${check}.`;
  }
}
