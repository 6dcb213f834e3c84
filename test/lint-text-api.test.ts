/**
 * The API's `lintText` with the file the text stands for named by a relative
 * path: resolved against process.cwd() (ESLint's lintText), so the text
 * replaces that file and is not a second story with its number.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { lintText } from '../src/lint/lint.js';
import { CLI_FIXTURES, tempCopy } from './cli-helpers.js';

describe('lintText', () => {
  it('reads a relative filePath against process.cwd(): the same result as the absolute path, no duplicate story number', async () => {
    const t = tempCopy(join(CLI_FIXTURES, 'project'));
    try {
      const config = await loadConfig({ cwd: t.dir });
      const file = join(t.dir, 'stories/011-client.md');
      const text = readFileSync(file, 'utf8');
      const absolute = await lintText(text, file, { config });
      const rel = await lintText(text, relative(process.cwd(), file), { config });
      expect(rel.filePath).toBe(file);
      expect(rel.messages.filter((m) => m.ruleId === 'story-id-unique')).toEqual([]);
      expect(rel).toEqual(absolute);
      // A real duplicate is still one: the same text as a new file beside it.
      const twin = await lintText(text, relative(process.cwd(), join(t.dir, 'stories/011-twin.md')), { config });
      expect(twin.messages.map((m) => m.ruleId)).toContain('story-id-unique');
    } finally {
      t.done();
    }
  });
});
