/**
 * Terminal escapes from story text never reach a terminal raw: in every
 * human-facing format (stylish, `next`, Mermaid, DOT, GitHub annotations, error lines) control
 * characters are shown escaped (`\x1b`), so `ESC[8m` in a status cannot hide
 * the rest of the report, nor an OSC 8 link or a clear-screen pass. The
 * machine formats (json, sarif) keep the text as it is (JSON escapes it).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { visible } from '../../src/report/visible.js';
import { REPO, run } from '../cli-helpers.js';

const ESC = '\u001b';
const HIDE = `${ESC}[8m`;
const CLEAR = `${ESC}[2J${ESC}[H`;
const OSC8 = `${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`;
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const dir = mkdtempSync(join(tmpdir(), 'pt-escapes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(REPO, 'test/fixtures/graph/plan'), dir, { recursive: true });
const story = join(dir, 'docs/stories/050-token-auth.md');
writeFileSync(
  story,
  readFileSync(story, 'utf8')
    .replace('**Status:** done', `**Status:** Complete${HIDE}`)
    .replace('### 002: Validate', `### 002: ${OSC8} Validate`)
    .replace('# Story 050: Token authentication', `# Story 050: Token${CLEAR} authentication`)
    .replace(/(### 00[3-9]: )/, `$1${OSC8} \u202e`),
);

describe('control characters from story text are shown escaped', () => {
  it('visible(): C0 but tab and newline, DEL, C1, bidi controls; other text unchanged', () => {
    expect(visible(`a${HIDE}b`)).toBe('a\\x1b[8mb');
    expect(visible('tab\there\nnext\r\u0007\u007f\u009b\u202e\u2066 ünï ✓')).toBe('tab\there\nnext\\x0d\\x07\\x7f\\x9b\\u202e\\u2066 ünï ✓');
    expect(visible('plain text')).toBe('plain text');
  });

  it('stylish: the status with ESC[8m is shown as \\x1b[8m and the later lines stay visible', async () => {
    const r = await run(['lint', 'docs/stories/050-token-auth.md'], dir);
    expect(r.stdout).toContain('Complete\\x1b[8m');
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toMatch(/\d+ problems?/);
  });

  it('github annotations: the status with ESC[8m is shown escaped in the Actions log', async () => {
    const r = await run(['lint', '-f', 'github', 'docs/stories/050-token-auth.md'], dir);
    expect(r.stdout).toMatch(/^::(error|warning) /m);
    expect(r.stdout).toContain('Complete\\x1b[8m');
    expect(r.stdout).not.toMatch(RAW);
  });

  it('next: titles with an OSC 8 link are shown escaped', async () => {
    writeFileSync(story, readFileSync(story, 'utf8').replace(`**Status:** Complete${HIDE}`, '**Status:** done'));
    // The task `next` lists as ready (the others wait for story 051 to be Done).
    const other = join(dir, 'docs/stories/051-release-pipeline.md');
    writeFileSync(other, readFileSync(other, 'utf8').replace(': Add the release checklist', `: ${OSC8} \u202eAdd the release checklist`));
    const r = await run(['next'], dir);
    expect(r.stdout).toContain('\\x1b]8;;https://evil.example/');
    expect(r.stdout).toContain('\\u202e');
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  });

  it('graph: Mermaid and DOT labels carry no raw control character', async () => {
    for (const format of ['mermaid', 'dot']) {
      const r = await run(['graph', '050', '-f', format], dir);
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).toContain('\\x1b');
      expect(r.stdout, format).not.toMatch(RAW);
    }
  });

  it('an error line naming a file with an escape in its name shows it escaped', async () => {
    const r = await run(['lint', `nope${CLEAR}.md`], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope\\x1b[2J');
    expect(r.stderr).not.toMatch(RAW);
  });
});
