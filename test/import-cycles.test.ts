/**
 * No import circles in `src/` and `rules/`: every import counts, static,
 * type-only and dynamic (`import()`), so that the layers stay one-way (a
 * command loads the gate, never the gate the command). The graph is dpdm's
 * (TypeScript's own parser and module resolution).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './cli-helpers.js';

/** The import graph of the TypeScript files under `globs` (relative to `root`): its circles, the files read and the relative imports that did not resolve. */
async function importGraph(root: string, globs: string[]) {
  const tree = await parseDependencyTree(globs, {
    cwd: root,
    context: root,
    tsconfig: join(root, 'tsconfig.json'),
    transform: false,
    skipDynamicImports: false,
    include: /^(?![^]*node_modules)/,
  });
  const files = Object.keys(tree).filter((f) => tree[f] !== null && !f.includes('node_modules') && !f.startsWith('node:'));
  const unresolved = Object.entries(tree).flatMap(([file, deps]) => (deps ?? []).filter((d) => d.id === null && d.request.startsWith('.')).map((d) => `${file} -> ${d.request}`));
  return { circles: parseCircular(tree, false).map((c) => c.join(' -> ')), files, unresolved };
}

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(REPO, join(e.parentPath, e.name)).split('\\').join('/'));

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('import circles', () => {
  it('src/ and rules/ have none, counting type-only and dynamic imports', async () => {
    const { circles, files, unresolved } = await importGraph(REPO, ['src/**/*.ts', 'rules/**/*.ts']);
    // Every file was read and every relative import resolved: an empty list means no circle, not a graph with holes.
    expect(unresolved).toEqual([]);
    expect(files.sort()).toEqual([...tsFiles(join(REPO, 'src')), ...tsFiles(join(REPO, 'rules'))].sort());
    expect(circles).toEqual([]);
  }, 60_000);

  it('finds a circle made of a type-only import and a dynamic one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-tasks-cycles-'));
    temps.push(dir);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    // The shape of the circle this test guards against: the gate took its option types from the command that loads it.
    writeFileSync(join(dir, 'command.ts'), "export interface Options { staged: boolean }\nexport const run = async (o: Options) => (await import('./gate.js')).gate(o);\n");
    writeFileSync(join(dir, 'gate.ts'), "import type { Options } from './command.js';\nexport const gate = (o: Options) => o.staged;\n");
    writeFileSync(join(dir, 'leaf.ts'), "import { gate } from './gate.js';\nexport const leaf = gate({ staged: true });\n");
    const { circles, unresolved } = await importGraph(dir, ['*.ts']);
    expect(unresolved).toEqual([]);
    expect(circles.map((c) => c.split(' -> ').sort())).toEqual([['command.ts', 'gate.ts']]);
  }, 60_000);
});
