/**
 * The cheaper rules of story 024 find what the rules as they were find
 * (test/rules-before.ts, the plain path): every finding of task-fields,
 * task-specific, task-domain, task-domain-hint, task-description,
 * dependency-cycle and task-size, on every story of the fixtures and of the project, under
 * the built-in domains and under domains with keywords and paths (ASCII and
 * not), and on generated stories; and countSentences, placeholderIn and
 * scoreDomain against their plain definitions on generated text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as dependencyCycle from '../rules/dependency-cycle.js';
import * as taskDescription from '../rules/task-description.js';
import * as taskDomainHint from '../rules/task-domain-hint.js';
import * as taskDomain from '../rules/task-domain.js';
import * as taskFields from '../rules/task-fields.js';
import * as taskSize from '../rules/task-size.js';
import * as taskSpecific from '../rules/task-specific.js';
import { defaultConfig } from '../src/config/defaults.js';
import { resolveConfig } from '../src/config/load.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { domainMatchers, scoreDomain, scoreDomains } from '../src/rules/signals.js';
import type { Check } from '../src/rules/types.js';
import { countSentences, PLACEHOLDER, placeholderIn } from '../src/rules/util.js';
import type { Story } from '../src/story/model.js';
import { parseStory } from '../src/story/parse.js';
import * as before from './rules-before.js';

const ROOT = join(import.meta.dirname, '..');
const PAIRS: [string, Check, Check][] = [
  ['task-fields', taskFields.check, before.taskFields],
  ['task-specific', taskSpecific.check, before.taskSpecific],
  ['task-domain', taskDomain.check, before.taskDomain],
  ['task-domain-hint', taskDomainHint.check, before.taskDomainHint],
  ['task-description', taskDescription.check!, before.taskDescription],
  ['dependency-cycle', dependencyCycle.check, before.dependencyCycle],
  ['task-size', taskSize.check, before.taskSize],
];

/** Domains with signals, some keywords not ASCII (no substring shortcut for those), duplicates and a name-only one. */
const SIGNAL_DOMAINS = [
  { name: 'web', keywords: ['React', 'frontend', 'UI', 'Überblick', 'kelvin', 'straße', 'β'], paths: ['web/**', '**/*.tsx'] },
  { name: 'core', keywords: ['parser', 'Story model', 'rule', 'CLI', 'token'], paths: ['src/**', 'rules/**'] },
  { name: 'ops', keywords: ['CI', 'workflow', 'release', 'Dockerfile'], paths: ['.github/**', '**/*.yml'] },
  { name: 'weave', keywords: [], paths: [] },
  { name: 'web', keywords: ['web'], paths: [] },
];

function configs(): ResolvedConfig[] {
  const plain = defaultConfig(ROOT);
  const project = resolveConfig(JSON.parse(readFileSync(join(ROOT, 'plan-tasks.config.json'), 'utf8')), ROOT, join(ROOT, 'plan-tasks.config.json'));
  const signals = resolveConfig({ domains: SIGNAL_DOMAINS }, ROOT, null);
  return [plain, project, signals];
}

function storyFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? storyFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

/** Findings per rule, so a comparison of nothing with nothing is seen. */
const found = new Map<string, number>();

function expectSame(story: Story, config: ResolvedConfig, where: string): void {
  for (const [id, now, was] of PAIRS) {
    const plain = was(story, { config });
    expect(now(story, { config }), `${id} on ${where}`).toEqual(plain);
    found.set(id, (found.get(id) ?? 0) + plain.length);
  }
}

describe('the cheaper rules find what the rules as they were find', () => {
  it('on every story of the fixtures and of the project, under three configs', () => {
    const files = [...storyFiles(join(ROOT, 'test', 'fixtures')), ...storyFiles(join(ROOT, 'docs', 'stories'))];
    expect(files.length).toBeGreaterThan(100);
    const all = configs();
    for (const file of files) {
      const story = parseStory(readFileSync(file, 'utf8'), file);
      for (const config of all) expectSame(story, config, file);
    }
    // Every rule compared found something to compare.
    for (const [id] of PAIRS) expect(found.get(id), id).toBeGreaterThan(3);
  });

  // Generated stories: tasks built from the words the fast paths look for.
  const UNITS = [
    'Add', ' ', ' ', '. ', '.', '\n', '! ', '? ', 'the', 'a test', 'checks', 'each point', 'every item', 'all criteria', 'reviewer',
    'so that', 'from `a` to `b`', 'instead of', 'ensures', 'returns', '`src/x.ts`', '`web/**`', '`backend/**`', 'src/lint/a.ts',
    'web/app.tsx', 'a/b/c', 'fooBar', 'parse_x()', 'GET /api/x', 'Makefile', 'README', 'TODO', 'TBD', '[Description]', '<x>', '...',
    'e.g.', 'http://x.y/z', 'React', 'react', 'parser', 'CI', 'ci', 'token', 'Überblick', 'überblick', 'KELVIN', '\u212aelvin',
    'STRASSE', 'straße', 'β', 'ϐ', 'Files: x', 'Verification: y', 'Helper functions:', '`code`', '"', '(', ')',
    '`a.ts` `b.ts` `c/d.go` `e.md` `f/` `g.json` `h.c`', '`src/a b.ts c/d.go`', '`(x/y.ts)`', 'src/x/ y.ts', '`./a/`',
  ];
  const prose = fc.array(fc.constantFrom(...UNITS), { minLength: 0, maxLength: 24 }).map((u) => u.join(''));
  const DOMAINS = ['web', 'core', 'ops', 'weave', 'backend', 'compute', 'Web', 'core + ops', 'web/core', 'wbe', 'electron', 'packaging', ''];
  const FIELD_LINES = ['**Domain:** {D}', '**Status:** pending', '**Depends on:** {R}', '**Status:** done', 'Status: pending', '- **Domain:** {D}', '**domain:** {D}', '**Depends on:** none', '**Test:** run it', '**Estimate:** 2h', '**Estimate:** 40h', '**Estimate:** 1m', '**Estimate:** soon'];
  const task = fc.record({
    title: prose,
    domain: fc.constantFrom(...DOMAINS),
    standard: fc.boolean(),
    fields: fc.array(fc.constantFrom(...FIELD_LINES), { minLength: 0, maxLength: 5 }),
    deps: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
    body: fc.array(prose, { maxLength: 3 }),
  });
  const storyText = fc.array(task, { minLength: 1, maxLength: 6 }).map((tasks) => {
    const parts = ['# Story 001: Generated', '', '## Status', '', 'In Progress', '', '## Tasks', ''];
    tasks.forEach((t, i) => {
      const id = String(i + 1).padStart(3, '0');
      const deps = t.deps.length ? t.deps.map((d) => String(d).padStart(3, '0')).join(', ') : 'none';
      parts.push(`### ${id}: ${t.title.replace(/\n/g, ' ') || 'Task'}`, '');
      const fields = t.standard ? ['**Domain:** {D}', '**Status:** pending', '**Depends on:** {R}', ...t.fields.slice(3)] : t.fields;
      for (const f of fields) parts.push(f.replace('{D}', t.domain).replace('{R}', deps));
      parts.push('');
      for (const b of t.body) parts.push(b, '');
    });
    return parts.join('\n');
  });

  it('on generated stories, under three configs', () => {
    const all = configs();
    found.clear();
    fc.assert(
      fc.property(storyText, (text) => {
        const story = parseStory(text, '001-generated.md');
        for (const config of all) expectSame(story, config, JSON.stringify(text));
      }),
      { numRuns: 400 },
    );
    for (const [id] of PAIRS) expect(found.get(id), id).toBeGreaterThan(3);
  });
});

describe('the cheaper helpers give what their plain definitions give', () => {
  const UNITS = [
    'a', 'Ab', 'x', ' ', '  ', '\n', '\t', '\u00a0', '.', '..', '...', '!', '?', '"', "'", ')', ']', '(', '`', '``', 'e.g', 'i.e', 'etc', 'Mr', 'No',
    'http://a.b', 'https://', '://', 'TODO', 'TBD', 'FIXME', 'XXX', 'lorem ipsum', '[', ']', '<', '>', '…', '1', 'Z', '*', '_',
  ];
  const text = fc.array(fc.constantFrom(...UNITS), { maxLength: 30 }).map((u) => u.join(''));

  it('countSentences', () => {
    fc.assert(fc.property(text, (t) => {
      expect(countSentences(t)).toBe(before.countSentencesBefore(t));
    }), { numRuns: 5000 });
  });

  it('placeholderIn', () => {
    fc.assert(fc.property(text, (t) => {
      const plain = PLACEHOLDER.exec(t);
      const fast = placeholderIn(t);
      expect(fast?.[0]).toBe(plain?.[0]);
      expect(fast?.index).toBe(plain?.index);
    }), { numRuns: 5000 });
  });

  it('scoreDomain and scoreDomains', () => {
    const KEYWORD_UNITS = ['React', 'react', 'REACT', 'UI', 'ui', 'Überblick', 'überblick', 'ÜBERBLICK', 'kelvin', 'KELVIN', '\u212aelvin', 'straße', 'STRASSE', 'β', 'ϐ', 'Β',
      'parser', 'PARSER', 'Story model', 'story model', 'CI', 'ci', 'CI/CD', 'token', '.', '/', '-', ' ', 'x', 'İ', 'ſ'];
    const kwText = fc.array(fc.constantFrom(...KEYWORD_UNITS), { maxLength: 20 }).map((u) => u.join(''));
    const paths = fc.array(fc.constantFrom('web/a.tsx', 'src/x.ts', './rules/a.ts', '.github/w.yml', 'a.yml', 'docs/', 'x'), { maxLength: 4 });
    const domains = resolveConfig({ domains: SIGNAL_DOMAINS }, ROOT, null).domains;
    fc.assert(fc.property(kwText, paths, (t, p) => {
      const plain = before.scoreDomainsBefore(t, p, domains);
      expect(scoreDomains(t, p, domains)).toEqual(plain);
      const on = { text: t, paths: p };
      expect(domainMatchers(domains).map((d) => scoreDomain(on, d))).toEqual(plain);
    }), { numRuns: 3000 });
  });
});
