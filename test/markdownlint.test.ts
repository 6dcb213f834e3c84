/**
 * `plan-tasks/markdownlint` under the real markdownlint-cli2, in a temp
 * project that installs plan-tasks (a symlink to this package, built): the
 * same findings as `plan-tasks lint --no-transitions` (cross-story refs
 * included), nothing on a Markdown file that is not a story, `--fix` writing
 * what `plan-tasks lint --fix` writes, and an invalid config reported.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markdownlintRules } from '../src/markdownlint.js';
import { rules } from '../rules/index.js';
import { runBin } from './cli-helpers.js';

const REPO = resolve(__dirname, '..');
const FIXTURE = join(REPO, 'test/fixtures/markdownlint');
const CLI2 = join(REPO, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-mdl-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules/plan-tasks'), 'dir');
  return dir;
}

function markdownlint(dir: string, args: string[] = []) {
  const r = spawnSync(process.execPath, [CLI2, ...args, '**/*.md'], { cwd: dir, encoding: 'utf8' });
  // The default formatter: `file:line[:column] severity name/alias description [detail]`.
  const findings = [...r.stderr.matchAll(/^(\S+?):(\d+)(?::(\d+))? (error|warning) plan-tasks-([\w-]+) .*$/gm)].map((m) => ({
    file: m[1]!,
    line: Number(m[2]),
    column: m[3] ? Number(m[3]) : 1,
    severity: m[4]!,
    ruleId: m[5]!,
    text: m[0],
  }));
  return { status: r.status, stderr: r.stderr, findings };
}

describe('plan-tasks/markdownlint', () => {
  it('is a list of valid markdownlint rules, one per plan-tasks rule a story can break', () => {
    // Single-file and cross-story rules (story-dependency among them); not the git rules, which need two versions.
    expect(markdownlintRules.map((r) => r.names[0])).toEqual(rules.filter((r) => !r.checkTransition).map((r) => `plan-tasks-${r.meta.id}`));
    expect(markdownlintRules.map((r) => r.names[0])).toContain('plan-tasks-story-dependency');
    expect(markdownlintRules.map((r) => r.names[0])).not.toContain('plan-tasks-task-removed');
    for (const r of markdownlintRules) {
      expect(r.tags).toEqual(['plan-tasks']);
      expect(r.information!.href).toMatch(/^https:\/\/github\.com\/plan-tasks\/plan-tasks\/blob\/main\/docs\/rules\/[\w-]+\.md$/);
    }
  });

  it('reports under markdownlint-cli2 what plan-tasks lint reports, and nothing on files that are not stories', () => {
    const dir = project();
    const r = markdownlint(dir);
    expect(r.status, r.stderr).toBe(1);
    const cli = runBin(['lint', '--format', 'json', '--no-transitions'], dir);
    const expected = (JSON.parse(cli.stdout) as { filePath: string; messages: { ruleId: string; line: number; column: number; message: string; severity: number }[] }[]).flatMap((f) =>
      f.messages.map((m) => ({ file: f.filePath.slice(dir.length + 1), line: m.line, column: m.column, severity: m.severity === 2 ? 'error' : 'warning', ruleId: m.ruleId, message: m.message })),
    );
    expect(expected.map((m) => m.ruleId)).toEqual(expect.arrayContaining(['task-heading', 'task-status', 'story-dependency', 'dependency-unknown', 'dependency-status']));
    const sort = <T extends { file: string; line: number; column: number }>(a: T[]) => [...a].sort((x, y) => x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column);
    const got = sort(r.findings);
    const want = sort(expected);
    expect(got.map(({ file, line, column, ruleId }) => ({ file, line, column, ruleId }))).toEqual(want.map(({ file, line, column, ruleId }) => ({ file, line, column, ruleId })));
    got.forEach((f, i) => expect(f.text).toContain(`[${want[i]!.message}`));
    expect(r.findings.some((f) => f.file === 'README.md')).toBe(false);
  });

  it('applies the one-line fixes with --fix as plan-tasks lint --fix does, and leaves the rest', () => {
    const viaMarkdownlint = project();
    const viaPlanTasks = project();
    const before = readFileSync(join(viaMarkdownlint, 'docs/stories/001-quick-fix.md'), 'utf8');
    const r = markdownlint(viaMarkdownlint, ['--fix']);
    runBin(['lint', '--fix', '--no-transitions'], viaPlanTasks);
    for (const file of ['docs/stories/001-quick-fix.md', 'docs/stories/002-cross-story.md', 'README.md']) {
      expect(readFileSync(join(viaMarkdownlint, file), 'utf8'), file).toBe(readFileSync(join(viaPlanTasks, file), 'utf8'));
    }
    expect(readFileSync(join(viaMarkdownlint, 'docs/stories/001-quick-fix.md'), 'utf8')).not.toBe(before);
    // What no fix can mend is still reported.
    expect(r.findings.map((f) => f.ruleId).sort()).toEqual(['dependency-status', 'dependency-unknown', 'story-dependency']);
  });

  it('takes the severity markdownlint gives a rule, and honours plan-tasks off', () => {
    const dir = project();
    writeFileSync(join(dir, 'docs/stories/001-quick-fix.md'), readFileSync(join(dir, 'docs/stories/001-quick-fix.md'), 'utf8').replace('\n---\n', '\n'));
    const r = markdownlint(dir);
    const separator = r.findings.filter((f) => f.ruleId === 'task-separator');
    expect(separator).toHaveLength(1);
    expect(separator[0]!.severity).toBe('warning');
    writeFileSync(join(dir, 'plan-tasks.config.json'), JSON.stringify({ taskStatuses: ['todo', 'doing', 'done'], rules: { 'task-separator': 'off', 'task-specific': 'off' } }));
    expect(markdownlint(dir).findings.some((f) => f.ruleId === 'task-separator')).toBe(false);
  });

  it('fails, naming the problem, when the plan-tasks config is invalid', () => {
    const dir = project();
    writeFileSync(join(dir, 'plan-tasks.config.json'), '{"rules": {"task-heading": "loud"}}');
    const r = markdownlint(dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('rules.task-heading');
  });
});
