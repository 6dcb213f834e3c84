/**
 * ONE generic test for every rule fixture (see test/rules-harness.ts for the
 * format): the engine and remark with the preset, each with and without GFM,
 * must report exactly the findings the fixture lists; a fixable case must fix
 * to its `.fixed.md`, in edits inside the reported spans, idempotently.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { applyFixes } from '../src/lint/fix.js';
import { fixStoryText, lintStoryText } from '../src/lint/lint.js';
import { loadGfm } from '../src/story/parse.js';
import { engineFindings, FIXTURES, format, loadFixtures, offsetOf, remarkFindings } from './rules-harness.js';

const fixtures = loadFixtures();

beforeAll(async () => {
  await loadGfm();
});

describe('rule fixtures', () => {
  it('cover every rule with ok and not-ok cases, and every fixable rule with a fix pair', () => {
    const dirs = readdirSync(FIXTURES);
    // Fixtures are single-file stories: for the rules with a `check` (cross-story and git rules run their examples).
    const single = rules.filter((r) => r.check);
    for (const rule of single) {
      const id = rule.meta.id;
      expect(dirs, `test/fixtures/rules/${id}/`).toContain(id);
      const names = fixtures.filter((f) => f.name.startsWith(`${id}/`)).map((f) => f.name.slice(id.length + 1));
      expect(names.some((n) => n.startsWith('ok-')), `${id}: an ok-*.md`).toBe(true);
      expect(names.some((n) => n.startsWith('not-ok-')), `${id}: a not-ok-*.md`).toBe(true);
      if (rule.meta.fixable) expect(names.some((n) => n.endsWith('.fixed.md')), `${id}: an x.md + x.fixed.md pair`).toBe(true);
    }
    const ids = new Set(single.map((r) => r.meta.id));
    for (const dir of dirs) expect(ids.has(dir), `fixture folder ${dir} names a rule`).toBe(true);
  });

  it('ok-* fixtures have no finding of their own rule, not-ok-* fixtures have at least one', () => {
    for (const f of fixtures) {
      const [dir, file] = f.name.split('/') as [string, string];
      const own = f.expected.filter((e) => e.ruleId === dir);
      if (file.startsWith('ok-')) expect(own, f.name).toEqual([]);
      if (file.startsWith('not-ok-') && !file.endsWith('.fixed.md')) expect(own.length, f.name).toBeGreaterThan(0);
    }
  });

  for (const f of fixtures) {
    describe(f.name, () => {
      const want = f.expected.map(format).sort();
      for (const gfm of [false, true]) {
        it(`engine${gfm ? ' + GFM' : ''}`, () => {
          expect(engineFindings(f, gfm).map(format).sort()).toEqual(want);
        });
        it(`remark preset${gfm ? ' + GFM' : ''}`, async () => {
          expect((await remarkFindings(f, gfm)).map(format).sort()).toEqual(want);
        });
      }
      if (f.fixed !== null) {
        it('fixes to the .fixed.md, only inside reported spans, idempotently', () => {
          const options = { config: f.config };
          // Pass by pass: every edit lies inside the span of the message that carries it.
          let current = f.text;
          for (let pass = 0; pass < 10; pass++) {
            const { messages } = lintStoryText(current, f.path, options);
            const fixable = messages.filter((m) => m.fix);
            if (fixable.length === 0) break;
            for (const m of fixable) {
              const start = offsetOf(current, m.line, m.column);
              const end = offsetOf(current, m.endLine, m.endColumn);
              expect(m.fix!.range[0], `${m.ruleId} fix starts inside its span`).toBeGreaterThanOrEqual(start - (m.column - 1));
              expect(m.fix!.range[1], `${m.ruleId} fix ends inside its span`).toBeLessThanOrEqual(end);
            }
            current = applyFixes(current, fixable.map((m) => m.fix!)).text;
          }
          const { output } = fixStoryText(f.text, f.path, options);
          expect(output).toBe(current);
          expect(output).toBe(f.fixed);
          expect(fixStoryText(output, f.path, options).output).toBe(output);
        });
      }
    });
  }
});
