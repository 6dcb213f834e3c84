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
const Module = require('node:module');
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
 * changes the result. 8 hex digits. The plain JavaScript form, run where
 * WebAssembly is not (`node --jitless`); `checksum` gives the same digits.
 * @param {Buffer} data
 * @returns {string}
 */
function checksumPlain(data) {
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

// The same loop as checksumPlain, as a 138-byte WebAssembly module: a cold run
// checks the lint bundle's 550 KB once, and V8 runs that loop in its bytecode
// interpreter (2.5 ms on the main thread, 3 ms of process CPU with the
// optimising compile it starts), where this compiled form takes 0.9 ms on the
// main thread including the copy into its memory (about 2.6 ms of process CPU
// with the engine's set-up and its own tier-up compile).
// (func (export "f") (param $n i32) (result i32), memory imported as m.m:
//   h = 0x811c9dc5; for (i = 0; i < (n & ~3); i += 4) h = (h ^ i32.load(i)) * 0x01000193;
//   for (; i < n; i++) h = (h ^ i32.load8_u(i)) * 0x01000193; return h)
// Written out by hand (a WebAssembly toolchain for 138 bytes is not worth a
// dependency); test/code-cache.test.ts checks it against checksumPlain.
const FNV_WASM = [
  0, 97, 115, 109, 1, 0, 0, 0, // "\0asm", version 1
  1, 6, 1, 96, 1, 127, 1, 127, // type section: (i32) -> i32
  2, 8, 1, 1, 109, 1, 109, 2, 0, 1, // import section: memory "m" "m", at least 1 page
  3, 2, 1, 0, // function section: one function of type 0
  7, 5, 1, 1, 102, 0, 0, // export section: "f" = function 0
  10, 99, 1, 97, 1, 3, 127, // code section: one body of 97 bytes, 3 i32 locals (h, i, end)
  65, 197, 187, 242, 136, 120, 33, 1, // h = 0x811c9dc5
  32, 0, 65, 124, 113, 33, 3, // end = n & -4
  2, 64, 3, 64, 32, 2, 32, 3, 79, 13, 1, // block loop: br_if (i >= end) out
  32, 1, 32, 2, 40, 2, 0, 115, 65, 147, 131, 128, 8, 108, 33, 1, // h = (h ^ load32(i)) * 16777619
  32, 2, 65, 4, 106, 33, 2, 12, 0, 11, 11, // i += 4; continue; end end
  2, 64, 3, 64, 32, 2, 32, 0, 79, 13, 1, // block loop: br_if (i >= n) out
  32, 1, 32, 2, 45, 0, 0, 115, 65, 147, 131, 128, 8, 108, 33, 1, // h = (h ^ load8_u(i)) * 16777619
  32, 2, 65, 1, 106, 33, 2, 12, 0, 11, 11, // i += 1; continue; end end
  32, 1, 11, // return h
];
/** The instantiated module and its memory, made on first use; false where WebAssembly is not available. */
let fnv = null;

/**
 * checksumPlain's digits, computed by the WebAssembly form where it can be
 * instantiated (else by checksumPlain). The data is copied into the module's
 * memory (grown to fit). Throws nothing.
 * @param {Buffer} data
 * @returns {string}
 */
function checksum(data) {
  try {
    if (fnv === null) {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(FNV_WASM)), { m: { m: memory } });
      fnv = { memory, f: instance.exports.f };
    }
    if (fnv) {
      const pages = Math.ceil(data.length / 65536);
      const have = fnv.memory.buffer.byteLength / 65536;
      if (pages > have) fnv.memory.grow(pages - have);
      new Uint8Array(fnv.memory.buffer).set(data);
      return (fnv.f(data.length) >>> 0).toString(16).padStart(8, '0');
    }
  } catch {
    fnv = false;
  }
  return checksumPlain(data);
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

module.exports = { useCodeCache, checksum, checksumPlain, DIST: join(__dirname, '..', 'dist') };
