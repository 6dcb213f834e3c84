/**
 * The shared task signals (src/rules/signals.ts) computed the cheap way give
 * what the plain regular expressions give: identifiersIn against IDENTIFIER run
 * with matchAll (the definition it replaces), on generated text and on every
 * task of the corpus fixtures; and the per-task caches hand out what a fresh
 * computation finds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anchors, identifiersIn, pathsIn, taskCode, taskText } from '../src/rules/signals.js';
import { parseStory } from '../src/story/parse.js';

/** The definition: every match of this, in order. */
const IDENTIFIER = /\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z0-9]+[A-Z]\w*\b|\b[A-Za-z]+_[A-Za-z0-9_]+\b|\b\w+\(\)|\b[A-Z]{2,}_[A-Z0-9_]+\b/g;
const byRegex = (text: string) => [...new Set([...text.matchAll(IDENTIFIER)].map((m) => m[0]))];
const byScan = (text: string) => {
  const out = new Set<string>();
  identifiersIn(text, out);
  return [...out];
};

/** pathsIn as first written (matchAll on every text), the definition the cheaper scan keeps. */
const FILE_EXT = 'go|c|h|cc|cpp|hpp|ts|tsx|js|jsx|mjs|cjs|py|rs|md|json|ya?ml|toml|css|scss|html|sh|java|kt|swift|rb|php|sql|proto|lock|txt|xml|ini|cfg|conf|desktop|service|spec|mk';
const PATH = new RegExp(String.raw`(?:^|[\s(\[\`'"])((?:\.{0,2}/)?(?:[\w@.+-]+/)+[\w@.+*-]*|[\w.+-]+\.(?:${FILE_EXT}))(?=$|[\s)\]\`'",;:])`, 'g');
function pathsByRegex(text: string, codeSpans: readonly string[] = []): string[] {
  const found = new Set<string>();
  const consider = (s: string, strict: boolean) => {
    for (const m of (' ' + s + ' ').matchAll(PATH)) {
      const p = m[1]!.replace(/(?<![.,;:])[.,;:]+$/, '');
      if (p.length < 3 || /^[\d./]+$/.test(p) || /^(?:https?:|www\.)/.test(p)) continue;
      if (strict && !(/\.[A-Za-z]\w*$/.test(p) || p.endsWith('/') || p.split('/').filter(Boolean).length >= 3)) continue;
      found.add(p);
    }
  };
  for (const c of codeSpans) consider(c, false);
  consider(text.replace(/`[^`]*`/g, ' '), true);
  return [...found];
}

const UNITS = ['a', 'b', 'Z', 'AB', 'x1', '9', '_', '__', '(', ')', '()', ' ', '.', '-', '/', 'é', 'ï', '日', '`', 'fooBar', 'Foo', 'FOO_BAR', 'get()', 'ABC', 'a_b', '\n', 'Öx', 'ſ', 'K'];
const text = fc.array(fc.constantFrom(...UNITS), { maxLength: 40 }).map((u) => u.join(''));
const PATH_UNITS = ['a', 'src', '/', './', '../', '.', '.ts', '.go', '.md,', 'x.json', ' ', '`', '(', ')', '[', ']', '"', "'", ',', ';', ':', '*', '@', '+', '-', '1', 'http:', 'www.', '\n', 'é'];
const pathText = fc.array(fc.constantFrom(...PATH_UNITS), { maxLength: 30 }).map((u) => u.join(''));

const FIXTURES = join(import.meta.dirname, 'fixtures');
function storyFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? storyFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

describe('identifiersIn', () => {
  it('finds what IDENTIFIER finds, in the same order', () => {
    fc.assert(fc.property(text, (t) => {
      expect(byScan(t)).toEqual(byRegex(t));
    }), { numRuns: 3000 });
  });

  it('finds what IDENTIFIER finds in edge cases', () => {
    for (const t of ['()', 'a()', ' ()x', 'fooBar()', 'foo()()', 'x_y()', 'getX', 'Ab1Cd', 'A1B', 'aB_c()', 'é_x', 'naïveTest', 'a\u017fB', 'K_', '_a', 'a_', 'AB_', 'AB_C', 'foo (bar)', '']) {
      expect(byScan(t), JSON.stringify(t)).toEqual(byRegex(t));
    }
  });

  it('finds what IDENTIFIER finds in every task of the fixtures', () => {
    let tasks = 0;
    for (const file of storyFiles(FIXTURES)) {
      const story = parseStory(readFileSync(file, 'utf8'), file);
      for (const task of story.tasks) {
        tasks++;
        const t = taskText(task);
        expect(byScan(t), `${file} task ${task.id}`).toEqual(byRegex(t));
      }
    }
    expect(tasks).toBeGreaterThan(100);
  });
});

describe('pathsIn', () => {
  it('finds what the regex finds in prose and in code spans', () => {
    fc.assert(
      fc.property(pathText, fc.array(pathText, { maxLength: 3 }), (t, spans) => {
        expect(pathsIn(t)).toEqual(pathsByRegex(t));
        expect(pathsIn(t, spans)).toEqual(pathsByRegex(t, spans));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds what the regex finds in every task of the fixtures', () => {
    for (const file of storyFiles(FIXTURES)) {
      for (const task of parseStory(readFileSync(file, 'utf8'), file).tasks) {
        expect(pathsIn(taskText(task), taskCode(task)), `${file} task ${task.id}`).toEqual(pathsByRegex(taskText(task), [...taskCode(task)]));
      }
    }
  });
});

describe('per-task caches', () => {
  it('give each task what a fresh computation gives, for every task of the fixtures', () => {
    for (const file of storyFiles(join(FIXTURES, 'weave'))) {
      const fresh = parseStory(readFileSync(file, 'utf8'), file);
      const again = parseStory(readFileSync(file, 'utf8'), file);
      fresh.tasks.forEach((task, i) => {
        const other = again.tasks[i]!;
        // Asked twice: the same answer, and the same as for an identical task parsed apart.
        expect(taskText(task)).toBe(taskText(task));
        expect(taskText(task)).toBe(taskText(other));
        expect([...taskCode(task)]).toEqual([...taskCode(other)]);
        expect([...anchors(task)].sort()).toEqual([...anchors(other)].sort());
        expect(pathsIn(taskText(task), taskCode(task))).toEqual(pathsIn(taskText(other), [...taskCode(other)]));
        // A caller changing the array it got changes nothing cached.
        const paths = pathsIn(taskText(task), taskCode(task));
        paths.push('changed');
        expect(pathsIn(taskText(task), taskCode(task))).not.toContain('changed');
      });
    }
  });
});
