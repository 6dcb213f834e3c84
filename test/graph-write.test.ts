import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRAPH_END, GRAPH_START, withGraphBlock } from '../src/graph/project.js';
import { parseStory } from '../src/story/parse.js';
import { copyProject, run } from './graph-helpers.js';

const S080 = 'docs/stories/080-graph-write.md';
const S081 = 'docs/stories/081-stale-block.md';

/** A fresh copy of the write fixture project. */
const project = (): string => copyProject('write');

const bytes = (dir: string, f: string) => readFileSync(join(dir, f));

/** Split a file around its graph block: [before, block, after]. */
function around(text: string): [string, string, string] {
  const s = text.indexOf(GRAPH_START);
  const e = text.indexOf(GRAPH_END) + GRAPH_END.length;
  expect(s).toBeGreaterThan(-1);
  expect(text.indexOf(GRAPH_START, s + 1)).toBe(-1);
  return [text.slice(0, s), text.slice(s, e), text.slice(e)];
}

async function lintMessages(dir: string, file: string) {
  const r = await run(dir, ['lint', file, '--format', 'json', '--no-transitions']);
  return JSON.parse(r.stdout)[0].messages.map((m: { ruleId: string; message: string }) => `${m.ruleId}: ${m.message}`);
}

describe('plan-tasks graph --write', () => {
  it('inserts the block right under ## Tasks and changes no other byte', async () => {
    const dir = project();
    const before = bytes(dir, S080).toString('utf8');
    const r = await run(dir, ['graph', '080', '--write']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/080-graph-write\.md: wrote the graph block under ## Tasks/);
    const after = bytes(dir, S080).toString('utf8');
    const [head, block, tail] = around(after);
    const at = before.indexOf('## Tasks') + '## Tasks'.length;
    expect(head).toBe(`${before.slice(0, at)}\n\n`);
    expect(tail).toBe(before.slice(at));
    expect(block).toBe(`${GRAPH_START}\n\`\`\`mermaid\n${(await run(dir, ['graph', '080'])).stdout}\`\`\`\n${GRAPH_END}`);
  });

  it('is idempotent: a second run leaves the file byte for byte as it was', async () => {
    const dir = project();
    await run(dir, ['graph', '080', '--write']);
    const once = bytes(dir, S080);
    const r = await run(dir, ['graph', '080', '--write']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/graph block is up to date/);
    expect(bytes(dir, S080).equals(once)).toBe(true);
  });

  it('replaces only its own block when the plan changes', async () => {
    const dir = project();
    await run(dir, ['graph', '080', '--write']);
    const [head, oldBlock, tail] = around(bytes(dir, S080).toString('utf8'));
    // A developer finishes task 002.
    const edited = `${head}${oldBlock}${tail.replace('**Status:** pending', '**Status:** done')}`;
    writeFileSync(join(dir, S080), edited);
    await run(dir, ['graph', '080', '--write']);
    const [head2, newBlock, tail2] = around(bytes(dir, S080).toString('utf8'));
    expect(head2).toBe(head);
    expect(tail2).toBe(tail.replace('**Status:** pending', '**Status:** done'));
    expect(newBlock).not.toBe(oldBlock);
    expect(newBlock).toContain('t080_002["002: Check the token<br/><small>compute</small>"]:::done');
  });

  it('refreshes a stale block in place, keeping the intro and other comments', async () => {
    const dir = project();
    const before = bytes(dir, S081).toString('utf8');
    const [head, , tail] = around(before);
    await run(dir, ['graph', '081', '--write']);
    const after = bytes(dir, S081).toString('utf8');
    const [head2, block2, tail2] = around(after);
    expect(head2).toBe(head);
    expect(tail2).toBe(tail);
    expect(block2).not.toContain('stale graph');
    expect(block2).toContain(':::inProgress');
  });

  it('keeps CRLF line endings and a BOM, and writes the block with CRLF', async () => {
    const dir = project();
    const crlf = `\ufeff${readFileSync(join(dir, S080), 'utf8').replace(/\n/g, '\r\n')}`;
    writeFileSync(join(dir, S080), crlf);
    expect((await run(dir, ['graph', '080', '--write'])).code).toBe(0);
    const after = bytes(dir, S080).toString('utf8');
    expect(after.startsWith('\ufeff# Story 080')).toBe(true);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    const [head, , tail] = around(after);
    const at = crlf.indexOf('## Tasks') + '## Tasks'.length;
    expect(head).toBe(`${crlf.slice(0, at)}\r\n\r\n`);
    expect(tail).toBe(crlf.slice(at));
    expect((await run(dir, ['graph', '080', '--write'])).stdout).toMatch(/up to date/);
  });

  it('leaves the lint results unchanged: the block sits in the Tasks preamble', async () => {
    const dir = project();
    const before = await lintMessages(dir, S080);
    const beforeStale = await lintMessages(dir, S081);
    await run(dir, ['graph', '080', '--write']);
    await run(dir, ['graph', '081', '--write']);
    expect(await lintMessages(dir, S080)).toEqual(before);
    expect(await lintMessages(dir, S081)).toEqual(beforeStale);
    const story = parseStory(readFileSync(join(dir, S080), 'utf8'), join(dir, S080));
    expect(story.tasks.map((t) => t.id)).toEqual(['001', '002']);
    expect(story.tasksPreamble.map((b) => b.kind)).toEqual(['html', 'code', 'html']);
    expect(story.tasks[0]!.blocks.some((b) => b.kind === 'code')).toBe(false);
  });

  it('refuses a start marker without an end marker, and a story without ## Tasks', async () => {
    const dir = project();
    const broken = readFileSync(join(dir, S081), 'utf8').replace(`${GRAPH_END}\n`, '');
    writeFileSync(join(dir, S081), broken);
    const r = await run(dir, ['graph', '081', '--write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Missing <!-- plan-tasks:graph:end --> after <!-- plan-tasks:graph:start --> at line 18/);
    expect(readFileSync(join(dir, S081), 'utf8')).toBe(broken);

    const noTasks = '# Story 082: Draft\n\n## Status\nDraft\n\n## Problem\n\nNot planned yet.\n';
    writeFileSync(join(dir, 'docs/stories/082-draft.md'), noTasks);
    const r2 = await run(dir, ['graph', '082', '--write']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/Missing `## Tasks` section in .*082-draft\.md, expected one to put the graph under/);
    expect(readFileSync(join(dir, 'docs/stories/082-draft.md'), 'utf8')).toBe(noTasks);
  });

  it('writes nothing when the plan has a cycle', async () => {
    const dir = project();
    const cyclic = readFileSync(join(dir, S080), 'utf8').replace('**Depends on:** none', '**Depends on:** 002');
    writeFileSync(join(dir, S080), cyclic);
    const r = await run(dir, ['graph', '080', '--write']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unexpected dependency cycle 001 -> 002 -> 001');
    expect(readFileSync(join(dir, S080), 'utf8')).toBe(cyclic);
  });
});

describe('withGraphBlock', () => {
  const mermaid = 'flowchart LR\n  a["A"]\n';
  const block = `${GRAPH_START}\n\`\`\`mermaid\nflowchart LR\n  a["A"]\n\`\`\`\n${GRAPH_END}`;
  it('keeps a blank line before the first task, and ends the file with a newline', () => {
    const at = (text: string) => withGraphBlock(parseStory(text, '/p/030-x.md'), mermaid);
    expect(at('# Story 030: X\n\n## Tasks\n### 001: A\n')).toBe(`# Story 030: X\n\n## Tasks\n\n${block}\n\n### 001: A\n`);
    expect(at('# Story 030: X\n\n## Tasks\n\n### 001: A\n')).toBe(`# Story 030: X\n\n## Tasks\n\n${block}\n\n### 001: A\n`);
    expect(at('# Story 030: X\n\n## Tasks')).toBe(`# Story 030: X\n\n## Tasks\n\n${block}\n`);
    expect(at('# Story 030: X\n\n## Tasks\n')).toBe(`# Story 030: X\n\n## Tasks\n\n${block}\n`);
  });
});
