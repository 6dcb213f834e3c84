/**
 * `plan-tasks mcp` through the SDK's own Client over StdioClientTransport:
 * the built bin as a child process, initialize, tools/list, tools/call for
 * each tool, bad arguments as tool errors, and the server still answering.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { REPO } from './cli-helpers.js';
import { tempProject } from './agent-helpers.js';

type Result = { content: { type: string; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

let p: ReturnType<typeof tempProject>;
let client: Client;
let stderr = '';
const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;

beforeAll(async () => {
  p = tempProject();
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(REPO, 'bin/plan-tasks.js'), 'mcp'], cwd: p.dir, stderr: 'pipe' });
  transport.stderr?.on('data', (d) => void (stderr += String(d)));
  client = new Client({ name: 'plan-tasks-test', version: '1.0.0' });
  await client.connect(transport);
}, 20_000);

afterAll(async () => {
  await client?.close();
  p?.done();
});

describe('plan-tasks mcp', () => {
  it('initializes as plan-tasks and lists the five tools with input schemas', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'plan-tasks' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['graph', 'lint', 'next', 'scaffold', 'set_task_status']);
    const set = tools.find((t) => t.name === 'set_task_status')!;
    expect(set.inputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['task', 'status']) });
    // Every tool declares the shape of its structuredContent; the SDK's client checks each result against it.
    for (const t of tools) expect([t.name, t.outputSchema?.type]).toEqual([t.name, 'object']);
    expect(set.outputSchema).toMatchObject({ required: expect.arrayContaining(['task', 'changed', 'written', 'refused']) });
  });

  it('lint: a path, and unsaved text linted as a file name against the project', async () => {
    const clean = await call('lint', { path: 'docs/stories/010-token-auth.md' });
    expect(clean.isError).toBeFalsy();
    expect(clean.structuredContent).toMatchObject({ errorCount: 0, results: [{ filePath: p.story('010-token-auth.md') }] });
    const text = readFileSync(p.story('011-token-rotation.md'), 'utf8').replace('010/002', '010/007').replace('**Domain:** backend', '**Domain:** weave');
    const r = await call('lint', { text, fileName: 'docs/stories/011-token-rotation.md' });
    expect(r.isError).toBeFalsy();
    const results = r.structuredContent!.results as { messages: { ruleId: string }[] }[];
    expect(results[0]!.messages.map((m) => m.ruleId).sort()).toEqual(['dependency-unknown', 'task-domain']);
    expect(r.content[0]!.text).toMatch(/2 errors, 0 warnings in 1 file/);
    // One result shape whichever way the tool lints (story 035): ESLint's keys, in its order.
    expect(Object.keys(results[0]!)).toEqual(Object.keys((clean.structuredContent!.results as object[])[0]!));
    expect(Object.keys(results[0]!)).toEqual(['filePath', 'messages', 'suppressedMessages', 'errorCount', 'fatalErrorCount', 'warningCount', 'fixableErrorCount', 'fixableWarningCount', 'usedDeprecatedRules']);
    // Text that would renumber 010/002 reports the ref it breaks in 011.
    const renumbered = readFileSync(p.story('010-token-auth.md'), 'utf8').replace('### 002: Reject', '### 004: Reject').replace('**Depends on:** 002', '**Depends on:** 004');
    const broken = await call('lint', { text: renumbered, fileName: 'docs/stories/010-token-auth.md' });
    expect((broken.structuredContent!.results as { filePath: string; messages: { ruleId: string }[] }[]).map((x) => [x.filePath, x.messages.map((m) => m.ruleId)])).toEqual([
      [p.story('010-token-auth.md'), ['task-id-sequence', 'task-id-sequence']],
      [p.story('011-token-rotation.md'), ['dependency-unknown']],
    ]);
    // The file on disk was not touched by linting text.
    expect(readFileSync(p.story('011-token-rotation.md'), 'utf8')).not.toContain('010/007');
  });

  it('next and graph: the same JSON as the commands', async () => {
    const next = await call('next', {});
    expect(next.isError).toBeFalsy();
    expect(next.structuredContent).toEqual({ tasks: [{ id: '010/002', title: 'Reject requests without a valid token', domain: 'backend' }] });
    const graph = await call('graph', { story: '010' });
    expect(graph.isError).toBeFalsy();
    expect(graph.structuredContent).toMatchObject({ criticalPath: ['010/001', '010/002', '010/003'] });
    expect((graph.structuredContent!.edges as unknown[]).length).toBeGreaterThanOrEqual(2);
  });

  it('next with a story: a broken story elsewhere is not a tool error for it (story 037)', async () => {
    // A dependency cycle in an unrelated story made `next` with `story: "010"` an isError result.
    const broken = p.story('099-broken.md');
    const task = (id: string, dep: string) => `### ${id}: Step ${id}\n**Domain:** compute\n**Status:** pending\n**Depends on:** ${dep}\n\nChange \`step_${id}()\` in \`src/s.c\`; a test checks it.\n`;
    writeFileSync(broken, `# Story 099: Broken\n\n## Status\nIn Progress\n\n## Tasks\n\n${task('001', '002')}\n---\n\n${task('002', '001')}`);
    try {
      const one = await call('next', { story: '010' });
      expect(one.isError).toBeFalsy();
      expect(one.structuredContent).toEqual({ tasks: [{ id: '010/002', title: 'Reject requests without a valid token', domain: 'backend' }] });
      const all = await call('next', {});
      expect(all.isError).toBe(true);
      expect(all.content[0]!.text).toMatch(/099-broken\.md\n {2}\d+:\d+ +error +Unexpected dependency cycle 001 -> 002 -> 001/);
      expect((await call('next', { story: '099' })).isError).toBe(true);
    } finally {
      rmSync(broken, { force: true });
    }
  });

  it('set_task_status: allowed writes the one value; blocked and forbidden are tool errors that name the blocker', async () => {
    const file = p.story('011-token-rotation.md');
    const before = readFileSync(file);
    const blocked = await call('set_task_status', { task: '011/001', status: 'in_progress' });
    expect(blocked.isError).toBe(true);
    expect(blocked.structuredContent).toMatchObject({ refused: { blockers: ['010/002 is pending'] } });
    expect(readFileSync(file).equals(before)).toBe(true);
    const forbidden = await call('set_task_status', { task: '010/001', status: 'pending' });
    expect(forbidden.isError).toBe(true);
    expect(forbidden.content[0]!.text).toMatch(/status-transition/);
    const ok = await call('set_task_status', { task: '010/002', status: 'in_progress' });
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent).toMatchObject({ task: '010/002', from: 'pending', to: 'in_progress', changed: true, written: true });
    expect(readFileSync(p.story('010-token-auth.md'), 'utf8')).toContain('**Status:** in_progress\n**Depends on:** 001');
  });

  it('scaffold: a dry run returns the section; a story that is not Ready is a tool error', async () => {
    const refused = await call('scaffold', { story: '010' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/In Progress|Tasks/);
    const before = readFileSync(p.story('010-token-auth.md'));
    const forced = await call('scaffold', { story: '010', force: true });
    expect(forced.isError).toBeFalsy();
    expect(forced.structuredContent!.section).toMatch(/^## Tasks/m);
    expect(readFileSync(p.story('010-token-auth.md')).equals(before)).toBe(true);
  });

  it('a bad argument is a tool error, and the server keeps answering', async () => {
    const bad = await call('set_task_status', { task: 'ten/two', status: 'done' });
    expect(bad.isError).toBe(true);
    expect(bad.content[0]!.text).toMatch(/expected a task ref such as 015\/003/);
    const missing = await call('graph', {});
    expect(missing.isError).toBe(true);
    const both = await call('lint', { path: 'docs/stories', text: '# x' });
    expect(both.isError).toBe(true);
    const noFile = await call('lint', { path: 'docs/nothing-here.md' });
    expect(noFile.isError).toBe(true);
    expect(noFile.content[0]!.text).toMatch(/No such file or directory/);
    const unknownStatus = await call('set_task_status', { task: '010/003', status: 'finished' });
    expect(unknownStatus.isError).toBe(true);
    expect(unknownStatus.content[0]!.text).toMatch(/Unknown status "finished"/);
    // Values that look like options are values: never flags of the command underneath.
    const optionLike = await call('set_task_status', { task: '010/003', status: '--story' });
    expect(optionLike.isError).toBe(true);
    expect(optionLike.content[0]!.text).toMatch(/Unknown status "--story"/);
    const fixPath = await call('lint', { path: '--fix' });
    expect(fixPath.isError).toBe(true);
    expect(fixPath.content[0]!.text).toMatch(/No such file or directory: --fix/);
    // Outside the project: refused, nothing read (a lint of /etc/passwd would hand its lines back in the messages).
    for (const args of [{ path: '../../../../etc/passwd' }, { path: '/etc/passwd' }, { path: '../*.md' }, { text: '# Story 001: X\n', fileName: '../001-x.md' }]) {
      const out = await call('lint', args);
      expect(out.isError).toBe(true);
      expect(out.content[0]!.text).toMatch(/^Unexpected (path|fileName) `[^`]+` outside the project, expected a path inside /);
    }
    // Inside, even spelt with `..`: linted.
    const inside = await call('lint', { path: 'docs/../docs/stories' });
    expect(inside.isError).toBeFalsy();
    const domain = await call('next', { domain: '--format=text' });
    expect(domain.isError).toBe(true);
    expect(domain.content[0]!.text).toMatch(/Unknown domain "--format=text"/);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(5);
    expect(stderr).not.toMatch(/internal error|Error:/);
  });
});
