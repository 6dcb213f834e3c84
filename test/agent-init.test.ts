/**
 * `plan-tasks init --agent claude|agents-md` in temp git repositories: fresh,
 * with an existing `.claude/settings.json` and AGENTS.md (every other key and
 * byte kept), idempotent, refusing what it cannot merge; the user's edits to
 * what init wrote (the AGENTS.md section, the hook entry, the slash command)
 * kept byte for byte until `--force` names the file; and this repository's
 * own `.claude/` and AGENTS.md are what init generates.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { loadConfig } from '../src/config/load.js';
import { AGENTS_END, AGENTS_NOTE, AGENTS_START, EARLIER_AGENTS_NOTES, planAgentFiles } from '../src/agent/files.js';
import { REPO } from './cli-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function repo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-agent-init-')));
  dirs.push(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, 'package.json'), '{\n  "name": "app",\n  "version": "1.0.0"\n}\n');
  return dir;
}

async function init(cwd: string, ...args: string[]) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(['init', ...args], io);
  return { code, ...out };
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');

describe('plan-tasks init --agent', () => {
  it('claude, fresh: the slash command from the config and the PostToolUse hook; a second run changes nothing', async () => {
    const dir = repo();
    writeFileSync(
      join(dir, 'plan-tasks.config.json'),
      JSON.stringify({ domains: [{ name: 'api', keywords: ['endpoint', 'HTTP'], paths: ['server/**'] }, 'web'], taskStatuses: ['todo', 'doing', 'review', 'shipped'], sizing: { maxTasks: 9 } }),
    );
    const r = await init(dir, '--agent', 'claude');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created\s+\.claude\/commands\/plan-tasks\.md/);
    const command = read(dir, '.claude/commands/plan-tasks.md');
    expect(command).toMatch(/^---\ndescription: .+\nargument-hint: .+\n---\n/);
    expect(command).toContain('story $ARGUMENTS');
    expect(command).toContain('- `api`: endpoint, HTTP; files `server/**`');
    expect(command).toContain('- `web`\n');
    expect(command).toContain('one of `todo`, `doing`, `review`, `shipped`; new tasks are `todo`');
    expect(command).toContain('at most 9 tasks');
    expect(command).toContain('npx plan-tasks lint <story file>');
    expect(command).toContain('npx plan-tasks status NNN/TTT');
    expect(JSON.parse(read(dir, '.claude/settings.json'))).toEqual({
      hooks: { PostToolUse: [{ matcher: 'Edit|Write|MultiEdit', hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR/node_modules/.bin/plan-tasks" hook claude', timeout: 30 }] }] },
    });
    const again = await init(dir, '--agent', 'claude');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to change/);
  });

  it('merges the hook into an existing settings file, keeping every other key, its indentation and other hooks', async () => {
    const dir = repo();
    mkdirSync(join(dir, '.claude'));
    const existing = {
      permissions: { allow: ['Bash(npm test:*)'], deny: ['Read(./.env)'] },
      env: { FOO: '1' },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo pre' }] }],
        PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write' }] }],
      },
      model: 'opus',
    };
    writeFileSync(join(dir, '.claude/settings.json'), `${JSON.stringify(existing, null, 4)}\n`);
    const r = await init(dir, '--agent', 'claude');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated\s+\.claude\/settings\.json/);
    const text = read(dir, '.claude/settings.json');
    const after = JSON.parse(text);
    expect(after).toEqual({
      ...existing,
      hooks: { ...existing.hooks, PostToolUse: [...existing.hooks.PostToolUse, { matcher: 'Edit|Write|MultiEdit', hooks: [{ type: 'command', command: '"$CLAUDE_PROJECT_DIR/node_modules/.bin/plan-tasks" hook claude', timeout: 30 }] }] },
    });
    expect(text).toBe(`${JSON.stringify(after, null, 4)}\n`);
    expect(Object.keys(after)).toEqual(['permissions', 'env', 'hooks', 'model']);
    // Idempotent: the hook is found, nothing is added twice.
    expect((await init(dir, '--agent', 'claude')).stdout).toMatch(/nothing to change/);
    expect(read(dir, '.claude/settings.json')).toBe(text);
  });

  it('refuses, writing nothing, a settings file it cannot merge into; keeps a slash command the user wrote', async () => {
    const dir = repo();
    mkdirSync(join(dir, '.claude/commands'), { recursive: true });
    writeFileSync(join(dir, '.claude/settings.json'), '{ "hooks": [] }\n');
    const r = await init(dir, '--agent', 'claude');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.claude\/settings\.json: "hooks" is not an object/);
    expect(read(dir, '.claude/settings.json')).toBe('{ "hooks": [] }\n');
    expect(read(dir, 'package.json')).toBe('{\n  "name": "app",\n  "version": "1.0.0"\n}\n');
    writeFileSync(join(dir, '.claude/settings.json'), '{ not json');
    expect((await init(dir, '--agent', 'claude')).stderr).toMatch(/settings\.json: is not valid JSON/);
    writeFileSync(join(dir, '.claude/settings.json'), '{}');
    writeFileSync(join(dir, '.claude/commands/plan-tasks.md'), 'my own command\n');
    // A slash command of the user's own is kept, with a note; the rest is written.
    const mine = await init(dir, '--agent', 'claude');
    expect(mine.code).toBe(0);
    expect(mine.stdout).toContain('  kept       .claude/commands/plan-tasks.md: not written by init, so left as it is; `plan-tasks init --agent claude --force .claude/commands/plan-tasks.md` replaces it\n');
    expect(mine.stdout).toMatch(/updated\s+\.claude\/settings\.json/);
    expect(read(dir, '.claude/commands/plan-tasks.md')).toBe('my own command\n');
    expect((await init(dir, '--agent', 'cursor')).stderr).toMatch(/Unknown agent "cursor", expected one of claude, agents-md/);
  });

  it('agents-md: appends a marked section to an existing AGENTS.md; a re-run keeps the user\'s edits inside it and around it', async () => {
    const dir = repo();
    const mine = '# Agents\r\n\r\nRun `make test` before committing.\r\n';
    writeFileSync(join(dir, 'AGENTS.md'), mine);
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const first = read(dir, 'AGENTS.md');
    expect(first.startsWith(`${mine}\r\n${AGENTS_START}\r\n## Task plans (plan-tasks)`)).toBe(true);
    expect(first.endsWith(`${AGENTS_END}\r\n`)).toBe(true);
    expect(first.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(first).toContain('npx plan-tasks next');
    expect(first).toContain(AGENTS_NOTE.replace(/\n/g, '\r\n'));
    // Edits outside the markers: a re-run has nothing to change.
    const around = `${first.replace('Run `make test`', 'Run `make check`')}\r\nMore notes.\r\n`;
    writeFileSync(join(dir, 'AGENTS.md'), around);
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/unchanged\s+AGENTS\.md/);
    expect(read(dir, 'AGENTS.md')).toBe(around);
    // An edit inside the section: kept byte for byte, with the note naming --force; every other file still written.
    const edited = around.replace('## Task plans (plan-tasks)', '## Task plans (edited)').replace('Ids are three digits', 'Ids are three digits (ours start at 100)');
    writeFileSync(join(dir, 'AGENTS.md'), edited);
    const kept = await init(dir, '--agent', 'agents-md');
    expect([kept.code, kept.stderr]).toEqual([0, '']);
    expect(kept.stdout).toContain('  kept       AGENTS.md: its plan-tasks section differs from what init writes now (an edit, or an earlier config or version), so left as it is; `plan-tasks init --agent agents-md --force AGENTS.md` replaces that section\n');
    expect(read(dir, 'AGENTS.md')).toBe(edited);
    // Idempotent: the same note, nothing written.
    const again = await init(dir, '--agent', 'agents-md');
    expect(again.stdout).toMatch(/nothing to change in the files it writes/);
    expect(again.stdout).toContain('  kept       AGENTS.md: its plan-tasks section differs from what init writes now');
    expect(read(dir, 'AGENTS.md')).toBe(edited);
    // --dry-run --force AGENTS.md says it would replace the section, and writes nothing.
    const dry = await init(dir, '--agent', 'agents-md', '--dry-run', '--force', 'AGENTS.md');
    expect(dry.stdout).toMatch(/would replace\s+AGENTS\.md: its plan-tasks section differs .*; your edits give way to init's text: the plan-tasks section rewritten from the config \(the rest of AGENTS\.md kept\)/);
    expect(read(dir, 'AGENTS.md')).toBe(edited);
    // --force AGENTS.md: the section alone is init's again; the edits around it stay.
    const forced = await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md');
    expect(forced.stdout).toMatch(/replaced\s+AGENTS\.md: its plan-tasks section differs/);
    expect(read(dir, 'AGENTS.md')).toBe(around);
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/unchanged\s+AGENTS\.md/);
    // A start marker without its end: refused.
    writeFileSync(join(dir, 'AGENTS.md'), `x\n${AGENTS_START}\ny\n`);
    const broken = await init(dir, '--agent', 'agents-md');
    expect(broken.code).toBe(2);
    expect(read(dir, 'AGENTS.md')).toBe(`x\n${AGENTS_START}\ny\n`);
  });

  it('agents-md: a section an earlier version wrote (its note alone differs) is brought up to date; one from another config is kept', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const current = read(dir, 'AGENTS.md');
    const earlier = current.replace(AGENTS_NOTE, EARLIER_AGENTS_NOTES[0]!);
    expect(earlier).not.toBe(current);
    writeFileSync(join(dir, 'AGENTS.md'), earlier);
    const r = await init(dir, '--agent', 'agents-md');
    expect(r.stdout).toMatch(/updated\s+AGENTS\.md: the plan-tasks section an earlier version of init wrote, brought up to date/);
    expect(read(dir, 'AGENTS.md')).toBe(current);
    // The config changed since: the section is kept until --force names it.
    writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify({ domains: ['api', 'web'] }));
    const changed = await init(dir, '--agent', 'agents-md');
    expect(changed.stdout).toMatch(/kept\s+AGENTS\.md: its plan-tasks section differs/);
    expect(read(dir, 'AGENTS.md')).toBe(current);
    expect((await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md')).code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toContain('- `api`\n');
  });

  it('claude: an entry of the user\'s running our hook is kept; --force adds init\'s entry beside it, changing no entry of theirs', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'claude')).code).toBe(0);
    const settings = JSON.parse(read(dir, '.claude/settings.json'));
    const ours = settings.hooks.PostToolUse[0];
    // The user lengthens the timeout, moves the hook to Write and adds a hook of theirs beside it, and other keys.
    const edited = { model: 'opus', hooks: { PostToolUse: [{ ...ours, matcher: 'Write', hooks: [{ ...ours.hooks[0], timeout: 90 }, { type: 'command', command: 'prettier --write' }] }] } };
    const text = `${JSON.stringify(edited, null, 2)}\n`;
    writeFileSync(join(dir, '.claude/settings.json'), text);
    const kept = await init(dir, '--agent', 'claude');
    expect([kept.code, kept.stderr]).toEqual([0, '']);
    expect(kept.stdout).toMatch(/nothing to change in the files it writes/);
    expect(kept.stdout).toContain('  kept       .claude/settings.json: its PostToolUse hook running plan-tasks hook claude differs from what init writes');
    expect(kept.stdout).toContain("so left as it is; `plan-tasks init --agent claude --force .claude/settings.json` adds init's entry beside yours, which it leaves as they are\n");
    expect(read(dir, '.claude/settings.json')).toBe(text);
    expect((await init(dir, '--agent', 'claude', '--dry-run', '--force', '.claude/settings.json')).stdout).toMatch(/would replace\s+\.claude\/settings\.json/);
    expect(read(dir, '.claude/settings.json')).toBe(text);
    // --force: init's entry beside the user's, whose matcher, hooks and bytes are as they were; then unchanged.
    const forced = await init(dir, '--agent', 'claude', '--force', '.claude/settings.json');
    expect(forced.stdout).toMatch(/replaced\s+\.claude\/settings\.json: .*init's entry added beside yours/);
    expect(JSON.parse(read(dir, '.claude/settings.json'))).toEqual({ model: 'opus', hooks: { PostToolUse: [edited.hooks.PostToolUse[0], ours] } });
    expect(read(dir, '.claude/settings.json')).toBe(`${JSON.stringify({ model: 'opus', hooks: { PostToolUse: [edited.hooks.PostToolUse[0], ours] } }, null, 2)}\n`);
    expect((await init(dir, '--agent', 'claude')).stdout).toMatch(/nothing to change/);
    // Our hook alone in its entry, the timeout edited: --force gives back exactly init's entry.
    writeFileSync(join(dir, '.claude/settings.json'), `${JSON.stringify({ hooks: { PostToolUse: [{ ...ours, hooks: [{ ...ours.hooks[0], timeout: 5 }] }] } }, null, 2)}\n`);
    expect((await init(dir, '--agent', 'claude')).stdout).toMatch(/kept\s+\.claude\/settings\.json: .*replaces that hook entry/);
    expect((await init(dir, '--agent', 'claude', '--force', '.claude/settings.json')).code).toBe(0);
    expect(read(dir, '.claude/settings.json')).toBe(`${JSON.stringify({ hooks: { PostToolUse: [ours] } }, null, 2)}\n`);
  });

  it('claude: an edited slash command is kept byte for byte; --force names it to replace it, and only it', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'claude', '--agent', 'agents-md')).code).toBe(0);
    const slash = join(dir, '.claude/commands/plan-tasks.md');
    const edited = read(dir, '.claude/commands/plan-tasks.md').replace('You are the tech lead', 'You are our tech lead');
    writeFileSync(slash, edited);
    const agents = read(dir, 'AGENTS.md').replace('## Task plans (plan-tasks)', '## Task plans (ours)');
    writeFileSync(join(dir, 'AGENTS.md'), agents);
    const kept = await init(dir, '--agent', 'claude', '--agent', 'agents-md');
    expect(kept.stdout).toContain('  kept       .claude/commands/plan-tasks.md: differs from what init writes now (an edit, or an earlier config or version), so left as it is; `plan-tasks init --agent claude --force .claude/commands/plan-tasks.md` replaces it\n');
    expect(read(dir, '.claude/commands/plan-tasks.md')).toBe(edited);
    expect((await init(dir, '--agent', 'claude', '--agent', 'agents-md', '--force', '.claude/commands/plan-tasks.md')).code).toBe(0);
    expect(read(dir, '.claude/commands/plan-tasks.md')).not.toBe(edited);
    expect(read(dir, 'AGENTS.md')).toBe(agents);
  });

  it('both agents at once, and --dry-run writes nothing', async () => {
    const dir = repo();
    const dry = await init(dir, '--agent', 'claude', '--agent', 'agents-md', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would create\s+AGENTS\.md/);
    expect(dry.stdout).toMatch(/would create\s+\.claude\/settings\.json/);
    expect(() => read(dir, 'AGENTS.md')).toThrow();
    expect((await init(dir, '--agent', 'claude,agents-md')).code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toMatch(/^# AGENTS\.md\n\n<!-- plan-tasks:agents:start -->/);
  });

  it("this repository's .claude/ and AGENTS.md are exactly what init --agent generates from its config", async () => {
    const config = await loadConfig({ cwd: REPO });
    const changes = planAgentFiles(REPO.replace(/\/$/, ''), ['claude', 'agents-md'], config);
    expect(changes.map((c) => [c.path, c.action])).toEqual([
      ['.claude/commands/plan-tasks.md', 'unchanged'],
      ['.claude/settings.json', 'unchanged'],
      ['AGENTS.md', 'unchanged'],
    ]);
    expect(read(REPO, '.claude/settings.json')).toContain('node \\"$CLAUDE_PROJECT_DIR/bin/plan-tasks.js\\" hook claude');
  });
});
