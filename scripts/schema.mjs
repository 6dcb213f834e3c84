// Writes schema.json (the config's JSON schema, for editors) from the zod
// schema in src/config/schema.ts: `npm run schema`. `--check` exits 1 when the
// file is stale instead of writing it (test/config-schema.test.ts checks too).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const out = await build({
  entryPoints: ['src/config/schema.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
const text = `${JSON.stringify(mod.jsonSchema(), null, 2)}\n`;
const file = new URL('../schema.json', import.meta.url);

if (process.argv.includes('--check')) {
  let old = '';
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    /* missing */
  }
  if (old !== text) {
    console.error('schema.json is stale: run `npm run schema` and commit it.');
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log('wrote schema.json');
}
