/**
 * The gates' contract (README "Transitions"), for `--staged` and
 * for `--base`: the project as it will be after the change is linted; reported
 * are the changed stories, the findings the change caused in untouched
 * stories, everything when the config changed; old findings in untouched
 * stories do not block; old and new versions pair by rename, then by story
 * number; deleted stories are accounted for; no path is skipped.
 *
 * Each case is a real git repository in a temp folder, holding the stories of
 * test/fixtures/gate/ (which lint clean as they are).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, lint, Repo, tempDir, type Run } from './git-helpers.js';
import { main } from '../src/cli.js';
import { changedStatuses, listingFor, mayHold, referencedStoryKeys, referencedTaskKeys, storyRefNeedles, taskRefNeedles } from '../src/git/gate.js';
import { parseStory } from '../src/story/parse.js';
import { summarize, storyKey } from '../src/lint/project.js';

afterAll(cleanup);

const FIXTURES = join(import.meta.dirname, 'fixtures', 'gate');
const text = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const S1 = 'docs/stories/001-auth.md';
const S2 = 'docs/stories/002-rotate.md';
const S3 = 'docs/stories/003-settings.md';

/** The project every case starts from: three stories and a config, committed on main. */
function project(): Repo {
  const repo = Repo.init();
  repo.commit({
    'plan-tasks.config.json': text('plan-tasks.config.json'),
    [S1]: text('001-auth.md'),
    [S2]: text('002-rotate.md'),
    [S3]: text('003-settings.md'),
  });
  return repo;
}

type Mode = '--staged' | '--base';
const MODES: Mode[] = ['--staged', '--base'];

/**
 * Make `change` in a fresh project and run the gate: staged in the index for
 * `--staged`, committed on a branch for `--base main`.
 */
async function gate(mode: Mode, change: (repo: Repo) => void, setup?: (repo: Repo) => void): Promise<Run & { repo: Repo }> {
  const repo = project();
  if (setup) {
    setup(repo);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'setup');
  }
  if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
  change(repo);
  repo.git('add', '-A');
  if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
  const run = await lint(repo.dir, mode === '--staged' ? ['--staged'] : ['--base', 'main']);
  return { ...run, repo };
}

const found = (run: Run) => run.json.flatMap((r) => r.messages.map((m) => `${r.filePath.replace(/^.*[\\/]/, '')} ${m.ruleId}`));

describe.each(MODES)('the gate %s', (mode) => {
  it('passes a clean change (positive control)', async () => {
    const run = await gate(mode, (r) => r.write(S1, text('001-auth.md').replace('**Status:** pending', '**Status:** in_progress')));
    expect(run.stderr).toBe('');
    expect(found(run)).toEqual([]);
    expect(run.code).toBe(0);
  });

  it('reports the dangling ref a deleted task leaves in an untouched story', async () => {
    // 002/001 depends on 001/003; the change deletes pending task 003 from story 001.
    const run = await gate(mode, (r) => r.write(S1, text('001-auth-without-003.md')));
    expect(found(run)).toEqual(['002-rotate.md dependency-unknown']);
    expect(run.json.find((r) => r.filePath.endsWith('002-rotate.md'))!.messages[0]!.message).toContain('`001/003`');
    expect(run.code).toBe(1);
  });

  it('reports a `## Dependencies` entry left pointing at a deleted story', async () => {
    const run = await gate(mode, (r) => r.git('rm', '-q', S3));
    expect(found(run)).toEqual(['002-rotate.md story-dependency']);
    expect(run.code).toBe(1);
  });

  it('reports everything when only the config changed', async () => {
    const run = await gate(mode, (r) => r.write('plan-tasks.config.json', JSON.stringify({ domains: ['backend', 'electron', 'packaging'] })));
    expect(found(run)).toEqual(['001-auth.md task-domain', '001-auth.md task-domain']);
    expect(run.code).toBe(1);
  });

  it('pairs a story renamed and rewritten beyond git\'s rename detection by its number', async () => {
    const run = await gate(mode, (r) => {
      r.git('rm', '-q', S1);
      r.write('docs/stories/001-token-auth.md', text('001-auth-rewritten.md'));
    });
    // git sees an add and a delete; the done task set back to pending is still caught
    // (and task 002, in progress, now waits on a pending task).
    const diff = run.repo.git('diff', '-M', '--name-status', mode === '--staged' ? '--cached' : 'main');
    expect(diff.split('\n').filter(Boolean).map((l) => l[0]).sort()).toEqual(['A', 'D']);
    expect(found(run)).toEqual(['001-token-auth.md status-transition', '001-token-auth.md dependency-status']);
    expect(run.code).toBe(1);
  });

  it('follows a renumbered story (git mv) and reports the refs it leaves dangling elsewhere', async () => {
    const run = await gate(mode, (r) => {
      r.git('mv', S1, 'docs/stories/004-auth.md');
      r.write('docs/stories/004-auth.md', text('001-auth.md').replace('Story 001', 'Story 004'));
    });
    // 002 still names story 001 (a `## Dependencies` entry and the 001/003 ref).
    expect(found(run)).toEqual(['002-rotate.md story-dependency', '002-rotate.md dependency-unknown']);
    expect(run.code).toBe(1);
  });

  it('pairs a renumbered story with its new file when a new story takes the old file name', async () => {
    // 001-auth.md becomes 004-auth.md (a done task flipped back on the way); a new story 001 is
    // written at 001-auth.md. git without -B calls this "001 modified, 004 added".
    const run = await gate(mode, (r) => {
      r.git('mv', S1, 'docs/stories/004-auth.md');
      r.write('docs/stories/004-auth.md', text('001-auth.md').replace('# Story 001:', '# Story 004:').replace('**Status:** done', '**Status:** in_progress'));
      r.write(S1, text('003-settings.md').replace('# Story 003:', '# Story 001:'));
      r.write(S2, text('002-rotate.md').replace('Story 001 (', 'Story 004 (').replace('001/003', '004/003'));
    });
    expect(found(run)).toEqual(['004-auth.md status-transition']);
    expect(run.code).toBe(1);
  });

  it('keeps a story rewritten in place paired with itself when it was also copied as a template for a new one', async () => {
    const run = await gate(mode, (r) => {
      r.write('docs/stories/005-copy.md', text('001-auth.md').replace('# Story 001: Token authentication for the daemon', '# Story 005: Token rotation for the daemon'));
      r.write(S1, text('001-auth-rewritten.md'));
    });
    expect(found(run)).toEqual(['001-auth.md status-transition', '001-auth.md dependency-status']);
    expect(run.code).toBe(1);
  });

  it('reports the started and finished tasks of a deleted story', async () => {
    const run = await gate(mode, (r) => {
      r.git('rm', '-q', S1);
      r.write(S2, text('002-rotate.md').replace('001/003', 'none').replace('- Story 001 (the token itself)\n', ''));
    });
    expect(found(run)).toEqual(['001-auth.md task-removed', '001-auth.md task-removed']);
    expect(run.json.at(-1)!.filePath).toBe(join(run.repo.dir, S1));
    expect(run.code).toBe(1);
  });

  it('says where a story moved out of the stories glob went', async () => {
    const run = await gate(mode, (r) => {
      r.git('mv', S1, 'docs/archive-001-auth.md');
    });
    const removed = run.json.find((r) => r.filePath.endsWith('001-auth.md'))!.messages;
    expect(removed.map((m) => m.ruleId)).toEqual(['task-removed', 'task-removed']);
    expect(removed[0]!.message).toContain('moved to docs/archive-001-auth.md outside the configured stories');
    expect(run.code).toBe(1);
  });

  it('reports the refs a change leaves dangling into a story numbered with a letter (004a)', async () => {
    const S4 = 'docs/stories/004a-extra.md';
    const run = await gate(
      mode,
      (r) => r.write(S4, text('001-auth-without-003.md').replace('# Story 001:', '# Story 004a:')),
      (r) => {
        r.write(S4, text('001-auth.md').replace('# Story 001:', '# Story 004a:'));
        r.write(S2, text('002-rotate.md').replace('001/003', '004a/003').replace('Story 003 (', 'Story 004a ('));
      },
    );
    expect(found(run)).toEqual(['002-rotate.md dependency-unknown']);
    expect(run.code).toBe(1);
    const gone = await gate(mode, (r) => r.git('rm', '-q', S4), (r) => {
      r.write(S4, text('001-auth.md').replace('# Story 001:', '# Story 004a:').replaceAll('**Status:** done', '**Status:** pending').replaceAll('**Status:** in_progress', '**Status:** pending'));
      r.write(S2, text('002-rotate.md').replace('Story 003 (', 'Story 004a ('));
    });
    expect(found(gone)).toEqual(['002-rotate.md story-dependency']);
    expect(gone.code).toBe(1);
  });

  it('does not block on an old error in an untouched story, and reports only the new one', async () => {
    // Story 002 already refers to a task 001/009 that never existed.
    const setup = (r: Repo) => r.write(S2, text('002-rotate.md').replace('**Depends on:** 001/003', '**Depends on:** 001/003, 001/009'));
    const unrelated = await gate(mode, (r) => r.write(S3, text('003-settings.md').replace('a restart loses them', 'a restart forgets them')), setup);
    expect(found(unrelated)).toEqual([]);
    expect(unrelated.code).toBe(0);
    const breaking = await gate(mode, (r) => r.write(S1, text('001-auth-without-003.md')), setup);
    const messages = breaking.json.flatMap((r) => r.messages.map((m) => m.message));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('`001/003`');
    expect(breaking.code).toBe(1);
  });

  it('reports two stories with one number, added on two branches', async () => {
    const run = await gate(mode, (r) => {
      r.write('docs/stories/020-alpha.md', text('003-settings.md').replace('Story 003', 'Story 020'));
      r.write('docs/stories/020-beta.md', text('003-settings.md').replace('Story 003', 'Story 020'));
    });
    expect(found(run)).toEqual(['020-alpha.md story-id-unique', '020-beta.md story-id-unique']);
    expect(run.code).toBe(1);
  });

  it('reads story files whose names hold a newline or bytes that are not UTF-8', async () => {
    const broken = text('003-settings.md').replace('Draft', 'Someday');
    const run = await gate(mode, (r) => {
      r.write('docs/stories/004-two\nlines.md', broken.replace('Story 003', 'Story 004'));
      writeFileSync(Buffer.concat([Buffer.from(join(r.dir, 'docs/stories/005-caf')), Buffer.from([0xe9]), Buffer.from('.md')]), broken.replace('Story 003', 'Story 005'));
    });
    expect(found(run).sort()).toEqual(['004-two\nlines.md story-status', `005-caf\ufffd.md story-status`]);
    expect(run.code).toBe(1);
  });
});

describe('a plain lint of a story whose name is not UTF-8', () => {
  it('reports it as an error of that file (exit 1), never as a file that was removed (exit 2)', async () => {
    const repo = project();
    writeFileSync(Buffer.concat([Buffer.from(join(repo.dir, 'docs/stories/005-caf')), Buffer.from([0xe9]), Buffer.from('.md')]), text('003-settings.md').replace('Story 003', 'Story 005'));
    const run = await lint(repo.dir, []);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const result = run.json.find((r) => r.filePath.endsWith('005-caf\ufffd.md'))!;
    expect(result.messages.map((m) => m.message)).toEqual([expect.stringContaining('not valid UTF-8')]);
    expect(run.json.filter((r) => r !== result).flatMap((r) => r.messages)).toEqual([]);
  });
});

describe('the line scan for refs (referencedStoryKeys)', () => {
  it('finds every shape the parser reads as a ref, with and without a letter', () => {
    const keys = referencedStoryKeys('## Dependencies\n- Story 012 (x)\n- Stories 013 and 014a\n- [015](015-slug.md)\n- 018\n- #019: X\n1. 020/001\n- story 21\n\n**Depends on:** 016/003, 0017a/001\n');
    for (const k of ['012', '013', '014a', '015', '016', '017a', '018', '019', '020', '021']) expect(keys).toContain(k);
  });

  it('is linear on long runs of digits and of `001-` (was 14 s on 100,000 digits)', () => {
    for (const text of ['Story ' + '1'.repeat(50_000) + 'x\n' + '2'.repeat(50_000), '001-'.repeat(25_000), '001/'.repeat(25_000)]) {
      const start = performance.now();
      referencedStoryKeys(text);
      expect(performance.now() - start).toBeLessThan(500);
    }
  });
});

describe('the scan for task refs into other stories (referencedTaskKeys)', () => {
  it('finds every cross-story ref the parser reads, in every fixture story', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.md')) files.push(p);
      }
    };
    walk(join(import.meta.dirname, 'fixtures'));
    let refs = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const keys = referencedTaskKeys(Buffer.from(text, 'utf8').toString('latin1'));
      for (const task of parseStory(text, file).tasks) {
        for (const ref of task.depends) {
          if (ref.story === undefined) continue;
          refs++;
          expect(keys, `${file}: ${ref.raw}`).toContain(`${storyKey(ref.story)}/${ref.task}`);
        }
      }
    }
    expect(refs).toBeGreaterThan(50);
  });

  it('keys a story number as the project does (`0014/003` is `014/003`), with a task letter', () => {
    expect([...referencedTaskKeys('**Depends on:** 0014/003, 15a/001, 016/002b, 1017/004')].sort()).toEqual(['014/003', '016/002b', '1017/004']);
  });
});

describe('the byte prefilters before the ref scans (story 030)', () => {
  const texts = (): string[] => {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.md')) out.push(readFileSync(p, 'latin1'));
      }
    };
    walk(join(import.meta.dirname, 'fixtures'));
    // Shapes the fixtures may lack: padding, letters in either case, numbers in runs.
    out.push('Depends on: 0014/003, 15A/001, 016/002B, 1017/004, 00099/100a, 001/002/003\nStory 0000123B and stories 4567, 089a\n[x](0021-slug.md) 22-x.md\n- Story 7\n- #0031\n- story 4b');
    return out;
  };

  it('never hides a text from the scan that would find one of the keys (every fixture, every key it names)', () => {
    let keys = 0;
    for (const text of texts()) {
      const bytes = Buffer.from(text, 'latin1');
      for (const key of referencedTaskKeys(text)) {
        keys++;
        expect(mayHold(bytes, taskRefNeedles([key])), key).toBe(true);
        expect(mayHold(bytes, taskRefNeedles(['999/999', key])), key).toBe(true);
      }
      for (const key of referencedStoryKeys(text)) {
        keys++;
        expect(mayHold(bytes, storyRefNeedles([key])), key).toBe(true);
      }
    }
    expect(keys).toBeGreaterThan(200);
  });

  it('hides a text that holds none of them', () => {
    const bytes = Buffer.from('**Depends on:** 014/003, Story 021\n', 'latin1');
    expect(mayHold(bytes, taskRefNeedles(['014/004', '015/005']))).toBe(false);
    expect(mayHold(bytes, taskRefNeedles(['015/003']))).toBe(true);
    expect(mayHold(bytes, storyRefNeedles(['022', '1014']))).toBe(false);
    expect(mayHold(bytes, storyRefNeedles(['021b']))).toBe(true);
  });
});

describe('what other stories read of a changed story (changedStatuses)', () => {
  const summary = (text: string) => {
    const { path: _path, ...rest } = summarize(parseStory(text, '/p/001-a.md'), '');
    void _path;
    return rest;
  };
  const story = (status: string, first: string, depends = 'none', extra = '') =>
    `# Story 001: A\n\n## Status\n\n${status}\n\n## Tasks\n\n### 001: One\n\n**Status:** ${first}\n**Depends on:** ${depends}\n\n### 002: Two\n\n**Status:** pending\n**Depends on:** none\n${extra}`;

  it('nothing, the statuses changed, or more', () => {
    expect(changedStatuses(summary(story('Ready', 'pending')), summary(story('Ready', 'pending', 'none', '\nA note.\n')))).toEqual(new Set());
    expect(changedStatuses(summary(story('Ready', 'pending')), summary(story('In Progress', 'done')))).toEqual(new Set(['001']));
    expect(changedStatuses(summary(story('Ready', 'pending')), summary(story('Ready', 'pending', '002/001')))).toBeNull();
    expect(changedStatuses(summary(story('Ready', 'pending')), summary(story('Ready', 'pending', 'none', '\n### 003: Three\n')))).toBeNull();
    expect(changedStatuses(summary(story('Ready', 'pending')), summary(story('Ready', 'pending').replace('### 002', '### 003')))).toBeNull();
  });
});

describe.each(MODES)('the gate %s, the config it lints with', (mode) => {
  const OLD = text('plan-tasks.config.json');
  const NARROW = JSON.stringify({ domains: ['backend', 'electron', 'packaging'] });
  const WIDE = JSON.stringify({ domains: ['backend', 'compute', 'electron', 'packaging', 'frontend'] });
  /** The change (staged, or committed on a branch), then the working tree edited after it. */
  async function run(change: (r: Repo) => void, after: (r: Repo) => void, args: string[] = [], cwd = '') {
    const repo = project();
    if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
    change(repo);
    repo.git('add', '-A');
    if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
    after(repo);
    return lint(join(repo.dir, cwd), [...(mode === '--staged' ? ['--staged'] : ['--base', 'main']), ...args]);
  }

  it('is the changed config, even when the working tree has the old one back', async () => {
    const r = await run((repo) => repo.write('plan-tasks.config.json', NARROW), (repo) => repo.write('plan-tasks.config.json', OLD));
    expect(found(r)).toEqual(['001-auth.md task-domain', '001-auth.md task-domain']);
    expect(r.code).toBe(1);
  });

  it('is not a config edit left out of the change', async () => {
    const r = await run(
      (repo) => repo.write(S2, text('002-rotate.md').replace('**Domain:** backend', '**Domain:** frontend')),
      (repo) => repo.write('plan-tasks.config.json', WIDE),
    );
    expect(found(r)).toEqual(['002-rotate.md task-domain']);
    expect(r.code).toBe(1);
  });

  it('is found from a subfolder, and an invalid one in the change is exit 2 naming where it was read', async () => {
    const r = await run((repo) => repo.write('plan-tasks.config.json', '{"domains": ['), (repo) => repo.write('plan-tasks.config.json', OLD));
    expect(r.stderr).toContain('plan-tasks.config.json');
    expect(r.stderr).toContain(mode === '--staged' ? 'the git index' : 'HEAD');
    expect(r.code).toBe(2);
    const sub = await run((repo) => repo.write('plan-tasks.config.json', NARROW), (repo) => repo.write('plan-tasks.config.json', OLD), [], 'docs/stories');
    expect(found(sub)).toEqual(['001-auth.md task-domain', '001-auth.md task-domain']);
    expect(sub.code).toBe(1);
  });

  it('is not a config file git does not hold, and says so', async () => {
    const r = await run(
      (repo) => repo.git('rm', '-q', 'plan-tasks.config.json'),
      (repo) => repo.write('plan-tasks.config.json', NARROW),
    );
    expect(r.stderr).toContain(`not using plan-tasks.config.json: it is not ${mode === '--staged' ? 'in the git index' : 'in HEAD'}`);
    expect(found(r)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('is what --print-config prints with the gate flag', async () => {
    const r = await run((repo) => repo.write('plan-tasks.config.json', NARROW), (repo) => repo.write('plan-tasks.config.json', OLD), ['--print-config']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).domains.map((d: { name: string }) => d.name)).toEqual(['backend', 'electron', 'packaging']);
  });

  it('is the file named with --config, as it is on disk', async () => {
    const r = await run((repo) => repo.write('plan-tasks.config.json', NARROW), (repo) => repo.write('plan-tasks.config.json', OLD), ['--config', 'plan-tasks.config.json']);
    expect(found(r)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('the gate, named paths', () => {
  it('still reports what a change to a named story breaks elsewhere', async () => {
    const repo = project();
    repo.write(S1, text('001-auth-without-003.md'));
    repo.git('add', '-A');
    const run = await lint(repo.dir, ['--staged', join(repo.dir, S1)]);
    expect(found(run)).toEqual(['002-rotate.md dependency-unknown']);
    expect(run.code).toBe(1);
  });
});

describe('the gate, paths given as globs (as a plain lint takes them)', () => {
  it.each(MODES)('%s lints what the glob matches in the snapshot; a glob matching nothing there is exit 2', async (mode) => {
    const repo = project();
    if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
    repo.write(S1, text('001-auth-without-003.md'));
    repo.write('notes/010-idea.md', text('003-settings.md').replace('# Story 003:', '# Story 010:').replace('Draft', 'Someday'));
    repo.git('add', '-A');
    if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
    const base = mode === '--staged' ? ['--staged'] : ['--base', 'main'];
    const stories = await lint(repo.dir, [...base, 'docs/stories/*.md']);
    expect(found(stories)).toEqual(['002-rotate.md dependency-unknown']);
    expect(stories.code).toBe(1);
    const notes = await lint(join(repo.dir, 'docs'), [...base, '../notes/*.md']);
    expect(found(notes)).toContain('010-idea.md story-status');
    expect(notes.code).toBe(1);
    const none = await lint(repo.dir, [...base, 'docs/nothing/*.md']);
    expect(none.stderr).toContain('No files match the pattern "docs/nothing/*.md"');
    expect(none.code).toBe(2);
  });
});

describe('the gate, which files are stories', () => {
  it.each(MODES)('%s takes the files a plain lint takes: `!` globs exclude, dot files are not stories', async (mode) => {
    const repo = Repo.init();
    repo.commit({
      'plan-tasks.config.json': JSON.stringify({ stories: ['docs/stories/*.md', '!docs/stories/000-template.md'] }),
      [S1]: text('001-auth.md'),
      [S2]: text('002-rotate.md'),
      [S3]: text('003-settings.md'),
    });
    if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
    const bad = text('003-settings.md').replace('Draft', 'Someday');
    repo.write('docs/stories/000-template.md', bad.replace('# Story 003:', '# Story 000:'));
    repo.write('docs/stories/.004-draft.md', bad.replace('# Story 003:', '# Story 004:'));
    repo.git('add', '-A');
    if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
    const plain = await lint(repo.dir, []);
    expect(plain.code).toBe(0);
    const run = await lint(repo.dir, mode === '--staged' ? ['--staged'] : ['--base', 'main']);
    expect(found(run)).toEqual([]);
    expect(run.code).toBe(0);
  });
});

describe('the gate, a stories glob reaching out of the config\'s folder', () => {
  it.each(MODES)('%s lints `../docs/stories/*.md` from a config in tools/, as a plain lint does', async (mode) => {
    const repo = Repo.init();
    repo.commit({ 'tools/plan-tasks.config.json': JSON.stringify({ stories: '../docs/stories/*.md' }), [S1]: text('001-auth.md'), [S2]: text('002-rotate.md'), [S3]: text('003-settings.md') });
    if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
    repo.write(S2, text('002-rotate.md').replace('**Domain:** backend', '**Domain:** nope'));
    repo.git('add', '-A');
    if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
    const plain = await lint(join(repo.dir, 'tools'), []);
    expect(found(plain)).toEqual(['002-rotate.md task-domain']);
    const run = await lint(join(repo.dir, 'tools'), mode === '--staged' ? ['--staged'] : ['--base', 'main']);
    expect(found(run)).toEqual(['002-rotate.md task-domain']);
    expect(run.code).toBe(1);
  });
});

describe('the gate, a story folder behind a symbolic link', () => {
  it.each(MODES)('%s lints the files under the link\'s target, reported as the link spells them', async (mode) => {
    const repo = Repo.init();
    repo.commit({ 'plan-tasks.config.json': text('plan-tasks.config.json'), 'plans/001-auth.md': text('001-auth.md'), 'plans/002-rotate.md': text('002-rotate.md'), 'plans/003-settings.md': text('003-settings.md') });
    mkdirSync(join(repo.dir, 'docs'));
    symlinkSync('../plans', join(repo.dir, 'docs', 'stories'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'link');
    if (mode === '--base') repo.git('checkout', '-q', '-b', 'feature');
    repo.write('plans/001-auth.md', text('001-auth-without-003.md'));
    repo.git('add', '-A');
    if (mode === '--base') repo.git('commit', '-q', '-m', 'the change');
    const run = await lint(repo.dir, mode === '--staged' ? ['--staged'] : ['--base', 'main']);
    expect(run.json.map((r) => r.filePath)).toContain(join(repo.dir, 'docs', 'stories', '002-rotate.md'));
    expect(found(run)).toEqual(['002-rotate.md dependency-unknown']);
    expect(run.code).toBe(1);
  });

  it.each(MODES)('%s refuses a story folder linked out of the repository (exit 2), never a pass', async (mode) => {
    const outside = tempDir();
    writeFileSync(join(outside, '001-auth.md'), text('001-auth.md').replace('**Domain:** compute', '**Domain:** nope'));
    const repo = Repo.init();
    repo.commit({ 'plan-tasks.config.json': text('plan-tasks.config.json') });
    mkdirSync(join(repo.dir, 'docs'));
    symlinkSync(outside, join(repo.dir, 'docs', 'stories'));
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'link');
    const run = await lint(repo.dir, mode === '--staged' ? ['--staged'] : ['--base', 'HEAD']);
    expect(run.stderr).toContain('outside the git repository');
    expect(run.code).toBe(2);
  });
});

describe('the gate, what git lists', () => {
  it('reports an unmerged story (a merge stopped on a conflict) as a fatal error, never a skip', async () => {
    const repo = project();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit({ [S1]: text('001-auth.md').replace('**Status:** in_progress', '**Status:** done') }, 'finish 002');
    repo.git('checkout', '-q', 'main');
    repo.commit({ [S1]: text('001-auth.md').replace('**Status:** in_progress', '**Status:** pending') }, 'pause 002');
    expect(() => repo.git('merge', '-q', 'feature')).toThrow();
    const run = await lint(repo.dir, ['--staged']);
    const messages = run.json.filter((r) => r.filePath.endsWith('001-auth.md')).flatMap((r) => r.messages);
    expect(messages.map((m) => m.message)).toEqual([expect.stringMatching(/^Unexpected unmerged path/)]);
    expect(run.code).toBe(1);
  });

  it('follows a symbolic link to another story as the working tree does; a link elsewhere is a fatal error', async () => {
    const repo = project();
    symlinkSync('003-settings.md', join(repo.dir, 'docs/stories/004-link.md'));
    symlinkSync('../../nowhere.md', join(repo.dir, 'docs/stories/005-dangling.md'));
    repo.git('add', '-A');
    const run = await lint(repo.dir, ['--staged']);
    const byFile = Object.fromEntries(run.json.map((r) => [r.filePath.replace(/^.*[\\/]/, ''), r.messages]));
    // The link's text is story 003's: its heading disagrees with the link's name, exactly as a plain lint says.
    expect(byFile['004-link.md']!.map((m) => m.ruleId)).toEqual(['story-id-unique']);
    expect(byFile['005-dangling.md']!.map((m) => [m.ruleId, m.message.slice(0, 46)])).toEqual([[null, 'Unexpected symbolic link to ../../nowhere.md i']]);
    expect(run.code).toBe(1);
  });

  it('a package.json change outside its "plan-tasks" key is not a config change', async () => {
    const repo = Repo.init();
    const pkg = (version: string, domains: string[]) => JSON.stringify({ name: 'x', version, 'plan-tasks': { domains } }, null, 2);
    const all = ['backend', 'compute', 'electron', 'packaging'];
    // Story 003 carries an old error (an unknown status) that must not block an unrelated change.
    repo.commit({ 'package.json': pkg('1.0.0', all), [S1]: text('001-auth.md'), [S2]: text('002-rotate.md'), [S3]: text('003-settings.md').replace('Draft', 'Someday') });
    repo.write('package.json', pkg('1.0.1', all));
    repo.git('add', '-A');
    const bump = await lint(repo.dir, ['--staged']);
    expect(found(bump)).toEqual([]);
    expect(bump.code).toBe(0);
    repo.write('package.json', pkg('1.0.1', ['backend', 'electron', 'packaging']));
    repo.git('add', '-A');
    const config = await lint(repo.dir, ['--staged']);
    expect(found(config).sort()).toEqual(['001-auth.md task-domain', '001-auth.md task-domain', '003-settings.md story-status']);
    expect(config.code).toBe(1);
  });
});

describe('story numbers', () => {
  it('reads numbers of three or more digits in file names, headings and refs', async () => {
    const repo = project();
    repo.write('docs/stories/0123-big.md', text('003-settings.md').replace('Story 003', 'Story 0123'));
    repo.write('docs/stories/1042-bigger.md', text('002-rotate.md').replace('Story 002', 'Story 1042').replace('001/003', '1042/001').replace('Story 003', 'Story 0123'));
    const clean = await run(repo.dir, ['lint', '--format', 'json']);
    const json = JSON.parse(clean.stdout) as { filePath: string; messages: { ruleId: string }[] }[];
    // 1042/001 depending on itself is the only finding: the ref resolved to this story's task.
    expect(json.flatMap((r) => r.messages.map((m) => `${r.filePath.replace(/^.*[\\/]/, '')} ${m.ruleId}`))).toEqual(['1042-bigger.md dependency-self']);
  });

  it('reports a heading that disagrees with the file name', async () => {
    const repo = project();
    repo.write(S3, text('003-settings.md').replace('Story 003', 'Story 030'));
    const r = await run(repo.dir, ['lint', '--format', 'json']);
    const json = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number; message: string }[] }[];
    const msgs = json.flatMap((x) => x.messages);
    expect(msgs.map((m) => [m.ruleId, m.line])).toEqual([['story-id-unique', 1]]);
    expect(msgs[0]!.message).toContain('`Story 030`');
    expect(r.code).toBe(1);
  });

  it('graph and next refuse two files with one number, naming both (exit 1)', async () => {
    const repo = project();
    repo.write('docs/stories/002-other.md', text('003-settings.md').replace('Story 003', 'Story 002'));
    for (const args of [['graph', 'all'], ['next']]) {
      const r = await run(repo.dir, args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('002-other.md');
      expect(r.stderr).toContain('002-rotate.md');
      expect(r.stderr).toContain('story-id-unique');
      expect(r.stdout).toBe('');
    }
    rmSync(join(repo.dir, 'docs/stories/002-other.md'));
    expect((await run(repo.dir, ['next'])).code).toBe(0);
  });
});

describe('lint --stdin --stdin-filename', () => {
  it('lints the text as that file, against the rest of the project', async () => {
    const repo = project();
    // Unsaved text of story 002 whose ref points at a task story 001 does not have.
    const input = text('002-rotate.md').replace('001/003', '001/007');
    const r = await run(repo.dir, ['lint', '--stdin', '--stdin-filename', S2, '--format', 'json'], input);
    const json = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string }[] }[];
    expect(json.map((x) => x.filePath)).toEqual([join(repo.dir, S2)]);
    expect(json[0]!.messages.map((m) => m.ruleId)).toEqual(['dependency-unknown']);
    expect(r.code).toBe(1);
    // The file on disk is untouched and clean; the same text from stdin lints clean.
    expect(readFileSync(join(repo.dir, S2), 'utf8')).toBe(text('002-rotate.md'));
    expect((await run(repo.dir, ['lint', '--stdin', '--stdin-filename', S2], text('002-rotate.md'))).code).toBe(0);
  });

  it('sees a new story number taken by another file, and other stories see the stdin text', async () => {
    const repo = project();
    const dup = await run(repo.dir, ['lint', '--stdin', '--stdin-filename', 'docs/stories/003-new.md', '--format', 'json'], text('003-settings.md'));
    expect(JSON.parse(dup.stdout)[0].messages.map((m: { ruleId: string }) => m.ruleId)).toEqual(['story-id-unique']);
    expect(dup.code).toBe(1);
  });

  it('takes the config and the project of the file the text stands for, from any working directory', async () => {
    const repo = project();
    repo.commit({ 'plan-tasks.config.json': JSON.stringify({ domains: ['backend', 'compute'] }) });
    const input = text('002-rotate.md').replace('**Domain:** backend', '**Domain:** packaging');
    const r = await run(tempDir(), ['lint', '--stdin', '--stdin-filename', join(repo.dir, S2), '--format', 'json'], input);
    const json = JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[];
    // The project's config (not the defaults, which list packaging), and refs resolved against its stories.
    expect(json[0]!.messages.map((m) => m.ruleId)).toEqual(['task-domain']);
    expect(json[0]!.messages[0]!.message).toContain('`packaging`');
    expect(r.code).toBe(1);
  });

  it('reports unreadable input and bad usage the ESLint way', async () => {
    const repo = project();
    const binary = await run(repo.dir, ['lint', '--stdin', '--stdin-filename', S2, '--format', 'json'], Buffer.from([0, 1, 2]));
    expect(JSON.parse(binary.stdout)[0].messages[0].fatal).toBe(true);
    expect(binary.code).toBe(1);
    const noName = await run(repo.dir, ['lint', '--stdin'], '');
    expect(noName.code).toBe(2);
    expect(noName.stderr).toContain('--stdin-filename');
    const both = await run(repo.dir, ['lint', '--stdin', '--stdin-filename', S2, '--staged'], '');
    expect(both.code).toBe(2);
    const nameOnly = await run(repo.dir, ['lint', '--stdin-filename', S2], '');
    expect(nameOnly.code).toBe(2);
    // A folder is no file the text can stand for (it linted the text as the folder, with no story number).
    for (const folder of ['docs/stories', 'docs/stories/']) {
      const dir = await run(repo.dir, ['lint', '--stdin', '--stdin-filename', folder], text('002-rotate.md'));
      expect(dir.stderr).toContain('is a directory');
      expect(dir.stdout).toBe('');
      expect(dir.code).toBe(2);
    }
  });

  it('with --fix prints the fixed text in the JSON output and writes nothing', async () => {
    const repo = project();
    const input = text('002-rotate.md').replace('### 001: Add', '### Task 001: Add');
    const r = await run(repo.dir, ['lint', '--stdin', '--stdin-filename', S2, '--fix', '--format', 'json'], input);
    const json = JSON.parse(r.stdout) as { output?: string; messages: unknown[] }[];
    expect(json[0]!.output).toBe(text('002-rotate.md'));
    expect(json[0]!.messages).toEqual([]);
    expect(readFileSync(join(repo.dir, S2), 'utf8')).toBe(text('002-rotate.md'));
  });
});

/** Run the CLI in-process with `input` on stdin. */
async function run(cwd: string, argv: string[], input: string | Buffer = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const code = await main(argv, {
    cwd,
    env: {},
    isTTY: false,
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    stdin: async () => (typeof input === 'string' ? Buffer.from(input) : input),
  });
  return { code, ...out };
}

describe('the stories listed with the config files (listingFor, story 030)', () => {
  const entry = (oid: string) => ({ mode: '100644', oid });
  const listed = new Map([
    ['package.json', entry('a')],
    ['docs/package.json', entry('b')],
    ['docs/stories/package.json', entry('c')],
    ['docs/stories/001-a.md', entry('d')],
    ['docs/stories-x/package.json', entry('e')],
    ['docs/stories/sub/003-c.md', entry('f')],
  ]);
  const candidates = new Set(['package.json', 'docs/package.json', 'docs/stories/package.json', 'docs/stories-x/package.json', 'plan-tasks.config.json']);

  it('gives what listing the scope alone gives: config files outside it left out, those inside kept', () => {
    const got = listingFor(['docs/stories'], { specs: ['docs/stories'], listing: { listed, candidates } });
    expect([...got!.keys()]).toEqual(['docs/stories/package.json', 'docs/stories/001-a.md', 'docs/stories/sub/003-c.md']);
    expect([...listingFor(['.'], { specs: ['.'], listing: { listed, candidates } })!.keys()]).toEqual([...listed.keys()]);
    expect([...listingFor(['docs/stories/001-a.md', 'docs'], { specs: ['docs/stories/001-a.md', 'docs'], listing: { listed, candidates } })!.keys()]).toEqual([...listed.keys()].slice(1));
    expect([...listingFor(['docs/stories/001-a.md'], { specs: ['docs/stories/001-a.md'], listing: { listed, candidates } })!.keys()]).toEqual(['docs/stories/001-a.md', 'docs/stories/sub/003-c.md']);
  });

  it('declines when the scope is not the one listed, is the whole repository, or nothing was listed', () => {
    expect(listingFor(['plans'], { specs: ['docs/stories'], listing: { listed, candidates } })).toBeUndefined();
    expect(listingFor(['docs/stories', 'notes'], { specs: ['docs/stories'], listing: { listed, candidates } })).toBeUndefined();
    expect(listingFor([], { specs: [], listing: { listed, candidates } })).toBeUndefined();
    expect(listingFor(['docs/stories'], { specs: ['docs/stories'] })).toBeUndefined();
  });
});
