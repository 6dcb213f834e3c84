// Builds what the bin and the package exports run. A plain esbuild build: no
// plugin rewrites a package's code or stands in for it; the only plugin says
// which built file an import in our own source lands in.
//
// The CLI (dependencies inlined) is a set of CommonJS bundles in dist/, one
// per command, loaded on demand with require() (the sources' `await import()`
// at each command boundary; esbuild writes it as a require() because the
// build says dynamic import() is unsupported):
//   dist/cli.cjs        the dispatcher: argv -> command, errors -> exit codes
//   dist/errors.cjs     UsageError, the one class every bundle throws and
//                       cli.cjs recognises with instanceof
//   dist/lint.cjs       `plan-tasks lint`, everything a lint run can use
//   dist/schema.cjs     zod and the config schema, loaded only with a config file
//   dist/{scaffold,init,graph,next,status,mcp,hook,hook-lint}.cjs  the other commands
//   dist/lint-worker.cjs  a `lint --concurrency` worker thread (src/lint/worker.ts)
// Why CommonJS: a cold `plan-tasks lint FILE` is mostly Node loading modules.
// A required built-in is the module itself, where an ES import of `node:fs`
// builds a facade reading every export (fs.ReadStream loads node:stream), and
// every built-in a bundle names is loaded before it runs. What a lint run
// rarely needs (node:crypto for --cache, node:child_process for --staged and
// --base) is required where used, inside esbuild's lazily initialised modules.
//
// V8's code cache for the CLI bundles (dist/NAME.cjs.cache, read by
// bin/code-cache.cjs): from runs of what start-up time matters for, in a copy
// of the weave stories (test/fixtures, there in a checkout and in `npm pack`)
// made a git repository: a lint of one story and the Claude Code hook on an
// edit of it (NAME.cjs.cache), and the pre-commit hook's `lint --staged` with
// the edit staged (NAME.cjs.git.cache). The bundles are ASCII (asciiOnly),
// which the loader reads faster.
// Without the stories no cache is written, and the bundles compile as usual.
//
// The library entries (index, preset, markdownlint) are ES modules with the
// dependencies kept external: users' remark resolves them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asciiOnly } from './ascii.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = resolve(ROOT, 'dist');
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {});
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { PLAN_TASKS_VERSION: JSON.stringify(pkg.version) },
};

/** Source file -> the CLI bundle it is built into (the keys are the CLI's entry points). */
const CLI_ENTRIES = {
  cli: 'src/cli.ts',
  errors: 'src/errors.ts',
  lint: 'src/commands/lint.ts',
  schema: 'src/config/schema.ts',
  scaffold: 'src/commands/scaffold.ts',
  init: 'src/commands/init.ts',
  graph: 'src/commands/graph.ts',
  next: 'src/commands/next.ts',
  status: 'src/commands/status.ts',
  mcp: 'src/commands/mcp.ts',
  hook: 'src/commands/hook.ts',
  'hook-lint': 'src/agent/hook-lint.ts',
  // The lint worker thread (--concurrency; src/lint/parallel.ts starts it): only what analyses a file.
  'lint-worker': 'src/lint/worker.ts',
};
const bundleOf = new Map(Object.entries(CLI_ENTRIES).map(([name, src]) => [resolve(ROOT, src), `./${name}.cjs`]));

// An import in our source of a module that is its own bundle: `require('./NAME.cjs')`
// (every bundle sits in dist/). A module's own bundle includes it.
const bundles = {
  name: 'bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!args.importer || args.kind === 'entry-point') return undefined;
      const file = resolve(dirname(args.importer), args.path).replace(/\.js$/, '.ts');
      const target = bundleOf.get(file);
      if (!target || resolve(ROOT, args.importer) === file) return undefined;
      return { path: target, external: true };
    });
  },
};

// tinyglobby imports fdir; a CommonJS bundle takes the build fdir publishes for
// require() (its ES build reaches picomatch through createRequire(import.meta.url),
// which has no value here).
const fdirForRequire = {
  name: 'fdir-for-require',
  setup(b) {
    b.onResolve({ filter: /^fdir$/ }, () => ({ path: require.resolve('fdir') }));
  },
};

// jsonc-parser's `main` is a UMD build whose factory requires its parts by a path esbuild
// cannot follow (`./impl/format` then fails at run time, beside the bundle): take its ES
// build (`module`), which esbuild bundles whole.
const jsoncParserEsm = {
  name: 'jsonc-parser-esm',
  setup(b) {
    b.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: resolve(dirname(require.resolve('jsonc-parser/package.json')), 'lib/esm/main.js') }));
  },
};

rmSync(DIST, { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    format: 'cjs',
    entryPoints: CLI_ENTRIES,
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    // `await import()` becomes require(): synchronous, no ES module facade.
    supported: { 'dynamic-import': false },
    // import.meta.url (the --cache key hashes the running bundle: src/lint/cache.ts) as the bundle's own URL.
    define: { ...common.define, 'import.meta.url': '__pt_import_meta_url' },
    banner: { js: 'var __pt_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [bundles, fdirForRequire, jsoncParserEsm],
    write: false,
  }).then(({ outputFiles }) => {
    // Each bundle's first line names its build (a hash of its text), which its
    // code cache must match (bin/code-cache.cjs).
    mkdirSync(DIST, { recursive: true });
    for (const f of outputFiles) {
      const text = asciiOnly(f.text, f.path);
      const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
      writeFileSync(f.path, `/* plan-tasks build ${id} */\n${text}`);
    }
  }),
  build({
    ...common,
    format: 'esm',
    entryPoints: { index: 'src/index.ts', preset: 'src/preset.ts', markdownlint: 'src/markdownlint.ts' },
    outdir: 'dist',
    external,
    splitting: true,
    chunkNames: 'lib/[name]-[hash]',
  }),
]);

const SAMPLE = resolve(ROOT, 'test/fixtures/weave/stories');
if (existsSync(SAMPLE)) {
  const work = mkdtempSync(resolve(tmpdir(), 'plan-tasks-build-'));
  try {
    cpSync(SAMPLE, resolve(work, 'docs/stories'), { recursive: true });
    const story = resolve(work, 'docs/stories', readdirSync(SAMPLE).filter((f) => f.endsWith('.md')).sort()[5]);
    // The pre-commit hook's run too (`lint --staged`: its git code), in a repository
    // with the story edited and staged, where git is installed.
    const env = { ...process.env, GIT_AUTHOR_NAME: 'build', GIT_AUTHOR_EMAIL: 'build@localhost', GIT_COMMITTER_NAME: 'build', GIT_COMMITTER_EMAIL: 'build@localhost', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const git = (...args) => spawnSync('git', args, { cwd: work, env, encoding: 'utf8' }).status === 0;
    const staged = git('init', '-q') && git('add', '-A') && git('commit', '-q', '-m', 'stories')
      && (writeFileSync(story, `${readFileSync(story, 'utf8')}\nEdited.\n`), git('add', '--', story));
    // One process per cache: a one-story lint and the Claude Code hook write NAME.cjs.cache;
    // the pre-commit hook's `lint --staged` writes NAME.cjs.git.cache, which the bin reads
    // for a run that reads git (bin/plan-tasks.js). Each cache holds every function its
    // process ran (a cache is written once, at exit), and no more: a larger cache costs a
    // one-story run its deserialisation (about 1 ms for the 90 KB --staged adds).
    const payload = JSON.stringify({ hook_event_name: 'PostToolUse', tool_name: 'Edit', cwd: work, tool_input: { file_path: story } });
    const io = `{ cwd: process.cwd(), stdout() {}, stderr() {}, env: process.env, isTTY: false, stdin: async () => Buffer.from(process.env.PT_PAYLOAD ?? '') }`;
    const record = (runs, variant) => {
      const script = `const { useCodeCache } = require(${JSON.stringify(resolve(ROOT, 'bin/code-cache.cjs'))});
useCodeCache(${JSON.stringify(DIST)}, { record: true, variant: ${JSON.stringify(variant)} });
const { main } = require(${JSON.stringify(resolve(DIST, 'cli.cjs'))});
(async () => {
  for (const argv of ${JSON.stringify(runs)}) {
    const code = await main(argv, ${io});
    // (The Claude Code hook's exit 2 is its verdict on a story with errors.)
    if (code > (argv[0] === 'hook' ? 2 : 1)) { process.stderr.write('plan-tasks ' + argv.join(' ') + ': exit ' + code); process.exitCode = 3; return; }
  }
})();`;
      const r = spawnSync(process.execPath, ['-e', script], { cwd: work, env: { ...env, PT_PAYLOAD: payload }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`build: recording the code cache failed (exit ${r.status}): ${r.stderr}`);
    };
    record([['lint', story], ['hook', 'claude']], null);
    if (staged) record([['lint', '--staged']], 'git');
    // The lint worker's cache (--concurrency): its analyzeFile over the stories, alone in a
    // process (so no other bundle's cache is rewritten), with the config a lint there reads.
    const config = spawnSync(process.execPath, [resolve(ROOT, 'bin/plan-tasks.js'), 'lint', '--print-config'], { cwd: work, env, encoding: 'utf8' });
    if (config.status !== 0) throw new Error(`build: reading the config failed (exit ${config.status}): ${config.stderr}`);
    // Three times: as is (the API), and under the flags a lint of 16 to 99 files and of 100 or
    // more sets before its workers start (src/lint/jit.ts optimizerFlags and codeCacheVariant,
    // src/lint/parallel.ts noteNoInlining): V8 rejects a cache recorded under other flags.
    const noInlining = ['--no-turbo-inlining', '--max-optimized-bytecode-size=6000'];
    for (const [variant, flags] of [[null, []], ['noinline', noInlining], ['noinlinelate', [...noInlining, '--interrupt-budget=405504']]]) {
      const worker = `const { useCodeCache } = require(${JSON.stringify(resolve(ROOT, 'bin/code-cache.cjs'))});
useCodeCache(${JSON.stringify(DIST)}, { record: true, variant: ${JSON.stringify(variant)} });
const { analyzeFile } = require(${JSON.stringify(resolve(DIST, 'lint-worker.cjs'))});
const { readdirSync } = require('node:fs');
const config = JSON.parse(process.env.PT_CONFIG);
const dir = ${JSON.stringify(resolve(work, 'docs/stories'))};
for (const f of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) analyzeFile(dir + '/' + f, config);`;
      const r = spawnSync(process.execPath, [...flags, '-e', worker], { cwd: work, env: { ...env, PT_CONFIG: config.stdout }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`build: recording the lint worker's code cache failed (exit ${r.status}): ${r.stderr}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
