/**
 * Git mode for `plan-tasks lint`:
 *
 * - `--staged`: lint the index version of every staged story (or of the named
 *   paths) and compare it with its HEAD version. Cross-story refs resolve
 *   against the index too: the commit being made is exactly the index, so a
 *   ref to a task added in another staged file resolves, and an unstaged edit
 *   elsewhere cannot make a broken commit pass.
 * - `--base <rev>`: lint the HEAD version of every story changed between
 *   merge-base(<rev>, HEAD) and HEAD (what a pull request changes; CI checks
 *   out HEAD), compared with its version at the merge-base, following renames.
 *   Cross-story refs resolve against HEAD's tree.
 *
 * A story deleted in the change is not linted and not reported: deleting a
 * whole story is a visible act in any review, and there is no line to point at.
 *
 * git runs a constant number of times per call (all blobs through one
 * `git cat-file --batch`), however many stories changed.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import type { LintOptions, GitLinter } from '../commands/lint.js';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import { applyComments, makeResult, sortMessages, toMessage } from '../lint/engine.js';
import { Project, summarize, type StorySummary } from '../lint/project.js';
import { decodeStory, lintStoryText } from '../lint/run.js';
import type { LintMessage, LintResult } from '../lint/types.js';
import { parseForLint } from '../lint/analyze.js';
import { dependencyIds } from '../story/sections.js';
import { git, gitMessage, gitOk, readBlobs, splitZ, type GitEnv } from './exec.js';
import { transitionRules } from './rules/index.js';

interface Change {
  /** A, M, R, C, D, T, U... */
  status: string;
  path: string;
  /** For renames and copies: the old path. */
  from?: string;
}

/** Parse `git diff --name-status -z` output. */
export function parseNameStatus(buf: Buffer): Change[] {
  const parts = splitZ(buf);
  const out: Change[] = [];
  for (let i = 0; i < parts.length; ) {
    const status = parts[i++]!;
    const code = status[0]!;
    if (code === 'R' || code === 'C') {
      const from = parts[i++]!;
      const path = parts[i++]!;
      out.push({ status: code, path, from });
    } else {
      out.push({ status: code, path: parts[i++]! });
    }
  }
  return out;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    try {
      return join(realpathSync(dirname(p)), basename(p));
    } catch {
      return p;
    }
  }
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
const inside = (rel: string) => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);

/**
 * Pathspecs (relative to the repository's top) covering every story the globs can
 * match and every path named on the command line: the globs' static folders and the
 * paths themselves. Empty (the whole repository) when one of them cannot be narrowed:
 * a glob without a static folder, or anything outside the repository.
 */
export function listScope(globs: readonly string[], realRoot: string, top: string, paths: readonly string[], cwd: string): string[] {
  const scope = new Set<string>();
  for (const glob of globs) {
    const base = picomatch.scan(glob).base;
    const rel = toPosix(relative(top, join(realRoot, base)));
    if (!inside(rel)) return [];
    scope.add(rel);
  }
  for (const arg of paths) {
    const rel = toPosix(relative(top, real(isAbsolute(arg) ? arg : resolve(cwd, arg))));
    if (!inside(rel)) return [];
    scope.add(rel);
  }
  return [...scope];
}

interface Repo {
  top: string;
  shallow: boolean;
  head: string | null;
  where: GitEnv;
}

async function openRepo(flag: string, io: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Repo> {
  const env = { ...process.env, ...io.env };
  // Both from the caller's folder, at the same time (a hook pays for every process in a row).
  const [probe, head] = await Promise.all([
    git(['rev-parse', '--show-toplevel', '--is-shallow-repository'], { cwd: io.cwd, env }),
    git(['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { cwd: io.cwd, env }),
  ]);
  if (probe.code !== 0) {
    if (/not a git repository/i.test(probe.stderr)) {
      throw new UsageError(`Not a git repository: ${io.cwd}`, `${flag} reads story versions from git: run it inside a git working tree (git init), or lint without ${flag}.`);
    }
    throw new UsageError(`Cannot use ${flag} here: ${gitMessage(probe)}`, `${flag} needs a git working tree.`);
  }
  const [top, shallow] = probe.stdout.toString('utf8').split('\n');
  const where = { cwd: top!, env };
  return { top: top!, shallow: shallow === 'true', head: head.code === 0 ? head.stdout.toString('utf8').trim() : null, where };
}

const FETCH_HINT = 'This is a shallow clone: fetch the history, e.g. actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`.';

/** merge-base(<rev>, HEAD), with usage errors that say what to do. */
async function mergeBase(rev: string, repo: Repo): Promise<string> {
  if (!repo.head) throw new UsageError('HEAD has no commit yet, so there is nothing to compare with --base', 'Commit first, or use --staged before the first commit.');
  const verify = await git(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], repo.where);
  if (verify.code !== 0) {
    throw new UsageError(
      `Unknown revision "${rev}" for --base, expected a branch, tag or commit of this repository`,
      repo.shallow ? FETCH_HINT : `Check the name (git branch -a), or fetch it first: git fetch origin ${rev.replace(/^origin\//, '')}`,
    );
  }
  const sha = verify.stdout.toString('utf8').trim();
  const mb = await git(['merge-base', sha, repo.head], repo.where);
  if (mb.code !== 0 || !mb.stdout.toString('utf8').trim()) {
    if (repo.shallow) throw new UsageError(`No merge-base of "${rev}" and HEAD in this shallow clone`, FETCH_HINT);
    if (mb.code > 1) throw new UsageError(`git merge-base failed: ${gitMessage(mb)}`);
    throw new UsageError(`No common ancestor of "${rev}" and HEAD`, 'Pass the branch this one was started from, such as origin/main.');
  }
  return mb.stdout.toString('utf8').trim().split('\n')[0]!;
}

interface Target {
  /** Repo-relative path of the new version. */
  path: string;
  /** Repo-relative path of the old version (a rename's source). */
  oldPath: string;
}

export const lintGit: GitLinter = async (options: LintOptions, config: ResolvedConfig, io) => {
  const staged = options.staged;
  const flag = staged ? '--staged' : '--base';
  const repo = await openRepo(flag, io);
  const { top, where } = repo;

  // Which repo paths are stories: the config's globs, relative to its root.
  const realRoot = real(config.root);
  const isStory = picomatch(config.stories, { dot: true });
  const matchesGlob = (p: string) => {
    const rel = toPosix(relative(realRoot, join(top, p)));
    return inside(rel) && isStory(rel);
  };
  // Report working-tree paths under the config root as the user spelled it.
  const reportPath = (p: string) => {
    const abs = join(top, p);
    const rel = relative(realRoot, abs);
    return inside(rel) ? join(config.root, rel) : abs;
  };

  let oldRev: string | null;
  let newPrefix: string;
  let changes: Change[];
  let tree: string[];
  const before = staged ? 'HEAD' : options.base!;
  const after = staged ? 'staged' : 'HEAD';
  // The files listed: only the story folders and the paths named, when they can be
  // told (a monorepo's whole file list would cost the hook time for files it never reads).
  const scope = listScope(config.stories, realRoot, top, options.paths, io.cwd);
  if (staged) {
    oldRev = repo.head;
    newPrefix = ':0:';
    // On an unborn branch `diff --cached` compares with the empty tree.
    const [diff, files] = await Promise.all([
      gitOk(['diff', '--cached', '--name-status', '-z', '-M', '--no-relative', '--no-ext-diff'], where),
      gitOk(['--literal-pathspecs', 'ls-files', '-z', '--full-name', '--', ...scope], where),
    ]);
    changes = parseNameStatus(diff);
    tree = [...new Set(splitZ(files))];
  } else {
    oldRev = await mergeBase(options.base!, repo);
    newPrefix = `${repo.head}:`;
    const [diff, files] = await Promise.all([
      gitOk(['diff', '--name-status', '-z', '-M', '--no-relative', '--no-ext-diff', oldRev, repo.head!], where),
      gitOk(['--literal-pathspecs', 'ls-tree', '-r', '-z', '--name-only', '--full-tree', repo.head!, '--', ...scope], where),
    ]);
    changes = parseNameStatus(diff);
    tree = splitZ(files);
  }

  const renamedFrom = new Map(changes.filter((c) => c.status === 'R').map((c) => [c.path, c.from!]));
  const deleted = new Set(changes.filter((c) => c.status === 'D').map((c) => c.path));
  const inTree = new Set(tree);
  let targets: Target[];
  if (options.paths.length === 0) {
    targets = changes
      .filter((c) => c.status !== 'D' && c.status !== 'U' && c.status !== 'X' && inTree.has(c.path) && matchesGlob(c.path))
      .map((c) => ({ path: c.path, oldPath: c.status === 'R' ? c.from! : c.path }));
  } else {
    const chosen = new Set<string>();
    for (const arg of options.paths) {
      const abs = real(isAbsolute(arg) ? arg : resolve(io.cwd, arg));
      const rel = toPosix(relative(top, abs));
      if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`Cannot lint ${arg} with ${flag}: it is outside the git repository ${top}`);
      if (inTree.has(rel)) {
        chosen.add(rel);
        continue;
      }
      const prefix = rel === '' ? '' : `${rel}/`;
      const under = tree.filter((p) => p.startsWith(prefix) && p.endsWith('.md'));
      if (under.length) {
        for (const p of under) chosen.add(p);
        continue;
      }
      if (deleted.has(rel)) continue;
      throw new UsageError(
        staged ? `Cannot lint ${arg} with --staged: it is not in the git index` : `Cannot lint ${arg} with --base: it is not in HEAD`,
        staged ? 'Stage it with `git add`, or lint the working-tree version without --staged.' : 'Commit it, or lint the working-tree version without --base.',
      );
    }
    targets = [...chosen].sort().map((p) => ({ path: p, oldPath: renamedFrom.get(p) ?? p }));
  }
  if (targets.length === 0) return [];

  // Every blob in one process: new versions, old versions, the other stories.
  const projectPaths = tree.filter(matchesGlob);
  const wanted = [...new Set([...targets.map((t) => t.path), ...projectPaths])];
  const names = wanted.map((p) => newPrefix + p);
  const oldIndex = new Map<string, number>();
  if (oldRev && options.transitions) {
    for (const t of targets) {
      oldIndex.set(t.path, names.length);
      names.push(`${oldRev}:${t.oldPath}`);
    }
  }
  const blobs = await readBlobs(names, where);
  const newText = new Map<string, Buffer | null>(wanted.map((p, i) => [p, blobs[i] ?? null]));

  // Other stories for cross-story refs: from the same version, read lazily.
  const byReport = new Map(wanted.map((p) => [reportPath(p), p]));
  const project = new Project([...byReport.keys()], (file) => {
    const p = byReport.get(file);
    const bytes = p === undefined ? null : newText.get(p);
    if (!bytes) return null;
    const read = decodeStory(bytes);
    if (!('text' in read)) return null;
    // Like the plain lint path: a story reached only through `## Dependencies`
    // (the story-cycle walk) is read by a line scan when it can tell exactly;
    // the rest of its summary parses it on first use.
    let parsed: StorySummary | undefined;
    const full = () => (parsed ??= summarize(parseForLint(read.text, file), file));
    const dependencies = dependencyIds(read.text);
    if (dependencies === null) return full();
    return {
      path: file,
      dependencies,
      get id() { return full().id; },
      get status() { return full().status; },
      get tasks() { return full().tasks; },
    };
  });

  const results: LintResult[] = [];
  for (const t of targets) {
    const file = reportPath(t.path);
    const bytes = newText.get(t.path);
    if (!bytes) continue; // a submodule or other non-blob entry
    const read = decodeStory(bytes);
    if ('fatal' in read) {
      results.push(makeResult(file, [read.fatal]));
      continue;
    }
    const lint = lintStoryText(read.text, file, { config, project, sectionsOnly: true });
    let messages = lint.messages;
    const i = oldIndex.get(t.path);
    const oldBytes = i === undefined ? null : blobs[i];
    if (oldBytes && !oldBytes.equals(bytes)) {
      const oldRead = decodeStory(oldBytes);
      if ('text' in oldRead) {
        const oldStory = parseForLint(oldRead.text, file);
        const extra: LintMessage[] = [];
        const ctx = { config, before, after };
        for (const rule of transitionRules) {
          const severity = config.rules[rule.meta.id] ?? 'error';
          if (severity === 'off') continue;
          for (const finding of rule.check(oldStory, lint.story, ctx)) extra.push(toMessage(rule.meta.id, severity, finding));
        }
        if (extra.length) messages = sortMessages([...messages, ...applyComments(lint.story, extra)]);
      }
    }
    results.push(makeResult(file, messages));
  }
  return results;
};
