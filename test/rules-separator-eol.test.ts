import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { fixStoryText } from '../src/lint/lint.js';

const story = (eols: string[]) => {
  const lines = [
    '# Story 001: Mixed endings',
    '',
    '## Status',
    'In Progress',
    '',
    '## Tasks',
    '',
    '### 001: Add the parser',
    '**Domain:** backend',
    '**Status:** pending',
    '**Depends on:** none',
    '',
    'Add `parse()` in `src/parse.go`; a unit test checks it returns the header.',
    '',
    '### 002: Add the client',
    '**Domain:** backend',
    '**Status:** pending',
    '**Depends on:** 001',
    '',
    'Call `parse()` from `src/client.go`; a unit test checks the client prints it.',
  ];
  return lines.map((l, i) => l + (eols[i] ?? '\n')).join('');
};

describe('task-separator fix in a file with mixed line endings', () => {
  it('inserts the separator with the ending of the line it follows', () => {
    // Line 13 (the description of task 001) ends in CRLF; the file is mostly LF.
    const eols: string[] = [];
    eols[12] = '\r\n';
    eols[13] = '\r\n';
    const text = story(eols);
    const { output } = fixStoryText(text, '/x/001-mixed.md', { config: defaultConfig('/x') });
    expect(output).toContain('returns the header.\r\n\r\n---\r\n\r\n### 002');
    // Every other line keeps its own ending.
    expect(output.replace('\r\n\r\n---', '')).toBe(text);
  });

  it('uses LF after an LF line in a mostly-CRLF file', () => {
    const eols = Array.from({ length: 20 }, () => '\r\n');
    eols[12] = '\n';
    const text = story(eols);
    const { output } = fixStoryText(text, '/x/001-mixed.md', { config: defaultConfig('/x') });
    expect(output).toContain('returns the header.\n\n---\n\r\n### 002');
  });
});
