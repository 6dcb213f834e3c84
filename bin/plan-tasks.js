#!/usr/bin/env node
// The plan-tasks command. The bundle is built by `npm run build` (run by `npm install`).
import { run } from '../dist/cli.js';

run();
