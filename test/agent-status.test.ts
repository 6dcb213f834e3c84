/**
 * `plan-tasks status <NNN/TTT> <status>`: allowed, blocked and forbidden
 * moves on a real project in a temp folder; every byte outside the status
 * value is left alone, and a refusal leaves the file untouched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lstatSync, readFileSync, renameSync, statSync, chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './cli-helpers.js';
import { tempProject } from './agent-helpers.js';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});
const project = () => {
  const p = tempProject();
  cleanup = p.done;
  return p;
};

/** `text` with the `n`th (1-based) `**Status:** from` value replaced: the one edit expected. */
function withStatus(text: string, n: number, from: string, to: string): string {
  let at = -1;
  for (let i = 0; i < n; i++) at = text.indexOf('**Status:** ', at + 1);
  const start = at + '**Status:** '.length;
  expect(text.slice(start, start + from.length)).toBe(from);
  return text.slice(0, start) + to + text.slice(start + from.length);
}

describe('plan-tasks status', () => {
  it('sets a task whose dependencies are done, rewriting only the status value', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const before = readFileSync(file, 'utf8');
    chmodSync(file, 0o640);
    const r = await run(['status', '010/002', 'in_progress'], p.dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/set task 010\/002 from pending to in_progress/);
    expect(readFileSync(file, 'utf8')).toBe(withStatus(before, 2, 'pending', 'in_progress'));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // Again: nothing to do, nothing written.
    const again = await run(['status', '010/002', 'In Progress'], p.dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already in_progress/);
    expect(readFileSync(file, 'utf8')).toBe(withStatus(before, 2, 'pending', 'in_progress'));
  });

  it('refuses done or in_progress while a dependency is not done (same story and across stories), file untouched', async () => {
    const p = project();
    const own = p.story('010-token-auth.md');
    const other = p.story('011-token-rotation.md');
    const ownBytes = readFileSync(own);
    const otherBytes = readFileSync(other);
    const local = await run(['status', '010/003', 'done'], p.dir);
    expect(local.code).toBe(1);
    expect(local.stderr.split('\n')[0]).toBe('plan-tasks status: refused, docs/stories/010-token-auth.md unchanged.');
    expect(local.stderr).toMatch(/- 002 is pending/);
    const cross = await run(['status', '011/001', 'in_progress'], p.dir);
    expect(cross.code).toBe(1);
    expect(cross.stderr).toMatch(/- 010\/002 is pending/);
    expect(readFileSync(own).equals(ownBytes)).toBe(true);
    expect(readFileSync(other).equals(otherBytes)).toBe(true);
  });

  it('refuses a move the configured transitions forbid (done -> pending by default)', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const bytes = readFileSync(file);
    const r = await run(['status', '010/001', 'pending'], p.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/from done to pending.*no move out of done \(status-transition\)/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses an unknown task or story (exit 1), and rejects an unknown status or a bad ref (exit 2)', async () => {
    const p = project();
    const task = await run(['status', '010/009', 'done'], p.dir);
    expect(task.code).toBe(1);
    expect(task.stderr).toMatch(/Unknown task 010\/009, expected one of story 010's tasks \(001, 002, 003\)/);
    const story = await run(['status', '099/001', 'done'], p.dir);
    expect(story.code).toBe(1);
    expect(story.stderr).toMatch(/Unknown story 099/);
    // No story file: the refusal says nothing was written (it once said "nothing left untouched", the opposite).
    expect(story.stderr.split('\n')[0]).toBe('plan-tasks status: refused, nothing written.');
    const status = await run(['status', '010/002', 'finished'], p.dir);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/Unknown status "finished", expected one of pending, in_progress, done/);
    const ref = await run(['status', '10-2', 'done'], p.dir);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toMatch(/expected a task ref such as 015\/003/);
  });

  it('refuses a move back that would leave a dependent task (in this story or another) ahead of it', async () => {
    const p = project();
    const own = p.story('010-token-auth.md');
    const other = p.story('011-token-rotation.md');
    // By hand: 002 and 003 in progress, and 011/001 (which depends on 010/002) too; lint accepts that.
    writeFileSync(own, withStatus(withStatus(readFileSync(own, 'utf8'), 2, 'pending', 'in_progress'), 3, 'pending', 'in_progress'));
    writeFileSync(other, withStatus(readFileSync(other, 'utf8'), 1, 'pending', 'in_progress'));
    const ownBytes = readFileSync(own);
    const r = await run(['status', '010/002', 'pending'], p.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 tasks that depend on it are further along/);
    expect(r.stderr).toMatch(/- 003 is in_progress/);
    expect(r.stderr).toMatch(/- 011\/001 is in_progress/);
    expect(readFileSync(own).equals(ownBytes)).toBe(true);
    // Moving forward is fine.
    expect((await run(['status', '010/002', 'done'], p.dir)).code).toBe(0);
  });

  it('fails closed on a dependency it cannot resolve', async () => {
    const p = project();
    const file = p.story('011-token-rotation.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('010/002', '012/001'));
    const r = await run(['status', '011/001', 'in_progress'], p.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/012\/001: story 012 not found/);
  });

  it('--story sets the story status that follows; without it the change is offered; --format json', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const before = readFileSync(file, 'utf8');
    expect((await run(['status', '010/002', 'done'], p.dir)).code).toBe(0);
    const offered = await run(['status', '010/003', 'done'], p.dir);
    expect(offered.code).toBe(0);
    expect(offered.stdout).toMatch(/Story 010 is In Progress; its tasks call for Done: add --story/);
    const expected = withStatus(withStatus(before, 2, 'pending', 'done'), 3, 'pending', 'done');
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const json = await run(['status', '010/003', 'done', '--story', '--format', 'json'], p.dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      task: '010/003',
      filePath: file,
      from: 'done',
      to: 'done',
      changed: false,
      written: true,
      story: { id: '010', from: 'In Progress', to: 'Done', applied: true },
      refused: null,
    });
    expect(readFileSync(file, 'utf8')).toBe(expected.replace('## Status\nIn Progress\n', '## Status\nDone\n'));
    const nothing = await run(['status', '010/003', 'done', '--story'], p.dir);
    expect(nothing.stdout).toMatch(/story status unchanged/);
    const refused = await run(['status', '010/001', 'pending', '--format', 'json'], p.dir);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ task: '010/001', changed: false, written: false, refused: { reason: expect.stringMatching(/status-transition/) } });
  });

  it('a task started in a Ready story: In Progress is offered, and set with --story', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const before = readFileSync(file, 'utf8').replace('## Status\nIn Progress\n', '## Status\nReady\n');
    writeFileSync(file, before);
    const r = await run(['status', '010/002', 'in_progress', '--dry-run'], p.dir);
    expect(r.stdout).toMatch(/Story 010 is Ready; its tasks call for In Progress/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await run(['status', '010/002', 'in_progress', '--story'], p.dir)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(withStatus(before, 2, 'pending', 'in_progress').replace('## Status\nReady\n', '## Status\nIn Progress\n'));
  });

  it('keeps CRLF line ends, the BOM, and a trailing hard break or comment on the status line', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const lf = readFileSync(file, 'utf8').replace('**Status:** pending\n**Depends on:** 001', '**Status:** pending <!-- next up -->\n**Depends on:** 001');
    const crlf = `\ufeff${lf.replace(/\n/g, '\r\n')}`;
    writeFileSync(file, crlf);
    expect((await run(['status', '010/002', 'in_progress'], p.dir)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(crlf.replace('**Status:** pending <!-- next up -->', '**Status:** in_progress <!-- next up -->'));
  });

  it('keeps a trailing hard break and the comments after the status', async () => {
    for (const tail of [' \\', '<br>', ' <BR /> <!-- a --> <!-- b -->']) {
      const p = project();
      const file = p.story('010-token-auth.md');
      const before = readFileSync(file, 'utf8').replace('**Status:** pending\n**Depends on:** 001', `**Status:** pending${tail}\n**Depends on:** 001`);
      writeFileSync(file, before);
      expect((await run(['status', '010/002', 'in_progress'], p.dir)).code).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(before.replace(`**Status:** pending${tail}`, `**Status:** in_progress${tail}`));
    }
  });

  it('writes through a symlinked story, keeping the link', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const real = join(p.dir, 'real-010.md');
    renameSync(file, real);
    symlinkSync('../../real-010.md', file);
    const before = readFileSync(real, 'utf8');
    expect((await run(['status', '010/002', 'in_progress'], p.dir)).code).toBe(0);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe(withStatus(before, 2, 'pending', 'in_progress'));
  });

  it('--dry-run writes nothing', async () => {
    const p = project();
    const file = p.story('010-token-auth.md');
    const bytes = readFileSync(file);
    const r = await run(['status', '010/002', 'done', '--dry-run'], p.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/would set task 010\/002 from pending to done/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a status named like an object property with no configured moves is refused, not an internal error', async () => {
    const p = project();
    writeFileSync(join(p.dir, 'plan-tasks.config.json'), JSON.stringify({ taskStatuses: ['pending', 'toString', 'done'], transitions: { pending: ['toString', 'done'], done: [] } }));
    const file = p.story('012-odd.md');
    writeFileSync(file, '# Story 012: Odd\n\n## Status\n\nIn Progress\n\n## Tasks\n\n### 001: Write it\n**Domain:** backend\n**Status:** toString\n**Depends on:** none\n\nWrite `a.go`.\n');
    const bytes = readFileSync(file);
    const r = await run(['status', '012/001', 'done'], p.dir);
    expect(r.stderr).toContain('Unexpected status change of task 012/001 from toString to done, expected toString to stay: the configured transitions allow no move out of toString (status-transition)');
    expect(r.code).toBe(1);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const ok = await run(['status', '012/001', 'pending'], p.dir);
    expect(ok.code).toBe(1);
  });

  describe('moving a task back fails closed on the stories that may depend on it', () => {
    // 010/001 in progress; story 012 has a task in progress that depends on it.
    const dependent = (title: string) => `### 001: ${title}\n**Domain:** backend\n**Status:** in_progress\n**Depends on:** 010/001\n\nUse the token in \`a.go\`.\n`;
    const setUp = () => {
      const p = project();
      const own = p.story('010-token-auth.md');
      writeFileSync(own, withStatus(readFileSync(own, 'utf8'), 1, 'done', 'in_progress'));
      return { p, own, bytes: readFileSync(own) };
    };

    it('a dependent story with conflict markers is a blocker, not skipped', async () => {
      const { p, own, bytes } = setUp();
      writeFileSync(p.story('012-later.md'), `# Story 012: Later\n\n## Status\n\nIn Progress\n\n## Tasks\n\n<<<<<<< HEAD\n${dependent('Use the token')}=======\n${dependent('Use the token twice')}>>>>>>> branch\n`);
      const r = await run(['status', '010/001', 'pending'], p.dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Unexpected status pending for task 010/001 while a story file cannot be read, expected every story readable first: a task in it may depend on 010/001 (dependency-status)');
      expect(r.stderr).toMatch(/012-later\.md: Unexpected merge conflict marker/);
      expect(readFileSync(own).equals(bytes)).toBe(true);
    });

    it('two files with one story number are both read', async () => {
      const { p, own, bytes } = setUp();
      const story = (title: string, body: string) => `# Story 012: ${title}\n\n## Status\n\nIn Progress\n\n## Tasks\n\n${body}`;
      writeFileSync(p.story('012-a.md'), story('A', '### 001: Unrelated\n**Domain:** backend\n**Status:** pending\n**Depends on:** none\n\nEdit `b.go`.\n'));
      writeFileSync(p.story('012-b.md'), story('B', dependent('Use the token')));
      const r = await run(['status', '010/001', 'pending'], p.dir);
      expect(r.stderr).toContain('- 012/001 is in_progress');
      expect(r.code).toBe(1);
      expect(readFileSync(own).equals(bytes)).toBe(true);
    });
  
    it('starting a task whose dependency story number is carried by two files is refused', async () => {
      const p = project();
      const story = (title: string, status: string) => `# Story 012: ${title}\n\n## Status\n\nIn Progress\n\n## Tasks\n\n### 001: Step\n**Domain:** backend\n**Status:** ${status}\n**Depends on:** none\n\nEdit \`b.go\`.\n`;
      writeFileSync(p.story('012-a.md'), story('A', 'done'));
      writeFileSync(p.story('012-b.md'), story('B', 'pending'));
      const file = p.story('013-user.md');
      writeFileSync(file, '# Story 013: User\n\n## Status\n\nIn Progress\n\n## Tasks\n\n### 001: Use it\n**Domain:** backend\n**Status:** pending\n**Depends on:** 012/001\n\nUse it in `c.go`.\n');
      const bytes = readFileSync(file);
      const r = await run(['status', '013/001', 'in_progress'], p.dir);
      expect(r.stderr).toContain('- 012/001: 2 story files are numbered 012 (story-id-unique)');
      expect(r.code).toBe(1);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    });
  });
});
