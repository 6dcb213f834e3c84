/**
 * The npm package: what `npm pack` ships is enough for the bin, the API
 * (`exports["."]`), the preset (`plan-tasks/preset`), `schema.json` and the
 * types, tested by installing the tarball's contents in a temp folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI_FIXTURES, REPO } from './cli-helpers.js';

let dir: string;
let files: string[];
const PKG = () => join(dir, 'node_modules/plan-tasks');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pt-pack-'));
  // What `prepack` adds to the build: the declaration files.
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.types.json')], { cwd: REPO });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path);
  mkdirSync(PKG(), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info!.filename), '-C', PKG(), '--strip-components=1']);
  // The package's dependencies, as an install would provide them.
  symlinkSync(join(REPO, 'node_modules'), join(PKG(), 'node_modules'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships every file package.json points at, and no tests or sources', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const targets = [pkg.bin['plan-tasks'], ...Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)))];
    for (const target of targets) expect([target, files.includes(target.replace(/^\.\//, ''))]).toEqual([target, true]);
    expect(files).toContain('dist/types/src/index.d.ts');
    expect(files).toContain('dist/types/src/preset.d.ts');
    expect(files.filter((f) => /^(test|src|rules|bench)\//.test(f))).toEqual([]);
  });

  it('the installed bin lints', () => {
    const r = spawnSync(process.execPath, [join(PKG(), 'bin/plan-tasks.js'), 'lint', '--format', 'json', '003-errors.md'], { cwd: join(CLI_FIXTURES, 'lint'), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)[0].errorCount).toBe(3);
  });

  it('the API, the preset and schema.json import by package name', () => {
    writeFileSync(
      join(dir, 'use.mjs'),
      `import { lintStoryText, lintText, lint, workingTreeSnapshot, parseStory, defaultConfig, loadConfig, RULE_IDS } from 'plan-tasks';
import preset from 'plan-tasks/preset';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
const schema = createRequire(import.meta.url)('plan-tasks/schema.json');
const text = readFileSync(process.argv[2], 'utf8');
const config = defaultConfig(process.cwd());
const { messages } = lintStoryText(text, process.argv[2], { config });
const viaText = await lintText(text, process.argv[2], { config });
const viaSnapshot = await lint(workingTreeSnapshot(config), { config, files: [process.argv[2]] });
console.log(JSON.stringify({
  same: JSON.stringify(viaText.messages) === JSON.stringify(messages) && JSON.stringify(viaSnapshot[0].messages) === JSON.stringify(messages),
  rules: messages.map((m) => m.ruleId),
  tasks: parseStory(text).tasks.length,
  plugins: preset.plugins.length,
  schema: schema.title,
  ids: RULE_IDS.length,
  load: typeof loadConfig,
}));
`,
    );
    const r = spawnSync(process.execPath, [join(dir, 'use.mjs'), join(CLI_FIXTURES, 'lint/003-errors.md')], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ same: true, rules: ['task-domain', 'task-domain', 'task-status'], tasks: 2, plugins: expect.any(Number), schema: 'plan-tasks config', ids: 24, load: 'function' });
  });

  it('the types declare the API', () => {
    const dts = readFileSync(join(PKG(), 'dist/types/src/index.d.ts'), 'utf8');
    expect(dts).toContain("export { lint, lintText, lintStoryText, fixStoryText } from './lint/lint.js';");
    expect(existsSync(join(PKG(), 'dist/types/src/lint/lint.d.ts'))).toBe(true);
    const decl = readFileSync(join(PKG(), 'dist/types/src/lint/lint.d.ts'), 'utf8');
    for (const fn of ['lint', 'lintText', 'lintStoryText']) expect(decl).toContain(`export declare function ${fn}(`);
  });
});
