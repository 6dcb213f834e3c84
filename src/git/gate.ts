/**
 * The gates: `lint --staged` (pre-commit) and `lint --base <rev>` (a pull
 * request). Both lint the project as it will be after the change through the
 * one pipeline (`lint(snapshot)`, src/lint/lint.ts):
 *
 * - the new snapshot is the index (`--staged`) or HEAD's tree (`--base`), the
 *   old one HEAD or merge-base(<rev>, HEAD);
 * - reported are (a) every finding in a changed story (or in each named path),
 *   with the transition rules against its old version, (b) every finding in an
 *   untouched story that the change caused: absent when that story is linted in
 *   the old snapshot (a dangling ref after a task or story was deleted or
 *   renumbered), found among the stories whose text refers to a changed or
 *   deleted story number by a line scan, (c) every finding everywhere when the
 *   config changed; old findings in untouched stories do not block;
 * - old and new versions are paired by git's rename detection (with break
 *   detection, `-B`: a path rewritten whose old text went elsewhere is a new
 *   story, the other path its old story's new version), then by story
 *   number (the `NNN-` prefix) for what git calls an add and a delete; a deleted
 *   story's started or finished tasks are `task-removed`;
 * - no path is skipped: git lists with `-z` and blobs are read by object id, so
 *   names git would quote, names holding a newline and non-UTF-8 names are all
 *   read; a symbolic link to another story is followed; an unmerged path, a
 *   submodule or a link to nothing readable is a fatal message.
 *
 * git runs a constant number of times per call (all blobs through one
 * `git cat-file --batch`), however many stories changed.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { isDynamicPattern } from 'tinyglobby';
import { defaultConfig } from '../config/defaults.js';
import { CONFIG_FILES, findConfig, loadConfig, parseConfigJson, resolveFoundConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { IO } from '../commands/io.js';
import { crossStory, parseForLint, type Analysis } from '../lint/analyze.js';
import { makeResult, sortMessages, toMessage } from '../lint/engine.js';
import { decodeStory, storiesGlobMatcher, type ReadResult } from '../lint/files.js';
import { stronglyConnected } from '../graph/cycles.js';
import { lint, type ProjectLintOptions } from '../lint/lint.js';
import { fileStoryId, storyKey, summarize } from '../lint/project.js';
import { memorySnapshot, replacedSnapshot } from '../lint/snapshot.js';
import type { LintMessage, LintResult } from '../lint/types.js';
import type { Story } from '../story/model.js';
import type { GateOptions } from './options.js';
import { git, gitMessage, gitOk, readBlobs, splitZ, type GitEnv } from './exec.js';
import { transitionReaders, transitionRules } from './rules/index.js';
import { worktreeBlobs, type ListedBlob } from './worktree.js';
import { checkDeleted } from './rules/index.js';
import { compileWithoutInlining, NO_INLINING_FROM } from '../lint/jit.js';

/** One entry of `git diff --raw -z`. */
export interface Change {
  /** A, M, R, C, D, T, U, X. */
  status: string;
  /** The new path (for a deletion: the deleted path). */
  path: string;
  /** The old path (a rename's or copy's source; else `path`). */
  from: string;
  /** Object ids (40 or 64 hex digits; all zeros for "none" or "not in the index"). */
  oldOid: string;
  newOid: string;
  oldMode: string;
  newMode: string;
}

/** Parse `git diff --raw -z --no-abbrev` output (`:old new oldOid newOid S\0path\0[path2\0]`). */
export function parseRawDiff(buf: Buffer): Change[] {
  const parts = splitZ(buf);
  const out: Change[] = [];
  for (let i = 0; i < parts.length; ) {
    const head = parts[i++]!;
    const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*$/.exec(head);
    if (!m) throw new UsageError(`Unexpected git diff output "${head.slice(0, 60)}", expected --raw records`);
    const [, oldMode, newMode, oldOid, newOid, status] = m as unknown as [string, string, string, string, string, string];
    if (status === 'R' || status === 'C') {
      const from = parts[i++]!;
      const path = parts[i++]!;
      out.push({ status, path, from, oldOid, newOid, oldMode, newMode });
    } else {
      const path = parts[i++]!;
      out.push({ status, path, from: path, oldOid, newOid, oldMode, newMode });
    }
  }
  return out;
}

/** A path in a listing: its mode and object id, or the unmerged stages of a conflict. */
interface Entry {
  mode: string;
  oid: string;
  unmerged?: boolean;
}

/** Parse `git ls-files -s -z` (`mode oid stage\tpath`) or `git ls-tree -r -z` (`mode type oid\tpath`). */
export function parseListing(buf: Buffer, kind: 'index' | 'tree'): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const rec of splitZ(buf)) {
    const tab = rec.indexOf('\t');
    const fields = rec.slice(0, tab).split(' ');
    const path = rec.slice(tab + 1);
    if (kind === 'index') {
      const [mode, oid, stage] = fields as [string, string, string];
      if (stage !== '0') out.set(path, { mode, oid, unmerged: true });
      else out.set(path, { mode, oid });
    } else {
      const [mode, , oid] = fields as [string, string, string];
      out.set(path, { mode, oid });
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
    if (glob.startsWith('!')) continue; // an exclusion lists nothing more
    const base = picomatch.scan(glob).base;
    const rel = toPosix(relative(top, join(realRoot, base)));
    if (!inside(rel)) return [];
    scope.add(rel);
  }
  for (const arg of paths) {
    // A glob names its static folder (`notes/*.md` -> `notes`).
    const path = isDynamicPattern(arg) ? picomatch.scan(arg).base || '.' : arg;
    const rel = toPosix(relative(top, real(isAbsolute(path) ? path : resolve(cwd, path))));
    if (!inside(rel)) return [];
    scope.add(rel);
  }
  return [...scope];
}

/**
 * The story folders (the globs' static folders) that lie behind a symbolic
 * link inside the repository, as `{ real, spelled }` repository path prefixes
 * ending in `/`. One behind a link out of the repository is a usage error: git
 * does not hold those files, so the gate could only pass them unread.
 */
export function storyFolderLinks(globs: readonly string[], realRoot: string, top: string, flag: string): { real: string; spelled: string }[] {
  const out: { real: string; spelled: string }[] = [];
  for (const glob of globs) {
    if (glob.startsWith('!')) continue;
    const spelledAbs = join(realRoot, picomatch.scan(glob).base);
    const spelled = toPosix(relative(top, spelledAbs));
    const realAbs = real(spelledAbs);
    const realRel = toPosix(relative(top, realAbs));
    if (realRel === spelled || !inside(spelled)) continue;
    if (realRel !== '' && !inside(realRel)) {
      throw new UsageError(
        `Cannot lint the stories in ${spelled} with ${flag}: the folder is a symbolic link to ${realAbs}, outside the git repository ${top}`,
        `git does not hold those files: keep the stories in the repository, or lint without ${flag}.`,
      );
    }
    out.push({ real: realRel === '' ? '' : `${realRel}/`, spelled: `${spelled}/` });
  }
  return out;
}

interface Repo {
  top: string;
  shallow: boolean;
  head: string | null;
  where: GitEnv;
}

async function openRepo(flag: string, io: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Repo> {
  const env = { ...process.env, ...io.env };
  // One process: the top, whether the clone is shallow, then HEAD's commit (a HEAD with no
  // commit yet ends it with exit code 1 after the first two lines; any other failure is 128).
  const probe = await git(['rev-parse', '--show-toplevel', '--is-shallow-repository', '--verify', '-q', 'HEAD^{commit}'], { cwd: io.cwd, env });
  const lines = probe.stdout.toString('utf8').split('\n');
  if (probe.code !== 0 && !(probe.code === 1 && lines.length >= 3 && lines[0])) {
    if (/not a git repository/i.test(probe.stderr)) {
      throw new UsageError(`Not a git repository: ${io.cwd}`, `${flag} reads story versions from git: run it inside a git working tree (git init), or lint without ${flag}.`);
    }
    throw new UsageError(`Cannot use ${flag} here: ${gitMessage(probe)}`, `${flag} needs a git working tree.`);
  }
  const [top, shallow, head] = lines;
  const where = { cwd: top!, env };
  return { top: top!, shallow: shallow === 'true', head: probe.code === 0 && head ? head.trim() : null, where };
}

const FETCH_HINT = 'This is a shallow clone: fetch the history, e.g. actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`.';

/** merge-base(<rev>, HEAD), with usage errors that say what to do. */
async function mergeBase(rev: string, repo: Repo): Promise<string> {
  if (!repo.head) throw new UsageError('HEAD has no commit yet, so there is nothing to compare with --base', 'Commit first, or use --staged before the first commit.');
  // The common case in one process; anything else again step by step, for the message that says what to do.
  const quick = await git(['merge-base', '--end-of-options', `${rev}^{commit}`, repo.head], repo.where);
  const found = quick.code === 0 ? quick.stdout.toString('utf8').trim().split('\n')[0] : '';
  if (found && /^[0-9a-f]{40,64}$/.test(found)) return found;
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

/** The options of every `git diff` of the gates: raw records, NUL-separated, breaks and renames, full object ids, paths from the top. */
const DIFF_RAW = ['--raw', '-z', '-B', '-M', '--no-abbrev', '--no-relative', '--no-ext-diff'];

/**
 * `git diff --raw` from merge-base(<rev>, HEAD) to HEAD in one process
 * (`<rev>^{commit}...HEAD`: git finds the merge-base itself, the first of
 * several as `git merge-base` gives it), or null when git cannot (an unknown
 * revision, no merge-base, a shallow clone without it, a `<rev>` holding `..`
 * that `...` would make ambiguous): then `mergeBase` asks step by step, for
 * the message that says what to do. Throws `mergeBase`'s error when HEAD has
 * no commit.
 */
async function diffFromBase(rev: string, repo: Repo): Promise<Buffer | null> {
  if (!repo.head) return mergeBase(rev, repo).then(() => null);
  if (rev.includes('..')) return null;
  const quick = await git(['diff', ...DIFF_RAW, '--end-of-options', `${rev}^{commit}...${repo.head}`], repo.where);
  return quick.code === 0 ? quick.stdout : null;
}

const CONFIG_NAMES = new Set(['plan-tasks.config.json', '.plan-tasksrc.json']);
const ZERO = /^0+$/;

/**
 * Story numbers a story's text refers to (task refs `014/003`, `Story 014`,
 * `014-slug.md`, and every number on a line that mentions a story): a cheap
 * over-approximation of what the parser reads as refs, to find the untouched
 * stories a change can affect without parsing them.
 */
export function referencedStoryKeys(text: string): Set<string> {
  const out = new Set<string>();
  // A number with its letter (`004a`, a story of its own) and without (over-approximating is cheap).
  const add = (id: string) => {
    out.add(storyKey(id));
    out.add(storyKey(id.replace(/[a-z]$/i, '')));
  };
  // Each match starts at the first digit of a run (the lookbehinds): a long run of digits or of
  // `001-001-...` is scanned once, not once per position (was 14 s for 100,000 digits). The file
  // name shape is the parser's (`[a-z0-9-]+\.md`, after a space, `(`, `[` or `/`), so a superset.
  for (const m of text.matchAll(/(?<!\d)(\d{3,}[a-z]?)\/\d{3}|(?<![0-9a-z-])(\d{3,}[a-z]?)-[a-z0-9-]+\.md/gi)) add(m[1] ?? m[2]!);
  // From the word on (`Story 012`, `Stories 012 and 013a`, `Story 12`): what `## Dependencies` entries read.
  for (const line of text.match(/stor(?:y|ies)[^\n]*/gi) ?? []) {
    for (const m of line.matchAll(/(?<!\d)\d+[a-z]?/gi)) add(m[0]);
  }
  // A list item that starts with a story number (`- 012`, `- #012`, `1. 012/003`, `- 12`).
  for (const m of text.matchAll(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?[*_]*#?(\d+[a-z]?)/gm)) add(m[1]!);
  return out;
}

/**
 * Task refs into other stories a story's text may hold (`014/003`, as
 * `story-key/task`): every `NNN/TTT` in the text, a superset of the `Depends
 * on` refs the parser reads (each a whole comma-separated item of that shape).
 */
export function referencedTaskKeys(text: string): Set<string> {
  const out = new Set<string>();
  // From the first digit of a run (the lookbehind), as referencedStoryKeys.
  for (const m of text.matchAll(/(?<!\d)(\d{3,}[a-z]?)\/(\d{3}[a-z]?)/gi)) out.add(`${storyKey(m[1]!)}/${m[2]!}`);
  return out;
}

/**
 * What a text must hold to name one of `keys` (`story-key/task`, as
 * `referencedTaskKeys` gives them): `/` and the task part, which every such ref
 * spells as it is (`014/003b`, `0014/003b`). A prefilter: a text without any
 * of them cannot name one, one with them is scanned.
 */
export function taskRefNeedles(keys: Iterable<string>): Buffer[] {
  const out = new Set<string>();
  for (const key of keys) out.add(key.slice(key.indexOf('/')));
  return [...out].map((n) => Buffer.from(n, 'latin1'));
}

/**
 * What a text must hold for `referencedStoryKeys` to give one of `keys`
 * (`storyKey`s): the key's digits. A ref's number is a run of digits, leading
 * zeros and then the key's digits without their padding, so it ends with the
 * key's three or more digits (`0014`, `014` -> `014`), or after the word story
 * with the digits alone (`Story 14`: a key padded with zeros adds them without
 * it, `14`); its letter may be either case or absent, so it is left out. A
 * prefilter, as `taskRefNeedles`.
 */
export function storyRefNeedles(keys: Iterable<string>): Buffer[] {
  const out = new Set<string>();
  for (const key of keys) {
    const digits = key.replace(/[a-z]$/i, '');
    out.add(digits);
    // `Story 12` names story 012 too: its digits without the padding.
    if (digits.startsWith('0')) out.add(digits.replace(/^0+(?=\d)/, ''));
  }
  return [...out].map((n) => Buffer.from(n, 'latin1'));
}

/** Whether `bytes` hold one of `needles` (Buffer#indexOf, native, no decode). */
export function mayHold(bytes: Buffer, needles: readonly Buffer[]): boolean {
  for (const n of needles) if (bytes.indexOf(n) !== -1) return true;
  return false;
}

/**
 * The config of the new snapshot: discovered as on disk (the nearest
 * `plan-tasks.config.json`, `.plan-tasksrc.json` or package.json with a
 * `"plan-tasks"` key, from the working directory up), but read from the index
 * (`--staged`) or HEAD (`--base`) for the folders inside the repository, so a
 * config edit left out of the change never decides the result, and one made
 * only in the index always does. Above the repository, the files on disk.
 */
async function snapshotConfig(repo: Repo, staged: boolean, io: IO, alsoList?: AlsoListed): Promise<ResolvedConfig> {
  const { top, where } = repo;
  const cwdReal = real(io.cwd);
  const rel = toPosix(relative(top, cwdReal));
  if (rel.startsWith('..') || isAbsolute(rel) || (!staged && !repo.head)) return loadConfig({ cwd: io.cwd });
  const dirs: string[] = [];
  for (let d = rel; ; d = posix.dirname(d)) {
    const dir = d === '.' ? '' : d;
    dirs.push(dir);
    if (dir === '') break;
  }
  const candidates = dirs.flatMap((d) => CONFIG_FILES.map((name) => (d ? `${d}/${name}` : name)));
  const specs = alsoList?.specs.length ? [...candidates, ...alsoList.specs] : candidates;
  const listed = staged
    ? parseListing(await gitOk(['--literal-pathspecs', 'ls-files', '-s', '-z', '--full-name', '--', ...specs], where), 'index')
    : parseListing(await gitOk(['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', repo.head!, '--', ...specs], where), 'tree');
  if (alsoList?.specs.length) alsoList.listing = { listed, candidates: new Set(candidates) };
  const present = candidates.filter((c) => listed.get(c) && /^100/.test(listed.get(c)!.mode) && !listed.get(c)!.unmerged);
  const conflicted = candidates.find((c) => listed.get(c)?.unmerged);
  const blobs = await readBlobs(present.map((c) => listed.get(c)!.oid), where);
  const text = new Map(present.map((c, i) => [c, blobs[i]]));
  const whereRead = staged ? 'in the git index' : 'in HEAD';
  // A config file on disk that git does not hold (never added, or deleted in the change): not
  // what the commit holds, so not used; said, since a plain lint here uses it.
  let onDiskOnly: string | null = null;
  try {
    const disk = findConfig(io.cwd);
    const diskRel = disk ? toPosix(relative(top, real(disk.file))) : null;
    if (disk && diskRel !== null && candidates.includes(diskRel) && !present.includes(diskRel)) onDiskOnly = disk.file;
  } catch {
    // an unreadable file on disk is not the one used either
  }
  if (onDiskOnly) io.stderr(`plan-tasks: not using ${relative(io.cwd, onDiskOnly) || onDiskOnly}: it is not ${whereRead} (${staged ? 'git add it' : 'commit it'} to lint with it)\n`);
  // As the user spelled the working directory (the reported paths start from the config's folder).
  const onDisk = (c: string) => resolve(io.cwd, relative(cwdReal, join(top, c)));
  for (const c of candidates) {
    if (c === conflicted) throw new UsageError(`Cannot read the config ${onDisk(c)} ${whereRead}: it has a merge conflict`, 'Resolve it and stage it (git add) first.');
    const bytes = text.get(c);
    if (!bytes) continue;
    const file = onDisk(c);
    const value = parseConfigJson(bytes.toString('utf8'), `${file} (${whereRead})`);
    if (basename(c) === 'package.json') {
      if (!value || typeof value !== 'object' || !('plan-tasks' in value)) continue;
      return resolveFoundConfig({ file, value: (value as Record<string, unknown>)['plan-tasks'] }, whereRead);
    }
    return resolveFoundConfig({ file, value }, whereRead);
  }
  // None in the repository: one above it (on disk), else the defaults at the repository's top.
  if (findConfig(dirname(top))) return loadConfig({ cwd: dirname(top) });
  return defaultConfig(resolve(io.cwd, relative(cwdReal, top)));
}

/**
 * Pathspecs `snapshotConfig` lists along with the config files, in the same
 * git process (the stories' scope as the config will most likely give it),
 * and what that listing held: `listingFor` gives the stories' listing from it.
 */
interface AlsoListed {
  specs: string[];
  listing?: { listed: Map<string, Entry>; candidates: Set<string> };
}

/**
 * The listing `git ls-tree` / `ls-files` would give for `scope` (literal
 * pathspecs from the repository's top), from the one `snapshotConfig` made
 * for the config files and `also.specs`, when those are `scope`: the config
 * files that lie outside `scope` left out (a path is in a pathspec when it is
 * the pathspec or lies under it, `.` being the whole repository). Else
 * undefined: list `scope` on its own.
 */
export function listingFor(scope: readonly string[], also: AlsoListed): Map<string, Entry> | undefined {
  if (!also.listing || scope.length === 0 || scope.length !== also.specs.length || scope.some((s, i) => s !== also.specs[i])) return undefined;
  const inScope = (p: string) => scope.some((s) => s === '.' || p === s || p.startsWith(`${s}/`));
  const out = new Map<string, Entry>();
  for (const [p, e] of also.listing.listed) if (!also.listing.candidates.has(p) || inScope(p)) out.set(p, e);
  return out;
}

/** The config `--staged` / `--base` lints with (without `--config`): the change's own (`snapshotConfig`). */
export async function changeConfig(options: GateOptions, io: IO): Promise<ResolvedConfig> {
  const staged = options.staged;
  return snapshotConfig(await openRepo(staged ? '--staged' : '--base', io), staged, io);
}

/**
 * Lint the change `--staged` or `--base <rev>` makes (see the module comment).
 * `config` null: the config of the new snapshot (the index, or HEAD), not the
 * working tree's (`snapshotConfig`); an explicit `--config` file is read from disk.
 */
export async function lintChange(options: GateOptions, given: ResolvedConfig | null, io: IO): Promise<LintResult[]> {
  const staged = options.staged;
  const flag = staged ? '--staged' : '--base';
  const repo = await openRepo(flag, io);
  const { top, where } = repo;
  // The stories' scope of a project without a config file (or with one at the top that keeps
  // the default stories glob), listed with the config files: when the config found gives the
  // same scope, that listing is the stories' listing (listingFor), one git process less.
  const storiesScope = (cfg: ResolvedConfig): string[] => {
    const realRoot = real(cfg.root);
    const links = storyFolderLinks(cfg.stories, realRoot, top, flag);
    const scope = listScope(cfg.stories, realRoot, top, options.paths, io.cwd);
    if (scope.length) for (const a of links) scope.push(a.real.replace(/\/$/, '') || '.');
    return scope;
  };
  const also: AlsoListed = { specs: [] };
  if (!given) {
    try {
      also.specs = storiesScope(defaultConfig(resolve(io.cwd, relative(real(io.cwd), top))));
    } catch {
      // a stories folder linked out of the repository: the config found says so, or not
    }
  }
  // The config and the change side by side (a hook pays for every git process in a row); the
  // merge-base is asked for on its own only when git cannot diff from it directly.
  const [config, quickDiff] = await Promise.all([given ?? snapshotConfig(repo, staged, io, also), staged ? null : diffFromBase(options.base!, repo)]);
  const base = staged || quickDiff ? null : await mergeBase(options.base!, repo);

  // Which repo paths are stories: the config's globs, relative to its root.
  const realRoot = real(config.root);
  const isStory = storiesGlobMatcher(config.stories);
  // Repository paths are POSIX; under the root they are the root's path plus a suffix.
  const rootRel = toPosix(relative(top, realRoot));
  const rootPrefix = rootRel === '' ? '' : `${rootRel}/`;
  // A story folder reached through a symbolic link (`docs/stories` -> `../plans`): git lists
  // the files under the link's target, which are matched and reported as the link spells them.
  const aliases = storyFolderLinks(config.stories, realRoot, top, flag);
  const spell = (p: string): string => {
    for (const a of aliases) if (p.startsWith(a.real)) return a.spelled + p.slice(a.real.length);
    return p;
  };
  const underRoot = (p: string): string | null => (p.startsWith(rootPrefix) && !p.startsWith('../') ? p.slice(rootPrefix.length) : null);
  const matchesGlob = (path: string) => {
    const p = spell(path);
    // `..` is allowed: a glob may reach out of the config's folder (`../docs/stories/*.md`).
    const rel = underRoot(p) ?? toPosix(relative(realRoot, join(top, p)));
    return rel !== '' && !isAbsolute(rel) && isStory(rel);
  };
  // Report working-tree paths under the config root as the user spelled it.
  const reported = new Map<string, string>();
  const reportPath = (path: string) => {
    let out = reported.get(path);
    const p = spell(path);
    if (out === undefined) {
      const rel = underRoot(p);
      if (rel !== null && rel !== '') out = join(config.root, rel);
      else {
        const abs = join(top, p);
        const r = relative(realRoot, abs);
        out = inside(r) ? join(config.root, r) : abs;
      }
      reported.set(path, out);
    }
    return out;
  };

  const before = staged ? 'HEAD' : options.base!;
  const after = staged ? 'staged' : 'HEAD';
  // The files listed: only the story folders and the paths named, when they can be
  // told (a monorepo's whole file list would cost the hook time for files it never reads).
  const scope = storiesScope(config);
  let changes: Change[];
  let oldRev: string | null;
  // Listed with the config files already when the scope is the one guessed then.
  const known = listingFor(scope, also);
  let files: Buffer | null;
  if (staged) {
    oldRev = repo.head;
    // On an unborn branch `diff --cached` compares with the empty tree.
    let diff: Buffer;
    [diff, files] = await Promise.all([
      gitOk(['diff', '--cached', '--raw', '-z', '-B', '-M', '--no-abbrev', '--no-relative', '--no-ext-diff'], where),
      known ? null : gitOk(['--literal-pathspecs', 'ls-files', '-s', '-z', '--full-name', '--', ...scope], where),
    ]);
    changes = parseRawDiff(diff);
  } else {
    // The merge-base, or (`quickDiff`) a stand-in: the old versions are read by object id.
    oldRev = base ?? `${options.base!}...${repo.head!}`;
    let diff: Buffer;
    [diff, files] = await Promise.all([
      quickDiff ?? gitOk(['diff', ...DIFF_RAW, oldRev, repo.head!], where),
      known ? null : gitOk(['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', repo.head!, '--', ...scope], where),
    ]);
    changes = parseRawDiff(diff);
  }
  const listing = known ?? parseListing(files!, staged ? 'index' : 'tree');
  // An unmerged path shows in the diff as U; the listing holds its stages.
  changes = changes.filter((c) => !(c.status === 'U' && changes.some((d) => d !== c && d.path === c.path && d.status !== 'U')));

  // The old version of every path the change touches; untouched paths are the same in both.
  const oldOf = new Map<string, { path: string; oid: string }>();
  const changedNew = new Set<string>();
  const deletedOld = new Map<string, string>(); // old path -> oid
  const movedOut = new Map<string, string>(); // old path -> where it went, outside the stories
  // A story renumbered while a new story took its file name (see movedStories).
  const movedAway = await movedStories(changes, where);
  for (const c of changes) {
    const newIsStory = c.status !== 'D' && matchesGlob(c.path);
    const oldIsStory = c.status !== 'A' && matchesGlob(c.from) && !ZERO.test(c.oldOid);
    // Any path's old version (a named path may lie outside the stories glob).
    const paired = c.status === 'M' || c.status === 'T' || c.status === 'R' || (c.status === 'C' && movedAway.has(c.from));
    if (paired && !(c.status === 'M' && movedAway.has(c.path)) && !ZERO.test(c.oldOid)) oldOf.set(c.path, { path: c.from, oid: c.oldOid });
    if (newIsStory) changedNew.add(c.path);
    if (oldIsStory && (c.status === 'D' || (c.status === 'R' && !newIsStory))) deletedOld.set(c.from, c.oldOid);
    if (oldIsStory && c.status === 'R' && !newIsStory) movedOut.set(c.from, c.path);
  }
  // Pair what git calls an add and a delete by story number (a renamed story rewritten beyond git's similarity).
  const added = [...changedNew].filter((p) => !oldOf.has(p));
  const byNumber = (paths: Iterable<string>) => {
    const m = new Map<string, string[]>();
    for (const p of paths) {
      const id = fileStoryId(p);
      if (id !== null) m.set(storyKey(id), [...(m.get(storyKey(id)) ?? []), p]);
    }
    return m;
  };
  const deletedByNumber = byNumber(deletedOld.keys());
  for (const [key, news] of byNumber(added)) {
    const olds = deletedByNumber.get(key);
    if (news.length !== 1 || olds?.length !== 1) continue;
    oldOf.set(news[0]!, { path: olds[0]!, oid: deletedOld.get(olds[0]!)! });
    deletedOld.delete(olds[0]!);
  }

  // The config changed: everything is reported (findings anywhere may be new).
  const configRel = config.configFile ? toPosix(relative(top, real(config.configFile))) : null;
  const configChanges = changes.filter((c) =>
    [c.path, c.from].some((p) => p === configRel || (CONFIG_NAMES.has(basename(p)) && (dirname(p) === '.' || rootRel === dirname(p) || rootRel.startsWith(`${dirname(p)}/`)))),
  );

  // What to lint and report.
  const storyPaths = [...listing.keys()].filter(matchesGlob);
  let targets: string[];
  if (options.paths.length === 0) {
    targets = storyPaths.filter((p) => changedNew.has(p));
  } else {
    const chosen = new Set<string>();
    for (const arg of options.paths) {
      const abs = real(isAbsolute(arg) ? arg : resolve(io.cwd, arg));
      const rel = toPosix(relative(top, abs));
      if (rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`Cannot lint ${arg} with ${flag}: it is outside the git repository ${top}`);
      if (listing.has(rel)) {
        chosen.add(rel);
        continue;
      }
      const prefix = rel === '' ? '' : `${rel}/`;
      const under = [...listing.keys()].filter((p) => p.startsWith(prefix) && p.endsWith('.md'));
      if (under.length) {
        for (const p of under) chosen.add(p);
        continue;
      }
      if (deletedOld.has(rel) || changes.some((c) => c.status === 'D' && c.path === rel)) continue;
      if (isDynamicPattern(arg)) {
        // A glob, as a plain lint takes it: matched against the snapshot's paths.
        const isMatch = picomatch(toPosix(relative(top, isAbsolute(arg) ? arg : join(real(io.cwd), arg))));
        const matches = [...listing.keys()].filter((p) => isMatch(p));
        if (matches.length) {
          for (const p of matches) chosen.add(p);
          continue;
        }
        throw new UsageError(`No files match the pattern "${arg}" ${staged ? 'in the git index' : 'in HEAD'}`, staged ? 'Stage the files with `git add`, or lint the working tree without --staged.' : 'Commit them, or lint the working tree without --base.');
      }
      throw new UsageError(
        staged ? `Cannot lint ${arg} with --staged: it is not in the git index` : `Cannot lint ${arg} with --base: it is not in HEAD`,
        staged ? 'Stage it with `git add`, or lint the working-tree version without --staged.' : 'Commit it, or lint the working-tree version without --base.',
      );
    }
    targets = [...chosen].sort();
  }
  const configChanged = configChanges.length > 0 && (await configReallyChanged(configChanges, configRel, where));
  if (configChanged) targets = [...new Set([...storyPaths, ...targets])].sort();
  const targetSet = new Set(targets);
  // Many stories to lint: the optimizing compiler set up as for a lint of as many files (src/lint/jit.ts).
  if (targets.length >= NO_INLINING_FROM) await compileWithoutInlining(targets.length);

  // Every blob: the old versions of changed and deleted stories from git, while the new ones
  // are read from the working tree where a file there is exactly the listed blob (worktreeBlobs:
  // hashed as git names it); what differs there from git too, in a second process.
  const newOids = new Set<string>();
  const onDisk: ListedBlob[] = [];
  for (const p of new Set([...storyPaths, ...targets])) {
    const e = listing.get(p);
    if (!e || e.unmerged || e.mode === '160000') continue;
    newOids.add(e.oid);
    if (e.mode === '100644' || e.mode === '100755') onDisk.push({ path: p, oid: e.oid });
  }
  const oldOids = new Set<string>();
  if (oldRev) {
    for (const p of targets) if (oldOf.has(p)) oldOids.add(oldOf.get(p)!.oid);
    for (const p of changedNew) if (oldOf.has(p)) oldOids.add(oldOf.get(p)!.oid);
    for (const oid of deletedOld.values()) oldOids.add(oid);
  }
  const oldList = [...oldOids].filter((oid) => !newOids.has(oid));
  const oldBlobs = readBlobs(oldList, where); // git starts on them now
  const blob = new Map<string, Buffer | null>(worktreeBlobs(top, onDisk));
  const restList = [...newOids].filter((oid) => !blob.has(oid));
  const [olds, rest] = await Promise.all([oldBlobs, readBlobs(restList, where)]);
  oldList.forEach((oid, i) => blob.set(oid, olds[i] ?? null));
  restList.forEach((oid, i) => blob.set(oid, rest[i] ?? null));

  const entryBytes = (p: string, hops = 0): Uint8Array | ReadResult => {
    const e = listing.get(p);
    const bytes = e && blob.get(e.oid);
    if (e?.unmerged) return fatal(`Unexpected unmerged path (a merge conflict), expected it resolved and staged (git add)`);
    if (e?.mode === '160000') return fatal('Unexpected git submodule, expected a story file');
    if (!bytes) return fatal(`Unexpected missing object ${e?.oid ?? ''} in git, expected the file's content`);
    if (e?.mode === '120000') {
      // A symbolic link (the blob is its target), followed as the working tree would, within what was read.
      const target = posix.normalize(posix.join(posix.dirname(p), Buffer.from(bytes).toString('utf8')));
      if (hops < 8 && listing.has(target) && blob.has(listing.get(target)!.oid)) return entryBytes(target, hops + 1);
      return fatal(`Unexpected symbolic link to ${Buffer.from(bytes).toString('utf8')} in git, expected a story file or a link to one among the stories`);
    }
    return bytes;
  };
  const newFiles = new Map<string, Uint8Array | ReadResult>();
  for (const p of new Set([...storyPaths, ...targets])) newFiles.set(reportPath(p), entryBytes(p));
  const newSnap = memorySnapshot(newFiles, storyPaths.map(reportPath));

  // Old versions of the changed stories linted: for the transition rules and to tell
  // whether the change touched what other stories read of them (their summary).
  const oldText = new Map<string, { path: string; text: string }>(); // new report path -> old version
  if (oldRev) {
    for (const p of targets) {
      const o = oldOf.get(p);
      const bytes = o && blob.get(o.oid);
      const e = listing.get(p);
      if (!o || !bytes || !e || e.oid === o.oid) continue;
      const read = decodeStory(bytes);
      if ('text' in read) oldText.set(reportPath(p), { path: reportPath(o.path), text: read.text });
    }
  }
  // Every story is parsed at most once per text: the lint runs over the new and the old
  // snapshot share the summaries of what they reach, and the changed stories' parses.
  const shared: NonNullable<ProjectLintOptions['shared']> = new Map();
  const oldShared: NonNullable<ProjectLintOptions['shared']> = new Map(); // the old versions (a path may hold both)
  const summaryUnchanged = new Set<string>(); // new paths whose summary is the old one's
  // New paths whose summary differs from the old one's only in statuses: the task ids whose
  // status changed (a story's own status is read by no other story).
  const statusesChanged = new Map<string, Set<string>>();
  const ctx = { config, before, after };
  const extra = (path: string, story: Story): LintMessage[] => {
    const old = oldText.get(path);
    if (old === undefined) return [];
    const read = newSnap.read(path);
    // A change of task statuses only (the most common edit of a pull request): the old
    // version is the new Story with the old values, without parsing it (statusEditedStory); else
    // it is parsed with only the sections the transition rules and the summary read.
    const oldStory = (old.path === path && 'text' in read && (statusEditedStory(old.text, read.text, story) ?? commentAppendedStory(old.text, read.text, story))) || parseForLint(old.text, old.path, config, transitionReaders);
    const oldAnalysis = sharedAnalysis(oldStory);
    oldShared.set(old.path, { text: old.text, analysis: oldAnalysis });
    const analysis = oldStory === story ? oldAnalysis : sharedAnalysis(story);
    if ('text' in read) shared.set(path, { text: read.text, analysis });
    if (old.path === path) {
      const changed = changedStatuses(oldAnalysis.summary, analysis.summary);
      if (changed === null) {
        // not a statuses-only change: what others read of it changed
      } else if (changed.size === 0) summaryUnchanged.add(path);
      else statusesChanged.set(path, changed);
    }
    const out: LintMessage[] = [];
    if (!options.transitions) return out;
    for (const rule of transitionRules) {
      const severity = config.rules[rule.meta.id] ?? 'error';
      if (severity === 'off') continue;
      for (const finding of rule.check(oldStory, story, ctx)) out.push(toMessage(rule.meta.id, severity, finding));
    }
    return out;
  };

  const results = await lint(newSnap, { config, files: targets.map(reportPath), extra, shared });

  // Untouched stories the change can affect: those whose text refers to a changed story
  // whose summary (id, status, tasks' ids, statuses and refs, story deps: all that the
  // cross-story checks read of it) or path changed, or to a deleted story.
  const touched = new Set<string>();
  // Changed stories (by story key) whose change is statuses only: key -> `key/task` of each task
  // whose status changed. Of those, other stories read only the statuses of the tasks they name
  // (`dependency-status`), so only an untouched story naming one of these tasks can be affected.
  const touchedTasks = new Set<string>();
  const unchanged = (p: string) => summaryUnchanged.has(reportPath(p)) || statusesChanged.has(reportPath(p));
  if (!configChanged) {
    for (const p of targets) if (changedNew.has(p) && !unchanged(p)) addKey(touched, p);
    for (const p of changedNew) if (oldOf.get(p) && targetSet.has(p) && !unchanged(p)) addKey(touched, oldOf.get(p)!.path);
    for (const p of deletedOld.keys()) addKey(touched, p);
    for (const p of targets) {
      const tasks = changedNew.has(p) ? statusesChanged.get(reportPath(p)) : undefined;
      const id = fileStoryId(p);
      if (tasks && id !== null) for (const t of tasks) touchedTasks.add(`${storyKey(id)}/${t}`);
    }
  }
  const affected: string[] = [];
  const view = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (touchedTasks.size) {
    // A story's text names task `014/003` only if it holds `/003` (`mayHold`): only those are scanned.
    const needles = taskRefNeedles(touchedTasks);
    for (const p of storyPaths) {
      if (targetSet.has(p) || changedNew.has(p)) continue;
      const bytes = newFiles.get(reportPath(p));
      if (!(bytes instanceof Uint8Array) || !mayHold(view(bytes), needles)) continue;
      for (const key of referencedTaskKeys(view(bytes).toString('latin1'))) {
        if (touchedTasks.has(key)) {
          affected.push(p);
          break;
        }
      }
    }
  }
  if (touched.size) {
    // On the bytes (refs are ASCII): no UTF-8 decode of stories that turn out untouched.
    const refsIn = (bytes: Uint8Array) => referencedStoryKeys(view(bytes).toString('latin1'));
    // A story's refs, scanned when first asked for: by the cycle walk, or below when its bytes
    // hold the digits of a touched story number (`storyRefNeedles`; else it names none).
    const refsMemo = new Map<string, Set<string> | undefined>();
    const refsOf = (p: string): Set<string> | undefined => {
      if (refsMemo.has(p)) return refsMemo.get(p);
      const bytes = newFiles.get(reportPath(p));
      const refs = bytes instanceof Uint8Array ? refsIn(bytes) : undefined;
      refsMemo.set(p, refs);
      return refs;
    };
    const touchedNeedles = storyRefNeedles(touched);
    const pathsOf = new Map<string, string[]>();
    for (const p of storyPaths) {
      const id = fileStoryId(p);
      if (id !== null) pathsOf.set(storyKey(id), [...(pathsOf.get(storyKey(id)) ?? []), p]);
    }
    // The refs the changed and deleted stories held before the change, by story key: a cycle
    // that ran through one of them may now be reported as another loop through untouched ones.
    const oldRefsOf = new Map<string, Set<string>>();
    const addOldRefs = (path: string, oid: string | undefined) => {
      const bytes = oid === undefined ? null : blob.get(oid);
      const id = fileStoryId(path);
      if (!bytes || id === null) return;
      const keys = oldRefsOf.get(storyKey(id)) ?? new Set<string>();
      for (const k of refsIn(bytes)) keys.add(k);
      oldRefsOf.set(storyKey(id), keys);
    };
    for (const p of changedNew) if (oldOf.get(p)) addOldRefs(oldOf.get(p)!.path, oldOf.get(p)!.oid);
    for (const [p, oid] of deletedOld) addOldRefs(p, oid);
    // A cycle the change closed, opened or moved runs through a touched story, before or after
    // it; every story on it reports it, also those that do not name a touched story: the stories
    // in a touched story's strongly connected component of the union of the old and the new
    // (over-approximated) ref graphs.
    const scc = stronglyConnected(touched, (key) => [...(pathsOf.get(key) ?? []).flatMap((p) => [...(refsOf(p) ?? [])]), ...(oldRefsOf.get(key) ?? [])]);
    const onCycle = new Set<string>();
    for (const key of touched) {
      const component = scc.components[scc.component.get(key)!]!;
      if (component.length > 1) for (const k of component) onCycle.add(k);
    }
    for (const p of storyPaths) {
      if (targetSet.has(p) || changedNew.has(p)) continue;
      const id = fileStoryId(p);
      // Also a story with the number of a touched one (a duplicate number: story-id-unique).
      if (id !== null && (onCycle.has(storyKey(id)) || touched.has(storyKey(id)))) {
        affected.push(p);
        continue;
      }
      const bytes = newFiles.get(reportPath(p));
      if (!(bytes instanceof Uint8Array) || !mayHold(view(bytes), touchedNeedles)) continue;
      const refs = refsOf(p);
      if (refs && [...refs].some((k) => touched.has(k))) affected.push(p);
    }
  }
  if (touchedTasks.size && touched.size) {
    // Not splice(0, n, ...sorted): a spread as long as the story list can overflow the stack.
    const sorted = [...new Set(affected)].sort((a, b) => storyPaths.indexOf(a) - storyPaths.indexOf(b));
    affected.length = 0;
    for (const p of sorted) affected.push(p);
  }

  // Affected untouched stories: only the cross-story findings the old snapshot does not have
  // (their bytes and the config are unchanged, so their single-file findings are too).
  if (affected.length) {
    const linted = await lint(newSnap, { config, files: affected.map(reportPath), singleFileRules: false, shared });
    // Only stories with cross-story findings now can have findings the change caused.
    const suspects = affected.map((p, i) => ({ p, now: linted[i]! })).filter((a) => a.now.messages.length > 0);
    if (suspects.length) {
      // The old snapshot: the new one with the changed paths' old versions (an untouched
      // story's text is read and decoded once, for both).
      const oldFiles = new Map<string, Uint8Array | ReadResult>();
      for (const p of changedNew) {
        const o = oldOf.get(p);
        if (o) oldFiles.set(reportPath(o.path), blob.get(o.oid) ?? fatal('Unexpected missing object in git'));
      }
      for (const [p, oid] of deletedOld) oldFiles.set(reportPath(p), blob.get(oid) ?? fatal('Unexpected missing object in git'));
      const oldPaths: string[] = [];
      for (const p of storyPaths) if (!changedNew.has(p)) oldPaths.push(reportPath(p));
      const oldSnap = replacedSnapshot(newSnap, oldFiles, [...oldPaths, ...oldFiles.keys()].sort());
      for (const [p, entry] of oldShared) shared.set(p, entry);
      const old = await lint(oldSnap, { config, files: suspects.map((a) => reportPath(a.p)), singleFileRules: false, shared });
      const key = (m: LintMessage) => `${m.ruleId}\0${m.line}\0${m.column}\0${m.endLine}\0${m.endColumn}`;
      suspects.forEach(({ now }, i) => {
        const had = new Set(old[i]!.messages.map(key));
        const caused = now.messages.filter((m) => !had.has(key(m)));
        if (caused.length) results.push(makeResult(now.filePath, caused));
      });
    }
  }

  // Deleted stories: their started and finished tasks are removals.
  if (oldRev && options.transitions) {
    const severity = config.rules['task-removed'] ?? 'error';
    for (const [p, oid] of deletedOld) {
      const bytes = blob.get(oid);
      const read = bytes ? decodeStory(bytes) : null;
      if (severity === 'off' || !read || !('text' in read)) continue;
      const oldStory = parseForLint(read.text, reportPath(p));
      const to = movedOut.get(p);
      const messages = checkDeleted(oldStory, ctx, to === undefined ? undefined : toPosix(relative(io.cwd, reportPath(to)))).map((f) => toMessage('task-removed', severity, f));
      if (messages.length) results.push(makeResult(reportPath(p), sortMessages(messages)));
    }
  }
  return results;
}

/** A story file's title: what follows `# Story NNN:` (null when there is none). */
function storyTitle(bytes: Buffer | null | undefined): string | null {
  const m = bytes ? /^#[ \t]+Story[ \t]+[^:\n]*:(.*)$/im.exec(bytes.toString('utf8')) : null;
  return m ? m[1]!.trim() : null;
}

/**
 * Paths rewritten whose old story went to another path: a story renumbered
 * while a new story took its file name. With `-B -M`, git reports the path as
 * modified and the other as a copy of its old text; but a story copied as a
 * template for a new one while the original was rewritten in place looks the
 * same to git. So it counts as a move only when the titles agree: exactly one
 * copy, holding the old title, while the rewritten path's title is another.
 * Then the copy is the old story's new version and the path a new story; else
 * the path stays paired with its old version (its transitions are checked).
 * Reads the few blobs it needs only when git reports such a copy.
 */
async function movedStories(changes: readonly Change[], where: GitEnv): Promise<Set<string>> {
  const pairs: { copy: Change; rewrite: Change }[] = [];
  for (const copy of changes) {
    if (copy.status !== 'C' || changes.filter((d) => d.status === 'C' && d.from === copy.from).length !== 1) continue;
    const rewrite = changes.find((d) => d.status === 'M' && d.path === copy.from);
    if (rewrite) pairs.push({ copy, rewrite });
  }
  const out = new Set<string>();
  if (pairs.length === 0) return out;
  const blobs = await readBlobs(pairs.flatMap((p) => [p.copy.oldOid, p.copy.newOid, p.rewrite.newOid]), where);
  pairs.forEach((p, i) => {
    const [old, copied, rewritten] = [blobs[3 * i], blobs[3 * i + 1], blobs[3 * i + 2]].map(storyTitle);
    if (old !== null && copied === old && rewritten !== old) out.add(p.copy.from);
  });
  return out;
}

/**
 * A task status value that cannot change how the rest of its line or paragraph
 * parses: ASCII letters and digits, words joined by spaces or hyphens, or by an
 * underscore between two of them (intraword: never emphasis). No markup, no
 * entity, no trailing space (a hard break), not empty.
 */
const PLAIN_STATUS = /^[A-Za-z0-9]+(?:[ -]+[A-Za-z0-9]+|_[A-Za-z0-9]+)*$/;

/**
 * The Story of `oldText` without parsing it, when it differs from `newText`
 * (whose Story is `story`, from the lint parse) only in the values of task
 * status fields: `story` with those tasks' `status.value` set to the old
 * values; else null (parse it). Exact for what the transition rules and the
 * summary read of an old version (the story's status, tasks' ids, titles,
 * status values and refs, `## Dependencies`): every other byte is the same,
 * both values are plain (`PLAIN_STATUS`) and each runs from where the new
 * Story reads a task's status value to the end of its line, after a label
 * that starts the line, so no line or inline construct can parse
 * differently. Spans stay the new text's (no reader of the old version uses
 * them). BOMs must agree.
 */
export function statusEditedStory(oldText: string, newText: string, story: Story): Story | null {
  const bom = newText.charCodeAt(0) === 0xfeff;
  if (bom !== (oldText.charCodeAt(0) === 0xfeff)) return null;
  const from = bom ? 1 : 0;
  const fields = story.tasks
    .map((t) => t.status)
    .filter((f): f is NonNullable<typeof f> => f !== null)
    .sort((a, b) => a.valueSpan.start.offset - b.valueSpan.start.offset);
  const values = new Map<object, string>();
  let atNew = from; // the next unmatched offset in newText
  let atOld = from; // the same place in oldText
  for (const f of fields) {
    const start = f.valueSpan.start.offset + from;
    const end = f.valueSpan.end.offset + from;
    if (start < atNew || newText.slice(start, end) !== f.value || !PLAIN_STATUS.test(f.value)) return null;
    const after = newText.charCodeAt(end);
    if (end < newText.length && after !== 10 && after !== 13) return null;
    // The bytes before the value are the same in both.
    const same = newText.slice(atNew, start);
    if (!oldText.startsWith(same, atOld)) return null;
    atOld += same.length;
    let stop = atOld;
    while (stop < oldText.length && oldText.charCodeAt(stop) !== 10 && oldText.charCodeAt(stop) !== 13) stop++;
    const was = oldText.slice(atOld, stop);
    if (!PLAIN_STATUS.test(was)) return null;
    if (was !== f.value) values.set(f, was);
    atOld = stop;
    atNew = end;
  }
  if (oldText.slice(atOld) !== newText.slice(atNew) || values.size === 0) return null;
  return { ...story, tasks: story.tasks.map((t) => (t.status && values.has(t.status) ? { ...t, status: { ...t.status, value: values.get(t.status)! } } : t)) };
}

/**
 * One HTML comment block added at (or removed from) the end of a story, after
 * a blank line: blank lines, `<!--` at the start of a line, a body without
 * `<`, `>`, `` ` `` or `~`, `-->`, then only white space. The body can close
 * nothing the shorter text may leave open at its end: no fence (`` ` ``, `~`),
 * no HTML block (their ends all hold `>`), not the comment itself early
 * (`<!-->`, `<!--->`, a `-->` inside), no front matter (`FENCE_LINE`).
 */
const TRAILING_COMMENT = /^[ \t\r\n]*<!--([^<>`~]*)-->[ \t\r\n]*$/;
/** A body line that could close front matter left open (`---`, `+++`) or underline a heading. */
const FENCE_LINE = /^[ \t]*[-+=*_][-+=*_ \t]*$/m;

/**
 * The Story of `oldText` without parsing it, when one of the two texts is the
 * other with an HTML comment block appended (`TRAILING_COMMENT`, after a blank
 * line; a pull request's note at the end of a story): `story` itself (the new
 * Story). Exact for what the transition rules and the summary read of an old
 * version: a block that starts after a blank line at the start of a line
 * changes no block before it (no setext underline, no lazy or paragraph
 * continuation, no list or quote it could continue; a comment defines no link
 * reference), and its body cannot close a fence, an HTML block or front matter
 * the shorter text leaves open (so nothing after it becomes Markdown), so every
 * node before it is the same in both texts, and the comment (or the code or
 * HTML block left open at the end it joins) is read by neither. Else null.
 */
export function commentAppendedStory(oldText: string, newText: string, story: Story): Story | null {
  const [short, long] = oldText.length < newText.length ? [oldText, newText] : [newText, oldText];
  if (!long.startsWith(short)) return null;
  const added = long.slice(short.length);
  const comment = TRAILING_COMMENT.exec(added);
  if (!comment || FENCE_LINE.test(comment[1]!)) return null;
  // A blank line right before `<!--`, which starts its line.
  const before = short.slice(-64) + added.slice(0, added.indexOf('<!--'));
  if (!/\n[ \t]*\r?\n$/.test(before)) return null;
  return story;
}

/** What the lint pipeline keeps of a story it only reaches (src/lint/lint.ts, `analysisOf` without rules). */
function sharedAnalysis(story: Story): Analysis {
  const { path: _path, ...summary } = summarize(story, '');
  void _path;
  return { messages: [], story: crossStory(story), summary };
}

/**
 * What changed between two summaries of a story, as far as other stories read
 * it: an empty set when nothing did, the ids of the tasks whose status changed
 * when only statuses did (the story's own status, which no cross-story check
 * reads, may have changed too), else null (an id, a task, a ref or a story
 * dependency changed). Cross-story checks read a task's status only through a
 * ref naming that task (`dependency-status`).
 */
export function changedStatuses(old: Analysis['summary'], now: Analysis['summary']): Set<string> | null {
  if (old.id !== now.id || old.tasks.length !== now.tasks.length || JSON.stringify(old.dependencies) !== JSON.stringify(now.dependencies)) return null;
  const out = new Set<string>();
  for (let i = 0; i < old.tasks.length; i++) {
    const a = old.tasks[i]!;
    const b = now.tasks[i]!;
    if (a.id !== b.id || JSON.stringify(a.depends) !== JSON.stringify(b.depends)) return null;
    if (a.status !== b.status) out.add(a.id);
  }
  return out;
}

function addKey(into: Set<string>, path: string): void {
  const id = fileStoryId(path);
  if (id !== null) into.add(storyKey(id));
}

function fatal(message: string): ReadResult {
  return { fatal: { ruleId: null, severity: 2, fatal: true, message, line: 1, column: 1, endLine: 1, endColumn: 1 } };
}

/**
 * Whether a change to a config file changes the config: any change to a
 * `plan-tasks.config.json` / `.plan-tasksrc.json`, and to `package.json` only
 * when its `"plan-tasks"` key differs (compared as parsed JSON; unreadable
 * JSON counts as a change).
 */
async function configReallyChanged(configChanges: readonly Change[], configRel: string | null, where: GitEnv): Promise<boolean> {
  for (const c of configChanges) {
    if (basename(c.path) !== 'package.json' || c.path !== configRel || c.status !== 'M') return true;
    const [a, b] = await readBlobs([c.oldOid, c.newOid], where);
    const key = (buf: Buffer | null | undefined) => {
      try {
        return JSON.stringify((JSON.parse(buf!.toString('utf8')) as Record<string, unknown>)['plan-tasks'] ?? null);
      } catch {
        return `unreadable:${Math.random()}`;
      }
    };
    if (key(a) !== key(b)) return true;
  }
  return false;
}
