/**
 * The rule registry: one file per rule in rules/, and everything that follows
 * from those files generated and fresh (rules/index.ts, src/rules/ids.ts,
 * docs/rules/*.md, the README's rules tables, schema.json's rule keys); the
 * lint-only parse keeps what the rules declare they read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { defaultConfig, RULE_DEFAULTS, RULE_IDS } from '../src/config/defaults.js';
import { lintStoryText } from '../src/lint/lint.js';
import { sectionsRead } from '../src/rules/reads.js';
import type { Rule } from '../src/rules/types.js';
import { DOCS_BASE } from '../src/rules/util.js';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString as mdastText } from 'mdast-util-to-string';

const ROOT = new URL('..', import.meta.url).pathname;
const README = readFileSync(ROOT + 'README.md', 'utf8');

describe('rule registry', () => {
  it('generated files are fresh: `npm run docs` leaves nothing to write', () => {
    // Throws (exit 1, naming the stale files) when a rule file changed without `npm run docs`.
    execFileSync(process.execPath, ['scripts/rules.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
    execFileSync(process.execPath, ['scripts/schema.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
  });

  it('holds every file of rules/ once, and the defaults and config keys come from it', () => {
    const files = readdirSync(ROOT + 'rules').filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort().map((f) => f.slice(0, -3));
    expect(rules.map((r) => r.meta.id)).toEqual(files);
    expect(RULE_IDS).toEqual(files);
    for (const r of rules) expect(RULE_DEFAULTS[r.meta.id], r.meta.id).toBe(r.meta.severity);
    expect(defaultConfig('/x').rules).toEqual(RULE_DEFAULTS);
    const schema = JSON.parse(readFileSync(ROOT + 'schema.json', 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual([...files].sort());
  });

  it('refuses a rule file it cannot register, and names what a changed rule left stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-registry-'));
    try {
      for (const part of ['rules', 'src', 'scripts', 'docs/rules', 'README.md', 'schema.json']) cpSync(ROOT + part, join(dir, part), { recursive: true });
      symlinkSync(ROOT + 'node_modules', join(dir, 'node_modules'));
      const run = () => spawnSync(process.execPath, ['scripts/rules.mjs', '--check'], { cwd: dir, encoding: 'utf8' });
      expect(run().status).toBe(0);
      // A meta.id that is not the file name, and a single-file rule with no remark plugin.
      const probe = join(dir, 'rules', 'zz-probe.ts');
      writeFileSync(probe, "import type { Check, RuleMeta } from '../src/rules/types.js';\nimport { meta as base } from './task-size.js';\nexport const meta: RuleMeta = { ...base, id: 'zz-Probe' };\nexport const check: Check = () => [];\n");
      let r = run();
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('rules/zz-probe.ts: meta.id is "zz-Probe", expected "zz-probe" (its file name)');
      expect(r.stderr).toContain('rules/zz-probe.ts: a `check` without `export default` (its remark-lint rule)');
      rmSync(probe);
      // A changed default severity: the defaults, the README table and the rule's page are stale, nothing else.
      const file = join(dir, 'rules', 'task-size.ts');
      writeFileSync(file, readFileSync(file, 'utf8').replace("  severity: 'warn',", "  severity: 'error',"));
      r = run();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('Stale generated files: src/rules/ids.ts, README.md, docs/rules/task-size.md: run `npm run docs`');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const { meta, check, checkProject, checkTransition } of rules) {
    it(`${meta.id}: a check, its doc page and README row`, () => {
      expect(Boolean(check || checkProject || checkTransition)).toBe(true);
      expect(meta.url).toBe(`${DOCS_BASE}${meta.id}.md`);
      const page = ROOT + `docs/rules/${meta.id}.md`;
      expect(existsSync(page), page).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.startsWith(`# ${meta.id}\n`)).toBe(true);
      for (const part of ['## How to fix', '## OK', '## Not OK', '## Options', `Default severity: \`${meta.severity}\``]) expect(text).toContain(part);
      expect(text).toContain(meta.fixable ? 'Fixable: yes' : 'Fixable: no');
      for (const e of meta.examples) for (const m of e.messages ?? []) expect(text).toContain(m);
      // Read as Markdown, the page's last block is the severity sentence of `## Options`, in a
      // paragraph of its own: not swallowed by an Options text that ends in a code block
      // (status-transition.md closed its fence as "``` Set the severity...", story 037).
      const blocks = fromMarkdown(text).children;
      const last = blocks[blocks.length - 1]!;
      expect([last.type, mdastText(last).includes('Set the severity in ')]).toEqual(['paragraph', true]);
      expect(blocks.filter((b) => b.type === 'code').every((b) => !mdastText(b).includes('Set the severity'))).toBe(true);
      const row = README.split('\n').find((l) => l.startsWith(`| [\`${meta.id}\`](docs/rules/${meta.id}.md) |`));
      expect(row, `README rules table row for ${meta.id}`).toBeDefined();
      expect(row!.split('|')[2]!.trim()).toBe(meta.severity);
      if (!checkTransition) expect(row!.split('|')[3]!.trim()).toBe(meta.fixable ? 'yes' : '');
    });
  }
});

describe('rules declare what they read', () => {
  const text = [
    '# Story 015: Token authentication',
    '',
    '## Status',
    '',
    'Draft',
    '',
    '## Acceptance Criteria',
    '',
    '- [ ] Requests without a token are rejected',
    '- [ ] The token is read from `daemon.toml`',
    '',
    '## Tasks',
    '',
  ].join('\n');
  const path = '/p/docs/stories/015-token-auth.md';
  // A rule that reports each acceptance criterion: it sees them only when it says it reads them.
  const criteriaRule = (reads: Rule['meta']['reads']): Rule => ({
    meta: { ...rules[0]!.meta, id: 'criteria-probe', reads, examples: [] },
    check: (story) => story.criteria.map((c) => ({ message: `criterion ${c.text}`, span: c.span })),
  });
  const config = { ...defaultConfig('/p'), rules: { ...RULE_DEFAULTS, 'criteria-probe': 'error' as const } };

  it('a rule reading `criteria` sees them in the lint-only parse the CLI uses', () => {
    const { messages } = lintStoryText(text, path, { config, rules: [criteriaRule(['criteria'])], sectionsOnly: true });
    expect(messages.map((m) => `${m.line} ${m.message}`)).toEqual(['9 criterion Requests without a token are rejected', '10 criterion The token is read from `daemon.toml`']);
  });

  it('a rule that does not declare them finds that section blanked (so the declaration is what keeps it)', () => {
    const { messages } = lintStoryText(text, path, { config, rules: [criteriaRule(['tasks'])], sectionsOnly: true });
    expect(messages).toEqual([]);
  });

  it('derives the sections from the enabled rules: always the summary\'s, plus what the rules on read', () => {
    const probe = criteriaRule(['criteria']);
    const on = sectionsRead([...rules, probe], config)!;
    expect([...on].sort()).toEqual(['acceptance criteria', 'dependencies', 'status', 'tasks']);
    const off = sectionsRead([...rules, probe], { ...config, rules: { ...config.rules, 'criteria-probe': 'off' } })!;
    expect([...off].sort()).toEqual(['dependencies', 'status', 'tasks']);
    expect(sectionsRead([criteriaRule(['sections'])], config)).toBeNull();
  });
});
