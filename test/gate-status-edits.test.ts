/**
 * The gate's fast paths for an old version (src/git/gate.ts): a change of task
 * statuses only (`statusEditedStory`: the new Story with the old status
 * values) and an HTML comment appended or removed at the end
 * (`commentAppendedStory`: the new Story), neither parsed. Checked against the plain path, the parse of the
 * old text, on every fixture story (the weave stories and their history
 * included): each task's status value replaced by plain and by unsafe values,
 * in both directions, and wherever the fast path answers, what the transition
 * rules and the summary read of the old version is the parse's, and so are the
 * transition rules' findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles } from './lint-helpers.js';
import { defaultConfig } from '../src/config/defaults.js';
import { commentAppendedStory, statusEditedStory } from '../src/git/gate.js';
import { transitionReaders, transitionRules } from '../src/git/rules/index.js';
import { parseForLint } from '../src/lint/analyze.js';
import { summarize } from '../src/lint/project.js';
import type { Story } from '../src/story/model.js';

/** What the transition rules and the cross-story summary read of an old version. */
const read = (story: Story) => ({
  summary: summarize(story, ''),
  tasks: story.tasks.map((t) => ({ id: t.id, title: t.title, status: t.status?.value ?? null })),
});

const PLAIN = ['done', 'In Progress', 'in_progress', 'todo-2'];
const UNSAFE = ['a _b', 'done!', '', 'x  ', '`done`', '**done**', 'done <!-- x -->', 'erledigt ✓', 'done\\', '[done]', 'a_ b'];
/** In the sweep over every fixture: the plain values and the unsafe ones most like them. */
const SWEEP = [...PLAIN, 'a _b', '**done**', '', 'done <!-- x -->'];

const config = defaultConfig('/p');
const findings = (old: Story, now: Story) =>
  transitionRules.flatMap((r) => r.check(old, now, { config, before: 'main', after: 'HEAD' }).map((f) => `${r.meta.id} ${f.message} ${f.span.start.offset}`));

describe('statusEditedStory = the parse of the old text', () => {
  it('on every fixture story, each task status value replaced, both ways', () => {
    const files = markdownFiles(join(import.meta.dirname, 'fixtures'));
    expect(files.length).toBeGreaterThan(200);
    let answered = 0;
    let declined = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const base = parseForLint(text, file);
      const fields = base.tasks.flatMap((t) => (t.status ? [t.status] : []));
      // The first two and the last status of each story (several statuses: the first with the next).
      for (const [i, f] of fields.entries()) {
        if (i > 1 && i !== fields.length - 1) continue;
        for (const value of SWEEP) {
          const prefix = text.charCodeAt(0) === 0xfeff ? 1 : 0;
          const start = f.valueSpan.start.offset + prefix;
          const end = f.valueSpan.end.offset + prefix;
          let edited = text.slice(0, start) + value + text.slice(end);
          // A second edit further down: several statuses in one change.
          const next = fields[i + 1];
          if (next && value === 'done') {
            const shift = value.length - (end - start);
            edited = edited.slice(0, next.valueSpan.start.offset + prefix + shift) + 'blocked' + edited.slice(next.valueSpan.end.offset + prefix + shift);
          }
          if (edited === text) continue;
          for (const [oldText, newText] of [
            [text, edited],
            [edited, text],
          ] as const) {
            const now = parseForLint(newText, file);
            const fast = statusEditedStory(oldText, newText, now);
            if (fast === null) {
              declined++;
              continue;
            }
            answered++;
            const parsed = parseForLint(oldText, file);
            expect(read(fast), `${file}: ${JSON.stringify(value)}`).toEqual(read(parsed));
            expect(findings(fast, now), `${file}: ${JSON.stringify(value)}`).toEqual(findings(parsed, now));
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(1000);
  }, 120_000);

  it('declines unsafe values, other edits and a BOM that differs', () => {
    const text = '# Story 001: A\n\n## Status\n\nReady\n\n## Tasks\n\n### 001: One\n\n**Status:** pending\n**Depends on:** none\n\nDo it.\n';
    const story = (t: string) => parseForLint(t, '/p/001-a.md');
    const swap = (value: string) => text.replace('**Status:** pending', `**Status:** ${value}`);
    expect(statusEditedStory(text, swap('done'), story(swap('done')))?.tasks[0]!.status!.value).toBe('pending');
    expect(statusEditedStory(swap('done'), text, story(text))?.tasks[0]!.status!.value).toBe('done');
    for (const value of UNSAFE) expect(statusEditedStory(text, swap(value), story(swap(value))), value).toBeNull();
    // Another byte changed too: the description, the story status, a title.
    for (const other of [swap('done').replace('Do it.', 'Do it now.'), swap('done').replace('Ready', 'Done'), swap('done').replace('One', 'Two')]) {
      expect(statusEditedStory(text, other, story(other))).toBeNull();
    }
    expect(statusEditedStory(`\ufeff${text}`, swap('done'), story(swap('done')))).toBeNull();
    expect(statusEditedStory(`\ufeff${text}`, `\ufeff${swap('done')}`, story(`\ufeff${swap('done')}`))?.tasks[0]!.status!.value).toBe('pending');
    // Nothing changed in a status: parse (null).
    expect(statusEditedStory(text, text, story(text))).toBeNull();
  });
});

const COMMENTS = [
  '\n<!-- PR note: checked against the plan. -->\n',
  '\n\n<!--\nA note over\nthree lines\n-->\n\n',
  '\r\n<!-- with CRLF -->\r\n',
  '<!-- right after the last line -->\n',
  '\n<!-- a --> and text\n',
  '\n   <!-- indented -->\n',
  '\n<!-- a -->\n\n<!-- b -->\n',
  '\n<!-- never closed\n',
  '\n<!---->\n',
];

describe('commentAppendedStory = the parse of the old text', () => {
  it('on every fixture story, a comment appended and removed', () => {
    const files = markdownFiles(join(import.meta.dirname, 'fixtures'));
    let answered = 0;
    let declined = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const comment of COMMENTS) {
        const edited = text + comment;
        for (const [oldText, newText] of [
          [text, edited],
          [edited, text],
        ] as const) {
          const now = parseForLint(newText, file);
          const fast = commentAppendedStory(oldText, newText, now);
          if (fast === null) {
            declined++;
            continue;
          }
          answered++;
          const parsed = parseForLint(oldText, file);
          expect(read(fast), `${file}: ${JSON.stringify(comment)}`).toEqual(read(parsed));
          expect(findings(fast, now), `${file}: ${JSON.stringify(comment)}`).toEqual(findings(parsed, now));
        }
      }
    }
    expect(answered).toBeGreaterThan(500);
    expect(declined).toBeGreaterThan(1000);
  }, 120_000);

  it('declines a comment whose body could close what the text leaves open (review of issue 19)', () => {
    const base = '# Story 001: A\n\n## Tasks\n\n### 001: One\n\n**Status:** pending\n**Depends on:** none\n';
    const task = '### 002: Two\n\n**Status:** done\n**Depends on:** none\n';
    const cases: [string, string][] = [
      // `<!-->` and `<!--->` end the comment on their own line: the task after them is real.
      [base, `\n<!-->\n${task}\n<!-- end -->\n`],
      [base, `\n<!--->\n${task}\n<!-- end -->\n`],
      // A `-->` inside ends it early.
      [base, `\n<!-- a -->\n${task}\n<!-- b -->\n`],
      // The text ends inside an open fence, which a fence in the comment closes.
      [base + '\n```\ncode\n\n', `<!--\n\`\`\`\n${task}-->\n`],
      [base + '\n~~~\ncode\n\n', `<!--\n~~~\n${task}-->\n`],
      // The text ends inside an open HTML block (kind 1), which a closing tag in the comment ends.
      [base + '\n<pre>\ncode\n\n', `<!--\n</pre>\n${task}-->\n`],
      // Front matter opened at the top and never closed: a `---` line in the comment closes it.
      ['---\n' + base, '\n<!--\nreviewed\n---\n-->\n'],
      ['+++\n' + base, '\n<!--\nreviewed\n+++\n-->\n'],
    ];
    for (const [text, comment] of cases) {
      const edited = text + comment;
      for (const [oldText, newText] of [
        [text, edited],
        [edited, text],
      ] as const) {
        const now = parseForLint(newText, '/p/001-a.md');
        const fast = commentAppendedStory(oldText, newText, now);
        const label = JSON.stringify([oldText.slice(-40), newText.slice(-40)]);
        // Exact or declined; these are all declined.
        if (fast !== null) expect(read(fast), label).toEqual(read(parseForLint(oldText, '/p/001-a.md')));
        expect(fast, label).toBeNull();
      }
    }
    // A note with words, punctuation and '-' inside is still read without a parse.
    const note = '\n<!-- PR note 24: checked against the plan -- see 012/003 (ok). -->\n';
    const edited = base + note;
    expect(commentAppendedStory(base, edited, parseForLint(edited, '/p/001-a.md'))).not.toBeNull();
  });

  it('declines what may change a block before it', () => {
    const text = '# Story 001: A\n\n## Tasks\n\n### 001: One\n\n**Status:** pending\n**Depends on:** none\n';
    const story = (t: string) => parseForLint(t, '/p/001-a.md');
    const ok = text + '\n<!-- note -->\n';
    expect(commentAppendedStory(text, ok, story(ok))).not.toBeNull();
    expect(commentAppendedStory(ok, text, story(text))).not.toBeNull();
    // No blank line before it, indented, text after it, two comments, another edit, nothing added.
    for (const other of [text + '<!-- note -->\n', text + '\n  <!-- note -->\n', text + '\n<!-- a --> b\n', text + '\n<!-- a -->\n<!-- b -->\n', ok.replace('One', 'Two'), text]) {
      expect(commentAppendedStory(text, other, story(other)), JSON.stringify(other)).toBeNull();
    }
  });
});

/** Later versions of a story the transition rules find things in: every task done; the task blocks reversed; no tasks. */
function laterVersions(text: string, file: string): Story[] {
  const done = text.replace(/(\*\*Status:\*\*[ \t]*)[^\n]*/g, '$1done');
  const parts = text.split(/(?=^### )/m);
  const reversed = parts[0]! + parts.slice(1).reverse().join('');
  return [done, reversed, parts[0]!].map((t) => parseForLint(t, file));
}

describe('an old version parsed with only the sections the transition rules read (story 030)', () => {
  it('reads what the full lint parse reads of it, on every fixture story, with every rule on and with the transition rules off', () => {
    const quiet = { ...config, rules: { ...config.rules, 'status-transition': 'off' as const, 'task-removed': 'off' as const, 'story-status-transition': 'off' as const } };
    const files = markdownFiles(join(import.meta.dirname, 'fixtures'));
    let found = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const full = parseForLint(text, file);
      const whole = { ...read(full), title: full.title, status: full.status?.value ?? null };
      for (const cfg of [config, quiet]) {
        const part = parseForLint(text, file, cfg, transitionReaders);
        expect({ ...read(part), title: part.title, status: part.status?.value ?? null }, file).toEqual(whole);
        // Against a later version with every task done and the tasks reversed (renumberings, removals).
        for (const later of laterVersions(text, file)) {
          const expected = findings(full, later);
          found += expected.length;
          expect(findings(part, later), file).toEqual(expected);
        }
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(found).toBeGreaterThan(500);
  });
});

