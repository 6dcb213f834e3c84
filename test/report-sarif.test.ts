import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import * as formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { RULE_DEFAULTS } from '../src/config/defaults.js';
import { rules } from '../rules/index.js';
import { transitionRules } from '../src/git/rules/index.js';

const FIXTURE = resolve(__dirname, 'fixtures/report');
const REPO = resolve(__dirname, '..');
const schema = JSON.parse(readFileSync(join(FIXTURE, 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
(formats as unknown as { default: (a: Ajv) => void }).default(ajv);
const validate = ajv.compile(schema);

async function sarifOf(argv: string[], env: Record<string, string> = {}, cwd = FIXTURE) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env, isTTY: false };
  const code = await main(['lint', '--format', 'sarif', ...argv], io);
  return { code, stderr: out.stderr, log: JSON.parse(out.stdout) };
}

const expectValid = (log: unknown) => {
  const ok = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
};

describe('--format sarif', () => {
  it('is valid SARIF 2.1.0 against the OASIS schema, with results, exit 1', async () => {
    const { code, log, stderr } = await sarifOf([]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expectValid(log);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].results.length).toBe(2);
  });

  it('the schema check can fail: a wrong level and a missing message are rejected', async () => {
    const { log } = await sarifOf([]);
    const bad = structuredClone(log);
    bad.runs[0].results[0].level = 'fatal';
    delete bad.runs[0].results[1].message;
    expect(validate(bad)).toBe(false);
    expect(validate.errors!.map((e: { instancePath: string }) => e.instancePath)).toEqual(expect.arrayContaining(['/runs/0/results/0/level', '/runs/0/results/1']));
  });

  it('lists every rule, the transition rules included, with description, help URL and default level', async () => {
    const { log } = await sarifOf([]);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('plan-tasks');
    const ids = driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([...Object.keys(RULE_DEFAULTS), 'status-transition', 'task-removed', 'story-status-transition']));
    for (const r of [...rules, ...transitionRules]) {
      const d = driver.rules.find((x: { id: string }) => x.id === r.meta.id);
      expect(d.shortDescription.text).toBe(r.meta.description);
      expect(d.helpUri).toBe(r.meta.url);
    }
    for (const d of driver.rules) {
      expect(d.helpUri).toMatch(new RegExp(`/docs/rules/${d.id}\\.md$`));
      expect(existsSync(join(REPO, 'docs/rules', `${d.id}.md`))).toBe(true);
      expect(d.defaultConfiguration.level).toBe(RULE_DEFAULTS[d.id] === 'warn' ? 'warning' : 'error');
      expect(d.shortDescription.text).not.toBe(d.id);
    }
  });

  it('gives each result its rule, level, message and region in a file relative to %SRCROOT%', async () => {
    const { log } = await sarifOf([]);
    const run = log.runs[0];
    const [cycle, vague] = run.results;
    expect(cycle).toMatchObject({
      ruleId: 'dependency-cycle',
      level: 'error',
      message: { text: 'Unexpected dependency cycle 001 -> 002 -> 001, expected tasks that can be ordered. Remove one of these dependencies.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'docs/stories/001-cycle.md', uriBaseId: '%SRCROOT%' }, region: { startLine: 19, startColumn: 17, endLine: 19, endColumn: 20 } } }],
    });
    expect(run.tool.driver.rules[cycle.ruleIndex].id).toBe('dependency-cycle');
    expect(vague).toMatchObject({ ruleId: 'task-specific', level: 'warning' });
    expect(run.tool.driver.rules[vague.ruleIndex].id).toBe('task-specific');
    expect(vague.locations[0].physicalLocation.artifactLocation.uri).toBe('docs/stories/002-percent%25,comma.md');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(pathToFileURL(FIXTURE + '/').href);
    expect(run.artifacts.map((a: { location: { uri: string } }) => a.location.uri)).toEqual(['docs/stories/001-cycle.md', 'docs/stories/002-percent%25,comma.md']);
  });

  it('uses GITHUB_WORKSPACE as the source root when set', async () => {
    const { log } = await sarifOf([], { GITHUB_WORKSPACE: REPO });
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('test/fixtures/report/docs/stories/001-cycle.md');
    expectValid(log);
  });

  it('is valid with no results, and for a file that cannot be read as a story', async () => {
    const clean = await sarifOf(['--quiet', 'docs/stories/002-percent%,comma.md']);
    expect(clean.code).toBe(0);
    expect(clean.log.runs[0].results).toEqual([]);
    expectValid(clean.log);

    const dir = mkdtempSync(join(tmpdir(), 'pt-sarif-'));
    try {
      writeFileSync(join(dir, 'plan-tasks.config.json'), '{}');
      writeFileSync(join(dir, 'bin.md'), Buffer.from([0, 1, 2, 3, 0xff]));
      const { code, log } = await sarifOf(['bin.md'], {}, dir);
      expect(code).toBe(1);
      expectValid(log);
      const [res] = log.runs[0].results;
      expect(res.ruleId).toBe('fatal');
      expect(log.runs[0].tool.driver.rules[res.ruleIndex].id).toBe('fatal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file named http:evil.md gets a relative URI (the colon encoded), not one with the scheme http', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-sarif-colon-'));
    try {
      writeFileSync(join(dir, 'plan-tasks.config.json'), '{ "stories": "*.md" }');
      writeFileSync(join(dir, 'http:evil.md'), '# Story 001: Evil\n\n## Status\nIn Progress\n\n## Tasks\n\n### 001 No colon\n');
      const { code, log } = await sarifOf([], {}, dir);
      expect(code).toBe(1);
      const uri = log.runs[0].artifacts[0].location.uri as string;
      expect(uri).toBe('http%3Aevil.md');
      // Resolved against the source root it names the file, not another scheme.
      const resolved = new URL(uri, log.runs[0].originalUriBaseIds['%SRCROOT%'].uri);
      expect(resolved.protocol).toBe('file:');
      expect(decodeURIComponent(resolved.pathname)).toBe(join(dir, 'http:evil.md'));
      expectValid(log);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
