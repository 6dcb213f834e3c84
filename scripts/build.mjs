// Builds what the bin and the package exports run: one bundle per entry,
// dependencies inlined for the CLI (one file to load: fast start-up), kept
// external for the library and preset (users' remark resolves them).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { PLAN_TASKS_VERSION: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies may call require().
  banner: { js: "import { createRequire as __ptCreateRequire } from 'node:module'; const require = __ptCreateRequire(import.meta.url);" },
};

// fdir (under tinyglobby) require()s picomatch at load for an API tinyglobby
// never calls: a second, unbundled copy read from node_modules at every start.
const noFdirPicomatch = {
  name: 'no-fdir-picomatch',
  setup(b) {
    b.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);/, ''),
      loader: 'js',
    }));
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: { cli: 'src/cli.ts', 'lint-worker': 'src/lint/worker.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]', plugins: [noFdirPicomatch] }),
  build({ ...common, entryPoints: { index: 'src/index.ts', preset: 'src/preset.ts' }, outdir: 'dist', external, splitting: true, chunkNames: 'lib/[name]-[hash]' }),
]);
