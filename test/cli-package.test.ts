/**
 * The npm package as `npm pack` really makes it: a copy of this checkout (its
 * tracked and new files, node_modules linked) is packed with its lifecycle
 * scripts (`prepare` builds dist/ and the type declarations), the tarball is
 * unpacked as an install would, and then:
 * - the bin lints, the API, the preset and schema.json import by package name,
 *   and `require('plan-tasks')` works (Node 20.19+ requires ES modules);
 * - a TypeScript consumer compiles with `tsc --module nodenext` against
 *   `plan-tasks` and `plan-tasks/preset`, and fails on a wrong call (the
 *   types are real, not `any`);
 * The checkout itself is not packed: `prepare` would rebuild the dist/ other
 * test files are running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { CLI_FIXTURES, copyCheckout, REPO } from './cli-helpers.js';
import { RULE_IDS } from '../src/config/defaults.js';

let dir: string;
let files: string[];
const PKG = () => join(dir, 'node_modules/plan-tasks');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');
/** npm's own variables from an `npm test` running this would steer the nested npm. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_|^INIT_CWD$|^GITHUB_STEP_SUMMARY$/i.test(k)));

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'pt-pack-')));
  const src = join(dir, 'src-copy');
  copyCheckout(src);
  symlinkSync(join(REPO, 'node_modules'), join(src, 'node_modules'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: src, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: cleanEnv() });
  // `prepare` prints to stdout too: the JSON is the last thing npm prints.
  const [info] = JSON.parse(out.slice(out.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  files = info!.files.map((f) => f.path);
  mkdirSync(PKG(), { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, info!.filename), '-C', PKG(), '--strip-components=1']);
  // The package's dependencies, as an install would provide them.
  symlinkSync(join(REPO, 'node_modules'), join(PKG(), 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true, "type": "module" }\n');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships every file package.json points at, the type declarations, and no tests or sources', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    const targets = [pkg.bin['plan-tasks'], ...Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)))];
    for (const target of targets) expect([target, files.includes(target.replace(/^\.\//, ''))]).toEqual([target, true]);
    expect(files).toContain('dist/types/src/index.d.ts');
    expect(files).toContain('dist/types/src/preset.d.ts');
    expect(files.filter((f) => /^(test|src|rules|bench|scripts)\//.test(f))).toEqual([]);
  });

  it('declares where it lives: repository, homepage, bugs', () => {
    const pkg = JSON.parse(readFileSync(join(PKG(), 'package.json'), 'utf8'));
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/) });
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\/github\.com\/.+\/issues$/);
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
    expect(JSON.parse(r.stdout)).toEqual({ same: true, rules: ['task-domain', 'task-domain', 'task-status'], tasks: 2, plugins: expect.any(Number), schema: 'plan-tasks config', ids: RULE_IDS.length, load: 'function' });
  });

  it('the types declare the API', () => {
    const dts = readFileSync(join(PKG(), 'dist/types/src/index.d.ts'), 'utf8');
    expect(dts).toContain("export { lint, lintText, lintStoryText, fixStoryText } from './lint/lint.js';");
    expect(existsSync(join(PKG(), 'dist/types/src/lint/lint.d.ts'))).toBe(true);
    const decl = readFileSync(join(PKG(), 'dist/types/src/lint/lint.d.ts'), 'utf8');
    for (const fn of ['lint', 'lintText', 'lintStoryText']) expect(decl).toContain(`export declare function ${fn}(`);
  });

  it('the declarations need no Node types, and import only packages it declares as dependencies', () => {
    // Every declaration file a consumer's tsc reads, from the types of each entry point.
    const pkg = JSON.parse(readFileSync(join(PKG(), 'package.json'), 'utf8')) as { dependencies: Record<string, string>; exports: Record<string, string | Record<string, string>> };
    const entries = Object.values(pkg.exports).flatMap((v) => (typeof v === 'string' ? [] : [v.types!])).filter(Boolean);
    expect(entries.length).toBe(3);
    const seen = new Set<string>();
    const bare = new Set<string>();
    const nodeTypes: string[] = [];
    const stack = entries.map((e) => join(PKG(), e));
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
        if (spec!.startsWith('.')) stack.push(join(dirname(file), spec!.replace(/\.js$/, '.d.ts')));
        else bare.add(spec!);
      }
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      for (const m of code.matchAll(/\bNodeJS\.\w+|\bBuffer\b|\bprocess\.\w+|<reference types="node"/g)) nodeTypes.push(`${file.slice(PKG().length + 1)}: ${m[0]}`);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect([...bare].filter((s) => s.startsWith('node:') || ['fs', 'path', 'worker_threads', 'url', 'os'].includes(s))).toEqual([]);
    expect(nodeTypes).toEqual([]);
    // A bare import is a dependency, or a types package of one (`mdast` is @types/mdast), as remark's packages declare them.
    const packageOf = (s: string) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');
    const undeclared = [...bare].map(packageOf).filter((name) => !(name in pkg.dependencies) && !(`@types/${name}` in pkg.dependencies));
    expect(undeclared).toEqual([]);
    expect([...bare].map(packageOf)).toContain('mdast');
  });

  it('a TypeScript consumer without @types/node compiles against the API (skipLibCheck off)', { timeout: 240_000 }, () => {
    const project = join(dir, 'no-node-types');
    mkdirSync(join(project, 'types'), { recursive: true });
    // No Node types anywhere: `types: []`, and the type roots an empty folder.
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [], typeRoots: ['./types'] }, files: ['api.ts'] }));
    writeFileSync(
      join(project, 'api.ts'),
      `import { lint, lintText, lintStoryText, loadConfig, workingTreeSnapshot, type LintResult, type LintMessage, type ResolvedConfig, type Story } from 'plan-tasks';
import preset from 'plan-tasks/preset';
export async function check(cwd: string): Promise<number> {
  const config: ResolvedConfig = await loadConfig({ cwd });
  const results: LintResult[] = await lint(workingTreeSnapshot(config), { config, cacheStrategy: 'content', concurrency: 'off' });
  const one = await lintText('# 001: A\\n', 'docs/stories/001-a.md', { config });
  const messages: LintMessage[] = lintStoryText('# 001: A\\n', 'docs/stories/001-a.md', { config }).messages;
  const story: Story | undefined = undefined;
  return results.length + one.messages.length + messages.length + (preset.plugins?.length ?? 0) + (story ? 1 : 0);
}
`,
    );
    writeFileSync(join(project, 'package.json'), '{ "name": "no-node-types", "private": true, "type": "module" }\n');
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(PKG(), join(project, 'node_modules/plan-tasks'));
    const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it("require('plan-tasks') and require('plan-tasks/preset') work from CommonJS", () => {
    writeFileSync(
      join(dir, 'use.cjs'),
      `const { parseStory, RULE_IDS } = require('plan-tasks');
const preset = require('plan-tasks/preset').default;
console.log(JSON.stringify({ parse: typeof parseStory, ids: RULE_IDS.length, plugins: preset.plugins.length > 0 }));
`,
    );
    const r = spawnSync(process.execPath, ['--no-warnings', join(dir, 'use.cjs')], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ parse: 'function', ids: RULE_IDS.length, plugins: true });
  });

  it('a TypeScript consumer compiles with tsc --module nodenext, and a wrong call does not', { timeout: 240_000 }, () => {
    // The good consumer also checks every declaration file (ours included); the wrong one only its own errors.
    const tsc = (file: string, skipLibCheck = false) =>
      spawnSync(process.execPath, [TSC, '--noEmit', '--strict', '--skipLibCheck', String(skipLibCheck), '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(REPO, 'node_modules/@types'), file], { cwd: dir, encoding: 'utf8' });
    writeFileSync(
      join(dir, 'consumer.ts'),
      `import { lintStoryText, parseStory, defaultConfig, type LintMessage } from 'plan-tasks';
import preset from 'plan-tasks/preset';
const config = defaultConfig(process.cwd());
const messages: LintMessage[] = lintStoryText('# 001: A\\n', 'docs/stories/001-a.md', { config }).messages;
const tasks: number = parseStory('# 001: A\\n').tasks.length;
const plugins: number = preset.plugins?.length ?? 0;
console.log(messages.length, tasks, plugins);
`,
    );
    const good = tsc('consumer.ts');
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);

    writeFileSync(join(dir, 'wrong.ts'), `import { parseStory } from 'plan-tasks';\nconst n: string = parseStory('# 001: A\\n').tasks.length;\nconsole.log(n);\n`);
    const bad = tsc('wrong.ts', true);
    expect(bad.stdout).toMatch(/wrong\.ts\(2,7\): error TS2322/);
    expect(bad.stdout).not.toMatch(/TS2307|TS7016/);
  });
});
