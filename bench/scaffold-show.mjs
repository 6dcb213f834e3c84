#!/usr/bin/env node
// Print the scaffold of one weave story (Tasks stripped, Ready) in the
// skeleton repository of test/weave-repo.ts, with its warnings.
//
//   node bench/scaffold-show.mjs 003
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-show-'));
try {
  const entry = join(ROOT, 'test', 'scaffold-corpus.ts');
  const outfile = join(out, 'corpus.mjs');
  await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
    banner: { js: "import { createRequire as __ptCreateRequire } from 'node:module'; const require = __ptCreateRequire(import.meta.url);" },
  });
  const { runWeaveCorpus } = await import(pathToFileURL(outfile).href);
  const { root, runs } = await runWeaveCorpus({ repo: true, only: process.argv[2] });
  rmSync(root, { recursive: true, force: true });
  for (const r of runs) {
    process.stdout.write(r.output.slice(r.output.indexOf('\n## Tasks')));
    for (const w of r.warnings) process.stdout.write(`warning: ${r.file}:${w.line ?? ''} ${w.message}\n`);
    for (const w of r.refusals ?? []) process.stdout.write(`refusal: ${r.file}:${w.line ?? ''} ${w.message}\n`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
