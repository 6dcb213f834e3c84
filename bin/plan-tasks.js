#!/usr/bin/env node
// The plan-tasks command. CommonJS (bin/package.json), like the bundles it
// loads: a cold run then never starts Node's ES module loader. The bundles are
// built by `npm run build` (run by `npm install`); they compile with the V8
// code cache the build wrote beside them (bin/code-cache.cjs).
'use strict';
const { join } = require('node:path');
const { useCodeCache, DIST } = require('./code-cache.cjs');

// A run that reads git (`lint --staged`, the pre-commit hook; `--base`) runs code a
// one-story lint does not: its own recorded cache (NAME.cjs.git.cache) holds both, and
// keeps the plain one-story cache free of what only those runs need.
const argv = process.argv.slice(2);
useCodeCache(DIST, { variant: argv.some((a) => a === '--staged' || a === '--base' || a.startsWith('--base=')) ? 'git' : undefined });
let cli;
try {
  cli = require(join(DIST, 'cli.cjs'));
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(join(DIST, 'cli.cjs'))) {
    // A checkout that was never built: say so, exit 2 (usage/config/I/O), no stack; for
    // `hook` 1, Claude Code's "the hook failed" (its 2 would block the agent: src/cli.ts failureCode).
    process.stderr.write(`plan-tasks: ${join(DIST, 'cli.cjs')} is missing: run \`npm run build\` (npm install runs it)\n`);
    process.exit(argv[0] === 'hook' ? 1 : 2);
  }
  throw error;
}
cli.run();
