/**
 * src/story/sections.ts reads `## Dependencies` without the parser: it must
 * agree with the full parse wherever it answers, and decline (null) where a
 * line scan could be wrong.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './lint-helpers.js';
import { summarize } from '../src/lint/project.js';
import { parseStory } from '../src/story/parse.js';
import { blankUnreadSections, dependencyIds } from '../src/story/sections.js';
import { parseForLint } from '../src/lint/analyze.js';

const ROOT = resolve(__dirname, '..');
const full = (text: string) => summarize(parseStory(text, 'docs/stories/050-x.md'), 'docs/stories/050-x.md').dependencies;

describe('dependencyIds = the full parse', () => {
  it('on every weave story, every historical version and every fixture', () => {
    const files = [...markdownFiles(resolve(ROOT, 'test/fixtures/weave')), ...markdownFiles(join(ROOT, 'test', 'fixtures'))];
    expect(files.length).toBeGreaterThan(100);
    let answered = 0;
    let withDeps = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fast = dependencyIds(text);
      if (fast === null) continue;
      answered++;
      if (fast.length) withDeps++;
      expect(fast, file).toEqual(full(text));
    }
    // It answers for most stories (else it would not save anything).
    expect(answered / files.length).toBeGreaterThan(0.6);
    expect(withDeps).toBeGreaterThan(10);
  });

  const cases: [string, string][] = [
    ['plain', '# Story 050: X\n\n## Dependencies\n\n- Story 012 (a)\n- Stories 013 and 014\n- see 015-foo.md\n\n## Notes\n\nStory 099.\n'],
    ['colon, closing hashes, CRLF', '# X\r\n\r\n## Dependencies: ##\r\n\r\n- Story 012\r\n'],
    ['BOM', '\ufeff## Dependencies\n\nStory 012\n'],
    ['two sections', '## Dependencies\n\nStory 012\n\n## Tasks\n\n## Dependencies\n\nStory 013, 012\n'],
    ['h1 is not a section', '# Dependencies\n\nStory 012\n'],
    ['fence hides a heading', '## Notes\n\n```md\n## Dependencies\n\nStory 012\n```\n\nStory 013\n'],
    ['fence inside the section', '## Dependencies\n\n~~~\n## Notes\n~~~\n\nStory 012\n'],
    ['longer closing fence needed', '## Dependencies\n\n````\n```\n## Notes\n````\nStory 012\n'],
    ['heading ends the section', '## Dependencies\n\nStory 012\n## Notes\nStory 013\n'],
    ['empty', '## Dependencies\n'],
  ];
  for (const [name, text] of cases) {
    it(`answers exactly: ${name}`, () => {
      const fast = dependencyIds(text);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(full(text));
    });
  }

  const declined: [string, string][] = [
    ['fence in a list item', '- item\n  ```\n## Dependencies\n  ```\n\nStory 012\n'],
    ['HTML block', '<div>\n## Dependencies\n</div>\n\nStory 012\n'],
    ['lint comment', '## Dependencies\n<!-- lint disable -->\nStory 012\n'],
    ['setext heading', 'Dependencies\n---\n\nStory 012\n'],
    ['indented heading', '   ## Dependencies\n\nStory 012\n'],
    ['markup in a heading', '## *Dependencies*\n\nStory 012\n'],
    ['link definition', '[a]: /x\n## Dependencies\n\nStory 012\n'],
    ['lone CR', '## Dependencies\r\rStory 012\r'],
  ];
  for (const [name, text] of declined) {
    it(`declines: ${name}`, () => {
      expect(dependencyIds(text)).toBeNull();
    });
  }
});

describe('blankUnreadSections: the lint-only parse', () => {
  it('keeps offsets and gives the model the rules read, identical to the full parse', () => {
    const files = [...markdownFiles(resolve(ROOT, 'test/fixtures/weave')), ...markdownFiles(join(ROOT, 'test', 'fixtures'))];
    let blanked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const b = blankUnreadSections(text.replace(/^\ufeff/, ''));
      if (b === null) continue;
      blanked++;
      expect(b.length).toBe(text.replace(/^\ufeff/, '').length);
      expect(b.split('\n').length).toBe(text.split('\n').length);
      const fast = parseForLint(text, file);
      const slow = parseStory(text, file);
      for (const key of ['id', 'title', 'titleSpan', 'status', 'statusCount', 'dependencies', 'tasksSections', 'tasks', 'strayTasks', 'comments', 'eol', 'bom', 'text'] as const) {
        expect(fast[key], `${file}: ${key}`).toEqual(slow[key]);
      }
    }
    expect(blanked / files.length).toBeGreaterThan(0.5);
  });

  it('blanks fenced blocks in unread sections, keeps sections with ### task blocks', () => {
    const text = readFileSync(join(ROOT, 'test/fixtures/perf/050-sections-tricky.md'), 'utf8');
    const b = blankUnreadSections(text)!;
    expect(b).not.toBeNull();
    expect(b).not.toContain('Not a task');
    expect(b).not.toContain('Blanked sections keep');
    expect(b).toContain('### 007: A task block outside Tasks');
    expect(b).toContain('## Status\nIn Progress');
    expect(parseForLint(text, 'x/050-a.md').strayTasks).toHaveLength(1);
  });
});
