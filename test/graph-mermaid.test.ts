/**
 * The Mermaid we print is valid Mermaid: checked with Mermaid's own parser
 * (`mermaid.parse`, in Node with a jsdom DOM), for one story, for all stories
 * of the fixture plan, and for all 28 stories of the weave corpus.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMermaid, type Mermaid } from './mermaid-helper.js';
import { resolveConfig } from '../src/config/load.js';
import { graphView, toMermaid } from '../src/graph/render.js';
import { buildTaskGraph } from '../src/graph/task-graph.js';
import { parseStory } from '../src/story/parse.js';
import { FIXTURES, run } from './graph-helpers.js';

let mermaid: Mermaid;

beforeAll(async () => {
  mermaid = await loadMermaid();
});

async function expectValid(text: string): Promise<void> {
  // Throws with Mermaid's own parse error when the text is not valid.
  const result = (await mermaid.parse(text)) as { diagramType: string };
  expect(result.diagramType).toMatch(/^flowchart/);
}

describe('Mermaid output', () => {
  it('the parser rejects broken text (so the checks below can fail)', async () => {
    // What the output would be without escaping a quote in a title.
    expect(await mermaid.parse('flowchart LR\n  t040_001["001: say "hi" now"]', { suppressErrors: true })).toBe(false);
    expect(await mermaid.parse('flowchart LR\n  t040_001["001: say #34;hi#34; now"]', { suppressErrors: true })).not.toBe(false);
  });

  it('parses for one story with cross-story neighbours and escaped labels', async () => {
    const r = await run(join(FIXTURES, 'plan'), ['graph', '050']);
    expect(r.code).toBe(0);
    await expectValid(r.stdout);
  });

  it('parses for all stories of the fixture plan and for custom statuses', async () => {
    await expectValid((await run(join(FIXTURES, 'plan'), ['graph', 'all'])).stdout);
    await expectValid((await run(join(FIXTURES, 'custom'), ['graph', 'all'])).stdout);
  });

  it('parses for all stories of the weave corpus and for each story alone', async () => {
    const dir = fileURLToPath(new URL('./fixtures/weave/stories/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
    expect(files.length).toBe(28);
    const stories = files.map((f) => parseStory(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
    const tg = buildTaskGraph(stories, resolveConfig({}, dir, null));
    const all = toMermaid(graphView(tg, null));
    expect(all.match(/^ {2}subgraph /gm)?.length).toBe(28);
    await expectValid(all);
    for (const id of ['005', '027']) await expectValid(toMermaid(graphView(tg, id)));
  });

  it('parses hostile titles', async () => {
    const text = [
      '# Story 040: Hostile',
      '',
      '## Tasks',
      '',
      ...[
        'Quotes "x" and \'y\' and `code` end',
        'Brackets [a] (b) {c} <d> |e| %% f',
        '#hash #35; &amp; entity; ;semi -> arrow --> link',
        'Ünïcødé ✓ 日本語 🚀 ~~strike~~ **bold**',
        'end',
      ].flatMap((title, i) => [`### 00${i + 1}: ${title}`, '**Domain:** compute', '**Status:** pending', `**Depends on:** ${i ? `00${i}` : 'none'}`, '', 'Do it.', '', '---', '']),
    ].join('\n');
    const tg = buildTaskGraph([parseStory(text, '/p/040-hostile.md')], resolveConfig({}, '/', null));
    expect(tg.nodes.size).toBe(5);
    await expectValid(toMermaid(graphView(tg, '040')));
  });
});
