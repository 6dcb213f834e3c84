/**
 * `--format markdown` (job summaries, PR comments) and `--format github`'s
 * job summary under GitHub Actions. The report is parsed back with the same
 * GFM parser GitHub's renderer follows (micromark + GFM tables) to check that
 * every finding is one table row and that story text cannot break out.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Root, Table } from 'mdast';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { cell, markdownReport } from '../src/report/markdown.js';
import { fullText } from '../src/report/types.js';
import type { LintResult } from '../src/lint/types.js';

const MANY = resolve(__dirname, 'fixtures/report/many');
const REPORT = resolve(__dirname, 'fixtures/report');

async function run(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env, isTTY: false };
  const code = await main(argv, io);
  return { code, ...out };
}

const gfmParser = unified().use(remarkParse).use(remarkGfm);
const parse = (md: string): Root => gfmParser.runSync(gfmParser.parse(md)) as Root;
const tables = (tree: Root) => tree.children.filter((n): n is Table => n.type === 'table');
function texts(node: unknown): string {
  const n = node as { value?: string; children?: unknown[] };
  return (n.value ?? '') + (n.children ?? []).map(texts).join('');
}
function kinds(node: unknown, out = new Set<string>()): Set<string> {
  const n = node as { type: string; children?: unknown[] };
  out.add(n.type);
  for (const c of n.children ?? []) kinds(c, out);
  return out;
}

function htmlValues(node: unknown, out: string[] = []): string[] {
  const n = node as { type: string; value?: string; children?: unknown[] };
  if (n.type === 'html') out.push(n.value!);
  for (const c of n.children ?? []) htmlValues(c, out);
  return out;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'pt-md-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const msg = (message: string, line: number, severity: 1 | 2 = 2, ruleId: string | null = 'task-status', note?: string): LintResult['messages'][number] => ({
  ruleId, severity, message, ...(note ? { note } : {}), line, column: 1, endLine: line, endColumn: 2,
});
const result = (filePath: string, messages: LintResult['messages']): LintResult => ({
  filePath, messages,
  suppressedMessages: [],
  usedDeprecatedRules: [],
  errorCount: messages.filter((m) => m.severity === 2).length,
  warningCount: messages.filter((m) => m.severity === 1).length,
  fatalErrorCount: 0, fixableErrorCount: 0, fixableWarningCount: 0,
});

describe('--format markdown', () => {
  it('gives the counts and one table row per finding, each linked to its rule doc', async () => {
    const json = JSON.parse((await run(['lint', '--format', 'json', '--no-transitions'], MANY)).stdout) as LintResult[];
    expect(json.flatMap((f) => f.messages).some((m) => m.note)).toBe(true);
    const r = await run(['lint', '--format', 'markdown', '--no-transitions'], MANY);
    expect(r.code).toBe(1);
    const tree = parse(r.stdout);
    expect(texts(tree.children[0])).toBe('plan-tasks');
    expect(r.stdout).toContain('**23 problems** (12 errors, 11 warnings) in 1 file of 1.');
    const [table] = tables(tree);
    const rows = table!.children.slice(1);
    const all = json.flatMap((f) => f.messages);
    expect(rows).toHaveLength(all.length);
    rows.forEach((row, i) => {
      const m = all[i]!;
      expect(row.children).toHaveLength(4);
      expect(texts(row.children[0])).toBe(m.severity === 2 ? 'error' : 'warning');
      expect(texts(row.children[1])).toBe(`docs/stories/001-many.md:${m.line}:${m.column}`);
      // The message, then its how-to-fix note after a line break.
      expect(texts(row.children[2])).toBe((m.note ? `${m.message}<br>${m.note}` : m.message).replace(/`/g, ''));
      const link = row.children[3]!.children[0] as { type: string; url: string };
      expect(link.type).toBe('link');
      expect(link.url).toBe(`https://github.com/plan-tasks/plan-tasks/blob/main/docs/rules/${m.ruleId}.md`);
    });
  });

  it('says so in one line when there is nothing to report', () => {
    const clean = markdownReport([result('/x/a.md', []), result('/x/b.md', [])], { cwd: '/x', color: false, rulesMeta: {}, env: {} });
    expect(clean).toBe('## plan-tasks\n\nNo problems in 2 files.\n');
  });

  it('keeps story text from breaking the table, adding HTML or mentioning anyone', () => {
    const hostile = [
      msg('Unexpected status `a|b` in <script>alert(1)</script> | cell @octocat **bold** [x](http://evil)', 3),
      msg('Unexpected ``code with ` tick`` and a\nnew line & an entity &amp;', 4, 1, 'task-heading', 'Move it | there.'),
      msg('Unclosed `code span | here', 5, 2, null),
    ];
    const md = markdownReport([result('/r/docs/stories/00`1 | x.md', hostile)], { cwd: '/r', color: false, rulesMeta: {}, env: {} });
    const tree = parse(md);
    const [table] = tables(tree);
    expect(table!.children).toHaveLength(4);
    for (const row of table!.children) expect(row.children).toHaveLength(4);
    // The only HTML is the line break before a note.
    expect(htmlValues(tree)).toEqual(['<br>']);
    const rows = table!.children.slice(1);
    expect(texts(rows[0]!.children[2])).toBe('Unexpected status a|b in <script>alert(1)</script> | cell @octocat **bold** [x](http://evil)');
    expect(kinds(rows[0]!.children[2]).has('link')).toBe(false);
    expect(kinds(rows[0]!.children[2]).has('strong')).toBe(false);
    expect(md).not.toMatch(/(^|[^\w`])@octocat/);
    expect(texts(rows[1]!.children[2])).toContain('code with ` tick');
    expect(texts(rows[1]!.children[2])).toContain('Move it | there.');
    expect(texts(rows[2]!.children[2])).toBe('Unclosed `code span | here');
    expect(texts(rows[2]!.children[3])).toBe('');
    expect(texts(rows[0]!.children[1])).toBe('docs/stories/001 | x.md:3:1');
    expect(cell('a|b')).toBe('a\\|b');
  });

  it('links each location to the line at the commit under GitHub Actions', async () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc123', GITHUB_WORKSPACE: MANY };
    const r = await run(['lint', '--format', 'markdown', '--no-transitions'], MANY, env);
    const [table] = tables(parse(r.stdout));
    const link = table!.children[1]!.children[1]!.children[0] as { type: string; url: string };
    expect(link.type).toBe('link');
    expect(link.url).toBe('https://github.com/o/r/blob/abc123/docs/stories/001-many.md#L14');
  });

  it('keeps under its byte budget and counts the findings it leaves out', () => {
    const messages = Array.from({ length: 500 }, (_, i) => msg(`Unexpected thing number ${i} ${'x'.repeat(100)}`, i + 1));
    const md = markdownReport([result('/r/a.md', messages)], { cwd: '/r', color: false, rulesMeta: {}, env: {} }, { maxBytes: 20_000 });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(20_000);
    const rows = tables(parse(md))[0]!.children.length - 1;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(500);
    expect(md).toContain(`${500 - rows} more problems not shown`);
  });
});

describe('a message with its note as one text (github, sarif, markdownlint)', () => {
  it('joins with a full stop, or a space after one the message has', () => {
    expect(fullText({ message: 'Unexpected X, expected Y' })).toBe('Unexpected X, expected Y');
    expect(fullText({ message: 'Unexpected X, expected Y', note: 'Do Z.' })).toBe('Unexpected X, expected Y. Do Z.');
    expect(fullText({ message: 'Unexpected task status `Complete`, expected `done`?', note: 'The task statuses: `done`.' })).toBe('Unexpected task status `Complete`, expected `done`? The task statuses: `done`.');
  });
});

describe('--format github under GitHub Actions', () => {
  it('appends the whole report to $GITHUB_STEP_SUMMARY after what the step wrote, and says what the annotations leave out', async () => {
    const dir = tempDir();
    const summary = join(dir, 'step_summary');
    writeFileSync(summary, '# Earlier step output\n');
    const r = await run(['lint', '--format', 'github', '--no-transitions'], MANY, { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: MANY });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(12);
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(11);
    expect(lines.at(-1)).toBe('::notice title=plan-tasks::GitHub shows 10 error and 10 warning annotations per step: 3 more problems are not annotated; the job summary and this log list all 23.');
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# Earlier step output\n\n## plan-tasks\n')).toBe(true);
    const rows = tables(parse(text))[0]!.children.slice(1);
    expect(rows).toHaveLength(23);
    // A second run (another step in the same file) appends, never replaces.
    await run(['lint', '--format', 'github', '--no-transitions'], MANY, { GITHUB_STEP_SUMMARY: summary });
    expect(tables(parse(readFileSync(summary, 'utf8')))).toHaveLength(2);
  });

  it('writes no summary without GITHUB_STEP_SUMMARY, and no notice under the cap', async () => {
    const dir = tempDir();
    copyFileSync(join(REPORT, 'docs/stories/001-cycle.md'), join(dir, '001-cycle.md'));
    const r = await run(['lint', '--format', 'github', '--no-transitions', '001-cycle.md'], dir);
    expect(r.stdout).not.toContain('::notice');
  });

  it('exits 2 with a message when the summary cannot be written', async () => {
    const dir = tempDir();
    const r = await run(['lint', '--format', 'github', '--no-transitions'], MANY, { GITHUB_STEP_SUMMARY: join(dir, 'missing-dir', 'summary') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot append the job summary to GITHUB_STEP_SUMMARY');
    expect(r.stderr).toContain('ENOENT');
  });
});
