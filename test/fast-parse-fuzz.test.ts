/**
 * Differential fuzzing of the fast scanner (src/story/fast.ts) against the
 * full parse: documents assembled from story lines and nasty Markdown
 * fragments (headings, setext underlines, breaks, nested and lazy list items,
 * fences in and out of items, indented code, quotes, HTML and lint comments,
 * link definitions, field lines, task headings), inline-only paragraphs under
 * a task heading, and inline text in headings, fields and list items.
 * Property: `fastTree` declines or the Story equals the full parse's
 * (test/fast-parse-helpers.ts). Runs are bounded (FAST_PARSE_RUNS=N to run
 * more); a failure prints the shrunk document line by line and the first
 * place the two Stories differ. Save a minimal failing case as
 * test/fixtures/fast/<what>.md: test/fast-parse.test.ts replays it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastTree } from '../src/story/fast.js';
import { parseMarkdown } from '../src/story/parse.js';
import { blankUnreadSections } from '../src/story/sections.js';
import { compare, failMessage, toCrlf } from './fast-parse-helpers.js';

// --- 2. differential fuzzing ------------------------------------------------------

/** Inline text from an alphabet heavy in the characters inline parsing turns on. */
const INLINE_UNITS = [
  '*', '**', '_', '__', '`', '``', '\\', '[', ']', '(', ')', '<', '>', '&', '!', ' ', '  ', '#', '-', ':', '.', ',',
  'a', 'b', 'x', 'foo', 'Bar', '1', '0', '42', '~', '|', '"', "'", '=', '/', '@', ';',
  'é', 'ß', '日本', '–', '—', '“', '”', '«', '»', '…', '·', '¿', '\u00a0', '\u200b', '🚀', 'e\u0301',
  '\u3000', '\u2003', '\u2028', '\v', '\f', '\u0085', '\u0001', '\u007f', '\u001b', '\u00ad', '¡', '§', '¶', '‰', '′', '『', '』', '、', '。', '𝔘', '𐀀', '\ufeff', '\ud83d',
  '[x]', '[ ]', '](', '](/u)', '&amp;', '&#35;', '&copy', '<b>', '</b>', '<http://a.b>', 'a@b.c', '<a@b.c>',
  '\\*', '\\_', '\\`', '\\[', '\\\\', '\\', '*a*', '_a_', '**a**', '`c`', '` c `',
];
const inlineText = (maxLength = 12) =>
  fc.array(fc.constantFrom(...INLINE_UNITS), { minLength: 1, maxLength }).map((u) => u.join(''));
/** A line of inline text, maybe with a trailing hard break (two spaces or a backslash). */
const inlineLine = fc
  .tuple(inlineText(), fc.constantFrom('', '', '', '  ', '   ', '\\', ' '))
  .map(([t, end]) => t + end);

const idArb = fc.constantFrom('001', '002', '003', '010', '014', '002a', '1', '0001');
const fieldName = fc.constantFrom('Domain', 'Status', 'Depends on', 'Size', 'Files', 'Blocks', 'Owner');
const fieldValue = fc.oneof(
  fc.constantFrom('backend', 'frontend', 'Done', 'In Progress', 'Not Started', 'done (via 002)', '001, 002', '001, 014/003', 'none', 'S', '`src/a.ts`', ''),
  inlineText(6),
);
const fieldLine = fc
  .tuple(fieldName, fieldValue, fc.constantFrom('**', '__'), fc.constantFrom(':', ''), fc.constantFrom('', ' ', '  '))
  .map(([n, v, m, colon, trail]) => `${m}${n}:${m} ${v}${trail}`.replace(`${n}:${m}`, `${n}${colon}${m}`));

const headingLine = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 7 }), inlineText(8), fc.constantFrom('', ' #', ' ##', '#', ' # ', '  ', ' \\#'))
    .map(([d, t, close]) => `${'#'.repeat(d)} ${t}${close}`),
  fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('', ' ', '#')).map(([d, t]) => `${'#'.repeat(d)}${t}`),
  fc.constantFrom('## Tasks', '## Status', '## Dependencies', '## Acceptance Criteria', '## Notes', '## Open Questions', '# Story 050: Title'),
  fc.tuple(idArb, inlineText(6)).map(([id, t]) => `### ${id}: ${t}`),
  fc.tuple(idArb, fc.constantFrom('Task title', 'Done thing', 'A *b* `c`')).map(([id, t]) => `### ${id}: ${t}`),
  fc.tuple(fc.constantFrom(' ', '  ', '   '), fc.constantFrom('# a', '## Tasks', '### 001: x')).map(([i, h]) => i + h),
);

const breakLine = fc.constantFrom('---', '***', '* * *', '- - -', '___', '_ _ _', '----', '  ---', '---  ', '-- -', '**', '--', '* *');
const setextLine = fc.constantFrom('===', '=', '---', '-', '== =', '  ===', '=== ', '--- -');
const marker = fc.constantFrom('-', '*', '+', '1.', '2.', '1)', '2)', '10.', '0.', '01.', '001)', '123456789.', '1234567890.');
const listLineOf = (friendly: boolean) =>
  fc
    .tuple(
      friendly ? fc.constantFrom('', '', ' ', '  ', '   ') : fc.constantFrom('', '', ' ', '  ', '   ', '    ', '      '),
      marker,
      friendly ? fc.constantFrom(' ', ' ', '  ', '   ', '    ', '') : fc.constantFrom(' ', ' ', '  ', '   ', '     ', ''),
      fc.oneof(inlineLine, friendly ? fc.constantFrom('', '[ ] task', '[x] done', '**Status:** Done', '### 003: item heading', '# h', '---', '- nested', '1. nested', '* * *') : fc.constantFrom('', '[ ] task', '[x] done', '**Status:** Done', '### 003: item heading', '```', '# h', '---', '- nested', '> q')),
    )
    .map(([indent, m, sp, t]) => `${indent}${m}${t === '' ? '' : sp}${t}`);
const listLine = listLineOf(false);
const fenceOpen = fc.constantFrom('```', '~~~', '````', '```ts', '``` js meta', '~~~md', '```\\', '``` a`b', '~~~ a`b', '  ```', '    ```', '```&amp;');
const fenceBody = fc.array(fc.oneof(inlineLine, fc.constantFrom('', '  x', '### 004: in code', '<!-- c -->', '~~~', '``', '  ```', '```   ', '\tx', '\t\treturn', 'a\tb', '\t', '  \t', ' \tx', '\t```', '```\t', '  \tx', '\t~~~', ' \t```', '\t ```\t')), { maxLength: 3 });
const fenceLines = fc
  .tuple(fc.constantFrom('', '', '  ', '- ', '1. ', '   '), fenceOpen, fenceBody, fc.constantFrom('```', '~~~', '````', '', '  ```', '```  ', '``` x'))
  .map(([indent, open, body, close]) => [indent + open, ...body.map((l) => (indent.trim() ? '  '.repeat(1) + l : indent + l)), ...(close ? [indent.trim() ? `  ${close}` : indent + close] : [])].join('\n'));
const htmlLine = fc.constantFrom(
  '<!-- lint disable task-status -->', '<!-- lint enable -->', '<!-- lint ignore x -->', '<!-- a', 'b -->', '<!---->', '<!-->', '<!--->',
  '<!-- x --> tail', '<div>', '</div>', '<br>', '<b>bold</b>', '<?php ?>', '<!DOCTYPE html>', '<![CDATA[x]]>', '<pre>', '</pre>', '<script>', '</script>',
  '  <!-- lint disable -->', '<x-y a="1">', '<a href="/u">l</a>',
);
const otherLine = fc.constantFrom(
  '[a]: /u', '[a]: /u "t"', '[a]:', '[link]: <x> \'t\'', '> quote', '> ### 001: quoted', '>', '    indented code', '        deeper',
  '\t tab', 'a\tb', 'a\rb', '', '', '', ' ', '   ', '\\', '|a|b|', '|---|---|', 'In Progress', 'Done', 'Not Started', '001, 002',
  '- [ ] criterion', '- [x] done criterion', '- 001 first dep', '- [050](050-x.md)', 'Story 001, 002',
);

/** Fragments the scanner reads itself (it declines tabs outside fenced code, quotes, definitions, other HTML, unclosed fences). */
const closedFence = fc
  .tuple(fc.constantFrom('', '', '- ', '1. ', '  ', '   '), fc.constantFrom('`', '~'), fc.integer({ min: 3, max: 4 }), fc.constantFrom('', 'ts', 'js meta', 'md x y'), fenceBody, fc.integer({ min: 0, max: 2 }), fc.constantFrom('', ' ', '  '))
  .map(([indent, ch, n, info, body, extra, trail]) => {
    const inItem = indent.trim() !== '';
    const cont = inItem ? ' '.repeat(indent.length) : indent;
    const open = `${indent}${ch.repeat(n)}${info}`;
    const close = `${cont}${ch.repeat(n + extra)}${trail}`;
    return [open, ...body.filter((l) => !l.trimStart().startsWith(ch.repeat(3))).map((l) => cont + l), close].join('\n');
  });
const commentLine = fc.constantFrom(
  '<!-- lint disable task-status -->', '<!-- lint enable -->', '<!-- lint ignore x -->', '<!---->', '<!-- x --> tail', '  <!-- lint disable -->',
  '<!-- a\nb -->', '<!-- a\n\nb -->', '- <!-- in item -->', '<!-- a\n  - b -->',
);
const friendlyOther = fc.constantFrom(
  '', '', '', ' ', '   ', '\\', '|a|b|', '|---|---|', 'In Progress', 'Done', 'Not Started', '001, 002',
  '- [ ] criterion', '- [x] done criterion', '- 001 first dep', 'Story 001, 002', '   text', '  - sub', '   - deeper sub', '1.', '-',
);

const plainLine = (friendly: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: inlineLine },
    { weight: 3, arbitrary: fieldLine },
    { weight: 3, arbitrary: headingLine },
    { weight: 1, arbitrary: breakLine },
    { weight: 1, arbitrary: setextLine },
    { weight: 4, arbitrary: listLineOf(friendly) },
    { weight: 1, arbitrary: friendly ? closedFence : fenceLines },
    { weight: 1, arbitrary: friendly ? commentLine : htmlLine },
    { weight: 2, arbitrary: friendly ? friendlyOther : otherLine },
  );
/** Any line, often indented: item continuations, lazy lines, nested items, indented code. */
const blockLine = (friendly: boolean): fc.Arbitrary<string> =>
  fc
    .tuple(
      friendly ? fc.constantFrom('', '', '', '', '', ' ', '  ', '   ') : fc.constantFrom('', '', '', '', ' ', '  ', '   ', '    ', '     ', '      ', '        '),
      plainLine(friendly),
    )
    .map(([indent, line]) => line.split('\n').map((l) => indent + l).join('\n'));

/** A story-shaped document: a title, Status, maybe Dependencies, Tasks with task blocks, random lines anywhere. */
function storyDoc(friendly: boolean): fc.Arbitrary<string> {
  const line = blockLine(friendly);
  const taskBlock = fc
    .tuple(idArb, inlineText(6), fc.array(fc.oneof(fieldLine, fc.constant('')), { maxLength: 4 }), fc.array(line, { maxLength: 5 }), fc.constantFrom('', '---', '***'))
    .map(([id, title, fields, body, sep]) => [`### ${id}: ${title}`, '', ...fields, '', ...body, ...(sep ? ['', sep] : [])].join('\n'));
  return fc
    .tuple(
      fc.array(line, { maxLength: 3 }),
      fc.constantFrom('In Progress', 'Done', 'Not Started', '**Status:** Done', ''),
      fc.array(line, { maxLength: 4 }),
      fc.array(taskBlock, { maxLength: 4 }),
      fc.array(line, { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([pre, status, deps, tasks, post, trailingEol]) => {
      const text = ['# Story 050: Fast', ...pre, '', '## Status', '', status, '', '## Dependencies', '', ...deps, '', '## Tasks', '', ...tasks, ...post].join('\n');
      return trailingEol ? `${text}\n` : text;
    });
}
/** Lines in any order, blank lines sprinkled in. */
const soupDoc = (friendly: boolean) =>
  fc
    .array(fc.oneof({ weight: 4, arbitrary: blockLine(friendly) }, { weight: 1, arbitrary: fc.constant('') }), { minLength: 1, maxLength: 14 })
    .map((lines) => ['## Tasks', '', '### 001: Soup', ...lines].join('\n'));
/** Half the documents from every fragment, half from those the scanner means to read (so most reach it). */
/** Front matter (YAML, TOML, unclosed, fences with trailing text or space) before a document. */
const frontmatter = fc.constantFrom(
  '', '', '', '---\nid: 050\nowner: platform\n---\n', '+++\nid = 50\n+++\n', '---\n## Notes\n### 001: x\n**Status:** done\n---\n',
  '---\n---\n', '---  \na: 1\n---  \n', '---\n', '--- x\na\n---\n', '----\na\n----\n', '+++\na\n---\n', '---\na\n', ' ---\na\n---\n',
  '---\na\n---', '---\na\n--- x\n---\n', '---\n\n---\n\n', '---\na\n---\nlazy text\n',
);
const anyDoc = fc
  .tuple(fc.oneof(storyDoc(false), soupDoc(false), storyDoc(true), soupDoc(true)), fc.boolean(), fc.boolean(), frontmatter)
  .map(([doc0, crlf, blank, fm]) => {
    const doc = fm + doc0;
    let text = crlf ? toCrlf(doc) : doc;
    if (blank) text = blankUnreadSections(text) ?? text;
    return text;
  });

/** Holds the property; on failure the message shows the document and where the Stories part. */
function holds(text: string): boolean {
  const r = compare(text);
  if (r.kind === 'differ') throw new Error(failMessage('a generated document', r.report));
  return true;
}

/**
 * A weave story's Tasks section (the part the lint path parses most), mutated
 * line by line: lines deleted, duplicated, moved, indented or dedented, and
 * fragment lines inserted; maybe CRLF, maybe blanked as the lint path does.
 */
const WEAVE = new URL('./fixtures/weave/stories/', import.meta.url).pathname;
const weaveTasks = readdirSync(WEAVE)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => {
    const text = readFileSync(join(WEAVE, f), 'utf8');
    const at = text.search(/^## Tasks/m);
    // The title and Status, then the first ~60 lines of Tasks: small enough to parse often.
    return (at > 0 ? text.slice(0, Math.min(text.indexOf('\n## ', 1) + 1 || at, at)) + text.slice(at) : text).split('\n').slice(0, 80);
  });
type Edit = { op: 'delete' | 'duplicate' | 'indent' | 'dedent'; at: number } | { op: 'move'; at: number; to: number } | { op: 'insert'; at: number; line: string };
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const, 'indent' as const, 'dedent' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('move' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: fc.oneof(blockLine(true), blockLine(false)) }),
);
const mutatedStory = fc
  .tuple(fc.nat({ max: weaveTasks.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean())
  .map(([which, edits, crlf, blank]) => {
    const lines = weaveTasks[which]!.slice();
    for (const e of edits) {
      const at = e.at % (lines.length + 1);
      if (e.op === 'insert') lines.splice(at, 0, e.line);
      else if (at >= lines.length) continue;
      else if (e.op === 'delete') lines.splice(at, 1);
      else if (e.op === 'duplicate') lines.splice(at, 0, lines[at]!);
      else if (e.op === 'indent') lines[at] = `  ${lines[at]}`;
      else if (e.op === 'dedent') lines[at] = lines[at]!.replace(/^ {1,2}/, '');
      else if (e.op === 'move') lines.splice(e.to % lines.length, 0, ...lines.splice(at, 1));
    }
    let text = lines.join('\n');
    if (crlf) text = toCrlf(text);
    if (blank) text = blankUnreadSections(text) ?? text;
    return text;
  });

const RUNS = Number(process.env.FAST_PARSE_RUNS ?? 0) || undefined;

describe('fastTree differential fuzzing: declines or equals the full parse', () => {
  it('story-shaped and line-soup documents', () => {
    fc.assert(fc.property(anyDoc, holds), { numRuns: RUNS ?? 800 });
  });

  it('weave stories mutated line by line', () => {
    fc.assert(fc.property(mutatedStory, holds), { numRuns: RUNS ? RUNS / 10 : 120 });
  });

  it('one inline-only paragraph under a task heading', () => {
    const para = fc
      .tuple(fc.array(inlineLine, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '  ', ' ', '   '), fc.boolean())
      .map(([lines, cont, crlf]) => {
        const body = lines.map((l, i) => (i === 0 ? l.replace(/^ +/, '') : cont + l)).join('\n');
        const text = `## Tasks\n\n### 001: Inline\n\n${body}\n`;
        return crlf ? toCrlf(text) : text;
      })
      // Only paragraphs: a line that reads as a block of its own is the other property's.
      .filter((text) => {
        const tree = parseMarkdown(text);
        return tree.children.length === 3 && tree.children[2]!.type === 'paragraph';
      });
    fc.assert(fc.property(para, holds), { numRuns: RUNS ?? 1200 });
  });

  it('inline text inside headings, fields and list items', () => {
    const doc = fc
      .tuple(inlineText(10), fieldName, inlineText(8), marker, inlineText(8))
      .map(([h, f, v, m, li]) => `## Tasks\n\n### 001: ${h}\n\n**${f}:** ${v}\n\n${m} ${li}\n`);
    fc.assert(fc.property(doc, holds), { numRuns: RUNS ?? 800 });
  });

  it('the fuzzed documents reach the fast path (a generator that only makes declined text tests nothing)', () => {
    const taken = (a: fc.Arbitrary<string>) => fc.sample(a, { numRuns: 200, seed: 7 }).filter((t) => fastTree(t) !== null).length;
    expect(taken(anyDoc)).toBeGreaterThan(50);
    expect(taken(mutatedStory)).toBeGreaterThan(100);
  });
});
