/** Every rule has the doc page its `meta.url` points at, and a row in the README table. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { RULE_DEFAULTS } from '../src/config/defaults.js';
import { DOCS_BASE } from '../src/rules/util.js';

const ROOT = new URL('..', import.meta.url).pathname;
const README = readFileSync(ROOT + 'README.md', 'utf8');

describe('rule docs', () => {
  for (const { meta } of [...rules, { meta: { id: 'story-dependency', url: DOCS_BASE + 'story-dependency.md', fixable: false } }]) {
    it(meta.id, () => {
      expect(meta.url).toBe(`${DOCS_BASE}${meta.id}.md`);
      const page = ROOT + `docs/rules/${meta.id}.md`;
      expect(existsSync(page), page).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text.startsWith(`# ${meta.id}\n`)).toBe(true);
      // '## How to fix' holds what the one-line stylish report leaves to the page (the messages' notes).
      for (const part of ['## How to fix', '## OK', '## Not OK', '## Options', 'Default severity:']) expect(text).toContain(part);
      expect(text).toContain(meta.fixable ? 'Fixable: yes' : 'Fixable: no');
      const row = README.split('\n').find((l) => l.startsWith(`| [\`${meta.id}\`](docs/rules/${meta.id}.md) |`));
      expect(row, `README rules table row for ${meta.id}`).toBeDefined();
      expect(row!.split('|')[3]!.trim()).toBe(meta.fixable ? 'yes' : '');
      expect(row!.split('|')[2]!.trim()).toBe(RULE_DEFAULTS[meta.id]);
      expect(text).toContain(`Default severity: \`${RULE_DEFAULTS[meta.id]}\``);
    });
  }
});
