// npm's `prepare` script. npm runs it (and, for a git dependency, nothing else):
//   - on a plain `npm install` / `npm ci` in a checkout of this repository,
//   - on `npm pack` and `npm publish` (after `prepack`, so `prepack` must not be
//     where the type declarations are written: this script's build would delete them),
//   - in the temporary clone npm makes for `npm install git+https://...` / `git+file://...`,
//     after installing the clone's dependencies and devDependencies.
// It never runs on an install from the registry.
//
// It builds `dist/` (scripts/build.mjs) and the type declarations (`dist/types`,
// tsconfig.types.json), then turns this repository's own git hooks on with husky,
// but only in a development checkout: not while npm packs (`npm pack`, `npm
// publish`, a git dependency), where npm sets `npm_package_resolved`, nor in the
// dependency install npm runs inside a git dependency's clone (`_PACOTE_NO_PREPARE_`),
// nor where husky is not installed (`npm ci --omit=dev`). HUSKY=0 turns it off, as
// husky documents.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The build needs two devDependencies; without them (`npm ci --omit=dev` in a checkout) say so.
const devDependencies = () => {
  try {
    require.resolve('esbuild');
    return require.resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
};
let tsc = devDependencies();
// A global install from git (`npm install -g git+https://...`, and the pre-commit framework's
// `language: node`, which installs a hook repository that way since pre-commit 4) runs this
// script in npm's clone with no dependency installed: npm's inner install inherits `global`
// and installs the clone instead of its dependencies (npm/cli#8440, open). Install them here,
// in the clone, without scripts, as npm documents it should have.
if (tsc === null && process.env.npm_config_global === 'true' && process.env.npm_package_resolved) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_(global|global_prefix|location|prefix|install_links|omit|include)$/i.test(key)) delete env[key];
  const npm = process.env.npm_execpath;
  const r = spawnSync(npm ? process.execPath : 'npm', [...(npm ? [npm] : []), 'install', '--no-save', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--location=project'], { cwd: ROOT, env, stdio: 'inherit' });
  if (r.status === 0) tsc = devDependencies();
}
if (tsc === null) {
  console.error('plan-tasks prepare: building dist/ needs the devDependencies (esbuild, typescript): install without --omit=dev, or with --ignore-scripts to skip the build.');
  process.exit(1);
}
run(['scripts/build.mjs']);
run([tsc, '-p', 'tsconfig.types.json']);

const packing = Boolean(process.env.npm_package_resolved) || Boolean(process.env._PACOTE_NO_PREPARE_);
let husky = null;
try {
  husky = require.resolve('husky');
} catch {
  // A production install: no devDependencies, no hooks to turn on.
}
if (!packing && husky && existsSync(new URL('../.git', import.meta.url))) {
  const { default: install } = await import('husky');
  const out = install();
  if (out) console.log(out);
}
