import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { defaultConfig } from '../src/config/defaults.js';
import { kindOf, planTasks, titleFrom } from '../src/scaffold/plan.js';
import { parseStory } from '../src/story/parse.js';

const FIXTURE = new URL('./fixtures/scaffold/project/', import.meta.url).pathname;
const HANDOFF = (id: string) => `Tasks are ready. Start implementation with \`Implement Story ${id}\`.\n`;

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-'));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

async function run(cwd: string, ...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

/** Every file of the stories folder, byte for byte. */
function snapshot(dir: string): Record<string, string> {
  const stories = join(dir, 'docs/stories');
  return Object.fromEntries(readdirSync(stories).sort().map((f) => [f, readFileSync(join(stories, f)).toString('base64')]));
}

const story = (dir: string, name: string) => readFileSync(join(dir, 'docs/stories', name), 'utf8');

/** The project with story 015's open question answered (moved out), so 015 is ready. */
function readyProject(): string {
  const dir = project();
  const path = join(dir, 'docs/stories/015-token-auth.md');
  writeFileSync(path, readFileSync(path, 'utf8').replace('## Open Questions\n\n- Should the token rotate on every start?\n\n', ''));
  return dir;
}

describe('scaffold refusals (exit 2, files byte-identical)', () => {
  const cases: [string, string[], RegExp][] = [
    ['a word', ['abc'], /Unexpected story number "abc", expected three digits/],
    ['a path', ['../../etc/passwd'], /Unexpected story number "\.\.\/\.\.\/etc\/passwd"/],
    ['one digit', ['1'], /Did you mean `001`\?/],
    // Story numbers have three or more digits: 0155 is a number, and no file carries it.
    ['four digits', ['0155'], /Missing story 0155, expected one file 0155-\*\.md/],
    ['two digits', ['15'], /Unexpected story number "15"/],
    ['no number', [], /Missing story number/],
    ['two numbers', ['015', '021'], /Unexpected 2 story numbers, expected one/],
    ['no story', ['099'], /Missing story 099, expected one file 099-\*\.md/],
    ['two stories', ['030'], /Unexpected 2 stories numbered 030 \(docs\/stories\/030-first\.md, docs\/stories\/030-second\.md\)/],
    ['a Draft story', ['020'], /Unexpected story status `Draft` in docs\/stories\/020-draft-idea\.md \(line 4\), expected `Ready`\nSet its `## Status` to Ready once its criteria are agreed, then scaffold it\./],
    ['an existing Tasks section', ['012'], /Unexpected `## Tasks` section in docs\/stories\/012-daemon-socket\.md \(line 14\), expected none/],
    ['all criteria checked', ['023'], /all 1 acceptance criteria checked/],
    ['an unknown option', ['015', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [name, argv, message] of cases) {
    it(`refuses ${name}`, async () => {
      const dir = project();
      const before = snapshot(dir);
      const r = await run(dir, 'scaffold', ...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.stdout).toBe('');
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('refuses a Done story even with --force (which accepts Ready and In Progress)', async () => {
    const dir = project();
    const path = join(dir, 'docs/stories/012-daemon-socket.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('In Progress', 'Done'));
    const before = snapshot(dir);
    const r = await run(dir, 'scaffold', '012', '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unexpected story status `Done`.*expected `Ready` \(or `In Progress` with --force\)/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('scaffold 015', () => {
  it('writes the Tasks section, sets In Progress, prints the hand-off line, and lints clean', async () => {
    const dir = readyProject();
    const before = story(dir, '015-token-auth.md');
    const r = await run(dir, 'scaffold', '015');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(HANDOFF('015'));
    const after = story(dir, '015-token-auth.md');
    // A minimal edit: the status value, then an append. Every other byte is kept.
    expect(after.replace('## Status\nIn Progress\n', '## Status\nReady\n').startsWith(before)).toBe(true);
    expect(parseStory(after).status?.value).toBe('In Progress');
    const lint = await run(dir, 'lint', 'docs/stories/015-token-auth.md', '--format', 'json');
    expect(lint.code).toBe(0);
    const [result] = JSON.parse(lint.stdout);
    expect(result.errorCount).toBe(0);
  });

  it('splits a criterion spanning two domains: protocol change before client', async () => {
    const dir = readyProject();
    await run(dir, 'scaffold', '015');
    const tasks = parseStory(story(dir, '015-token-auth.md')).tasks;
    const split = tasks.filter((t) => t.blocks.some((b) => b.text.includes('`compute/protocol.h`')));
    expect(split.map((t) => t.domain?.value)).toEqual(['compute', 'backend']);
    expect(split[1]!.depends.map((d) => d.task)).toContain(split[0]!.id);
    expect(split[0]!.depends).toEqual([]);
  });

  it('gives checked criteria no task and every task one configured domain and pending status', async () => {
    const dir = readyProject();
    await run(dir, 'scaffold', '015');
    const text = story(dir, '015-token-auth.md');
    const tasks = parseStory(text).tasks;
    // The split criterion 1 (compute, backend), then 2 and 4: two outcomes that share no
    // subject, file or word stay two tasks, each saying which criterion it covers.
    expect(tasks.length).toBe(4);
    expect(tasks.map((t) => /acceptance criteri(?:on|a) ([\d, and]+) below/.exec(t.description[0]!.text)?.[1])).toEqual(['1', '1', '2', '4']);
    expect(text.slice(text.indexOf('## Tasks'))).not.toContain('XDG_RUNTIME_DIR');
    for (const t of tasks) {
      expect(['backend', 'compute', 'electron', 'packaging']).toContain(t.domain?.value);
      expect(t.status?.value).toBe('pending');
    }
  });

  it('pushes back on stderr, naming the criterion, and writes when the story is ready', async () => {
    const dir = readyProject();
    const r = await run(dir, 'scaffold', '015');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/015-token-auth\.md:15: warning: Criterion 4 says "gracefully" \("Errors are handled gracefully"\): what exactly happens, and what does the user see or the log say\?/);
    expect(r.stderr).toMatch(/Unexpected dependency on story 012, which is `In Progress`, expected `Done`/);
    // No config: the default domains. A criterion with no signal is no warning of its own;
    // one warning says the domains are the defaults and how to set the project's own.
    expect(r.stderr).not.toMatch(/Missing domain signals in criterion/);
    expect(r.stderr.match(/Missing domains of this project/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/015-token-auth\.md: warning: Missing domains of this project, expected them in the configuration: the tasks use the default domains \(backend, compute, electron, packaging\), and 1 of 3 criteria name none of their keywords or paths \(given `compute`.*Run `npx plan-tasks init` for a starter plan-tasks\.config\.json/);
  });

  it('refuses a story with an open question: exit 1, the question on stderr, nothing written', async () => {
    const dir = project();
    const before = snapshot(dir);
    for (const extra of [[], ['--dry-run'], ['--stdout']]) {
      const r = await run(dir, 'scaffold', '015', ...extra);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/015-token-auth\.md:23: error: Open question 1 is still listed \("Should the token rotate on every start\?"\): who answers it/);
      expect(r.stderr).toMatch(/Not scaffolded: story 015 is not ready \(1 question above\); nothing was written/);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('--force writes a story that is not ready, with the reasons as warnings', async () => {
    const dir = project();
    const r = await run(dir, 'scaffold', '015', '--force');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/:23: warning: Open question 1 is still listed/);
    expect(r.stdout).toMatch(/Tasks written with --force; answer the 1 question above before `Implement Story 015`/);
    expect(parseStory(story(dir, '015-token-auth.md')).tasks.length).toBeGreaterThan(0);
  });

  it('--dry-run prints the section and writes nothing', async () => {
    const dir = readyProject();
    const before = snapshot(dir);
    const r = await run(dir, 'scaffold', '015', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('## Tasks\n\n### 001: ')).toBe(true);
    expect(r.stdout).not.toContain('Tasks are ready');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--stdout prints the whole new file and writes nothing', async () => {
    const dir = readyProject();
    const before = snapshot(dir);
    const r = await run(dir, 'scaffold', '015', '--stdout');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# Story 015: Token authentication')).toBe(true);
    expect(r.stdout).toContain('## Status\nIn Progress\n');
    expect(r.stdout).toContain('\n## Tasks\n');
    expect(snapshot(dir)).toEqual(before);
  });

  it('is idempotent: a second scaffold refuses because Tasks exists', async () => {
    const dir = readyProject();
    expect((await run(dir, 'scaffold', '015')).code).toBe(0);
    const once = snapshot(dir);
    const r = await run(dir, 'scaffold', '015');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unexpected `## Tasks` section/);
    expect(snapshot(dir)).toEqual(once);
  });

  it('--force keeps the old section verbatim under ## Previous Tasks', async () => {
    const dir = readyProject();
    const r0 = await run(dir, 'scaffold', '012', '--force');
    expect(r0.code).toBe(0);
    expect(r0.stdout).toBe(HANDOFF('012'));
    expect(r0.stderr).toMatch(/Unexpected replacement of 1 started or done task \(001\)/);
    const text = story(dir, '012-daemon-socket.md');
    const old = readFileSync(join(FIXTURE, 'docs/stories/012-daemon-socket.md'), 'utf8');
    const oldSection = old.slice(old.indexOf('## Tasks')).trimEnd();
    expect(text).toContain('## Previous Tasks');
    expect(text).toContain(oldSection);
    const parsed = parseStory(text);
    expect(parsed.tasksSections.length).toBe(1);
    expect(parsed.tasks.length).toBe(1);
    expect(parsed.tasks[0]!.status?.value).toBe('pending');
    const lint = await run(dir, 'lint', 'docs/stories/012-daemon-socket.md', '--no-transitions', '--format', 'json');
    expect(JSON.parse(lint.stdout)[0].errorCount).toBe(0);
  });

  it('keeps CRLF line endings and the BOM', async () => {
    const dir = readyProject();
    const path = join(dir, 'docs/stories/015-token-auth.md');
    writeFileSync(path, '\ufeff' + readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    const before = readFileSync(path, 'utf8');
    expect((await run(dir, 'scaffold', '015')).code).toBe(0);
    const after = readFileSync(path, 'utf8');
    expect(after.startsWith('\ufeff# Story 015')).toBe(true);
    expect(after.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(after.replace('In Progress\r\n', 'Ready\r\n').startsWith(before)).toBe(true);
  });
});

describe('grouped criteria', () => {
  it('splits a ### group by the files its criteria land in, skips checked criteria, and puts tests right after the code they test', async () => {
    const dir = project();
    const r = await run(dir, 'scaffold', '021');
    expect(r.code).toBe(0);
    const tasks = parseStory(story(dir, '021-grouped.md')).tasks;
    const summary = tasks.map((t) => `${t.id} ${t.title} [${t.domain?.value}] <- ${t.dependsOn?.value}`);
    expect(summary).toEqual([
      '001 The protocol header in `compute/wire.h` carries a version byte [compute] <- none',
      '002 Unit tests in `compute/test_wire.c` check the version byte [compute] <- 001',
      '003 The protocol spec in `docs/protocol.md` documents the version byte [compute] <- none',
      '004 The Flatpak manifest in `packaging/weave.yml` bundles the daemon [packaging] <- none',
    ]);
    expect(story(dir, '021-grouped.md')).not.toContain('- The release workflow exists');
  });
});

describe('domain inference from the codebase', () => {
  it('resolves named files with git ls-files and identifiers with git grep, respecting .gitignore', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-git-'));
    temps.push(dir);
    const write = (p: string, text: string) => {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    };
    write('plan-tasks.config.json', JSON.stringify({ domains: [{ name: 'ui', paths: ['web/**'] }, { name: 'native', paths: ['engine/**'] }, { name: 'api', paths: ['server/**'] }] }));
    write('engine/include/wire.h', 'struct wire { int session; };\n');
    write('server/handlers/session.go', 'package handlers\n\nfunc OpenSession() {}\n');
    write('web/generated/OpenSession.js', 'export function OpenSession() {}\nexport const a = OpenSession;\n');
    write('web/app.js', 'console.log("hi")\n');
    write('.gitignore', 'web/generated/\n');
    write(
      'docs/stories/040-sessions.md',
      [
        '# Story 040: Sessions',
        '',
        '## Status',
        'Ready',
        '',
        '## Problem',
        '',
        'Sessions expire.',
        '',
        '## Acceptance Criteria',
        '',
        '- [ ] The `wire.h` struct carries the session id and a test checks its size',
        '- [ ] `OpenSession` returns 401 for an expired session',
        '- [ ] A banner says the session expired',
        '',
      ].join('\n'),
    );
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '.'], { cwd: dir });
    const r = await run(dir, 'scaffold', '040');
    expect(r.code).toBe(0);
    const tasks = parseStory(readFileSync(join(dir, 'docs/stories/040-sessions.md'), 'utf8')).tasks;
    const byText = (s: string) => tasks.find((t) => t.blocks.some((b) => b.text.includes(s)))!;
    expect(byText('wire.h').domain?.value).toBe('native');
    expect(byText('wire.h').description[0]!.text).toContain('`engine/include/wire.h`');
    expect(byText('OpenSession').domain?.value).toBe('api');
    expect(byText('OpenSession').description[0]!.text).toContain('`server/handlers/session.go`');
    expect(r.stderr).toMatch(/Missing domain signals in criterion "A banner says the session expired"/);
  });
});

describe('planning helpers', () => {
  it('classifies criteria', () => {
    expect(kindOf('Add the `token` field to the protocol header', null)).toBe('contract');
    expect(kindOf('Unit tests in C validate decoding', null)).toBe('tests');
    expect(kindOf('`README.md` explains the flags', null)).toBe('docs');
    expect(kindOf('The daemon rejects a bad token with 401', null)).toBe('errors');
    expect(kindOf('The settings panel shows the seed', null)).toBe('client');
    expect(kindOf('The scheduler runs jobs in order', null)).toBe('core');
  });

  it('shortens titles at a word, never inside code or quotes', () => {
    expect(titleFrom('the daemon starts')).toBe('The daemon starts');
    const t = titleFrom('When the user sends a very long request through `the_long_identifier_name_here` it is answered');
    expect(t.length).toBeLessThanOrEqual(72);
    expect((t.match(/`/g) ?? []).length % 2).toBe(0);
    expect(titleFrom('If the call fails after one retry, user sees "I\'m sorry, I\'m having trouble responding right now."')).toBe('If the call fails after one retry');
  });

  it('never writes a dependency on a later task (no cycles)', () => {
    const text = readFileSync(join(FIXTURE, 'docs/stories/015-token-auth.md'), 'utf8');
    const plan = planTasks(parseStory(text), defaultConfig('/'), { repo: null });
    for (const t of plan.tasks) for (const d of t.dependsOn) expect(d < t.id).toBe(true);
  });
});
