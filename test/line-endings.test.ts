/**
 * LF, CRLF and a bare CR are line endings everywhere (issue 13; README "Reliability"): the
 * same text with each of them gives the same findings at the same lines and
 * columns, and `--fix` keeps each line's ending. Differential over every rule
 * fixture (with its config, both parse paths), every other fixture under
 * test/fixtures, and the weave corpus through `lint` (the CLI's pipeline,
 * cross-story checks included) in temp copies.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { resolveConfig, validateConfig } from '../src/config/load.js';
import * as schema from '../src/config/schema.js';
import { fixStoryText, lint, lintStoryText } from '../src/lint/lint.js';
import { workingTreeSnapshot } from '../src/lint/snapshot.js';
import type { LintMessage } from '../src/lint/types.js';
import { loadFixtures } from './rules-harness.js';

const EOLS = { crlf: '\r\n', cr: '\r' } as const;
const toLf = (t: string) => t.replace(/\r\n?/g, '\n');
const withEol = (t: string, eol: string) => toLf(t).replace(/\n/g, eol);
const shape = (ms: readonly LintMessage[]) => ms.map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.severity} ${m.message}${m.fix ? ' (fix)' : ''}`);

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
function mdFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...mdFiles(p));
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

describe('LF, CRLF and CR give the same findings', () => {
  it('every rule fixture, on both parse paths, and its fixes keep the line endings', () => {
    const fixtures = loadFixtures();
    expect(fixtures.length).toBeGreaterThan(50);
    let fixed = 0;
    for (const f of fixtures) {
      const lf = toLf(f.text);
      for (const sectionsOnly of [false, true]) {
        const options = { config: f.config, sectionsOnly };
        const want = shape(lintStoryText(lf, f.path, options).messages);
        for (const [name, eol] of Object.entries(EOLS)) {
          expect(shape(lintStoryText(withEol(lf, eol), f.path, options).messages), `${f.name} (${name}${sectionsOnly ? ', sections only' : ''})`).toEqual(want);
        }
      }
      const lfFixed = fixStoryText(lf, f.path, { config: f.config }).output;
      if (lfFixed === lf) continue;
      fixed++;
      for (const [name, eol] of Object.entries(EOLS)) {
        expect(fixStoryText(withEol(lf, eol), f.path, { config: f.config }).output, `${f.name} fixed (${name})`).toBe(withEol(lfFixed, eol));
      }
    }
    expect(fixed).toBeGreaterThan(10);
  });

  it('every other fixture under test/fixtures', () => {
    const files = mdFiles(FIXTURES).filter((p) => !p.startsWith(join(FIXTURES, 'rules')) && !p.startsWith(join(FIXTURES, 'weave')));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const lf = toLf(readFileSync(file, 'utf8'));
      const options = { config: defaultConfig(FIXTURES) };
      const want = shape(lintStoryText(lf, file, options).messages);
      for (const [name, eol] of Object.entries(EOLS)) {
        expect(shape(lintStoryText(withEol(lf, eol), file, options).messages), `${relative(FIXTURES, file)} (${name})`).toEqual(want);
      }
    }
  });

  it('the weave corpus through the lint pipeline, cross-story checks included', async () => {
    const src = join(FIXTURES, 'weave/stories');
    const names = readdirSync(src).filter((f) => f.endsWith('.md')).sort();
    expect(names).toHaveLength(28);
    const root = mkdtempSync(join(tmpdir(), 'plan-tasks-eol-'));
    try {
      const byEol: Record<string, string[]> = {};
      for (const [name, eol] of Object.entries({ lf: '\n', ...EOLS })) {
        const dir = join(root, name);
        mkdirSync(join(dir, 'stories'), { recursive: true });
        for (const n of names) writeFileSync(join(dir, 'stories', n), withEol(readFileSync(join(src, n), 'utf8'), eol));
        const config = resolveConfig(
          validateConfig(schema, { stories: 'stories/*.md', domains: ['backend', 'compute', 'electron', 'packaging', 'weave', 'documentation'] }, join(dir, 'plan-tasks.config.json')),
          dir,
          null,
        );
        const results = await lint(workingTreeSnapshot(config), { config, files: names.map((n) => join(dir, 'stories', n)) });
        byEol[name] = results.flatMap((r) => shape(r.messages).map((m) => `${relative(dir, r.filePath)} ${m}`));
      }
      expect(byEol.lf!.length).toBeGreaterThan(100);
      expect(byEol.crlf).toEqual(byEol.lf);
      expect(byEol.cr).toEqual(byEol.lf);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('one stray CR inside an LF file ends a line like the others (a field after it is present)', () => {
    const lf = readFileSync(join(FIXTURES, 'rules/task-fields/ok-rendered-values.md'), 'utf8').split('<!--')[0]!;
    const stray = lf.replace('**Domain:** compute\\\n', '**Domain:** compute\\\r');
    expect(stray).not.toBe(lf);
    const options = { config: defaultConfig(FIXTURES) };
    expect(shape(lintStoryText(stray, 'docs/stories/015-a.md', options).messages)).toEqual(shape(lintStoryText(lf, 'docs/stories/015-a.md', options).messages));
  });

  it('a bare-CR story gets its fields and its dependency cycle at the right lines', () => {
    const lf = '# Story 015: Cycle\n\n## Status\nIn Progress\n\n## Tasks\n\n### 001: First\n**Domain:** compute\n**Status:** pending\n**Depends on:** 002\n\nChange `a()` in `src/a.c`; a unit test checks it.\n\n---\n\n### 002: Second\n**Domain:** compute\n**Status:** pending\n**Depends on:** 001\n\nChange `b()` in `src/b.c`; a unit test checks it.\n';
    const { messages } = lintStoryText(withEol(lf, '\r'), 'docs/stories/015-cycle.md', { config: defaultConfig(FIXTURES) });
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['11:17 dependency-cycle']);
  });
});
