/**
 * Cross-story checks on a multi-story fixture folder: refs to other stories'
 * tasks, `## Dependencies`, cross-story dependency-status, and cycles through
 * several stories, also when only some files are named (lint-staged passes the
 * staged ones as absolute paths), reading only the stories a file reaches.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig } from '../src/config/load.js';
import { storyFiles } from '../src/lint/files.js';
import { crossStoryMessages } from '../src/lint/engine.js';
import { Project, summarize } from '../src/lint/project.js';
import { parseStory } from '../src/story/parse.js';
import { CLI_FIXTURES, parseJson, run, tempCopy } from './cli-helpers.js';

const PROJECT = join(CLI_FIXTURES, 'project');
const S = (name: string) => join(PROJECT, 'stories', name);

const summary = (stdout: string) =>
  parseJson(stdout).flatMap((r) => r.messages.map((m) => `${r.filePath.slice(PROJECT.length + 9)} ${m.line}:${m.column} ${m.ruleId} ${m.message}`));

const ALL = [
  '011-client.md 17:9 story-dependency Unexpected dependency on unknown story `098`, expected a story file 098-*.md in the configured stories',
  '011-client.md 24:17 dependency-status Unexpected `done` task 001 before its dependency 010/002 (`pending`), expected 010/002 done first',
  "011-client.md 33:17 dependency-unknown Unexpected dependency on unknown task `010/009` in task 002, expected one of story 010's task ids (001, 002)",
  '011-client.md 33:26 dependency-unknown Unexpected dependency on unknown story 099 in `099/001`, expected a story file 099-*.md in the configured stories',
  '012-ring-a.md 16:9 story-dependency Unexpected story dependency cycle 012 -> 013 -> 014 -> 012, expected stories that can be ordered',
  '013-ring-b.md 16:9 story-dependency Unexpected story dependency cycle 013 -> 014 -> 012 -> 013, expected stories that can be ordered',
  '014-ring-c.md 16:9 story-dependency Unexpected story dependency cycle 014 -> 012 -> 013 -> 014, expected stories that can be ordered',
  '015-loop-a.md 23:17 dependency-cycle Unexpected dependency cycle 015/001 -> 016/001 -> 017/001 -> 015/001 across stories, expected tasks that can be ordered',
  '016-loop-b.md 23:17 dependency-cycle Unexpected dependency cycle 016/001 -> 017/001 -> 015/001 -> 016/001 across stories, expected tasks that can be ordered',
  '017-loop-c.md 23:17 dependency-cycle Unexpected dependency cycle 017/001 -> 015/001 -> 016/001 -> 017/001 across stories, expected tasks that can be ordered',
];

describe('cross-story checks', () => {
  it('finds every cross-story problem in the folder, with the full cycle paths', async () => {
    const r = await run(['lint', '--format', 'json'], PROJECT);
    expect(r.code).toBe(1);
    expect(summary(r.stdout)).toEqual(ALL);
  });

  it('gives each file the same findings when it is linted alone, by absolute path, from another folder', async () => {
    for (const name of ['011-client.md', '013-ring-b.md', '016-loop-b.md', '020-clean.md']) {
      const r = await run(['lint', '--format', 'json', '--config', join(PROJECT, 'plan-tasks.config.json'), S(name)], tmpdir());
      expect([name, summary(r.stdout)]).toEqual([name, ALL.filter((l) => l.startsWith(name))]);
      expect(r.code).toBe(name === '020-clean.md' ? 0 : 1);
    }
  });

  it('checks the staged subset against the whole glob (lint-staged passes absolute paths)', async () => {
    const r = await run(['lint', '--format', 'json', S('010-base.md'), S('015-loop-a.md')], PROJECT);
    expect(parseJson(r.stdout).map((x) => x.filePath)).toEqual([S('010-base.md'), S('015-loop-a.md')]);
    expect(summary(r.stdout)).toEqual(ALL.filter((l) => l.startsWith('015-')));
  });

  it('uses the configured severities and lint comments for cross-story findings', async () => {
    const t = tempCopy(PROJECT);
    try {
      writeFileSync(join(t.dir, 'plan-tasks.config.json'), JSON.stringify({ stories: 'stories/*.md', rules: { 'story-dependency': 'warn', 'dependency-unknown': 'off' } }));
      const file = join(t.dir, 'stories/011-client.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('### 001: Read the field', '<!-- lint disable dependency-status -->\n\n### 001: Read the field').replace('### 002:', '<!-- lint enable dependency-status -->\n\n### 002:'));
      const r = await run(['lint', '--format', 'json', 'stories/011-client.md'], t.dir);
      expect(r.code).toBe(0);
      expect(parseJson(r.stdout)[0]!.messages.map((m) => [m.ruleId, m.severity])).toEqual([['story-dependency', 1]]);
    } finally {
      t.done();
    }
  });
});

describe('suppressedMessages', () => {
  it('holds what a lint comment silenced, as ESLint does, with and without --cache and with --quiet', async () => {
    const t = tempCopy(PROJECT);
    try {
      writeFileSync(join(t.dir, 'plan-tasks.config.json'), JSON.stringify({ stories: 'stories/*.md', rules: { 'story-dependency': 'warn', 'dependency-unknown': 'off' } }));
      const file = join(t.dir, 'stories/011-client.md');
      const plain = parseJson((await run(['lint', '--format', 'json', 'stories/011-client.md'], t.dir)).stdout)[0]!;
      const silenced = plain.messages.filter((m) => m.ruleId === 'dependency-status');
      expect(silenced.length).toBeGreaterThan(0);
      writeFileSync(file, readFileSync(file, 'utf8').replace('## Tasks', '<!-- lint disable dependency-status -->\n\n## Tasks'));
      for (const args of [[], ['--cache', '--cache-location', join(t.dir, '.cache')], ['--cache', '--cache-location', join(t.dir, '.cache')], ['--quiet']]) {
        const r = parseJson((await run(['lint', '--format', 'json', ...args, 'stories/011-client.md'], t.dir)).stdout)[0]! as ReturnType<typeof parseJson>[number] & { suppressedMessages: { ruleId: string; line: number; suppressions: unknown }[] };
        expect(r.messages.map((m) => m.ruleId)).not.toContain('dependency-status');
        // The same findings, two lines down (the comment and its blank line), each with its suppression.
        expect(r.suppressedMessages.map((m) => [m.ruleId, m.line, m.suppressions])).toEqual(silenced.map((m) => [m.ruleId, m.line + 2, [{ kind: 'directive', justification: '' }]]));
      }
    } finally {
      t.done();
    }
  });
});

describe('lint comments that name no plan-tasks rule', () => {
  it('warn of an id one edit from a rule (it silences nothing), leave other ids (remark-lint rules) alone, the same with --cache', async () => {
    const t = tempCopy(PROJECT);
    try {
      writeFileSync(join(t.dir, 'plan-tasks.config.json'), JSON.stringify({ stories: 'stories/*.md', rules: { 'story-dependency': 'warn', 'dependency-unknown': 'off' } }));
      const file = join(t.dir, 'stories/011-client.md');
      const text = readFileSync(file, 'utf8');
      writeFileSync(file, text.replace('### 001: Read the field', '<!-- lint disable dependency-statuses no-html -->\n\n### 001: Read the field'));
      const line = text.slice(0, text.indexOf('### 001: Read the field')).split('\n').length;
      for (const args of [[], ['--cache', '--cache-location', join(t.dir, '.cache')], ['--cache', '--cache-location', join(t.dir, '.cache')]]) {
        const r = await run(['lint', '--format', 'json', ...args, 'stories/011-client.md'], t.dir);
        const messages = parseJson(r.stdout)[0]!.messages;
        // The misspelt comment silences nothing: dependency-status still reports, and the comment is a warning.
        expect(messages.map((m) => m.ruleId)).toContain('dependency-status');
        expect(messages.filter((m) => m.ruleId === null).map((m) => [m.severity, m.line, m.message])).toEqual([
          [1, line, 'Unexpected unknown rule `dependency-statuses` in a `lint disable` comment, expected `dependency-status`: the comment silences nothing'],
        ]);
        expect(r.code).toBe(1);
      }
      // SARIF: a descriptor of its own (not the fatal one), level warning.
      const sarif = JSON.parse((await run(['lint', '--format', 'sarif', 'stories/011-client.md'], t.dir)).stdout);
      const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'lint-comment');
      expect(result.level).toBe('warning');
      expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe('lint-comment');
    } finally {
      t.done();
    }
  });
});

describe('only the stories a linted file reaches are read', () => {
  async function reads(name: string): Promise<string[]> {
    const config = await loadConfig({ cwd: PROJECT });
    const loaded: string[] = [];
    const project = new Project(storyFiles(config), (path) => {
      loaded.push(path.slice(PROJECT.length + 9));
      return summarize(parseStory(readFileSync(path, 'utf8'), path), path);
    });
    const story = parseStory(readFileSync(S(name), 'utf8'), S(name));
    project.add(summarize(story, S(name)));
    crossStoryMessages(story, project, config);
    return loaded.sort();
  }

  it('follows task refs and story dependencies, nothing else', async () => {
    expect(await reads('020-clean.md')).toEqual([]);
    expect(await reads('010-base.md')).toEqual([]);
    expect(await reads('011-client.md')).toEqual(['010-base.md']);
    expect(await reads('012-ring-a.md')).toEqual(['013-ring-b.md', '014-ring-c.md']);
    expect(await reads('015-loop-a.md')).toEqual(['016-loop-b.md', '017-loop-c.md']);
  });
});
