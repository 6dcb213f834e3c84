/** The Story model on real stories (the weave corpus copy) and small cases. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import { VFile } from 'vfile';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { createPreset } from '../src/preset.js';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { parseStory, storyFromTree } from '../src/story/parse.js';

const STORIES = new URL('./fixtures/weave/stories/', import.meta.url).pathname;
const read = (name: string) => {
  const file = readdirSync(STORIES).find((f) => f.startsWith(name))!;
  return parseStory(readFileSync(join(STORIES, file), 'utf8'), join(STORIES, file));
};

describe('story model', () => {
  it('reads a `## Status` section, criteria groups with checked state, and only `###` inside `## Tasks` as tasks', () => {
    const s = read('010');
    expect(s.id).toBe('010');
    expect(s.title).toBe('Update to Mistral 7B with structured output');
    expect(s.status).toMatchObject({ value: 'Done', source: 'section', span: { start: { line: 4, column: 1 } } });
    expect(s.criteria[0]).toMatchObject({ text: 'Client uses Mistral 7B model (`mistral:7b` in ollama)', checked: false, group: 'Model Change' });
    expect(new Set(s.criteria.map((c) => c.group)).size).toBeGreaterThan(5);
    // 18 tasks; the `### Why Mistral 7B` notes and `### Test 1:` checklist headings are not tasks.
    expect(s.tasks.map((t) => t.id)).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1).padStart(3, '0')));
    expect(s.strayTasks).toEqual([]);
    expect(s.openQuestions).toHaveLength(4);
  });

  it('reads tasks: id, title, domain, status, depends refs, description, extra fields, positions', () => {
    const s = read('001');
    const t = s.tasks.find((x) => x.id === '002')!;
    expect(t.title).toBe('Define Go protocol types and constants');
    expect(t.heading.span.start).toMatchObject({ line: t.heading.span.start.line, column: 1 });
    expect(s.text.slice(t.heading.span.start.offset, t.heading.span.end.offset)).toBe('### 002: Define Go protocol types and constants');
    expect(t.domain?.value).toBe('weave');
    expect(t.status?.value).toBe('done');
    expect(t.depends.map((r) => r.raw)).toEqual(['001']);
    expect(s.text.slice(t.depends[0]!.span.start.offset, t.depends[0]!.span.end.offset)).toBe('001');
    expect(t.description).toHaveLength(1);
    expect(t.description[0]!.text).toMatch(/^Create `internal\/protocol\/types.go` with message type constants/);
    expect(t.fields.map((f) => f.label)).toEqual(['Domain', 'Status', 'Depends on', 'Files created', 'Testing']);
    expect(t.separator?.setext).toBe(false);
    // `weave + compute` is kept as written; the rule judges it.
    expect(s.tasks.find((x) => x.id === '008')!.domain?.value).toBe('weave + compute');
    expect(s.status).toBeNull();
  });

  it('reads a `**Status:**` line, `## Dependencies` story refs and cross-story task refs', () => {
    const s = read('002');
    expect(s.status).toMatchObject({ value: 'Complete (All tasks done, QA approved, Security approved)', source: 'line' });
    expect(s.dependencies.map((d) => d.story)).toEqual(['001']);
    const cross = parseStory('# Story 016: X\n\n## Status\nIn Progress\n\n## Tasks\n\n### 001: A\n**Domain:** compute\n**Status:** pending\n**Depends on:** 014/003, 002\n\nText.\n');
    expect(cross.tasks[0]!.depends).toMatchObject([{ story: '014', task: '003', raw: '014/003' }, { task: '002', raw: '002' }]);
    expect(read('012').dependencies.map((d) => d.story)).toEqual(['011']);
    expect(read('026').dependencies).toEqual([]);
  });

  it('reads a plain `Status:` line, a title without an id, and `Task 001:` headings', () => {
    expect(read('023').status).toMatchObject({ value: 'Done', source: 'plain' });
    const s = read('027');
    expect(s.id).toBe('027');
    expect(s.fileId).toBe('027');
    expect(s.title).toBe('Two-Stage LLM Flow for Contextual Responses');
    const t = s.tasks[0]!;
    expect(t.id).toBe('001');
    expect(t.heading.taskPrefix).not.toBeNull();
    expect(s.text.slice(t.heading.taskPrefix!.start.offset, t.heading.taskPrefix!.end.offset)).toBe('Task ');
    expect(t.dependsOn).toBeNull();
    expect(t.fields.map((f) => f.key)).toEqual(['domain', 'status', 'files', 'test']);
  });

  it('accepts letter-suffixed ids and keeps a range heading without an id', () => {
    expect(read('011').tasks.map((t) => t.id)).toContain('011a');
    const range = read('003').tasks.find((t) => t.heading.rawId === '003-006')!;
    expect(range.id).toBeNull();
    expect(range.status?.value).toBe('done (via stable-diffusion.cpp)');
  });

  it('builds the same model as remark-parse with remark-gfm (what editors parse with), for every corpus story', () => {
    const gfm = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']);
    for (const file of readdirSync(STORIES)) {
      const text = readFileSync(join(STORIES, file), 'utf8');
      const a = JSON.stringify(storyFromTree(gfm.runSync(gfm.parse(text)) as Root, text, file));
      const b = JSON.stringify(parseStory(text, file));
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      expect(a.slice(Math.max(0, i - 200), i + 200), file).toBe(b.slice(Math.max(0, i - 200), i + 200));
    }
  });

  it('keeps offsets right with a BOM and CRLF line endings', () => {
    const text = '\ufeff# Story 015: X\r\n\r\n## Status\r\nReady\r\n\r\n## Tasks\r\n\r\n### 001: A\r\n**Domain:** compute\r\n**Status:** pending\r\n**Depends on:** none\r\n\r\nText.\r\n';
    const s = parseStory(text);
    expect(s.bom).toBe(true);
    expect(s.eol).toBe('\r\n');
    const status = s.tasks[0]!.status!;
    expect(s.text.slice(status.valueSpan.start.offset, status.valueSpan.end.offset)).toBe('pending');
    expect(s.status?.value).toBe('Ready');
  });

  it('is built once per file in a remark run, however many rules read it', async () => {
    const processor = unified().use(remarkParse).use(createPreset(defaultConfig(process.cwd())));
    const file = new VFile({ path: join(STORIES, '027-two-stage-llm-flow.md'), value: readFileSync(join(STORIES, '027-two-stage-llm-flow.md'), 'utf8') });
    const tree = processor.parse(file);
    await processor.run(tree, file);
    expect(file.messages.length).toBeGreaterThan(10);
    expect(new Set(file.messages.map((m) => m.ruleId)).size).toBeGreaterThanOrEqual(3);
    // The rules shared one Story, kept per tree: asked again with no text, the tree gives the
    // story built from the file (built anew, it would have no tasks).
    const kept = storyFromTree(tree as Root, '');
    expect(kept.tasks.length).toBeGreaterThan(0);
    expect(storyFromTree(tree as Root, '')).toBe(kept);
  });

  it('reads lists nested thousands deep without running out of stack (the scanner takes them)', () => {
    const depth = 5000;
    const items = Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}- item ${i}`);
    // A lint comment inside the deepest item.
    const body = [...items, '', `${' '.repeat(depth * 2)}<!-- lint disable task-size -->`].join('\n');
    const text = `# Story 001: Deep\n\n## Status\n\nReady\n\n## Tasks\n\n### 001: Deep\n**Domain:** core\n**Status:** pending\n**Depends on:** none\n\n${body}\n`;
    const story = parseStory(text, '001-deep.md');
    const list = story.tasks[0]!.blocks.find((b) => b.kind === 'list')!;
    expect(list.text.split('\n')).toHaveLength(depth);
    expect(list.text.split('\n')[depth - 1]).toBe(`item ${depth - 1}`);
    expect(story.comments.map((c) => [c.kind, c.ids])).toEqual([['disable', ['task-size']]]);
  });
});
