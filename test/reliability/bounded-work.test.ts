/**
 * Bounded work: no recursion proportional to the input, no quadratic pass.
 * A ring of 3 stories x 999 tasks (2,997 nodes on one cycle) and a ring of
 * 1,000 stories through `## Dependencies` are linted, graphed and planned by
 * the real bin, and the cycle is reported. (How long they take is measured in
 * bench/regex.mjs, never here.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, runBin } from '../cli-helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const pad = (n: number) => String(n).padStart(3, '0');

function story(id: number, title: string, tasks: string, dependencies = ''): string {
  return `# Story ${pad(id)}: ${title}\n\n## Status\nIn Progress\n${dependencies}\n## Problem\n\nA generated story.\n\n## Acceptance Criteria\n\n- [ ] It is checked\n\n## Tasks\n\n${tasks}`;
}
function task(id: number, depends: string): string {
  return `### ${pad(id)}: Change step ${id}\n**Domain:** backend\n**Status:** pending\n**Depends on:** ${depends}\n\nChange \`src/s${id}.go\`; \`go test ./src\` passes.\n\n---\n\n`;
}

/** Stories 001-003, 999 tasks each, each task depending on the previous one, 001/001 on 003/999: one ring of 2,997 tasks. */
function taskRing(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-ring-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  for (let s = 1; s <= 3; s++) {
    const prev = s === 1 ? 3 : s - 1;
    let tasks = '';
    for (let t = 1; t <= 999; t++) tasks += task(t, t === 1 ? `${pad(prev)}/999` : pad(t - 1));
    writeFileSync(join(dir, `docs/stories/${pad(s)}-ring.md`), story(s, 'A ring of tasks', tasks));
  }
  writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify({ rules: { 'story-size': 'off' } }));
  return dir;
}

/** 1,000 stories (000-999), each listing the next one under `## Dependencies`, 999 listing 000. */
function storyRing(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-ring-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'docs/stories'), { recursive: true });
  for (let s = 0; s < 1000; s++) {
    writeFileSync(join(dir, `docs/stories/${pad(s)}-ring.md`), story(s, 'A ring of stories', task(1, 'none'), `\n## Dependencies\n\n- Story ${pad((s + 1) % 1000)} (the next one)\n`));
  }
  return dir;
}

describe('a ring of 3 stories x 999 tasks', () => {
  const dir = taskRing();
  it('lint reports the cycle across stories (exit 1, no stack overflow)', () => {
    const r = runBin(['lint', '-f', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const cycles = (JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[]).flatMap((f) => f.messages.filter((m) => m.ruleId === 'dependency-cycle'));
    expect(cycles).toHaveLength(3);
    expect(cycles[0]!.message).toMatch(/^Unexpected dependency cycle 001\/001 -> 003\/999 -> 003\/998 -> .* -> 001\/001 across stories/);
    expect(cycles[0]!.message.split(' -> ')).toHaveLength(2998);
  }, 120_000);

  it('graph all and next exit 1 naming the cycle', () => {
    for (const args of [['graph', 'all'], ['next']]) {
      const r = runBin(args, dir);
      expect(r.stderr, args.join(' ')).not.toContain('Maximum call stack');
      expect(r.stderr + r.stdout, args.join(' ')).toMatch(/cycle/i);
      expect(r.code, args.join(' ')).not.toBe(0);
    }
  }, 120_000);
});

describe('a ring of 1,000 stories through ## Dependencies', () => {
  it('every story reports the story cycle through it, starting at itself', () => {
    const dir = storyRing();
    const r = runBin(['lint', '-f', 'json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; message: string }[] }[];
    expect(results).toHaveLength(1000);
    for (const [i, f] of results.entries()) {
      const m = f.messages.filter((x) => x.ruleId === 'story-dependency');
      expect(m).toHaveLength(1);
      expect(m[0]!.message.startsWith(`Unexpected story dependency cycle ${pad(i)} -> ${pad((i + 1) % 1000)} -> `)).toBe(true);
      expect(m[0]!.message.split(' -> ')).toHaveLength(1001);
    }
  }, 180_000);
});

describe('Markdown the parsers need superlinear time for is a fatal error, found in one linear pass', () => {
  const body = (description: string) =>
    story(1, 'Hostile description', `### 001: Change a step\n**Domain:** backend\n**Status:** pending\n**Depends on:** none\n\n${description}\n\n---\n`);
  for (const [name, description, says] of [
    ['100 KB of ">"', '>'.repeat(100_000), 'Unexpected block quote markers ">" beyond 10000 in the file'],
    ['a block quote 101 deep', `${'>'.repeat(101)} x`, 'Unexpected block quote nested 101 levels deep, expected at most 100'],
    ['100 KB of ">" after a list marker', `- ${'>'.repeat(100_000)}`, 'Unexpected block quote markers ">" beyond 10000 in the file'],
    ['quotes and list items mixed, 101 deep', `${'> 1. '.repeat(101)}x`, 'Unexpected block quote nested 101 levels deep'],
    ['a list 101 deep on one line', `${'- '.repeat(101)}x`, 'Unexpected list nested 101 levels deep on one line, expected at most 100'],
    ['20,000 list markers of every kind on one line (4 minutes in micromark)', `${'- 1. * + 2) '.repeat(4_000)}x`, 'Unexpected list nested 20000 levels deep on one line'],
    ['list markers with ">" between, 110 deep', `${'- > '.repeat(60)}${'- '.repeat(50)}x`, 'Unexpected list nested 110 levels deep on one line'],
    ['100 KB of "[a]("', '[a]('.repeat(25_000), 'Unexpected paragraph with more than 1000 link openers "]("'],
    ['100 KB of "*a"', '*a'.repeat(50_000), 'Unexpected paragraph with more than 1000 emphasis delimiters'],
    ['1 MB of paragraphs of 30 "[a]("', `${'[a]('.repeat(30)}\n\n`.repeat(8_000), 'Unexpected link openers "](" beyond 10000 in the file'],
    ['1 MB of paragraphs of 999 "*a"', `${'*a'.repeat(499)}\n\n`.repeat(1_000), 'Unexpected number of emphasis delimiters'],
  ] as const) {
    it(`${name}: exit 1 with a fatal error, not minutes of parsing`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pt-limits-'));
      dirs.push(dir);
      mkdirSync(join(dir, 'docs/stories'), { recursive: true });
      writeFileSync(join(dir, 'docs/stories/001-hostile.md'), body(description));
      const r = await run(['lint', '-f', 'json'], dir);
      expect(r.code).toBe(1);
      const [result] = JSON.parse(r.stdout) as { messages: { fatal?: boolean; message: string }[] }[];
      expect(result!.messages).toHaveLength(1);
      expect(result!.messages[0]!.fatal).toBe(true);
      expect(result!.messages[0]!.message).toContain(says);
    }, 60_000);
  }

  it('what real stories hold stays far below the limits: quotes, links, emphasis, code fences full of * and >, a 600-row table of bold cells, 1,500 links in one paragraph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-limits-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    const prose = '> A quote with a [link](https://example.com) and *emphasis* and `a_b_c`.\n\n';
    const fence = `\`\`\`c\n${'int **p = *q; // > > >\n'.repeat(2_000)}\`\`\`\n\n`;
    const links = `${'See [the spec](https://example.com/spec) '.repeat(1_500)}\n\n`;
    const table = `| name | note |\n|---|---|\n${'| **bold_name** | *a* and _b_ |\n'.repeat(600)}\n`;
    writeFileSync(join(dir, 'docs/stories/001-hostile.md'), body(`Change \`src/x.go\`; \`go test\` passes.\n\n${prose.repeat(500)}${fence}${table}${links}`));
    const r = await run(['lint', '-f', 'json'], dir);
    const [result] = JSON.parse(r.stdout) as { messages: { fatal?: boolean; message: string }[] }[];
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  }, 60_000);

  it('a list 100 deep on one line and a thematic break of 300 "- " are within the limits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-limits-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/001-hostile.md'), body(`Change \`src/x.go\`; \`go test\` passes.\n\n${'- '.repeat(100)}x\n\n${'- '.repeat(300)}-\n`));
    const r = await run(['lint', '-f', 'json'], dir);
    const [result] = JSON.parse(r.stdout) as { messages: { fatal?: boolean; message: string }[] }[];
    expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  }, 60_000);

  it('20,000 taskStatuses: exit 2 at once ("expected at most 100 statuses"), not 12 s and 2.5 GB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-limits-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'docs/stories'), { recursive: true });
    writeFileSync(join(dir, 'docs/stories/001-hostile.md'), body('Change `src/x.go`; `go test` passes.'));
    writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify({ taskStatuses: Array.from({ length: 20_000 }, (_, i) => `s${i}`) }));
    const r = await run(['lint'], dir);
    expect(r.stderr).toContain('taskStatuses: Unexpected list, expected at most 100 statuses');
    expect(r.code).toBe(2);
  });
});
