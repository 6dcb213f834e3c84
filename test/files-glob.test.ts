/**
 * storyFiles' readdir fast path for `dir/*.md` patterns gives exactly the
 * entries the glob path (tinyglobby, plus what it passes over) gives, and
 * declines other patterns; neither passes over a dangling link, a link loop, a
 * FIFO or a folder named like a story (reading reports them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { globEntries, simpleGlob, storyFiles } from '../src/lint/files.js';
import { defaultConfig } from '../src/config/defaults.js';

let dir: string;
const viaEngine = (patterns: string[]) =>
  globSync(patterns, { cwd: dir, absolute: true, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true }).map((f) => resolve(f)).sort();
const viaGlob = (patterns: string[]) => globEntries(patterns, dir).map((f) => resolve(f)).sort();

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-glob-')));
  const stories = join(dir, 'docs', 'stories');
  mkdirSync(join(stories, 'sub.md'), { recursive: true });
  mkdirSync(join(dir, 'other'));
  mkdirSync(join(dir, 'plans 2'));
  const write = (p: string) => writeFileSync(join(dir, p), '# Story\n');
  for (const f of ['docs/stories/001-a.md', 'docs/stories/.hidden.md', 'docs/stories/002-b.MD', 'docs/stories/003.md.bak', 'docs/stories/004 space.md', 'docs/stories/sub.md/005-deep.md', 'other/x.md', 'plans 2/010-p.md', 'top.md']) write(f);
  symlinkSync('../../other/x.md', join(stories, '006-link.md'));
  symlinkSync('/nonexistent/pt-glob', join(stories, '007-broken.md'));
  symlinkSync('../../other', join(stories, '008-dirlink.md'));
  symlinkSync('011-loop-b.md', join(stories, '011-loop-a.md'));
  symlinkSync('011-loop-a.md', join(stories, '011-loop-b.md'));
  mkdirSync(join(stories, 'sub.md', 'old'));
  symlinkSync('nowhere.md', join(stories, 'sub.md', 'old', '012-deep-broken.md'));
  symlinkSync('../../other', join(stories, 'other-link'));
  try {
    execFileSync('mkfifo', [join(stories, '009-fifo.md')]);
  } catch {
    // no mkfifo: the case is skipped
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('simpleGlob', () => {
  const patterns = [['docs/stories/*.md'], ['./docs/stories/*.md'], ['docs/stories/*.MD'], ['nope/*.md'], ['*.md'], ['plans 2/*.md'], ['docs/stories/*.md', 'plans 2/*.md', 'docs/stories/*.md']];
  it.each(patterns)('%s: the same files as the glob engine', (...p) => {
    expect(simpleGlob(p, dir)?.sort()).toEqual(viaGlob(p));
  });

  it('lists what the glob engine passes over: dangling links, loops, links to folders and folders named like a story, FIFOs', () => {
    const name = (f: string) => f.slice(dir.length + 1);
    const fifo = lstatSync(join(dir, 'docs/stories/009-fifo.md'), { throwIfNoEntry: false })?.isFIFO() ? ['docs/stories/009-fifo.md'] : [];
    const skipped = (p: string[]) => viaGlob(p).filter((f) => !viaEngine(p).includes(f)).map(name);
    expect(skipped(['docs/stories/*.md'])).toEqual(['docs/stories/007-broken.md', 'docs/stories/008-dirlink.md', ...fifo, 'docs/stories/011-loop-a.md', 'docs/stories/011-loop-b.md', 'docs/stories/sub.md'].sort());
    // Where the pattern searches a folder named like a story (or a link to one), its stories are linted instead.
    expect(skipped(['docs/**/*.md'])).toEqual(['docs/stories/007-broken.md', ...fifo, 'docs/stories/011-loop-a.md', 'docs/stories/011-loop-b.md', 'docs/stories/sub.md/old/012-deep-broken.md'].sort());
    expect(viaGlob(['docs/**/*.md']).map(name)).toEqual(expect.arrayContaining(['docs/stories/sub.md/005-deep.md', 'docs/stories/008-dirlink.md/x.md']));
    // A folder (or a link to one) not named like a story is searched, not listed; a pattern that excludes an entry excludes it.
    expect(viaGlob(['docs/stories/*'])).not.toContain(join(dir, 'docs/stories/other-link'));
    expect(viaGlob(['docs/**/*.md', '!docs/stories/011-*.md']).map(name)).not.toContain('docs/stories/011-loop-a.md');
  });

  it('declines patterns that need the glob engine', () => {
    for (const p of ['docs/**/*.md', 'docs/stories/0*.md', 'docs/{a,b}/*.md', '!docs/stories/*.md', 'docs/../docs/stories/*.md', '/abs/*.md', 'docs/stories/*.{md,markdown}', 'docs/stories/[0-9]*.md', '.github/*.md']) {
      expect([p, simpleGlob([p], dir)]).toEqual([p, null]);
    }
    expect(simpleGlob(['docs/stories/*.md', 'docs/**/*.md'], dir)).toBeNull();
  });

  it('storyFiles gives the glob engine\'s files, sorted, either way', () => {
    const config = defaultConfig(dir);
    expect(storyFiles(config)).toEqual(viaGlob(config.stories));
    expect(storyFiles({ ...config, stories: ['docs/**/*.md'] })).toEqual(viaGlob(['docs/**/*.md']));
  });
});
