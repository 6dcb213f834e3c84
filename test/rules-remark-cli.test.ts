/**
 * The preset under remark-cli, as users run it: `remark --use plan-tasks/preset`
 * and a `.remarkrc.mjs`, against the built package (`npm test` builds first),
 * with the severities of a plan-tasks config and `<!-- lint disable -->`.
 * remark-cli must report what `plan-tasks lint` reports for the same file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { lintStoryText } from '../src/lint/lint.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'node_modules/remark-cli/cli.js');
const STORY = readFileSync(new URL('./fixtures/weave/stories/027-two-stage-llm-flow.md', import.meta.url), 'utf8')
  .replace('## Tasks\n', '## Tasks\n\n<!-- lint disable task-heading -->\n');
const CONFIG = { domains: ['backend', 'compute', 'electron', 'packaging', 'weave', 'documentation'], rules: { 'task-fields': 'warn' } };

let dir: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/preset.js'))) spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'plan-tasks-remark-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules/plan-tasks'), 'dir');
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  writeFileSync(join(dir, 'docs/stories/027-two-stage-llm-flow.md'), STORY);
  writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify(CONFIG));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function remark(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, 'docs/stories', '--no-stdout', '--no-color'], { cwd: dir, encoding: 'utf8' });
  const findings = [...r.stderr.matchAll(/^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(error|warning)\s+(.+?)\s+(\S+)\s+plan-tasks\s*$/gm)].map(
    (m) => `${m[1]}:${m[2]} ${m[5]} ${m[3] === 'error' ? 'error' : 'warn'}`,
  );
  return { status: r.status, stderr: r.stderr, findings: findings.sort() };
}

async function engine() {
  const config = await loadConfig({ cwd: dir });
  const { messages } = lintStoryText(STORY, join(dir, 'docs/stories/027-two-stage-llm-flow.md'), { config });
  return messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.severity === 2 ? 'error' : 'warn'}`).sort();
}

describe('createPreset with a config object that is not valid', () => {
  it('throws one UsageError naming the bad key and the valid names, before a file is linted', async () => {
    const { createPreset } = await import('../src/preset.js');
    expect(() => createPreset({ rules: { 'task-fieldz': 'warn' } } as never)).toThrowError(/^Invalid config in the createPreset\(config\) argument:\n {2}rules\.task-fieldz: Unexpected rule id "task-fieldz" \(did you mean "task-fields"\?\), expected one of: dependency-cycle, /);
    // A valid raw object is validated and resolved like a config file.
    expect(createPreset({ domains: ['backend'] } as never).plugins!.length).toBeGreaterThan(20);
  });
});

describe('remark-cli with the preset', () => {
  it('`remark --use plan-tasks/preset` reports what plan-tasks lint reports, severities and lint comments included', async () => {
    const r = remark(['--use', 'plan-tasks/preset']);
    expect(r.findings.length, r.stderr).toBeGreaterThan(5);
    expect(r.findings).toEqual(await engine());
    expect(r.findings.some((f) => f.includes('task-heading'))).toBe(false); // disabled by the comment
    expect(r.findings.filter((f) => f.includes('task-fields')).every((f) => f.endsWith(' warn'))).toBe(true); // config: warn
    expect(r.findings).toContain('4:1 story-status error');
    expect(r.status).toBe(1); // an error is fatal
  });

  it('works from a `.remarkrc.mjs` (what vscode-remark reads)', async () => {
    writeFileSync(join(dir, '.remarkrc.mjs'), "import preset from 'plan-tasks/preset';\nexport default { plugins: [preset] };\n");
    try {
      const r = remark([]);
      expect(r.findings).toEqual(await engine());
    } finally {
      rmSync(join(dir, '.remarkrc.mjs'));
    }
  });

  it('reads the config of each linted file\'s folder, not the working directory\'s', () => {
    // Two more projects below this one: one turns story-status off, one has a broken config.
    for (const [name, config] of <[string, string][]>[['quiet', '{"domains": ["backend", "compute", "electron", "packaging", "weave", "documentation"], "rules": {"story-status": "off", "task-fields": "warn"}}'], ['broken', '{"rules": {"story-status": "loud"}}']]) {
      mkdirSync(join(dir, name, 'docs/stories'), { recursive: true });
      writeFileSync(join(dir, name, 'docs/stories/027-two-stage-llm-flow.md'), STORY);
      writeFileSync(join(dir, name, 'plan-tasks.config.json'), config);
    }
    try {
      const spawnRemark = (path: string) => spawnSync(process.execPath, [CLI, '--use', 'plan-tasks/preset', path, '--no-stdout', '--no-color'], { cwd: dir, encoding: 'utf8' });
      const here = spawnRemark('docs/stories');
      const quiet = spawnRemark('quiet/docs/stories');
      expect(here.stderr).toMatch(/story-status\s+plan-tasks/);
      expect(quiet.stderr).not.toMatch(/story-status/);
      expect(quiet.stderr).toMatch(/task-fields\s+plan-tasks/);
      const broken = spawnRemark('broken/docs/stories');
      expect(broken.status).toBe(1);
      // One message for the file, no stack trace (once: one per rule, 43 stack frames).
      expect(broken.stderr).toBe(
        'broken/docs/stories/027-two-stage-llm-flow.md\n' +
          ` error Invalid config in ${join(dir, 'broken/plan-tasks.config.json')}: config plan-tasks\n` +
          '  rules.story-status: Unexpected string "loud", expected one of "off", "warn", "error", 0, 1, 2\n\n✖ 1 error\n',
      );
    } finally {
      rmSync(join(dir, 'quiet'), { recursive: true, force: true });
      rmSync(join(dir, 'broken'), { recursive: true, force: true });
    }
  });
});
