'use strict';
// V8's code cache for the CLI's own bundles (dist/*.cjs).
//
// A cold `plan-tasks lint FILE` spends a large share of its time compiling
// JavaScript. V8 can serialise what it compiled (its "code cache") and skip that
// work the next time the same source is compiled. Node 22 does this for every
// module with module.enableCompileCache(); Node 20 has no such switch, so here
// the CommonJS files directly in one folder compile through vm.Script with
// `cachedData` read from NAME.cjs.cache beside each file. The build writes those
// files (scripts/build.mjs: one lint run in record mode); nothing is written at
// run time. A cache is used only with the build it was recorded from: each
// bundle's first line names its build (`/* plan-tasks build ID */`, a random
// id per build) and the cache file starts with the same id. V8 then checks the
// cache against its own version and flags and the source's length, and rejects
// one that does not fit (another Node version, some V8 flags): the file is
// then compiled as without a cache, same behaviour.
// V8 (Node 20's) does not checksum the data itself: a damaged cache that
// passes its version check can crash V8, hang or run wrong code. So the file
// also carries a checksum of the data, and data whose checksum differs is not
// used (`corrupt`). The checksum is computed here rather than by node:zlib's
// crc32 or node:crypto: each of those loads node:stream, a few ms on every run.
//
// Every other module (Node's, the user's, node_modules) loads as usual.
// The CommonJS loader's Module class itself (what require('node:module') exports):
// requiring node:module loads Node's public module API with it (the ES module
// loader's internals, source maps: about 0.3 ms of a cold run), none of which
// is used here.
const Module = module.constructor;
const { readFileSync, writeFileSync, renameSync } = require('node:fs');
const { dirname, join } = require('node:path');
const vm = require('node:vm');
const { isAscii } = require('node:buffer');

const BUILD_LINE = /^\/\* plan-tasks build ([0-9a-f]{16}) \*\//;
const ID_BYTES = 16;
/** After the id: the checksum of V8's data, 8 hex digits. */
const HEADER_BYTES = ID_BYTES + 8;

/**
 * FNV-1a's step over the data's 32-bit little-endian words, then its trailing
 * bytes: `h = (h ^ word) * 16777619 (mod 2^32)`, from 2166136261. Each step is
 * a bijection in `h` and in the word, so a change to any one word always
 * changes the result. 8 hex digits. About 0.5 ms of CPU for the lint bundle's
 * 550 KB cache (a WebAssembly form of the loop was measured: 1.6 ms less on the
 * main thread, 0.5 ms less CPU in all, not worth hand-written bytecode).
 * @param {Buffer} data
 * @returns {string}
 */
function checksum(data) {
  let h = 0x811c9dc5 | 0;
  const words = data.length >>> 2;
  if ((data.byteOffset & 3) === 0 && new Uint8Array(new Uint32Array([1]).buffer)[0] === 1) {
    const w = new Int32Array(data.buffer, data.byteOffset, words);
    for (let i = 0; i < words; i++) h = Math.imul(h ^ w[i], 0x01000193);
  } else {
    for (let i = 0; i < words; i++) h = Math.imul(h ^ data.readInt32LE(i * 4), 0x01000193);
  }
  for (let i = words * 4; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Compile the `.cjs` files directly inside `dir` (an absolute path) with the
 * code cache stored beside each (`NAME.cjs.cache`: the 16-character build id
 * of the bundle's first line, the checksum of the data as 8 hex digits, then V8's
 * data from `vm.Script#createCachedData`).
 * A file without a build line compiles as usual. Each `.cjs` file in `dir` is
 * read as Latin-1 when it is all ASCII (the same text, decoded faster), else as
 * UTF-8 (as Node reads it). With `variant: 'git'`, the cache is read from
 * `NAME.cjs.git.cache` (recorded from a run of that kind: `lint --staged`),
 * else from `NAME.cjs.cache` when there is none. With `record: true`, no cache is read and each
 * such file's cache is written at process exit, holding every function compiled
 * by then (so a representative run makes a useful cache).
 *
 * Returns `stats`: per file loaded, whether a cache was used (`accepted`),
 * rejected by V8, absent, from another build (`stale`) or damaged (`corrupt`: its checksum differs). Throws nothing itself: a missing or unreadable
 * cache file means no cache.
 *
 * @param {string} dir
 * @param {{ record?: boolean, variant?: string }} [options]  `variant`: lowercase letters
 * @returns {{ files: Record<string, 'accepted' | 'rejected' | 'absent' | 'stale' | 'corrupt' | 'recording'> }}
 */
function useCodeCache(dir, options = {}) {
  const record = Boolean(options.record);
  const suffix = options.variant && /^[a-z]+$/.test(options.variant) ? `.${options.variant}.cache` : '.cache';
  const stats = { files: {} };
  const recorded = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCodeCache(content, filename) {
    const build = dirname(filename) === dir && filename.endsWith('.cjs') ? BUILD_LINE.exec(content) : null;
    if (!build) return compile.apply(this, arguments);
    const id = build[1];
    let cachedData;
    let state = 'absent';
    if (!record) {
      try {
        let bytes;
        try {
          bytes = readFileSync(`${filename}${suffix}`);
        } catch (error) {
          if (suffix === '.cache' || error.code !== 'ENOENT') throw error;
          bytes = readFileSync(`${filename}.cache`);
        }
        if (bytes.toString('latin1', 0, ID_BYTES) !== id) state = 'stale';
        else if (bytes.length <= HEADER_BYTES || bytes.toString('latin1', ID_BYTES, HEADER_BYTES) !== checksum(bytes.subarray(HEADER_BYTES))) state = 'corrupt';
        else cachedData = bytes.subarray(HEADER_BYTES);
      } catch {
        cachedData = undefined;
      }
    }
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    stats.files[filename] = record ? 'recording' : cachedData === undefined ? state : script.cachedDataRejected ? 'rejected' : 'accepted';
    if (record) recorded.push([filename, id, script]);
    const wrapper = script.runInThisContext({ displayErrors: true });
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  // Reading a bundle: Node decodes every file as UTF-8, which for the lint
  // bundle's 700 KB costs about 2.5 ms and, where it holds one non-ASCII
  // character, makes a two-byte string. The build writes ASCII bundles
  // (scripts/ascii.mjs), and ASCII decoded as Latin-1 is the same text at a
  // third of the cost. A file that is not ASCII is decoded as UTF-8, as Node does.
  // (Node loads a `.cjs` file with its `.js` handler; no extension is added, so
  // what an extensionless require() tries stays the same.)
  const load = Module._extensions['.js'];
  Module._extensions['.js'] = function loadBundle(module, filename) {
    if (dirname(filename) !== dir || !filename.endsWith('.cjs') || typeof isAscii !== 'function') return load.call(this, module, filename);
    const bytes = readFileSync(filename);
    return module._compile(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), filename, 'commonjs');
  };
  if (record) {
    process.once('exit', () => {
      for (const [filename, id, script] of recorded) {
        const tmp = `${filename}${suffix}.${process.pid}.tmp`;
        const data = script.createCachedData();
        writeFileSync(tmp, Buffer.concat([Buffer.from(id + checksum(data), 'latin1'), data]));
        renameSync(tmp, `${filename}${suffix}`);
      }
    });
  }
  return stats;
}

module.exports = { useCodeCache, checksum, DIST: join(__dirname, '..', 'dist') };
