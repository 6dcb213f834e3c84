// Builds what the bin and the package exports run: dependencies inlined for the
// CLI, kept external for the library and preset (users' remark resolves them).
//
// The CLI is built for start-up time. `dist/cli.js` is ONE file holding
// everything `plan-tasks lint` can use (every format, --staged/--base, --fix,
// --cache): a cold run resolves, reads and compiles one module instead of a
// couple of dozen chunks (about 20 ms on a 2-core VM: each file is a resolve,
// an async read, a decode, a compile and a link). What lint rarely needs, and
// the other commands, are separate files it imports on demand, built together
// (split into shared chunks) first:
//   dist/chunks/schema-*.js      zod and the config schema (only with a config file)
//   dist/chunks/remark-gfm-*.js  GFM (only when a caller asks for it)
//   dist/chunks/{scaffold,init,graph,next,status,mcp}-*.js  the other commands
// Those hold their own copies of the modules they share with cli.js; they get
// plain data (argv, IO, config, results) and throw UsageError, which the CLI
// recognises by name (src/cli.ts).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
const common = {
  absWorkingDir: ROOT,
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

// Node's built-in modules, loaded on first use. As ES imports, every one a
// bundle names is loaded before the bundle runs (esbuild hoists them), and each
// gets an ES module facade that reads all its exports: `node:fs`'s facade reads
// fs.ReadStream, which loads node:stream (about 6 ms). A lint run needs neither
// node:crypto (--cache), node:child_process (--staged, --base) nor
// node:worker_threads (PLAN_TASKS_WORKERS). Here an `import { x } from 'node:y'`
// reads `process.getBuiltinModule('node:y').x` when the code first uses x.
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (args.kind !== 'import-statement' || !BUILTINS.has(name)) return undefined;
      return { path: name, namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const names = Object.keys(await import(`node:${args.path}`)).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const id = JSON.stringify(`node:${args.path}`);
      // The getters sit on the prototype of the exports object: esbuild's __toESM
      // copies the own properties of a CommonJS module once per importing module
      // (about 150 of node:fs's into each of 8 modules) but keeps the prototype.
      return {
        loader: 'js',
        contents: `let m;\nconst load = () => (m ??= process.getBuiltinModule(${id}));\nconst proto = {};\n` +
          `for (const k of ${JSON.stringify(names)}) Object.defineProperty(proto, k, { enumerable: true, get: () => load()[k] });\n` +
          `module.exports = Object.create(proto);\n`,
      };
    });
  },
};

// Packages set up on first use instead of when cli.js loads. A lint run of
// stories the fast scanner reads whole never calls micromark, and when the
// stories glob is a plain `dir/*.md` it never calls tinyglobby. Our sources'
// `import { f } from 'pkg'` gets a stand-in f that loads the package on its
// first call (function exports only): tinyglobby by esbuild's lazily
// initialised require inside cli.js; micromark and mdast-util-from-markdown
// (about 200 KB, 40% of cli.js, with character-entities' 2,000-entry table)
// from their own CommonJS file, so a run that does not need them does not
// even compile them (dist/chunks/markdown.cjs, require()d synchronously).
const LAZY_PACKAGES = ['mdast-util-from-markdown', 'micromark-extension-frontmatter', 'mdast-util-frontmatter', 'tinyglobby'];
const SEPARATE = {
  'mdast-util-from-markdown': './chunks/markdown.cjs',
  'micromark-extension-frontmatter': './chunks/frontmatter-syntax.cjs',
  'mdast-util-frontmatter': './chunks/frontmatter-mdast.cjs',
};
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${LAZY_PACKAGES.join('|')})$`) }, (args) => {
      if (args.kind !== 'import-statement' || args.namespace === 'lazy-package' || !/[\\/](src|rules)[\\/]/.test(args.importer)) return undefined;
      return { path: args.path, namespace: 'lazy-package' };
    });
    b.onResolve({ filter: /^\.\/chunks\/.*\.cjs$/ }, (args) => (args.namespace === 'lazy-package' ? { path: args.path, external: true } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-package' }, async (args) => {
      const mod = await import(args.path);
      const names = Object.keys(mod);
      const bad = names.filter((k) => typeof mod[k] !== 'function');
      if (bad.length) throw new Error(`lazy-packages: ${args.path} exports non-functions (${bad.join(', ')})`);
      // The file a static import would bundle (the ES build), or the separate CommonJS file.
      let target = SEPARATE[args.path];
      if (!target) {
        const entry = await b.resolve(args.path, { kind: 'import-statement', resolveDir: ROOT });
        if (entry.errors.length) throw new Error(`lazy-packages: cannot resolve ${args.path}`);
        target = entry.path;
      }
      const stub = (k) => `new Proxy(function () {}, { apply: (_, t, a) => Reflect.apply(load()[${JSON.stringify(k)}], t, a), construct: (_, a) => Reflect.construct(load()[${JSON.stringify(k)}], a), get: (_, p) => load()[${JSON.stringify(k)}][p] })`;
      return {
        loader: 'js',
        resolveDir: ROOT,
        contents: `let m;\nconst load = () => (m ??= require(${JSON.stringify(target)}));\n` +
          names.map((k) => (k === 'default' ? `export default ${stub(k)};` : `export const ${k} = ${stub(k)};`)).join('\n') + '\n',
      };
    });
  },
};

/** Loaded on demand by cli.js (by dynamic import()), each an entry of the split build. */
const ON_DEMAND = {
  schema: 'src/config/schema.ts',
  'remark-gfm': 'remark-gfm',
  scaffold: 'src/commands/scaffold.ts',
  init: 'src/commands/init.ts',
  graph: 'src/commands/graph.ts',
  next: 'src/commands/next.ts',
  status: 'src/commands/status.ts',
  mcp: 'src/commands/mcp.ts',
};

rmSync(DIST, { recursive: true, force: true });

const [parts] = await Promise.all([
  build({ ...common, entryPoints: ON_DEMAND, outdir: 'dist', entryNames: 'chunks/[name]-[hash]', chunkNames: 'chunks/[name]-[hash]', splitting: true, metafile: true, plugins: [noFdirPicomatch] }),
  build({ ...common, entryPoints: { index: 'src/index.ts', preset: 'src/preset.ts', markdownlint: 'src/markdownlint.ts' }, outdir: 'dist', external, splitting: true, chunkNames: 'lib/[name]-[hash]' }),
  ...Object.entries(SEPARATE).map(([pkgName, file]) =>
    build({ ...common, format: 'cjs', banner: {}, entryPoints: [pkgName], outfile: resolve(DIST, file) })),
]);

// Source (absolute path, or package name) -> the built file, for cli.js's import()s.
const built = new Map();
for (const [out, meta] of Object.entries(parts.metafile.outputs)) {
  if (!meta.entryPoint) continue;
  const entry = resolve(ROOT, meta.entryPoint);
  const source = Object.values(ON_DEMAND).find((s) => (s.startsWith('src/') ? resolve(ROOT, s) === entry : entry.includes(`/node_modules/${s}/`)));
  if (source) built.set(source.startsWith('src/') ? resolve(ROOT, source) : source, resolve(ROOT, out));
}
if (built.size !== Object.keys(ON_DEMAND).length) throw new Error(`build: expected ${Object.keys(ON_DEMAND).length} on-demand entries, got ${[...built.keys()].join(', ')}`);

const LINT_COMMAND = resolve(ROOT, 'src/commands/lint.ts');
// The Claude Code hook runs after every edit an agent makes: a small file that
// leaves at once for anything but Markdown (dist/hook.js), and for a story one
// more file holding what it lints with (dist/hook-lint.js), like lint.js.
const HOOK_COMMAND = resolve(ROOT, 'src/commands/hook.ts');
const HOOK_LINT = resolve(ROOT, 'src/agent/hook-lint.ts');
const onDemand = {
  name: 'on-demand',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const key = args.path.startsWith('.') ? resolve(dirname(args.importer), args.path).replace(/\.js$/, '.ts') : args.path;
      if (key === LINT_COMMAND) return { path: './lint.js', external: true };
      if (key === HOOK_COMMAND) return { path: './hook.js', external: true };
      if (key === HOOK_LINT) return { path: './hook-lint.js', external: true };
      const file = built.get(key);
      if (!file) return undefined;
      return { path: `./${relative(DIST, file)}`, external: true };
    });
  },
};

// One file each, no shared chunks: the command dispatcher (small: --help,
// --version and the other commands do not compile lint), the lint command,
// and the Claude Code hook in two files.
await build({
  ...common,
  // The same require() for bundled CommonJS, without an ES import of node:module.
  banner: { js: 'const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);' },
  entryPoints: { cli: 'src/cli.ts', lint: LINT_COMMAND, hook: HOOK_COMMAND, 'hook-lint': HOOK_LINT },
  outdir: 'dist',
  plugins: [onDemand, lazyBuiltins, lazyPackages, noFdirPicomatch] });
