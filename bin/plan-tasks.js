#!/usr/bin/env node
// The plan-tasks command. CommonJS (bin/package.json), like the bundles it
// loads: a cold run then never starts Node's ES module loader. The bundles are
// built by `npm run build` (run by `npm install`); they compile with the V8
// code cache the build wrote beside them (bin/code-cache.cjs).
'use strict';
const { useCodeCache, DIST } = require('./code-cache.cjs');

useCodeCache(DIST);
require('../dist/cli.cjs').run();
