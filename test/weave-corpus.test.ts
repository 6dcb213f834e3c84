/**
 * The weave corpus (28 real stories, copied from ../shared/corpus/weave so a
 * fresh clone has them) linted with its own domains, names only. Every finding
 * is pinned in test/fixtures/weave/expected-lint.txt: a change to what the
 * rules say about real stories shows up in review. Regenerate with
 * `UPDATE_WEAVE=1 npx vitest run test/weave-corpus.test.ts` and read the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, validateConfig } from '../src/config/load.js';
import * as schema from '../src/config/schema.js';
import { lint } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';

const ROOT = new URL('./fixtures/weave/', import.meta.url).pathname;
const STORIES = join(ROOT, 'stories');
const EXPECTED = join(ROOT, 'expected-lint.txt');

export const weaveConfig = () =>
  resolveConfig(
    validateConfig(schema, { stories: 'stories/*.md', domains: ['backend', 'compute', 'electron', 'packaging', 'weave', 'documentation'] }, join(ROOT, 'plan-tasks.config.json')),
    ROOT,
    null,
  );

async function lintCorpus(): Promise<string[]> {
  const files = readdirSync(STORIES).filter((f) => f.endsWith('.md')).sort().map((f) => join(STORIES, f));
  const config = weaveConfig();
  const results = await lint(workingTreeSnapshot(config), { config, files });
  const lines: string[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      lines.push(`${r.filePath.slice(STORIES.length + 1)}:${m.line}:${m.column} ${m.ruleId} ${m.severity === 2 ? 'error' : 'warn'} ${m.message}`);
    }
  }
  return lines;
}

describe('weave corpus', async () => {
  const lines = await lintCorpus();

  it('matches the pinned findings exactly', () => {
    if (process.env.UPDATE_WEAVE) writeFileSync(EXPECTED, lines.join('\n') + '\n');
    expect(lines.join('\n') + '\n').toBe(readFileSync(EXPECTED, 'utf8'));
  });

  it('finds the real defects the corpus is known for', () => {
    const has = (file: string, rule: string, text: string) =>
      expect(lines.some((l) => l.startsWith(file) && l.includes(` ${rule} `) && l.includes(text)), `${file} ${rule} ${text}`).toBe(true);
    has('027-two-stage-llm-flow.md:4:1', 'story-status', 'Unexpected story status `Ready` with 8 tasks planned');
    has('027-two-stage-llm-flow.md', 'task-heading', 'Unexpected `Task` prefix');
    has('027-two-stage-llm-flow.md', 'task-fields', 'Missing `**Depends on:**`');
    has('001-binary-protocol.md', 'task-domain', 'Unexpected two domains `weave + compute`');
    has('011-generation-settings-ui.md:4:1', 'story-status', 'Unexpected story status `Complete`');
    has('003-vulkan-compute.md', 'task-status', 'after status `done`, expected the status alone');
    has('003-vulkan-compute.md', 'task-heading', 'Unexpected task id `003-006`');
    has('006-web-ui-foundation.md', 'dependency-status', 'Unexpected `done` task 005 before its dependency');
    has('010-update-mistral-7b.md', 'story-size', 'Unexpected 18 tasks');
  });

  it('raises no error outside the known defects', () => {
    const errorRules = new Set(lines.filter((l) => / error /.test(l)).map((l) => l.split(' ')[1]));
    expect([...errorRules].sort()).toEqual(['dependency-status', 'story-status', 'task-domain', 'task-fields', 'task-heading', 'task-status']);
  });
});
