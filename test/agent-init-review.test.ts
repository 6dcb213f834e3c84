/**
 * `plan-tasks init --agent` against what a hostile review found (story 042),
 * in temp git repositories with real files: `--force .claude/settings.json`
 * changes no entry of the user's and edits the file in place (every other byte
 * kept, idempotent); every `--force` command a note prints runs as printed;
 * markers quoted in code or comments are the user's text; a section whose line
 * endings alone differ is unchanged, and is rewritten in its own line ending.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './cli-helpers.js';
import { AGENTS_END, AGENTS_START, agentsMarkers } from '../src/agent/files.js';
import { appendItem, insertProperty, parseJsonTree, propertyOf, replaceValue, type JsonNode } from '../src/init/json.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function repo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-agent-review-')));
  dirs.push(dir);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, 'package.json'), '{"name":"demo"}\n');
  return dir;
}

/** `plan-tasks init ARGS` in-process in `cwd` (./cli-helpers.ts). */
const init = (cwd: string, ...args: string[]) => run(['init', ...args], cwd);

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const write = (dir: string, path: string, text: string) => writeFileSync(join(dir, path), text);
const HOOK = '"$CLAUDE_PROJECT_DIR/node_modules/.bin/plan-tasks" hook claude';
const OURS = { matcher: 'Edit|Write|MultiEdit', hooks: [{ type: 'command', command: HOOK, timeout: 30 }] };
/** Init's entry as it is appended to a two-space file's PostToolUse list, six spaces in. */
const oursAt = (indent: string) => JSON.stringify(OURS, null, 2).split('\n').join(`\n${indent}`);

/** The `plan-tasks init ...` commands the kept notes print, as argv after `plan-tasks init`. */
function printedCommands(stdout: string): string[][] {
  return [...stdout.matchAll(/^ {2}kept .*`plan-tasks init ([^`]*)`/gm)].map((m) => m[1]!.split(' '));
}

describe('init --agent claude: the settings file edited in place, no entry of the user\'s changed', () => {
  it("a user's entry on Bash holding their audit hook and ours: kept; --force adds init's entry beside it, every other byte kept; idempotent", async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'claude')).code).toBe(0);
    // The review's file (/work/r3/c1): the user's entry on Bash, inline, holding their audit hook and ours.
    const user = '      {"matcher":"Bash","hooks":[{"type":"command","command":"./scripts/audit-bash.sh"},{"type":"command","command":"npx plan-tasks hook claude","timeout":30}]}';
    const before = `{\n  "permissions": { "allow": ["Bash(npm test)"] },\n  "hooks": {\n    "PostToolUse": [\n${user}\n    ]\n  }\n}\n`;
    write(dir, '.claude/settings.json', before);
    const kept = await init(dir, '--agent', 'claude');
    expect(kept.stdout).toContain("kept       .claude/settings.json: its PostToolUse hook running plan-tasks hook claude differs from what init writes");
    expect(kept.stdout).toContain("`plan-tasks init --agent claude --force .claude/settings.json` adds init's entry beside yours, which it leaves as they are\n");
    expect(read(dir, '.claude/settings.json')).toBe(before);
    const forced = await init(dir, '--agent', 'claude', '--force', '.claude/settings.json');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("replaced   .claude/settings.json: ");
    expect(forced.stdout).toContain("init's entry added beside yours (your entries, their matchers and hooks, and every other byte kept)");
    const after = read(dir, '.claude/settings.json');
    // Byte for byte: the user's line, its matcher and formatting kept; init's entry after it.
    expect(after).toBe(`{\n  "permissions": { "allow": ["Bash(npm test)"] },\n  "hooks": {\n    "PostToolUse": [\n${user},\n      ${oursAt('      ')}\n    ]\n  }\n}\n`);
    // Idempotent: a plain run and a forced one change nothing and say so.
    for (const args of [['--agent', 'claude'], ['--agent', 'claude', '--force', '.claude/settings.json'], ['--agent', 'claude', '--force']]) {
      const again = await init(dir, ...args);
      expect(again.stdout).toMatch(/unchanged\s+\.claude\/settings\.json\n/);
      expect(again.stdout).not.toMatch(/settings\.json: .*(differs|replaced)/);
      expect(read(dir, '.claude/settings.json')).toBe(after);
    }
  });

  it("an entry holding only our hook, edited (matcher, timeout, a key of the user's): --force puts back init's matcher and hook, the key and the formatting kept", async () => {
    const dir = repo();
    mkdirSync(join(dir, '.claude'));
    const before = '{"model": "opus", "hooks": {"PostToolUse": [{"matcher": "Bash", "note": "mine", "hooks": [{"type": "command", "command": "npx plan-tasks hook claude", "timeout": 60}]}]}}';
    write(dir, '.claude/settings.json', before);
    const kept = await init(dir, '--agent', 'claude');
    expect(kept.stdout).toContain('`plan-tasks init --agent claude --force .claude/settings.json` replaces that hook entry\n');
    expect(read(dir, '.claude/settings.json')).toBe(before);
    const forced = await init(dir, '--agent', 'claude', '--force', '.claude/settings.json');
    expect(forced.stdout).toContain("init's matcher and hook back in that entry (its other keys, every other entry and every other byte kept)");
    const after = read(dir, '.claude/settings.json');
    expect(after).toBe(`{"model": "opus", "hooks": {"PostToolUse": [{"matcher": "Edit|Write|MultiEdit", "note": "mine", "hooks": ${JSON.stringify(OURS.hooks)}}]}}`);
    expect((await init(dir, '--agent', 'claude', '--force', '.claude/settings.json')).stdout).toMatch(/unchanged\s+\.claude\/settings\.json\n/);
    expect(read(dir, '.claude/settings.json')).toBe(after);
    // Without a matcher (every tool), the entry gets init's matcher added at its end.
    write(dir, '.claude/settings.json', '{"hooks": {"PostToolUse": [{"hooks": [{"type": "command", "command": "npx plan-tasks hook claude"}], "note": "x"}]}}\n');
    expect((await init(dir, '--agent', 'claude', '--force', '.claude/settings.json')).code).toBe(0);
    expect(read(dir, '.claude/settings.json')).toBe(`{"hooks": {"PostToolUse": [{"hooks": ${JSON.stringify(OURS.hooks)}, "note": "x", "matcher": "Edit|Write|MultiEdit"}]}}\n`);
  });

  it('adds the hook to a settings file with no hooks, or no PostToolUse, touching no other byte', async () => {
    const dir = repo();
    mkdirSync(join(dir, '.claude'));
    const cases: [string, string][] = [
      ['{\r\n\t"model": "opus",\r\n\t"env": {"A": "1"}\r\n}\r\n', `{\r\n\t"model": "opus",\r\n\t"env": {"A": "1"},\r\n\t"hooks": ${JSON.stringify({ PostToolUse: [OURS] }, null, '\t').split('\n').join('\r\n\t')}\r\n}\r\n`],
      ['{\n  "hooks": {\n    "PreToolUse": [{"matcher": "Bash", "hooks": []}]\n  }\n}\n', `{\n  "hooks": {\n    "PreToolUse": [{"matcher": "Bash", "hooks": []}],\n    "PostToolUse": ${JSON.stringify([OURS], null, 2).split('\n').join('\n    ')}\n  }\n}\n`],
      // A file on one line stays on one line.
      ['{"hooks": {"PostToolUse": []}}\n', `{"hooks": {"PostToolUse": [${JSON.stringify(OURS)}]}}\n`],
      ['{}', `{\n  "hooks": ${JSON.stringify({ PostToolUse: [OURS] }, null, 2).split('\n').join('\n  ')}\n}`],
    ];
    for (const [before, expected] of cases) {
      write(dir, '.claude/settings.json', before);
      const r = await init(dir, '--agent', 'claude');
      expect(r.stdout).toMatch(/updated\s+\.claude\/settings\.json: PostToolUse hook on Edit\|Write\|MultiEdit: plan-tasks hook claude \(every other byte kept\)/);
      expect(read(dir, '.claude/settings.json')).toBe(expected);
      expect(JSON.parse(expected).hooks.PostToolUse).toContainEqual(OURS);
      expect((await init(dir, '--agent', 'claude')).stdout).toMatch(/unchanged\s+\.claude\/settings\.json\n/);
      expect(read(dir, '.claude/settings.json')).toBe(expected);
    }
  });

  it('the JSON edits change the bytes of one member and no other', () => {
    const text = '{ "a": [1, 2], "b": {\n    "c": true\n  } }';
    const tree = parseJsonTree(text) as JsonNode & { kind: 'object' };
    const a = propertyOf(tree, 'a')!.value as JsonNode & { kind: 'array' };
    const b = propertyOf(tree, 'b')!.value as JsonNode & { kind: 'object' };
    expect(appendItem(text, a, { x: 1 })).toBe('{ "a": [1, 2, {"x":1}], "b": {\n    "c": true\n  } }');
    expect(insertProperty(text, b, 'd', [1])).toBe('{ "a": [1, 2], "b": {\n    "c": true,\n    "d": [\n      1\n    ]\n  } }');
    expect(replaceValue(text, a, 'z')).toBe('{ "a": "z", "b": {\n    "c": true\n  } }');
    expect(() => parseJsonTree('{"a": 1,}')).toThrow(SyntaxError);
    expect(() => parseJsonTree('[1] x')).toThrow(SyntaxError);
  });
});

describe('init --agent: every --force command a note prints runs as printed', () => {
  it('runs each printed command, from the root and from a subfolder; --force of an agent file alone sets that agent up', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'claude', '--agent', 'agents-md')).code).toBe(0);
    const fresh = { slash: read(dir, '.claude/commands/plan-tasks.md'), settings: read(dir, '.claude/settings.json'), agents: read(dir, 'AGENTS.md') };
    const edit = () => {
      write(dir, '.claude/commands/plan-tasks.md', fresh.slash.replace('You are the tech lead', 'You are our lead'));
      write(dir, '.claude/settings.json', fresh.settings.replace('"timeout": 30', '"timeout": 99'));
      write(dir, 'AGENTS.md', fresh.agents.replace('## Task plans (plan-tasks)', '## Task plans (ours)'));
    };
    mkdirSync(join(dir, 'docs'));
    for (const cwd of [dir, join(dir, 'docs')]) {
      edit();
      const kept = await init(cwd, '--agent', 'claude', '--agent', 'agents-md');
      const commands = printedCommands(kept.stdout);
      const prefix = cwd === dir ? '' : '../';
      expect(commands).toEqual([
        ['--agent', 'claude', '--force', `${prefix}.claude/commands/plan-tasks.md`],
        ['--agent', 'claude', '--force', `${prefix}.claude/settings.json`],
        ['--agent', 'agents-md', '--force', `${prefix}AGENTS.md`],
      ]);
      for (const argv of commands) {
        const r = await init(cwd, ...argv);
        expect([r.code, r.stderr]).toEqual([0, '']);
        expect(r.stdout).toMatch(new RegExp(`replaced\\s+${argv[3]!.replace(prefix, '').replace(/[./]/g, '\\$&')}: `));
      }
      expect([read(dir, '.claude/commands/plan-tasks.md'), read(dir, '.claude/settings.json'), read(dir, 'AGENTS.md')]).toEqual([fresh.slash, fresh.settings, fresh.agents]);
    }
    // The command a user guesses: --force FILE without --agent sets the file's agent up and replaces that file alone.
    edit();
    for (const [file, text] of [['AGENTS.md', fresh.agents], ['.claude/settings.json', fresh.settings], ['.claude/commands/plan-tasks.md', fresh.slash]] as const) {
      const r = await init(dir, '--force', file);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(/replaced\s+/);
      expect(read(dir, file)).toBe(text);
    }
    // A file no agent writes is still refused.
    expect((await init(dir, '--force', 'README.md')).stderr).toMatch(/Unexpected README\.md: not a file init writes/);
  });
});

describe('init --agent agents-md: markers count only as lines of their own outside code', () => {
  const sample = ['```', AGENTS_START, '(generated)', AGENTS_END, '```'].join('\n');

  it('markers quoted in a fence are the user\'s text: the section is added after, the sample never touched; idempotent', async () => {
    const dir = repo();
    const before = `# Agents\n\n${sample}\n\nMore user text.\n`;
    write(dir, 'AGENTS.md', before);
    const r = await init(dir, '--agent', 'agents-md');
    expect(r.stdout).toMatch(/updated\s+AGENTS\.md: the plan-tasks section added at the end/);
    const after = read(dir, 'AGENTS.md');
    expect(after.startsWith(`${before}\n${AGENTS_START}\n## Task plans (plan-tasks)\n`)).toBe(true);
    expect(after.endsWith(`${AGENTS_END}\n`)).toBe(true);
    for (const args of [[], ['--force', 'AGENTS.md'], ['--force']]) {
      expect((await init(dir, '--agent', 'agents-md', ...args)).stdout).toMatch(/unchanged\s+AGENTS\.md\n/);
      expect(read(dir, 'AGENTS.md')).toBe(after);
    }
    // An edit of the real section is kept, and --force rewrites it alone: the sample stays.
    write(dir, 'AGENTS.md', after.replace('## Task plans (plan-tasks)', '## Task plans (ours)'));
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/kept\s+AGENTS\.md: its plan-tasks section differs/);
    expect((await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md')).code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(after);
  });

  it('one marker quoted in a fence beside the real section (/work/r3/a3): the section is read, not refused', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const section = read(dir, 'AGENTS.md').slice('# AGENTS.md\n\n'.length);
    const before = `# Notes\n\nThe section is delimited by:\n\n~~~\n${AGENTS_START}\n~~~\n\n${section}`;
    write(dir, 'AGENTS.md', before);
    const r = await init(dir, '--agent', 'agents-md');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/unchanged\s+AGENTS\.md\n/);
    expect(read(dir, 'AGENTS.md')).toBe(before);
  });

  it('markers in an HTML comment, indented code, a list, a quote or with other text on the line are the user\'s text', () => {
    const quoted = [
      // A comment opened on an earlier line ends at the marker's own -->: the marker line is its last, not a marker.
      `<!-- a note\n${AGENTS_START}\n\n<!-- another\n${AGENTS_END}`,
      `    ${AGENTS_START}\n    ${AGENTS_END}`,
      `- ${AGENTS_START}\n- ${AGENTS_END}`,
      `> ${AGENTS_START}\n> ${AGENTS_END}`,
      `${AGENTS_START} and text\n\`${AGENTS_END}\``,
      `\`\`\`\`md\n${AGENTS_START}\n\`\`\`\n${AGENTS_END}\n\`\`\`\`\n`,
    ];
    for (const text of quoted) expect(agentsMarkers(`# A\n\n${text}\n`)).toEqual({ starts: [], ends: [] });
    expect(agentsMarkers(`# A\nText\n${AGENTS_START}\nx\n${AGENTS_END}\ny\n`)).toEqual({ starts: [9], ends: [9 + AGENTS_START.length + 3] });
  });

  it('a sample whose fence a quoted ``` line closes (/work/r3/a4), and a file ending in an open fence: refused with where and why, nothing written', async () => {
    const dir = repo();
    const a4 = `# Agents\n\n\`\`\`md\n${AGENTS_START}\n1. A step:\n\n   \`\`\`markdown\n   ### 001: x\n   \`\`\`\n${AGENTS_END}\n\`\`\`\n\nMore user text.\n`;
    write(dir, 'AGENTS.md', a4);
    const r = await init(dir, '--agent', 'agents-md');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('AGENTS.md: expected one <!-- plan-tasks:agents:start --> line and one <!-- plan-tasks:agents:end --> line after it, outside code blocks (found start: none; end: line 10); a fenced sample holding a ``` line closes there, so one that quotes the section needs a longer fence (````); fix the markers by hand');
    expect(read(dir, 'AGENTS.md')).toBe(a4);
    expect(read(dir, 'package.json')).toBe('{"name":"demo"}\n');
    // The same sample in a longer fence is the user's text.
    write(dir, 'AGENTS.md', a4.replace('```md', '````md').replace('\n```\n\nMore', '\n````\n\nMore'));
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/updated\s+AGENTS\.md: the plan-tasks section added at the end/);
    // A file ending inside a fence would take the section in as code (and get it again on every run).
    const open = '# Agents\n\n```sh\nnpm test\n';
    write(dir, 'AGENTS.md', open);
    const o = await init(dir, '--agent', 'agents-md');
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('AGENTS.md: ends inside a code block (a fence not closed), so a section appended would be code; close it by hand');
    expect(read(dir, 'AGENTS.md')).toBe(open);
  });
});

describe('init --agent agents-md: line endings', () => {
  it('a CRLF line after an unedited LF section leaves it unchanged; --force writes an edited section in its own line ending', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const lf = read(dir, 'AGENTS.md');
    // The review's file (/work/r3/a6): one CRLF line appended.
    const mixed = `${lf}x\r\n`;
    write(dir, 'AGENTS.md', mixed);
    for (const args of [[], ['--force', 'AGENTS.md']]) {
      expect((await init(dir, '--agent', 'agents-md', ...args)).stdout).toMatch(/unchanged\s+AGENTS\.md\n/);
      expect(read(dir, 'AGENTS.md')).toBe(mixed);
    }
    // An edited section in a file whose other lines are mostly CRLF: --force writes it in LF, the section's own.
    const crlfAround = `# A\r\n\r\nOne.\r\nTwo.\r\nThree.\r\n\r\n${lf.slice('# AGENTS.md\n\n'.length).replace('## Task plans (plan-tasks)', '## Task plans (ours)')}x\r\ny\r\n`;
    write(dir, 'AGENTS.md', crlfAround);
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/kept\s+AGENTS\.md: its plan-tasks section differs/);
    expect((await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md')).code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(crlfAround.replace('## Task plans (ours)', '## Task plans (plan-tasks)'));
    // A section turned CRLF whole: unchanged; an edit of it is rewritten in CRLF.
    const crlf = lf.replace(/\n/g, '\r\n');
    write(dir, 'AGENTS.md', crlf);
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/unchanged\s+AGENTS\.md\n/);
    write(dir, 'AGENTS.md', crlf.replace('## Task plans (plan-tasks)', '## Task plans (ours)'));
    expect((await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md')).code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(crlf);
    // A file mostly LF with one CRLF line gets a new section in LF.
    write(dir, 'AGENTS.md', '# A\r\nb\nc\n');
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const added = read(dir, 'AGENTS.md');
    expect(added.startsWith(`# A\r\nb\nc\n\n${AGENTS_START}\n`)).toBe(true);
    expect(added.slice(4)).not.toContain('\r');
  });
});

describe('the built CLI edits settings.json as the source does', () => {
  it('runs `init --agent claude` twice and merges into a settings file with its own hooks, from bin/plan-tasks.js', () => {
    // The tests above run the source; this runs the bundle (dist/init.cjs), where a JSON
    // reader bundled from a build esbuild cannot follow failed at run time ("Cannot find
    // module './impl/format'") while every source test passed.
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-agent-bin-')));
    dirs.push(dir);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    writeFileSync(join(dir, 'package.json'), '{"name":"demo"}\n');
    mkdirSync(join(dir, '.claude'));
    const mine = '{\n\t"permissions": { "allow": ["Bash(ls)"] },\n\t"hooks": {\n\t\t"PostToolUse": [\n\t\t\t{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./audit.sh" }] }\n\t\t]\n\t}\n}\n';
    writeFileSync(join(dir, '.claude/settings.json'), mine);
    const bin = join(new URL('..', import.meta.url).pathname, 'bin/plan-tasks.js');
    const run = () => execFileSync(process.execPath, [bin, 'init', '--agent', 'claude'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    run();
    const after = readFileSync(join(dir, '.claude/settings.json'), 'utf8');
    expect(JSON.parse(after).hooks.PostToolUse.map((e: { matcher: string }) => e.matcher)).toEqual(['Bash', 'Edit|Write|MultiEdit']);
    // The user's lines are kept byte for byte, in the file's own tabs.
    expect(after.startsWith('{\n\t"permissions": { "allow": ["Bash(ls)"] },\n\t"hooks": {\n\t\t"PostToolUse": [\n\t\t\t{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./audit.sh" }] },\n')).toBe(true);
    expect(run()).toMatch(/unchanged {2}\.claude\/settings\.json/);
    expect(readFileSync(join(dir, '.claude/settings.json'), 'utf8')).toBe(after);
  });
});

describe('AGENTS.md with a byte-order mark or blanks after a marker (the second review)', () => {
  it('a BOM: a re-run is unchanged, --force changes nothing, and every byte outside the section is kept', async () => {
    const dir = repo();
    write(dir, 'AGENTS.md', '\uFEFF# Mine\n');
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const once = read(dir, 'AGENTS.md');
    expect(once.startsWith(`\uFEFF# Mine\n\n${AGENTS_START}\n`)).toBe(true);
    // Was: "kept AGENTS.md: its plan-tasks section differs", then --force spliced one
    // character early (`-->>`) and every later run refused with exit 2.
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/unchanged {2}AGENTS\.md/);
    const forced = await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md');
    expect(forced.code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(once);
    // An edit inside the section is found at the right place, and --force rewrites only it.
    write(dir, 'AGENTS.md', once.replace(`${AGENTS_START}\n`, `${AGENTS_START}\nMy note.\n`) + 'After.\n');
    expect((await init(dir, '--agent', 'agents-md')).stdout).toMatch(/kept {7}AGENTS\.md: its plan-tasks section differs/);
    expect((await init(dir, '--agent', 'agents-md', '--force', 'AGENTS.md')).code).toBe(0);
    expect(read(dir, 'AGENTS.md')).toBe(once + 'After.\n');
  });

  it('blanks after a marker: still the marker (was: a second section appended, two of each marker)', async () => {
    const dir = repo();
    expect((await init(dir, '--agent', 'agents-md')).code).toBe(0);
    const clean = read(dir, 'AGENTS.md');
    const spaced = clean.replace(`${AGENTS_START}\n`, `${AGENTS_START}  \n`).replace(`${AGENTS_END}\n`, `${AGENTS_END}\t\n`);
    write(dir, 'AGENTS.md', spaced);
    const r = await init(dir, '--agent', 'agents-md');
    expect(r.stdout).toMatch(/unchanged {2}AGENTS\.md/);
    expect(read(dir, 'AGENTS.md')).toBe(spaced);
    expect(agentsMarkers(spaced)).toEqual({ starts: [spaced.indexOf(AGENTS_START)], ends: [spaced.indexOf(AGENTS_END)] });
  });
});
