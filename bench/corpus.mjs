// Builds the benchmark corpora from the weave stories:
//   one/docs/stories/   the 28 stories (the one-story runs lint 006, 8.7 KB, in this repo)
//   many/docs/stories/  504 stories: 18 copies, copy k renumbers story n to n + 28k, and
//                       rewrites the story refs inside it (Story 012, 012-slug.md,
//                       012/003) the same way, so cross-story refs stay within a copy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SOURCE = new URL('../../shared/corpus/weave/stories/', import.meta.url);
export const ONE_STORY = '006-web-ui-foundation.md';

const pad = (n) => String(n).padStart(3, '0');

/** Renumber the story ids 001..count in a story's text by `offset`. */
export function renumber(text, offset, count) {
  if (offset === 0) return text;
  const map = (id) => {
    const n = Number(id);
    return n >= 1 && n <= count ? pad(n + offset) : id;
  };
  return text
    // "Story 012", "Stories 012 and 013", "story #012, 014"
    .replace(/(\bstor(?:y|ies)[ \t]+#?)(\d{3})((?:[ \t]*(?:,|\band\b|&)[ \t]*#?\d{3}\b)*)/gi, (_m, lead, id, more) =>
      lead + map(id) + more.replace(/\d{3}/g, map))
    // "012-slug.md"
    .replace(/\b(\d{3})(?=-[a-z0-9-]+\.md\b)/gi, map)
    // task refs "012/003"
    .replace(/\b(\d{3})(?=\/\d{3}[a-z]?\b)/g, map);
}

export function buildCorpora(work, copies = 18) {
  const names = readdirSync(SOURCE).filter((f) => /^\d{3}-.*\.md$/.test(f)).sort();
  const texts = names.map((n) => readFileSync(new URL(n, SOURCE), 'utf8'));
  const one = join(work, 'corpus', 'one', 'docs', 'stories');
  const many = join(work, 'corpus', 'many', 'docs', 'stories');
  rmSync(join(work, 'corpus'), { recursive: true, force: true });
  mkdirSync(one, { recursive: true });
  mkdirSync(many, { recursive: true });
  names.forEach((n, i) => writeFileSync(join(one, n), texts[i]));
  let bytes = 0;
  for (let k = 0; k < copies; k++) {
    names.forEach((n, i) => {
      const id = pad(Number(n.slice(0, 3)) + k * names.length);
      const text = renumber(texts[i], k * names.length, names.length);
      bytes += Buffer.byteLength(text);
      writeFileSync(join(many, id + n.slice(3)), text);
    });
  }
  return {
    oneRoot: join(work, 'corpus', 'one'),
    oneFile: join(one, ONE_STORY),
    oneBytes: Buffer.byteLength(texts[names.indexOf(ONE_STORY)]),
    manyRoot: join(work, 'corpus', 'many'),
    manyCount: copies * names.length,
    manyBytes: bytes,
  };
}

/**
 * A pull request on the 504-story corpus, as a real git repository under
 * `work`: `main` holds the stories, branch `feature` (checked out) changes
 * `changed` of them in `commits` commits, the way a PR does: a pending task
 * started (`pending` -> `in-progress`) or finished, a note appended, a task's
 * description extended. Returns the repository and the stories changed.
 * `git` is the command runner (execFileSync's signature); the identity and
 * config of the caller's git are not used.
 */
export function buildPrRepo(work, { copies = 18, changed = 50, commits = 20 } = {}) {
  const c = buildCorpora(work, copies);
  const repo = c.manyRoot;
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
  const git = (...args) => execFileSync('git', args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'stories');
  git('checkout', '-q', '-b', 'feature');
  const dir = join(repo, 'docs', 'stories');
  const names = readdirSync(dir).sort();
  // Spread over the corpus: every (n / changed)-th story.
  const picked = Array.from({ length: changed }, (_, i) => names[Math.floor((i * names.length) / changed) + 3]);
  picked.forEach((name, i) => {
    const file = join(dir, name);
    let text = readFileSync(file, 'utf8');
    const kind = i % 3;
    if (kind === 0 && /\*\*Status:\*\* pending/.test(text)) text = text.replace('**Status:** pending', '**Status:** in-progress');
    else if (kind === 1) text = text.replace(/(\n### [^\n]+\n)/, `$1\nReviewed in the pull request (change ${i}).\n`);
    else text += `\n<!-- PR note ${i}: checked against the plan. -->\n`;
    writeFileSync(file, text);
    // `changed` stories over `commits` commits: commit after each share.
    if (Math.floor(((i + 1) * commits) / changed) !== Math.floor((i * commits) / changed) || i === changed - 1) {
      git('add', '-A');
      git('commit', '-q', '-m', `change ${i}`);
    }
  });
  const count = Number(String(git('rev-list', '--count', 'main..feature')).trim());
  return { ...c, repo, picked, commits: count, env };
}
