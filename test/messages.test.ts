/**
 * Messages stay short whatever the story holds (ESLint-width stylish lines);
 * what they leave out is in the note.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { lintStoryText } from '../src/lint/lint.js';
import { fixtureConfig, FIXTURES, splitMeta } from './rules-harness.js';

describe('messages', () => {
  it('stay under 125 characters (ESLint-like) with 5,000-character statuses, titles and domains', () => {
    const long = 'very long title | <b>x</b> @octocat '.repeat(150);
    const text = `# Story 001: Hostile\n\n## Status\nComplete because ${'x'.repeat(5000)}\n\n## Tasks\n\n### Task 001: ${long}\n**Domain:** ${'weird '.repeat(500)}\n**Status:** ${'y'.repeat(3000)}\n**Depends on:** none\n\nDo it.\n\n---\n\n### 002 ${'z'.repeat(4000)}\n**Domain:** backend\n**Status:** pending\n**Depends on:** 001\n\nAdd \`x.go\` so the test passes.\n`;
    const { messages } = lintStoryText(text, '/tmp/001-hostile.md', { config: defaultConfig('/tmp') });
    expect(messages.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['story-status', 'task-heading', 'task-domain', 'task-status']));
    for (const m of messages) expect(m.message.length, m.message).toBeLessThan(125);
  });

  it('name at most five configured values and put them all in the note', () => {
    const path = join(FIXTURES, 'task-domain/not-ok-unknown-of-many.md');
    const { text, meta } = splitMeta(readFileSync(path, 'utf8'));
    const config = fixtureConfig(meta, path);
    const [m] = lintStoryText(text, path, { config }).messages.filter((x) => x.ruleId === 'task-domain');
    expect(m!.message).toContain('and 2 more');
    expect(m!.note).toBe(`The domains: ${config.domains.map((d) => `\`${d.name}\``).join(', ')}.`);
    expect(config.domains).toHaveLength(7);
  });
});
