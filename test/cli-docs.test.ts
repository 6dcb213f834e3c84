/**
 * docs/ARCHITECTURE.md stays true: its diagram is valid Mermaid (Mermaid's own
 * parser, in Node with a jsdom DOM) and every source path it names exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMermaid, type Mermaid } from './mermaid-helper.js';
import { REPO } from './cli-helpers.js';

const DOC = readFileSync(join(REPO, 'docs/ARCHITECTURE.md'), 'utf8');
let mermaid: Mermaid;

beforeAll(async () => {
  mermaid = await loadMermaid();
});

describe('docs/ARCHITECTURE.md', () => {
  it('has a diagram Mermaid parses', async () => {
    const block = /```mermaid\n([^]*?)```/.exec(DOC)![1]!;
    expect(await mermaid.parse('flowchart LR\n  a["x" y"]', { suppressErrors: true })).toBe(false);
    expect(((await mermaid.parse(block)) as { diagramType: string }).diagramType).toMatch(/^flowchart/);
  });

  it('names only files and folders that exist', () => {
    const paths = [...DOC.matchAll(/`((?:src|rules|bin|test|scripts)\/[\w./*-]*?)`/g)].map((m) => m[1]!.replace(/\/\*.*$/, '').replace(/\*\.ts$/, ''));
    const inDiagram = [...DOC.matchAll(/<br\/>((?:src|rules)\/[\w./-]+)/g)].map((m) => m[1]!);
    expect(paths.length + inDiagram.length).toBeGreaterThan(15);
    for (const p of [...paths, ...inDiagram]) expect([p, existsSync(join(REPO, p))]).toEqual([p, true]);
  });
});
