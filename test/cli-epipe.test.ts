import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/plan-tasks.js', import.meta.url));
const CORPUS = fileURLToPath(new URL('./fixtures/weave/stories', import.meta.url));

describe('a reader that stops early (`plan-tasks lint | head`)', () => {
  it('ends quietly, without a stack trace', () => {
    const r = spawnSync('bash', ['-c', `node "${BIN}" lint --no-transitions "${CORPUS}" | head -c 1 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.stderr).toMatch(/status [01]\b/);
  });
});
