#!/usr/bin/env node
// The plan-tasks command. The bundles are built by `npm run build` (run by `npm install`).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('../dist/cli.cjs').run();
