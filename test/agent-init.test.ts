/**
 * `plan-tasks init --agent claude|agents-md` in temp git repositories: fresh,
 * with an existing `.claude/settings.json` and AGENTS.md (every other key and
 * byte kept), idempotent, refusing what it cannot merge; and this repository's
 * own `.claude/` and AGENTS.md are what init generates.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { loadConfig } from '../src/config/load.js';
import { AGENTS_END, AGENTS_START, planAgentFiles } from '../src/agent/files.js';
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
    expect(mine.stdout).toContain('  kept       .claude/commands/plan-tasks.md: not written by init, so left as it is; `plan-tasks init --force .claude/commands/plan-tasks.md` replaces it\n');
    expect(mine.stdout).toMatch(/updated\s+\.claude\/settings\.json/);
    expect(read(dir, '.claude/commands/plan-tasks.md')).toBe('my own command\n');
    expect((await init(dir, '--agent', 'cursor')).stderr).toMatch(/Unknown agent "cursor", expected one of claude, agents-md/);
  });

  it('agents-md: appends a marked section to an existing AGENTS.md, and a re-run replaces only that section', async () => {
    const dir = repo();
    const mine = '# Agents\r\n\r\nRun `make test` before committing.\r\n';
    writeFileSync(join(dir, 'AGENTS.md'), mine);
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const first = read(dir, 'AGENTS.md');
    expect(first.startsWith(`${mine}\r\n${AGENTS_START}\r\n## Task plans (plan-tasks)`)).toBe(true);
    expect(first.endsWith(`${AGENTS_END}\r\n`)).toBe(true);
    expect(first.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(first).toContain('npx plan-tasks next');
    // The user edits around the section and inside it; a re-run restores only the section.
    const edited = `${first.replace('Run `make test`', 'Run `make check`')}\r\nMore notes.\r\n`.replace('## Task plans (plan-tasks)', '## Task plans (edited)');
    writeFileSync(join(dir, 'AGENTS.md'), edited);
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/updated\s+AGENTS\.md: the plan-tasks section replaced/);
    expect(read(dir, 'AGENTS.md')).toBe(edited.replace('## Task plans (edited)', '## Task plans (plan-tasks)'));
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/nothing to change/);
    // A start marker without its end: refused.
    writeFileSync(join(dir, 'AGENTS.md'), `x\n${AGENTS_START}\ny\n`);
    const broken = await init(dir, '--agent', 'agents-md');
    expect(broken.code).toBe(2);
    expect(read(dir, 'AGENTS.md')).toBe(`x\n${AGENTS_START}\ny\n`);
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
