/**
 * Scenario fixtures, markdownlint style: each `.md` under
 * `test/fixtures/rules/<rule-id>/` carries its expected findings at its end:
 *
 *     <!-- config {"rules": {"task-size": "error"}} -->      (optional)
 *     <!-- expected
 *     12:1-12:30 task-heading error Unexpected `Task` prefix ...
 *     -->
 *
 * The trailing comments are cut off before linting (they sit after the
 * story, so every position above them is unchanged). `<!-- path 016-x.md -->`
 * lints the fixture as if it had that file name. A fixture with no
 * `expected` block expects no findings. `x.fixed.md` beside `x.md` is what
 * `--fix` must turn `x.md` into; it is a fixture of its own too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { VFile } from 'vfile';
import { defaultConfig } from '../src/config/defaults.js';
import { resolveConfig, validateConfig } from '../src/config/load.js';
import * as schema from '../src/config/schema.js';
import type { ResolvedConfig } from '../src/config/types.js';
import { lintStoryText } from '../src/lint/lint.js';
import { createPreset } from '../src/preset.js';

export const FIXTURES = new URL('./fixtures/rules/', import.meta.url).pathname;

export interface Expected {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
}

export interface Fixture {
  /** `rule-id/name.md` */
  name: string;
  path: string;
  /** The story text (the trailing meta comments cut off). */
  text: string;
  config: ResolvedConfig;
  expected: Expected[];
  /** The text of `name.fixed.md` (meta cut off), for a fixable case. */
  fixed: string | null;
}

const META = /^<!-- (?:expected|config|path)\b/m;
const LINE = /^(\d+):(\d+)-(\d+):(\d+) (\S+) (error|warn) (.+)$/;

export function splitMeta(raw: string): { text: string; meta: string } {
  const m = META.exec(raw);
  if (!m) return { text: raw, meta: '' };
  return { text: raw.slice(0, m.index), meta: raw.slice(m.index) };
}

export function fixtureConfig(meta: string, file: string): ResolvedConfig {
  const m = /<!-- config ([^]*?) -->/.exec(meta);
  if (!m) return defaultConfig(FIXTURES);
  return resolveConfig(validateConfig(schema, JSON.parse(m[1]!), file), FIXTURES, file);
}

export function parseExpected(meta: string, file: string): Expected[] {
  const m = /<!-- expected\b([^]*?)-->/.exec(meta);
  if (!m) return [];
  return m[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const e = LINE.exec(l);
      if (!e) throw new Error(`${file}: bad expected line ${JSON.stringify(l)}, expected "L:C-L:C rule-id error|warn message"`);
      return {
        line: Number(e[1]),
        column: Number(e[2]),
        endLine: Number(e[3]),
        endColumn: Number(e[4]),
        ruleId: e[5]!,
        severity: e[6] as 'error' | 'warn',
        message: e[7]!,
      };
    });
}

export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    for (const file of readdirSync(join(FIXTURES, dir)).sort()) {
      if (!file.endsWith('.md')) continue;
      const path = join(FIXTURES, dir, file);
      const { text, meta } = splitMeta(readFileSync(path, 'utf8'));
      const fixedPath = file.endsWith('.fixed.md') ? null : path.replace(/\.md$/, '.fixed.md');
      let fixed: string | null = null;
      if (fixedPath) {
        try {
          fixed = splitMeta(readFileSync(fixedPath, 'utf8')).text;
        } catch {
          fixed = null;
        }
      }
      // `<!-- path 016-x.md -->`: linted as if the file had that name (story numbers come from names).
      const as = /<!-- path (\S+) -->/.exec(meta);
      const linted = as ? join(FIXTURES, dir, as[1]!) : path;
      out.push({ name: `${dir}/${file}`, path: linted, text, config: fixtureConfig(meta, path), expected: parseExpected(meta, path), fixed });
    }
  }
  return out;
}

export function format(e: Expected): string {
  return `${e.line}:${e.column}-${e.endLine}:${e.endColumn} ${e.ruleId} ${e.severity} ${e.message}`;
}

const sort = (a: Expected, b: Expected) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) || a.message.localeCompare(b.message);

/** Findings of the CLI's engine. */
export function engineFindings(f: Pick<Fixture, 'text' | 'path' | 'config'>): Expected[] {
  const { messages } = lintStoryText(f.text, f.path, { config: f.config });
  return messages
    .map((m) => ({
      line: m.line,
      column: m.column,
      endLine: m.endLine,
      endColumn: m.endColumn,
      ruleId: m.ruleId ?? '',
      severity: m.severity === 2 ? ('error' as const) : ('warn' as const),
      message: m.message,
    }))
    .sort(sort);
}

/** Findings of remark with the preset (remark-lint, message control, every rule). */
export async function remarkFindings(f: Pick<Fixture, 'text' | 'path' | 'config'>, gfm: boolean): Promise<Expected[]> {
  const processor = unified().use(remarkParse);
  if (gfm) processor.use(remarkGfm);
  processor.use(createPreset(f.config));
  const file = new VFile({ path: f.path, value: f.text });
  await processor.run(processor.parse(file), file);
  return file.messages
    .filter((m) => m.source === 'plan-tasks')
    .map((m) => ({
      line: m.place && 'start' in m.place ? m.place.start.line : (m.line ?? 0),
      column: m.place && 'start' in m.place ? m.place.start.column : (m.column ?? 0),
      endLine: m.place && 'end' in m.place ? m.place.end.line : (m.line ?? 0),
      endColumn: m.place && 'end' in m.place ? m.place.end.column : (m.column ?? 0),
      ruleId: m.ruleId ?? '',
      severity: m.fatal ? ('error' as const) : ('warn' as const),
      message: m.reason,
    }))
    .sort(sort);
}

/** Offset of a 1-based line and column in text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}
