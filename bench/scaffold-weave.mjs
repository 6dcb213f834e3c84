#!/usr/bin/env node
// Scaffold every story of the weave corpus (Tasks stripped, status Ready,
// criteria unchecked), lint each result, and compare the scaffolded domains
// with the domains the weave authors chose. Prints the Markdown report;
// `--write` also stores it as test/fixtures/scaffold/weave-domains.md.
//
//   node bench/scaffold-weave.mjs [--write]
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'plan-tasks-scaffold-bench-'));
try {
  const entry = join(ROOT, 'test', 'scaffold-corpus.ts');
  const outfile = join(out, 'corpus.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
    banner: { js: "import { createRequire as __ptCreateRequire } from 'node:module'; const require = __ptCreateRequire(import.meta.url);" },
  });
  const { runWeaveCorpus, comparisonReport, corpusMetrics } = await import(pathToFileURL(outfile).href);
  // With the skeleton repository (test/weave-repo.ts): what a developer running
  // the scaffold in the weave checkout gets. The report below is this run.
  const { root, runs } = await runWeaveCorpus({ repo: true });
  rmSync(root, { recursive: true, force: true });
  const bare = await runWeaveCorpus({ repo: false });
  rmSync(bare.root, { recursive: true, force: true });
  const fmt = (m) => `${m.tasks} tasks; domain agreement ${m.domain}%, naming an existing file ${m.existingFile}%, naming a verification command ${m.command}%, no dependency ${m.noDeps}%, dependency pairs agreeing ${m.pairsAgree}% of ${m.pairs}`;
  process.stderr.write(`with the skeleton repository: ${fmt(corpusMetrics(runs))}\nwithout a repository:        ${fmt(corpusMetrics(bare.runs))}\n`);
  if (process.argv.includes('--verbose')) for (const r of runs) process.stderr.write(`  ${r.file}: ${JSON.stringify({ tasks: r.tasks.length, ...r.comparison, misses: undefined, ours: undefined, theirs: undefined })}\n`);
  const report = comparisonReport(runs);
  const errors = runs.reduce((n, r) => n + r.errors.length, 0);
  const warnings = runs.reduce((n, r) => n + r.warningsAfter.length, 0);
  process.stdout.write(report);
  process.stderr.write(`${runs.length} stories scaffolded, ${runs.reduce((n, r) => n + r.tasks.length, 0)} tasks; lint: ${errors} errors, ${warnings} warnings\n`);
  for (const r of runs) for (const m of [...r.errors, ...r.warningsAfter]) process.stderr.write(`  ${r.file}:${m.line} ${m.severity === 2 ? 'error' : 'warn'} ${m.ruleId}: ${m.message}\n`);
  if (process.argv.includes('--write')) writeFileSync(join(ROOT, 'test', 'fixtures', 'scaffold', 'weave-domains.md'), report);
  if (errors) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
