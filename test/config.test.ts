/**
 * Config: discovery, every key, and the error messages, with real config
 * files in temp dirs, through `main(argv, io)` as a user runs it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { main } from '../src/cli.js';
import { findConfig, loadConfig } from '../src/config/load.js';
import { jsonSchema } from '../src/config/schema.js';
import { RULE_IDS } from '../src/config/defaults.js';

const REPO = new URL('..', import.meta.url).pathname;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-config-'));
  // A work tree: the config lookup walks up to its top (a `.git` entry), no further.
  mkdirSync(join(dir, '.git'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const file = join(dir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function run(argv: string[], cwd = dir) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

/** A story with one task; `domain`, `status` and `story` vary per test. */
function story(opts: { id?: string; domain?: string; status?: string; story?: string; body?: string; estimate?: string } = {}): string {
  return `# Story ${opts.id ?? '001'}: Token auth

## Status
${opts.story ?? 'In Progress'}

## Acceptance Criteria

- [ ] The daemon rejects requests without a token

## Tasks

### 001: Check the token header
**Domain:** ${opts.domain ?? 'backend'}
**Status:** ${opts.status ?? 'pending'}
**Depends on:** none
${opts.estimate ? `**Estimate:** ${opts.estimate}\n` : ''}
${opts.body ?? 'Add a check in `server/auth.go` that rejects a request without the header with 401. Verify with `go test ./server`.'}

---
`;
}

const ids = (stdout: string) => (JSON.parse(stdout) as { messages: { ruleId: string }[] }[]).flatMap((r) => r.messages.map((m) => m.ruleId));

describe('config discovery', () => {
  it('finds plan-tasks.config.json, .plan-tasksrc.json and package.json "plan-tasks"', () => {
    write('a/plan-tasks.config.json', '{"stories": "a/*.md"}');
    write('b/.plan-tasksrc.json', '{"stories": "b/*.md"}');
    write('c/package.json', '{"name": "c", "plan-tasks": {"stories": "c/*.md"}}');
    expect(findConfig(join(dir, 'a'))).toEqual({ file: join(dir, 'a/plan-tasks.config.json'), value: { stories: 'a/*.md' } });
    expect(findConfig(join(dir, 'b'))).toEqual({ file: join(dir, 'b/.plan-tasksrc.json'), value: { stories: 'b/*.md' } });
    expect(findConfig(join(dir, 'c'))).toEqual({ file: join(dir, 'c/package.json'), value: { stories: 'c/*.md' } });
  });

  it('takes the nearest file walking up; in one folder plan-tasks.config.json, then .plan-tasksrc.json, then package.json', () => {
    write('plan-tasks.config.json', '{"stories": "top/*.md"}');
    write('.plan-tasksrc.json', '{"stories": "rc/*.md"}');
    write('sub/package.json', '{"name": "sub"}');
    write('sub/deep/.plan-tasksrc.json', '{"stories": "deep/*.md"}');
    write('sub/deep/package.json', '{"plan-tasks": {"stories": "pkg/*.md"}}');
    expect(findConfig(dir)!.file).toBe(join(dir, 'plan-tasks.config.json'));
    // A package.json without the key does not stop the walk.
    expect(findConfig(join(dir, 'sub'))!.file).toBe(join(dir, 'plan-tasks.config.json'));
    expect(findConfig(join(dir, 'sub/deep/x/y'))!.file).toBe(join(dir, 'sub/deep/.plan-tasksrc.json'));
    expect(findConfig(join(dir, 'sub/deep'))!.file).toBe(join(dir, 'sub/deep/.plan-tasksrc.json'));
  });

  it('resolves the stories glob against the config file folder, whatever the working directory', async () => {
    write('plan-tasks.config.json', '{"stories": "plans/*.md"}');
    write('plans/001-auth.md', story({ domain: 'frontend' }));
    const r = await run(['lint', '--format', 'json'], join(dir, 'plans'));
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout);
    expect(results.map((x: { filePath: string }) => x.filePath)).toEqual([join(dir, 'plans/001-auth.md')]);
    expect(ids(r.stdout)).toContain('task-domain');
  });

  it('uses --config instead of discovery, relative to the working directory', async () => {
    write('plan-tasks.config.json', '{"domains": ["backend"]}');
    write('other/custom.json', '{"domains": ["frontend"], "stories": "../docs/*.md"}');
    write('docs/001-auth.md', story({ domain: 'frontend' }));
    expect((await run(['lint', 'docs/001-auth.md'])).code).toBe(1);
    const r = await run(['lint', '--config', 'other/custom.json', 'docs/001-auth.md']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Its globs resolve against its own folder.
    expect((await run(['lint', '-c', 'other/custom.json'])).code).toBe(0);
  });

  it('reads --config package.json from its "plan-tasks" key, and says so when it is missing', async () => {
    write('pkg/package.json', '{"name": "x", "plan-tasks": {"domains": ["frontend"]}}');
    write('bare/package.json', '{"name": "x"}');
    write('001-auth.md', story({ domain: 'frontend' }));
    expect((await run(['lint', '--config', 'pkg/package.json', '001-auth.md'])).code).toBe(0);
    const r = await run(['lint', '--config', 'bare/package.json', '001-auth.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Missing "plan-tasks" key in ${join(dir, 'bare/package.json')}`);
  });

  it('exits 2 for a --config file that does not exist', async () => {
    write('001-auth.md', story());
    const r = await run(['lint', '--config', 'nope.json', '001-auth.md']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Config file not found: ${join(dir, 'nope.json')}`);
  });

  it('uses the built-in defaults without a config file', async () => {
    const config = await loadConfig({ cwd: dir });
    expect(config.configFile).toBeNull();
    expect(config.stories).toEqual(['docs/stories/*.md']);
    expect(config.domains.map((d) => d.name)).toEqual(['backend', 'compute', 'electron', 'packaging']);
    expect(config.taskStatuses).toEqual(['pending', 'in_progress', 'done']);
    expect(config.storyStatuses).toEqual(['Draft', 'Ready', 'In Progress', 'Done']);
    expect(config.sizing).toMatchObject({ sentences: { min: 1, max: 3 }, estimate: { min: 1, max: 4 }, maxTasks: 15 });
  });
});

describe('every config key works', () => {
  it('stories: a glob or a list of globs', async () => {
    write('plan-tasks.config.json', '{"stories": ["a/*.md", "b/*.md"]}');
    write('a/001-x.md', story());
    write('b/002-y.md', story({ id: '002' }));
    write('c/003-z.md', story({ id: '003' }));
    const r = await run(['lint', '--format', 'json']);
    expect(JSON.parse(r.stdout).map((x: { filePath: string }) => x.filePath)).toEqual([join(dir, 'a/001-x.md'), join(dir, 'b/002-y.md')]);
  });

  it('domains: names, or objects whose keywords and paths drive task-domain-hint', async () => {
    write('plan-tasks.config.json', JSON.stringify({
      domains: ['backend', { name: 'frontend', keywords: ['React', 'component'], paths: ['web/**'] }],
    }));
    write('001-x.md', story({ domain: 'backend', body: 'Add a React component in `web/src/Login.tsx` that shows the token form. Verify with `npm test` in `web`.' }));
    const r = await run(['lint', '--format', 'json', '001-x.md']);
    const messages = JSON.parse(r.stdout)[0].messages;
    expect(messages.find((m: { ruleId: string }) => m.ruleId === 'task-domain-hint')?.message).toContain('frontend');
    write('002-y.md', story({ id: '002', domain: 'electron' }));
    const bad = await run(['lint', '--format', 'json', '002-y.md']);
    expect(JSON.parse(bad.stdout)[0].messages.find((m: { ruleId: string }) => m.ruleId === 'task-domain').message).toContain('`backend`, `frontend`');
  });

  it('taskStatuses and storyStatuses replace the defaults', async () => {
    write('plan-tasks.config.json', JSON.stringify({ taskStatuses: ['todo', 'doing', 'shipped'], storyStatuses: ['Idea', 'Planned', 'Building', 'Shipped'] }));
    write('001-x.md', story({ status: 'doing', story: 'Building' }));
    expect(await run(['lint', '001-x.md'])).toMatchObject({ code: 0, stdout: '' });
    write('002-y.md', story({ id: '002', status: 'pending', story: 'In Progress' }));
    const r = await run(['lint', '--format', 'json', '002-y.md']);
    expect(ids(r.stdout).sort()).toEqual(['story-status', 'task-status']);
  });

  it('transitions: resolved as written, or derived from taskStatuses', async () => {
    write('a/plan-tasks.config.json', JSON.stringify({ transitions: { pending: ['in_progress'], in_progress: ['done'], done: ['pending'] } }));
    expect((await loadConfig({ cwd: join(dir, 'a') })).transitions).toEqual({ pending: ['in_progress'], in_progress: ['done'], done: ['pending'] });
    write('b/plan-tasks.config.json', JSON.stringify({ taskStatuses: ['todo', 'doing', 'review', 'shipped'] }));
    expect((await loadConfig({ cwd: join(dir, 'b') })).transitions).toEqual({
      todo: ['doing', 'review', 'shipped'],
      doing: ['review', 'shipped', 'todo'],
      review: ['shipped', 'todo'],
      shipped: [],
    });
  });

  it('sizing: sentences, estimate durations and maxTasks', async () => {
    write('plan-tasks.config.json', JSON.stringify({ sizing: { sentences: { min: 1, max: 1 }, estimate: { min: '30m', max: '1d' }, maxTasks: 2, maxFiles: 3, maxSteps: 4 } }));
    const config = await loadConfig({ cwd: dir });
    expect(config.sizing).toEqual({ sentences: { min: 1, max: 1 }, estimate: { min: 0.5, max: 8 }, maxTasks: 2, maxFiles: 3, maxSteps: 4 });
    write('001-x.md', story({ estimate: '6h' }));
    expect(ids((await run(['lint', '--format', 'json', '001-x.md'])).stdout)).toEqual(['task-description']);
    write('002-y.md', story({ id: '002', estimate: '2d', body: 'Add a check in `server/auth.go` that rejects a request without the header, verified by `go test ./server`.' }));
    expect(ids((await run(['lint', '--format', 'json', '002-y.md'])).stdout)).toEqual(['task-size']);
  });

  it('rules: "off" | "warn" | "error" and 0 | 1 | 2', async () => {
    write('001-x.md', story({ domain: 'frontend', status: 'Done' }));
    write('plan-tasks.config.json', JSON.stringify({ rules: { 'task-domain': 'off', 'task-status': 1 } }));
    let r = await run(['lint', '--format', 'json', '001-x.md']);
    expect(r.code).toBe(0);
    const sev = (ruleId: string) => JSON.parse(r.stdout)[0].messages.filter((m: { ruleId: string }) => m.ruleId === ruleId).map((m: { severity: number }) => m.severity);
    expect(sev('task-status')).toEqual([1]);
    expect(sev('task-domain')).toEqual([]);
    write('plan-tasks.config.json', JSON.stringify({ rules: { 'task-domain': 2, 'task-status': 0 } }));
    r = await run(['lint', '--format', 'json', '001-x.md']);
    expect(r.code).toBe(1);
    expect(sev('task-domain')).toEqual([2]);
    expect(sev('task-status')).toEqual([]);
  });
});

describe('config errors: exit 2, the file, the key path and what was expected', () => {
  async function broken(json: string, name = 'plan-tasks.config.json') {
    const file = write(name, json);
    write('docs/stories/001-x.md', story());
    const r = await run(['lint']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain(file);
    return r.stderr;
  }

  it('a wrong type', async () => {
    expect(await broken('{"stories": 3}')).toContain('stories: Unexpected number 3, expected a string or a list of strings');
  });

  it('unknown keys list the valid ones (and suggest a near one)', async () => {
    const err = await broken('{"storys": "x", "sizing": {"maxTask": 3}, "domains": [{"name": "x", "keyword": []}]}');
    expect(err).toContain('storys: Unexpected key "storys" (did you mean "stories"?), expected one of: $schema, stories, domains, taskStatuses, storyStatuses, transitions, sizing, rules');
    expect(err).toContain('sizing.maxTask: Unexpected key "maxTask" (did you mean "maxTasks"?), expected one of: sentences, estimate, maxTasks, maxFiles, maxSteps');
    expect(err).toContain('domains[0].keyword: Unexpected key "keyword" (did you mean "keywords"?), expected one of: name, keywords, paths, description');
  });

  it('a bad rule id lists the valid ids; a bad severity lists the valid ones', async () => {
    const err = await broken('{"rules": {"task-headings": "warn", "task-size": "warning"}}');
    expect(err).toContain(`rules.task-headings: Unexpected rule id "task-headings" (did you mean "task-heading"?), expected one of: ${RULE_IDS.join(', ')}`);
    expect(err).toContain('rules.task-size: Unexpected string "warning", expected one of "off", "warn", "error", 0, 1, 2');
  });

  it('a domain named twice', async () => {
    expect(await broken('{"domains": ["backend", {"name": "Backend"}]}')).toContain('domains[1]: Unexpected domain "Backend" named twice (also domains[0]), expected each domain once');
  });

  it('transitions naming an unknown status', async () => {
    const err = await broken('{"taskStatuses": ["todo", "done"], "transitions": {"todo": ["done", "doing"], "blocked": []}}');
    expect(err).toContain('transitions.todo[1]: Unexpected task status "doing", expected one of "todo", "done" (taskStatuses)');
    expect(err).toContain('transitions.blocked: Unexpected task status "blocked", expected one of "todo", "done" (taskStatuses)');
  });

  it('bad values in sizing, empty lists, empty strings', async () => {
    const err = await broken('{"stories": [], "domains": [""], "taskStatuses": ["done"], "sizing": {"estimate": {"min": "4h", "max": "1x"}, "maxTasks": 0, "sentences": 2.5}}');
    expect(err).toContain('stories: Unexpected empty list, expected at least one glob');
    expect(err).toContain('domains[0]: Unexpected string "", expected a non-empty string');
    expect(err).toContain('taskStatuses: Unexpected list, expected at least two statuses');
    expect(err).toContain('sizing.estimate.max: Unexpected string "1x", expected a duration such as "1h", "90m" or "1d"');
    expect(err).toContain('sizing.maxTasks: Unexpected number 0, expected a number above 0');
    expect(err).toContain('sizing.sentences: Unexpected number 2.5, expected a whole number above 0 or an object with keys min, max');
  });

  it('every problem in one pass: the checks between keys run beside wrong types and unknown keys', async () => {
    const err = await broken('{"storys": "x", "sizing": {"sentences": 0, "estimate": {"min": "1d", "max": "2h"}}, "domains": ["a", "A", 3], "rules": {"task-size": "warning"}, "transitions": {"pending": ["doing"]}}');
    const lines = err.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'sizing.sentences: Unexpected number 0, expected a number above 0',
        expect.stringMatching(/^storys: Unexpected key "storys"/),
        'rules.task-size: Unexpected string "warning", expected one of "off", "warn", "error", 0, 1, 2',
        'domains[2]: Unexpected number 3, expected a string or an object with keys name, keywords, paths, description',
        'transitions.pending[0]: Unexpected task status "doing", expected one of "pending", "in_progress", "done" (the default taskStatuses)',
        'domains[1]: Unexpected domain "A" named twice (also domains[0]), expected each domain once',
        'sizing.estimate: Unexpected range 1d..2h, expected min <= max',
      ]),
    );
    expect(lines).toHaveLength(7);
  });

  it('transitions are not checked against taskStatuses that cannot be read', async () => {
    const err = await broken('{"taskStatuses": "todo", "transitions": {"todo": ["doing"]}}');
    expect(err).toContain('taskStatuses: Unexpected string "todo", expected a list of strings');
    expect(err).not.toContain('transitions');
  });

  it('ranges the wrong way round', async () => {
    const err = await broken('{"sizing": {"estimate": {"min": "1d", "max": "2h"}, "sentences": {"min": 4, "max": 2}}}');
    expect(err).toContain('sizing.estimate: Unexpected range 1d..2h, expected min <= max');
    expect(err).toContain('sizing.sentences: Unexpected range 4..2, expected min <= max');
  });

  it('not an object at all', async () => {
    expect(await broken('["docs"]')).toContain('(top level): Unexpected list, expected an object with keys $schema, stories');
  });

  it('invalid JSON says the line and column', async () => {
    expect(await broken('{\n  "stories": "docs/*.md",\n  domains: []\n}')).toMatch(/Invalid JSON in config file .*plan-tasks\.config\.json at line 3, column 3/);
    rmSync(join(dir, 'plan-tasks.config.json'));
    expect(await broken('{\n  "stories": "docs/*.md",\n}', '.plan-tasksrc.json')).toMatch(/at line 3, column 1/);
  });

  it('an empty config file', async () => {
    expect(await broken('  \n')).toContain('the file is empty, expected a JSON object');
  });

  it('a broken package.json "plan-tasks" key names the key', async () => {
    const err = await broken('{"name": "x", "plan-tasks": {"rules": {"nope": "off"}}}', 'package.json');
    expect(err).toContain(`${join(dir, 'package.json')} ("plan-tasks" key)`);
    expect(err).toContain('rules.nope: Unexpected rule id "nope"');
  });

  it('a broken package.json is an error only when it is read for config', async () => {
    write('package.json', '{"name": ');
    write('plan-tasks.config.json', '{}');
    write('docs/stories/001-x.md', story());
    expect((await run(['lint'])).code).toBe(0);
    rmSync(join(dir, 'plan-tasks.config.json'));
    const r = await run(['lint']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Invalid JSON in config file ${join(dir, 'package.json')}`);
  });
});

describe('schema.json', () => {
  it('is the JSON schema generated from the zod schema (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(join(REPO, 'schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
  });

  it('accepts what zod accepts and rejects what zod rejects', async () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO, 'schema.json'), 'utf8')));
    const { configSchema } = await import('../src/config/schema.js');
    const cases: unknown[] = [
      JSON.parse(readFileSync(join(REPO, 'plan-tasks.config.json'), 'utf8')),
      {},
      { stories: ['a/*.md'], rules: { 'task-size': 'off', 'task-heading': 2 }, sizing: { sentences: 4, estimate: { min: '30m', max: 6 } } },
      { stories: 3 },
      { rules: { nope: 'off' } },
      { rules: { 'task-size': 'warning' } },
      { domains: [{ name: 'x', keyword: [] }] },
      { sizing: { maxTasks: 0 } },
      { sizing: { estimate: { min: '1x', max: '2h' } } },
      [],
    ];
    for (const value of cases) {
      expect([value, validate(value)]).toEqual([value, configSchema.safeParse(value).success]);
    }
  });

  it('is in the package and named by the repository config', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(pkg.files).toContain('schema.json');
    expect(pkg.exports['./schema.json']).toBe('./schema.json');
    expect(pkg.scripts.schema).toBe('node scripts/schema.mjs');
  });
});

describe('zod stays off the hot path', () => {
  function loads(cwd: string, status = 0): string[] {
    const log = join(dir, 'loads.txt');
    writeFileSync(log, '');
    const r = spawnSync(process.execPath, ['--import', join(REPO, 'test/fixtures/cli/log-loads.mjs'), join(REPO, 'bin/plan-tasks.js'), 'lint', 'docs/stories/001-x.md'], {
      cwd,
      env: { ...process.env, PT_LOAD_LOG: log },
      encoding: 'utf8',
    });
    expect(r.status).toBe(status);
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  }
  // Needs the build (npm test builds first).
  it('is loaded only to explain an invalid config (src/config/check.ts reads a valid one)', () => {
    write('a/docs/stories/001-x.md', story());
    write('b/docs/stories/001-x.md', story());
    write('b/plan-tasks.config.json', '{"stories": "docs/stories/*.md", "rules": {"task-size": "off"}}');
    write('c/docs/stories/001-x.md', story());
    write('c/plan-tasks.config.json', '{"stories": "docs/stories/*.md", "rules": {"task-size": "of"}}');
    const isSchema = (url: string) => /\/dist\/schema\.cjs$/.test(url);
    expect(loads(join(dir, 'a')).filter(isSchema)).toEqual([]);
    expect(loads(join(dir, 'b')).filter(isSchema)).toEqual([]);
    expect(loads(join(dir, 'c'), 2).filter(isSchema)).toHaveLength(1);
  });
});

describe('the README config section', () => {
  it('its example config is valid and means what the table says', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Config'), readme.indexOf('## CLI'));
    const example = /```json\n([^]*?)```/.exec(section)![1]!;
    write('plan-tasks.config.json', example);
    const config = await loadConfig({ cwd: dir });
    expect(config.domains.map((d) => d.name)).toEqual(['backend', 'frontend']);
    expect(config.sizing.estimate).toEqual({ min: 1, max: 4 });
    expect(config.rules['task-size']).toBe('off');
    expect(config.rules['task-specific']).toBe('error');
  });
});

describe('no config file', () => {
  it('resolves the default story glob from the top of the git work tree, not the sub-folder', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, realpathSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadConfig } = await import('../src/config/load.js');
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'pt-root-')));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'docs', 'stories'), { recursive: true });
    writeFileSync(join(root, 'docs', 'stories', '001-a.md'), '# Story 001: A\n');
    const config = await loadConfig({ cwd: join(root, 'docs') });
    expect(config.root).toBe(root);
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'pt-plain-')));
    expect((await loadConfig({ cwd: outside })).root).toBe(outside);
  });
});
