import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { escapeData, escapeProperty, github } from '../src/report/github.js';
import type { LintResult } from '../src/lint/types.js';

const FIXTURE = resolve(__dirname, 'fixtures/report');
const REPO = resolve(__dirname, '..');

function run(argv: string[], env: Record<string, string> = {}, cwd = FIXTURE) {
  const out = { stdout: '', stderr: '' };
  const io = { cwd, stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), env, isTTY: false };
  return main(argv, io).then((code) => ({ code, ...out }));
}

/** How the runner reads a workflow command (the inverse of @actions/core's escaping). */
function parseCommand(line: string) {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = Object.fromEntries(m[2]!.split(',').map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), unescape(kv.slice(i + 1))];
  }));
  return { command: m[1]!, props, message: unescape(m[3]!) };
}

const result = (filePath: string, messages: LintResult['messages']): LintResult => ({
  filePath,
  messages,
  suppressedMessages: [],
  usedDeprecatedRules: [],
  errorCount: messages.filter((m) => m.severity === 2).length,
  warningCount: messages.filter((m) => m.severity === 1).length,
  fatalErrorCount: 0,
  fixableErrorCount: 0,
  fixableWarningCount: 0,
});

describe('--format github', () => {
  it('escapes data and properties exactly as @actions/core does', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext%3A a%2C b');
    // `%` first, so an already-escaped sequence is not decoded by the runner.
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('round-trips any message and file name through the runner\'s parsing', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (message, name) => {
        const base = `f${name.replace(/[\\/]/g, '_')}`;
        const file = join(FIXTURE, base);
        const text = github([result(file, [{ ruleId: 'task-status', severity: 2, message, line: 3, column: 2, endLine: 4, endColumn: 9 }])], { cwd: FIXTURE, color: false, rulesMeta: {}, env: {} });
        const lines = text.split('\n');
        expect(lines).toHaveLength(2);
        const parsed = parseCommand(lines[0]!);
        expect(parsed.message).toBe(message);
        expect(parsed.props.file).toBe(base);
      }),
    );
  });

  it('prints one annotation per message, errors and warnings, relative to the working directory, exit 1', async () => {
    const { code, stdout, stderr } = await run(['lint', '--format', 'github']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      '::error file=docs/stories/001-cycle.md,line=19,col=17,endLine=19,endColumn=20,title=dependency-cycle::Unexpected dependency cycle 001 -> 002 -> 001, expected tasks that can be ordered. Remove one of these dependencies.',
      expect.stringMatching(/^::warning file=docs\/stories\/002-percent%25%2Ccomma\.md,line=25,col=1,endLine=25,endColumn=17,title=task-specific::Unexpected vague task 002, /),
    ]);
    const warning = parseCommand(stdout.split('\n')[1]!);
    expect(warning.props.file).toBe('docs/stories/002-percent%,comma.md');
  });

  it('makes paths relative to GITHUB_WORKSPACE when it is set', async () => {
    const { stdout } = await run(['lint', '--format', 'github'], { GITHUB_WORKSPACE: REPO });
    expect(stdout).toContain('::error file=test/fixtures/report/docs/stories/001-cycle.md,line=19,');
  });

  it('titles a message without a rule (an unreadable file) plan-tasks', () => {
    const text = github([result('/elsewhere/x.md', [{ ruleId: null, severity: 2, fatal: true, message: 'Unexpected binary file', line: 1, column: 1, endLine: 1, endColumn: 1 }])], { cwd: FIXTURE, color: false, rulesMeta: {}, env: {} });
    expect(text).toBe('::error file=/elsewhere/x.md,line=1,col=1,endLine=1,endColumn=1,title=plan-tasks::Unexpected binary file\n');
  });

  it('prints nothing for clean files, and -o writes the annotations to a file', async () => {
    const clean = await run(['lint', '--format', 'github', 'docs/stories/002-percent%,comma.md', '--quiet']);
    expect(clean).toMatchObject({ code: 0, stdout: '' });
    const dir = mkdtempSync(join(tmpdir(), 'pt-gh-'));
    try {
      const file = join(dir, 'annotations.txt');
      const { code, stdout } = await run(['lint', '--format', 'github', '-o', file]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(readFileSync(file, 'utf8')).toMatch(/^::error file=docs\/stories\/001-cycle\.md,line=19,/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
