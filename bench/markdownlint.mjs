// markdownlint-cli2 over the 504-story corpus (bench/corpus.mjs): its own rules
// alone, then with plan-tasks/markdownlint added, then plan-tasks lint on the
// same folder; median of 3 runs each. `node bench/markdownlint.mjs`
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpora } from './corpus.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'pt-bench-mdl-'));
try {
  const { manyRoot } = buildCorpora(work);
  mkdirSync(join(manyRoot, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(manyRoot, 'node_modules', 'plan-tasks'), 'dir');
  writeFileSync(join(manyRoot, '.git'), '');
  writeFileSync(join(manyRoot, 'plan-tasks.config.json'), JSON.stringify({ domains: ['backend', 'compute', 'electron', 'packaging', 'weave', 'documentation'] }));
  const cli2 = join(ROOT, 'node_modules/markdownlint-cli2/markdownlint-cli2-bin.mjs');
  const time = (label, args, config) => {
    if (config) writeFileSync(join(manyRoot, '.markdownlint-cli2.jsonc'), JSON.stringify(config));
    const runs = [];
    let status;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      status = spawnSync(process.execPath, args, { cwd: manyRoot, stdio: 'ignore' }).status;
      runs.push(performance.now() - t);
    }
    runs.sort((a, b) => a - b);
    console.log(`${label.padEnd(48)} ${runs[1].toFixed(0).padStart(6)} ms  (exit ${status})`);
  };
  time('markdownlint-cli2, its own rules', [cli2, 'docs/stories/*.md'], { config: { default: true } });
  time('markdownlint-cli2 + plan-tasks/markdownlint', [cli2, 'docs/stories/*.md'], { config: { default: true }, customRules: ['plan-tasks/markdownlint'] });
  time('markdownlint-cli2, plan-tasks rules only', [cli2, 'docs/stories/*.md'], { config: { default: false, 'plan-tasks': true }, customRules: ['plan-tasks/markdownlint'] });
  time('plan-tasks lint --no-transitions', [join(ROOT, 'bin/plan-tasks.js'), 'lint', '--no-transitions'], null);
} finally {
  rmSync(work, { recursive: true, force: true });
}
