/**
 * readStory (src/lint/files.ts) reads into one buffer it keeps from file to
 * file: every text comes out whole and unmixed whatever the order of sizes
 * (small after large, large after small, beyond the kept size), and the
 * fatal cases still hold.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStory } from '../src/lint/files.js';

const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const story = (n: number, fill: string) => `# Story ${String(n).padStart(3, '0')}: Size ${fill.length}\n\n## Status\n\nDraft\n\n## Notes\n\n${fill}\n`;

describe('readStory', () => {
  it('reads files of growing and shrinking sizes back exactly', () => {
    const sizes = [10, 70_000, 5, 300_000, 64 * 1024 - 40, 2_000_000, 1, 65_536];
    const texts = sizes.map((size, i) => story(i + 1, 'é'.repeat(Math.floor(size / 4)) + 'x'.repeat(size % 7)));
    texts.forEach((t, i) => writeFileSync(join(dir, `${i}.md`), t));
    // Twice, so each size follows each kind of buffer state.
    for (let round = 0; round < 2; round++) {
      texts.forEach((t, i) => expect(readStory(join(dir, `${i}.md`))).toEqual({ text: t }));
    }
  });

  it('still reports a binary file and invalid UTF-8 after a large read', () => {
    writeFileSync(join(dir, 'big.md'), story(9, 'y'.repeat(500_000)));
    readStory(join(dir, 'big.md'));
    writeFileSync(join(dir, 'bin.md'), Buffer.from([0x23, 0x20, 0x00, 0x41]));
    expect(readStory(join(dir, 'bin.md'))).toMatchObject({ fatal: { fatal: true, message: expect.stringContaining('binary') } });
    writeFileSync(join(dir, 'bad.md'), Buffer.concat([Buffer.from('# Story 001: A\n\nx'), Buffer.from([0xff]), Buffer.from('\n')]));
    expect(readStory(join(dir, 'bad.md'))).toMatchObject({ fatal: { line: 3, column: 2, message: expect.stringContaining('0xff') } });
  });
});
