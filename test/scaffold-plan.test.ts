// The scaffolder planning around the code, in a real git repository in a temp
// folder with Go, C, Electron and Flatpak files: files and commands inferred
// from the repository, grouping, the provider/consumer split, data-flow
// dependencies, title cutting, each refusal (exit 1, file byte-identical) and
// --force.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { titleFrom } from '../src/scaffold/plan.js';
import { check as taskSpecific } from '../rules/task-specific.js';
import { defaultConfig } from '../src/config/defaults.js';
import { parseStory } from '../src/story/parse.js';
import type { Task } from '../src/story/model.js';

const WEAVE_CONFIG = JSON.parse(readFileSync(new URL('./fixtures/scaffold/weave/plan-tasks.config.json', import.meta.url), 'utf8'));

const FILES: Record<string, string> = {
  'go.mod': 'module example.com/weave\n\ngo 1.22\n',
  'cmd/weave/main.go': 'package main\n\nfunc main() {}\n',
  'internal/web/server.go': 'package web\n\nfunc handleChat() {}\n\nfunc handleDevice() {}\n',
  'internal/web/server_test.go': 'package web\n\nimport "testing"\n\nfunc TestChat(t *testing.T) {}\n',
  'internal/web/static/style.css': '.sidebar { width: 200px; }\n.chat-pane { padding: 4px; }\n',
  'internal/web/templates/index.html': '<div class="sidebar"></div>\n',
  'internal/client/socket.go': 'package client\n\nfunc SendRequest() {}\n',
  'compute/Makefile': 'test:\n\t./test/run.sh\n',
  'compute/include/weave/protocol.h': 'struct generate_request { int width; };\n',
  'compute/src/protocol.c': '#include "weave/protocol.h"\nint decode_generate_request(void);\n',
  'compute/src/main.c': 'int load_model(void);\n',
  'compute/test/test_protocol.c': 'int main(void) { return 0; }\n',
  'electron/package.json': '{ "name": "weave-desktop", "scripts": { "test": "node --test" } }\n',
  'electron/main.js': "const { app, BrowserWindow } = require('electron');\nlet window;\nfunction spawnBackend() {}\n",
  'packaging/flatpak/io.github.weave.Weave.yml': 'app-id: io.github.weave.Weave\nmodules: []\n',
  'docs/DEVELOPMENT.md': '# Development\n',
};

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** A git repository with the weave-like files, the weave domains, and the given stories. */
function repo(stories: Record<string, string>, config: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-plan-'));
  temps.push(dir);
  for (const [p, t] of Object.entries(FILES)) write(dir, p, t);
  write(dir, 'plan-tasks.config.json', JSON.stringify({ ...WEAVE_CONFIG, stories: 'docs/stories/*.md', ...config }));
  for (const [name, text] of Object.entries(stories)) write(dir, `docs/stories/${name}`, text);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  execFileSync('git', ['init', '-q'], { cwd: dir, env });
  execFileSync('git', ['add', '.'], { cwd: dir, env });
  return dir;
}

function story(id: string, title: string, criteria: string, extra = '', status = 'Ready'): string {
  return `# Story ${id}: ${title}\n\n## Status\n${status}\n\n## Problem\n\nThe weave app needs this.\n\n## Acceptance Criteria\n\n${criteria}\n${extra}`;
}

async function run(cwd: string, ...argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

const read = (dir: string, name: string) => readFileSync(join(dir, 'docs/stories', name));
const tasksOf = (dir: string, name: string) => parseStory(read(dir, name).toString('utf8')).tasks;
const prose = (t: Task) => t.description[0]!.text;
const byCriterion = (tasks: Task[], words: string) => tasks.filter((t) => t.blocks.some((b) => b.kind === 'list' && b.text.includes(words)));

const MAIN = story(
  '040',
  'Seeded generation',
  [
    '- [ ] `generate_request` carries a `seed` and `SendRequest` sends it to the daemon',
    '- [ ] `load_model` exits with status 1 and logs "model missing" when the model file is absent',
    '- [ ] Closing the window stops the backend process within 5 seconds',
    '- [ ] The Flatpak manifest lists the compute daemon module',
    '- [ ] Unit tests check that `SendRequest` sends seed 0 as 0',
    '- [ ] All tests still pass',
  ].join('\n'),
);

describe('scaffold plans around the code', () => {
  it('names the existing file and the command that verifies it, from go.mod, Makefile, package.json and the Flatpak manifest', async () => {
    const dir = repo({ '040-seed.md': MAIN });
    const r = await run(dir, 'scaffold', '040');
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const tasks = tasksOf(dir, '040-seed.md');
    const [model] = byCriterion(tasks, 'load_model');
    expect(model!.domain?.value).toBe('compute');
    expect(prose(model!)).toContain('`compute/src/main.c`');
    expect(prose(model!)).toContain('`compute/test/test_main.c`');
    expect(prose(model!)).toContain('`make -C compute test`');
    const [flatpak] = byCriterion(tasks, 'Flatpak manifest');
    expect(flatpak!.domain?.value).toBe('packaging');
    expect(prose(flatpak!)).toContain('`flatpak-builder --force-clean build-dir packaging/flatpak/io.github.weave.Weave.yml`');
    // "Closing the window" names no file: git grep finds `window` in electron/main.js.
    const [close] = byCriterion(tasks, 'Closing the window');
    expect(prose(close!)).toContain('`electron/main.js`');
    expect(prose(close!)).toContain('`npm test --prefix electron`');
    // No task says where only as a folder glob, and every one names a command.
    for (const t of tasks) {
      expect(prose(t)).not.toMatch(/\*\*/);
      expect(prose(t)).toMatch(/`(?:go test|cd \S+ && go test|make|npm test|flatpak-builder)[^`]*`/);
    }
    const lint = await run(dir, 'lint', 'docs/stories/040-seed.md', '--format', 'json');
    expect(JSON.parse(lint.stdout)[0].messages).toEqual([]);
  });

  it('splits a contract and its two sides into provider and consumer tasks, consumer after provider', async () => {
    const dir = repo({ '040-seed.md': MAIN });
    expect((await run(dir, 'scaffold', '040')).code).toBe(0);
    const tasks = tasksOf(dir, '040-seed.md');
    const split = byCriterion(tasks, '`generate_request` carries');
    expect(split.map((t) => t.domain?.value)).toEqual(['compute', 'weave']);
    expect(prose(split[0]!)).toContain('`compute/include/weave/protocol.h`');
    expect(prose(split[1]!)).toContain('`internal/client/socket.go`');
    expect(prose(split[1]!)).toContain('`go test ./internal/client/...`');
    expect(split[1]!.depends.map((d) => d.task)).toContain(split[0]!.id);
  });

  it('makes tests depend on the code they test, and folds "all tests still pass" into one final check after everything', async () => {
    const dir = repo({ '040-seed.md': MAIN });
    expect((await run(dir, 'scaffold', '040')).code).toBe(0);
    const tasks = tasksOf(dir, '040-seed.md');
    const consumer = byCriterion(tasks, '`generate_request` carries')[1]!;
    const [tests] = byCriterion(tasks, 'Unit tests check');
    expect(tests!.depends.map((d) => d.task)).toEqual([consumer.id]);
    const [check] = byCriterion(tasks, 'All tests still pass');
    expect(check!.title).toBe('Check the whole story end to end');
    expect(check!.id).toBe(tasks[tasks.length - 1]!.id);
    expect(check!.depends.length).toBeGreaterThan(0);
    // Every task the check does not cover is covered by one that it does.
    const cover = new Set<string>();
    const walk = (id: string) => {
      if (cover.has(id)) return;
      cover.add(id);
      for (const d of tasks.find((t) => t.id === id)!.depends) walk(d.task);
    };
    walk(check!.id!);
    expect(cover.size).toBe(tasks.length);
    // Error handling depends on at most the one task whose code it guards.
    const [errors] = byCriterion(tasks, 'load_model');
    expect(errors!.depends.length).toBeLessThanOrEqual(1);
  });

  it('groups criteria that land in one file, and splits a long flat list into tasks of at most four criteria', async () => {
    const styles = ['width of 240px', 'border of 1px', 'padding of 8px', 'margin of 4px', 'font size of 14px', 'gap of 2px', 'radius of 6px', 'shadow of 2px'];
    const criteria = styles.map((s) => `- [ ] The \`.sidebar\` rule in \`internal/web/static/style.css\` sets a ${s}`).join('\n');
    const dir = repo({ '041-styles.md': story('041', 'Sidebar styles', criteria) });
    const r = await run(dir, 'scaffold', '041');
    expect(r.code).toBe(0);
    const tasks = tasksOf(dir, '041-styles.md');
    expect(tasks.length).toBe(2);
    for (const t of tasks) {
      expect(t.blocks.filter((b) => b.kind === 'list').flatMap((b) => b.text.match(/\bsets a\b/g) ?? []).length).toBe(4);
      expect(prose(t)).toContain('`internal/web/static/style.css`');
      expect(prose(t)).toContain('`go test ./internal/web/...`');
      expect(prose(t)).toContain('`internal/web/server_test.go`');
    }
  });

  it('keeps the nested sub-bullets of a criterion', async () => {
    const criteria = ['- [ ] `handleChat` accepts these events:', '  - `agent-token` with one token', '  - `agent-done` at the end', '    - with the total count'].join('\n');
    const dir = repo({ '042-events.md': story('042', 'Chat events', criteria) });
    expect((await run(dir, 'scaffold', '042')).code).toBe(0);
    const text = read(dir, '042-events.md').toString('utf8');
    const section = text.slice(text.indexOf('## Tasks'));
    expect(section).toContain('- `handleChat` accepts these events:\n  - `agent-token` with one token\n  - `agent-done` at the end\n    - with the total count\n');
    expect(prose(tasksOf(dir, '042-events.md')[0]!)).toContain('`internal/web/server.go`');
  });
});

describe('scaffold titles', () => {
  it('cuts long criteria at a whole phrase, never inside a word or a code span, within 70 characters', () => {
    const cases: [string, string][] = [
      ['Closing the window sends SIGTERM to the Go server and waits up to five seconds before sending SIGKILL to it', 'Closing the window sends SIGTERM to the Go server'],
      ['Pressing Enter in the prompt box sends the message and moves the focus to the next field in the form', 'Pressing Enter in the prompt box sends the message'],
      ['The settings panel uses a compact layout on narrow screens so that the chat pane uses less space than the image panel', 'The settings panel uses a compact layout on narrow screens'],
      ['If the call fails after one retry, user sees "I\'m sorry, I\'m having trouble responding right now."', 'If the call fails after one retry'],
      ['If Electron is force-killed, Go server detects stdin EOF and self-terminates within a second', 'Go server detects stdin EOF and self-terminates within a second'],
    ];
    for (const [input, want] of cases) expect(titleFrom(input)).toBe(want);
    const api = titleFrom('`GET /api/device` returns `{"gpu": "NVIDIA RTX 4070 Super", "vram_mb": 12288, "backend": "vulkan"}` to the settings panel');
    expect(api.length).toBeLessThanOrEqual(70);
    expect((api.match(/`/g) ?? []).length % 2).toBe(0);
    expect(api).not.toContain('{"gpu"');
    // A code span longer than a title keeps its first words, as prose.
    expect(titleFrom('`a very long code span that goes on and on and on and on and on and on and on and on` is `__proto__`')).toBe('A very long code… is `__proto__`');
  });
});

describe('scaffold refuses a story that is not ready (exit 1, file byte-identical)', () => {
  const refusals: [string, Record<string, string>, string, RegExp, object?][] = [
    [
      'most criteria untestable',
      { '050-vague.md': story('050', 'Vague', '- [ ] Generation is fast\n- [ ] Errors are handled gracefully\n- [ ] The settings panel shows the seed value') },
      '050',
      /050-vague\.md:12: error: Criterion 1 says "fast" \("Generation is fast"\): how fast, on what input, measured how\?[\s\S]*Unexpected story where 2 of 3 criteria cannot be tested/,
    ],
    [
      'an open question',
      { '051-question.md': story('051', 'Question', '- [ ] `handleChat` returns 400 for an empty message', '\n## Open Questions\n\n- Should an empty message be an error at all?\n') },
      '051',
      /error: Open question 1 is still listed \("Should an empty message be an error at all\?"\): who answers it/,
    ],
    [
      'more tasks of work than the limit, counting the work inside a ### group',
      {
        '052-big.md': story(
          '052',
          'Big',
          '### Everything\n\n' + Array.from({ length: 13 }, (_, i) => `- [ ] The \`.sidebar\` rule in \`internal/web/static/style.css\` sets property ${i + 1} to ${i + 1}px`).join('\n'),
        ),
      },
      '052',
      /error: Unexpected 4 tasks of work for one story \(from 13 criteria\), expected at most 3: which part can ship first\? Split the story/,
      { sizing: { maxTasks: 3 } },
    ],
    [
      'an identifier only a story not yet Done provides',
      {
        '056-timeline.md': story('056', 'Timeline view', '- [ ] The sidebar lists every entry of `conversationTimeline` with its time'),
        '054-state.md': story('054', 'Timeline state', '- [ ] `conversationTimeline` keeps every turn', '', 'In Progress'),
      },
      '056',
      /056-timeline\.md:12: error: Criterion 1 uses `conversationTimeline`, which nothing in the repository defines and only story 054 \(`In Progress`\) mentions: is that story done first, or does this one build it\?/,
    ],
  ];
  for (const [name, stories, id, message, config] of refusals) {
    it(`refuses ${name}; --force writes it with the reasons as warnings`, async () => {
      const dir = repo(stories, config);
      const file = Object.keys(stories)[0]!;
      const before = read(dir, file);
      const r = await run(dir, 'scaffold', id);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(new RegExp(`Not scaffolded: story ${id} is not ready .*; nothing was written`));
      expect(r.stdout).toBe('');
      expect(read(dir, file).equals(before)).toBe(true);

      const forced = await run(dir, 'scaffold', id, '--force');
      expect(forced.code).toBe(0);
      expect(forced.stderr).not.toMatch(/: error: /);
      expect(forced.stdout).toMatch(/Tasks written with --force; answer the \d+ questions? above/);
      expect(tasksOf(dir, file).length).toBeGreaterThan(0);
    });
  }

  it('does not refuse an identifier that a Done story provides, or that only a later story uses', async () => {
    const dir = repo({
      '056-timeline.md': story('056', 'Timeline view', '- [ ] The sidebar lists every entry of `conversationTimeline` with its time'),
      '054-state.md': story('054', 'Timeline state', '- [x] `conversationTimeline` keeps every turn', '', 'Done'),
      '058-export.md': story('058', 'Timeline export', '- [ ] `exportTimeline` writes `conversationTimeline` to JSON'),
      '057-export-ui.md': story('057', 'Export button', '- [ ] The export button calls `exportTimeline`'),
    });
    const r = await run(dir, 'scaffold', '056');
    expect(r.stderr).not.toMatch(/conversationTimeline/);
    expect(r.code).toBe(0);
    // 058 (Ready, later) mentions `exportTimeline`: 057 may be the one that builds it.
    const later = await run(dir, 'scaffold', '057');
    expect(later.stderr).not.toMatch(/exportTimeline/);
    expect(later.code).toBe(0);
  });

  it('only warns (and writes) when one criterion of several is untestable', async () => {
    const dir = repo({ '055-one.md': story('055', 'One vague', '- [ ] Generation is fast\n- [ ] `handleChat` returns 400 for an empty message\n- [ ] `load_model` logs the model path') });
    const r = await run(dir, 'scaffold', '055');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: Criterion 1 says "fast"/);
    expect(r.stdout).toMatch(/Tasks are ready/);
  });
});

describe('scaffold domains from configuration and history', () => {
  it('gives a domain listed by name alone the built-in hints of the default domain of that name', async () => {
    const dir = repo({ '060-names.md': story('060', 'Names', '- [ ] The Flatpak manifest lists the compute daemon module\n- [ ] `load_model` logs the model path') }, { domains: ['packaging', 'compute', 'docs'] });
    const r = await run(dir, 'scaffold', '060');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/Missing domain signals/);
    const tasks = tasksOf(dir, '060-names.md');
    expect(byCriterion(tasks, 'Flatpak manifest')[0]!.domain?.value).toBe('packaging');
    expect(byCriterion(tasks, 'load_model')[0]!.domain?.value).toBe('compute');
  });

  it('takes the domain earlier stories gave the same file when the configuration says nothing', async () => {
    const done = story('061', 'Engine start', '- [x] The engine starts', '\n## Tasks\n\n### 001: Start the engine in `compute/src/main.c`\n**Domain:** engine\n**Status:** done\n**Depends on:** none\n\nStart it in `compute/src/main.c`; `make -C compute test` passes.\n', 'Done');
    const next = story('062', 'Engine stop', '- [ ] `compute/src/main.c` stops the engine on SIGTERM within 2 seconds');
    const dir = repo({ '062-stop.md': next, '061-start.md': done }, { domains: ['ui', 'engine'] });
    const r = await run(dir, 'scaffold', '062');
    expect(r.code).toBe(0);
    expect(tasksOf(dir, '062-stop.md')[0]!.domain?.value).toBe('engine');
  });
});

describe('task-specific on the old scaffold template', () => {
  it('says why: a folder glob alone is not a place, "a test checks each point" names no test', () => {
    const text = readFileSync(new URL('./fixtures/rules/task-specific/not-ok-old-scaffold.md', import.meta.url), 'utf8');
    const notes = taskSpecific(parseStory(text), { config: defaultConfig('/') }).map((f) => f.note);
    expect(notes).toEqual([
      'Name where the change happens (a file, `identifier`, endpoint or path; a folder glob alone is not a place).',
      'Name how to verify it (a test, a command, what the user sees; "a test checks each point" names no test).',
    ]);
  });
});

describe('the push-back questions read as English', () => {
  it('asks "than what" only of a comparative (was "nice than what")', async () => {
    const { questionFor } = await import('../src/scaffold/pushback.js');
    expect(questionFor('nice')).toBe('judged by what, against what, and by how much?');
    expect(questionFor('good')).toBe('judged by what, against what, and by how much?');
    expect(questionFor('better')).toBe('better than what, and by how much?');
    expect(questionFor('Improved')).toBe('improved over what, and by how much?');
    expect(questionFor('faster')).toBe('faster than what, measured how?');
  });
});
