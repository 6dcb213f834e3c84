/**
 * What the repository says about where work lands and how it is checked: the
 * file a task should change when the criteria name none (the domain's file
 * whose path shares the most words with them), and the test file and command
 * that verify a change to a file, inferred from the build files around it:
 *
 * - Go: `x_test.go` beside `x.go`, `go test ./dir/...` from the `go.mod` folder;
 * - C/C++: the nearest `Makefile` runs `make -C dir test`; tests go in its
 *   `test/` (or `tests/`) folder as `test_x.c`, else beside the file;
 * - JavaScript/TypeScript: `x.test.js` beside the file, `npm test` (with
 *   `--prefix dir` when the nearest `package.json` is not at the root);
 * - templates and styles inside a Go package: that package's tests;
 * - a Flatpak manifest (`*.yml`/`*.json` under a `flatpak` folder, or a
 *   reverse-DNS app-id file name): `flatpak-builder --force-clean build-dir <manifest>`;
 * - a Dockerfile: `docker build -f <file> <its folder>`;
 * - a GitHub workflow: `actionlint <file>` (the event that runs it is
 *   src/scaffold/workflow.ts's).
 *
 * Paths are repository-relative with `/` separators.
 */
import type { DomainPaths } from './infer.js';

/** How a change to one file is verified; null fields when nothing in the repository says. */
export interface Verification {
  /** The test file to extend (`exists`) or add. */
  testFile: string | null;
  testExists: boolean;
  /** The shell command that runs it, from the repository root. */
  command: string | null;
}

const TEST_FILE = /(?:^|\/)(?:test_[^/]+|[^/]+_test\.\w+|[^/]+\.(?:test|spec)\.\w+)$/;
const DOC_FILE = /\.(?:md|txt|rst|adoc)$/i;
const FLATPAK_MANIFEST = /(?:^|\/)(?:[^/]*flatpak[^/]*\/[^/]+|[a-z][\w-]*\.[\w-]+\.[\w.-]+)\.(?:ya?ml|json)$/i;

/** True for a test file (`x_test.go`, `test_x.c`, `x.test.ts`) or a file under a test, fuzz or bench folder. */
export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path) || /(?:^|\/)(?:test|tests|__tests__|fuzz|bench)\//.test(path);
}

/** The folder of GitHub Actions workflows. */
export const WORKFLOWS_DIR = '.github/workflows';

/** True for a GitHub Actions workflow file (`.github/workflows/*.yml`). */
export function isWorkflowFile(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

const CODE_FILE = /\.(?:[cm]?[jt]sx?|go|c|cc|cpp|h|hpp|py|rb|rs|java|kt|swift|cs|php|lua|sh|css|scss|html|vue|svelte)$/i;

/** True for a source file (by extension): where code changes, unlike a config or data file. */
export function isCodeFile(path: string): boolean {
  return CODE_FILE.test(path);
}

/** True for documentation (`.md`, `.txt`, `.rst`, `.adoc`). */
export function isDocFile(path: string): boolean {
  return DOC_FILE.test(path);
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function stem(p: string): string {
  return basename(p).replace(/\.[^.]*$/, '');
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Lower-case words of a path or text, plurals folded (`sessions` -> `session`). */
export function wordsOf(text: string): string[] {
  return (text.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().match(/[a-z][a-z0-9]{2,}/g) ?? []).map((w) => (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'when', 'each', 'are', 'not', 'can', 'has', 'have', 'all', 'any', 'its', 'but', 'via', 'new', 'use', 'uses', 'used', 'user', 'show', 'shows', 'file', 'internal', 'src', 'include', 'lib', 'main', 'index', 'test']);

/** The repository's files, with the lookups the planner needs. */
export class CodeMap {
  readonly files: readonly string[];
  private readonly set: Set<string>;
  private readonly dirs = new Map<string, string[]>();

  /** Reads a repository file's text (null when unreadable); absent, package.json test scripts are taken to be real. */
  private readonly read: ((path: string) => string | null) | undefined;

  constructor(files: readonly string[], read?: (path: string) => string | null) {
    this.files = files;
    this.read = read;
    this.set = new Set(files);
    for (const f of files) {
      const d = dirname(f);
      const list = this.dirs.get(d) ?? [];
      list.push(f);
      this.dirs.set(d, list);
      // Register every ancestor so that folders without files of their own exist.
      for (let a = dirname(d); d && !this.dirs.has(a); a = dirname(a)) {
        this.dirs.set(a, []);
        if (!a) break;
      }
    }
  }

  get empty(): boolean {
    return this.files.length === 0;
  }

  has(path: string): boolean {
    return this.set.has(path);
  }

  hasDir(dir: string): boolean {
    return this.dirs.has(dir);
  }

  /** A repository file's text, or null when it cannot be read (or nothing reads files). */
  text(path: string): string | null {
    return this.read?.(path) ?? null;
  }

  /**
   * The repository's source folder (`src/`, `lib/`, `app/`, `pkg/`: the first
   * that holds code), where new code goes when the domains name no folder of
   * this repository; null when there is none.
   */
  sourceFolder(): string | null {
    for (const d of ['src', 'lib', 'app', 'pkg', 'source']) {
      if ((this.dirs.get(d) ?? []).some((f) => !isDocFile(f) && !isTestFile(f)) || this.files.some((f) => f.startsWith(`${d}/`) && !isDocFile(f) && !isTestFile(f))) return `${d}/`;
    }
    return null;
  }

  /** The folder nearest to `file` (itself or an ancestor) that holds `name`; null if none. */
  nearest(file: string, name: string | ((f: string) => boolean)): string | null {
    for (let d = dirname(file); ; d = dirname(d)) {
      const list = this.dirs.get(d) ?? [];
      if (typeof name === 'string' ? this.set.has(join(d, name)) : list.some(name)) return d;
      if (!d) return null;
    }
  }

  private readonly npmTests = new Map<string, boolean>();

  /**
   * Whether the package.json in `dir` has a test script that tests: not
   * missing, and not the placeholder `npm init` writes
   * (`echo "Error: no test specified" && exit 1`), which fails whatever the code does.
   */
  hasNpmTest(dir: string): boolean {
    let known = this.npmTests.get(dir);
    if (known === undefined) {
      known = true;
      const text = this.read?.(join(dir, 'package.json'));
      if (text != null) {
        try {
          const test = (JSON.parse(text.replace(/^\uFEFF/, '')) as { scripts?: { test?: unknown } })?.scripts?.test;
          known = typeof test === 'string' && test.trim() !== '' && !/no test specified/i.test(test);
        } catch {
          known = true; // an unreadable package.json: npm test says what is wrong with it
        }
      }
      this.npmTests.set(dir, known);
    }
    return known;
  }

  /**
   * The command that runs the JavaScript tests of the package in `dir` (`npm
   * test`, with `--prefix` below the root); without a real test script, Node's
   * own runner on `testFile` (plain JavaScript only), else null.
   */
  private npmCommand(dir: string, testFile: string | null): string | null {
    if (this.hasNpmTest(dir)) return dir ? `npm test --prefix ${dir}` : 'npm test';
    return testFile && /\.(?:m|c)?js$/.test(testFile) ? `node --test ${testFile}` : null;
  }

  /** How a change to `file` is verified. */
  verification(file: string): Verification {
    const dir = dirname(file);
    const ext = basename(file).replace(/^[^.]*\./, '').toLowerCase();
    const test = (path: string | null, command: string | null): Verification => ({ testFile: path, testExists: path !== null && this.has(path), command });
    const goCommand = (pkgDir: string) => {
      const mod = this.nearest(join(pkgDir, 'x'), 'go.mod');
      const rel = mod === null || mod === '' ? pkgDir : pkgDir.slice(mod.length + 1);
      const target = rel ? `./${rel}/...` : './...';
      return mod ? `cd ${mod} && go test ${target}` : `go test ${target}`;
    };
    if (ext === 'go') {
      const testFile = file.endsWith('_test.go') ? file : join(dir, `${stem(file)}_test.go`);
      return test(testFile, goCommand(dir));
    }
    if (/^(?:c|h|cc|cpp|hpp)$/.test(ext)) {
      const mk = this.nearest(file, 'Makefile');
      const command = mk === null ? null : mk ? `make -C ${mk} test` : 'make test';
      if (isTestFile(file)) return test(file, command);
      const base = mk ?? dir;
      const folder = ['test', 'tests'].map((t) => join(base, t)).find((t) => this.hasDir(t));
      const name = `test_${stem(file)}.${ext === 'h' ? 'c' : ext === 'hpp' ? 'cpp' : ext}`;
      return test(join(folder ?? dir, name), command);
    }
    if (/^(?:js|mjs|cjs|jsx|ts|tsx)$/.test(ext)) {
      const pkg = this.nearest(file, 'package.json');
      const command = (testFile: string) => (pkg === null ? null : this.npmCommand(pkg, testFile));
      if (isTestFile(file)) return test(file, command(file));
      // Tests beside the code, unless the package keeps them in its own test folder.
      const beside = (this.dirs.get(dir) ?? []).some((f) => TEST_FILE.test(f));
      const folder = ['test', 'tests', '__tests__'].map((t) => join(pkg ?? '', t)).find((t) => (this.dirs.get(t) ?? []).some((f) => TEST_FILE.test(f)));
      if (!beside && folder) {
        const existing = (this.dirs.get(folder) ?? []).find((f) => basename(f).startsWith(`${stem(file)}.`) && TEST_FILE.test(f));
        const t = existing ?? join(folder, `${stem(file)}.test.${ext}`);
        return test(t, command(t));
      }
      const t = join(dir, `${stem(file)}.test.${ext}`);
      return test(t, command(t));
    }
    if (isWorkflowFile(file)) return test(null, `actionlint ${file}`);
    if (FLATPAK_MANIFEST.test(file) && /^(?:ya?ml|json)$/.test(ext)) {
      return test(null, `flatpak-builder --force-clean build-dir ${file}`);
    }
    if (/(?:^|\/)flatpak\//i.test(file) || /\.(?:desktop|metainfo\.xml|appdata\.xml)$/.test(file)) {
      const manifest = this.files.find((f) => FLATPAK_MANIFEST.test(f) && /\.(?:ya?ml|json)$/.test(f));
      if (manifest) return test(null, `flatpak-builder --force-clean build-dir ${manifest}`);
    }
    if (/^(?:css|scss|html|tmpl|gohtml|svg)$/.test(ext)) {
      // Served or embedded by the nearest Go package: its tests render it.
      const goDir = this.nearest(file, (f) => f.endsWith('.go') && !f.endsWith('_test.go'));
      if (goDir !== null) {
        const tests = (this.dirs.get(goDir) ?? []).filter((f) => f.endsWith('_test.go')).sort();
        const first = (this.dirs.get(goDir) ?? []).find((f) => f.endsWith('.go') && !f.endsWith('_test.go'))!;
        return test(tests.find((t) => /server|handler|render|template/.test(t)) ?? tests[0] ?? join(goDir, `${stem(first)}_test.go`), goCommand(goDir));
      }
      const pkg = this.nearest(file, 'package.json');
      if (pkg !== null) return test(null, this.npmCommand(pkg, null));
    }
    // An image is verified by building it (a unit test does not run a Dockerfile).
    if (/^(?:Dockerfile(?:\.[\w.-]+)?|[\w.-]+\.Dockerfile)$/.test(basename(file))) return test(null, `docker build -f ${file} ${dir || '.'}`);
    if (basename(file) === 'Makefile') return test(null, dir ? `make -C ${dir}` : 'make');
    if (basename(file) === 'package.json') return test(null, this.npmCommand(dir, null));
    if (basename(file) === 'go.mod') return test(null, goCommand(dir));
    return test(null, null);
  }

  /**
   * The command that runs the tests of a folder (`dir/`, or null for the
   * repository) when no file is known: its own Makefile or package.json, else
   * the repository's (`go.mod` -> `go test ./...`, `Makefile` -> `make test`,
   * `package.json` -> `npm test`). Null when the repository has none.
   */
  fallbackCommand(dir: string | null): string | null {
    const d = dir ? dir.replace(/\/$/, '') : '';
    if (d && this.has(join(d, 'Makefile'))) return `make -C ${d} test`;
    if (d && this.has(join(d, 'package.json'))) return this.npmCommand(d, null);
    if (d && this.has(join(d, 'go.mod'))) return `cd ${d} && go test ./...`;
    if (d && this.files.some((f) => f.startsWith(d + '/') && f.endsWith('.go')) && this.has('go.mod')) return `go test ./${d}/...`;
    if (this.has('Makefile')) return 'make test';
    if (this.has('go.mod')) return 'go test ./...';
    if (this.has('package.json')) return this.npmCommand('', null);
    return null;
  }

  private readonly candidateCache = new Map<string, { file: string; words: Map<string, number> }[]>();

  /** The domain's code (or doc) files with their path words (basename words weigh 2), computed once per run. */
  private candidates(domain: string | null, domainPaths: DomainPaths, docs: boolean): { file: string; words: Map<string, number> }[] {
    const key = `${domain}\u0000${docs}`;
    let list = this.candidateCache.get(key);
    if (!list) {
      list = [];
      for (const f of this.files) {
        if (isDocFile(f) !== docs || isTestFile(f)) continue;
        const owners = domainPaths.of(f);
        // Files no domain claims: source files only (a config or lock file is not where a feature lands).
        if (domain === null ? owners.length > 0 || (!docs && !isCodeFile(f)) : !owners.includes(domain)) continue;
        const words = new Map<string, number>();
        // A workflow's folder says nothing about which workflow it is (every one is in it): only its name counts.
        const parts = isWorkflowFile(f) ? [basename(f)] : f.split('/');
        parts.forEach((part, i) => {
          for (const w of wordsOf(part)) if (!words.has(w)) words.set(w, i === parts.length - 1 ? 2 : 1);
        });
        // `ci.yml`, the most common workflow name, is under wordsOf's three letters.
        if (isWorkflowFile(f) && /^ci\b/i.test(basename(f))) words.set('ci', 2);
        list.push({ file: f, words });
      }
      this.candidateCache.set(key, list);
    }
    return list;
  }

  /**
   * The file of `domain` whose path shares the most words with `text` (at
   * least one word that is not a folder every candidate shares), else the
   * file no domain claims that does; null when no file does. `docs`: look
   * among documentation files, else among code.
   */
  guess(text: string, domain: string, domainPaths: DomainPaths, docs: boolean, preferred: readonly string[] = []): string | null {
    // The domain's own files first; else a file no domain claims (`src/report.js` when
    // the domains describe another project's folders), which is still the place.
    return this.guessAmong(text, domain, domainPaths, docs, preferred) ?? this.guessAmong(text, null, domainPaths, docs, preferred);
  }

  private guessAmong(text: string, domain: string | null, domainPaths: DomainPaths, docs: boolean, preferred: readonly string[]): string | null {
    const want = new Set(wordsOf(text).filter((w) => !STOP.has(w)));
    if (/\bCI\b/.test(text)) want.add('ci');
    if (want.size === 0) return null;
    let best: string | null = null;
    let bestScore = 0;
    let ties = 0;
    const preferredSet = new Set(preferred);
    for (const { file: f, words } of this.candidates(domain, domainPaths, docs)) {
      let score = 0;
      for (const [w, weight] of words) if (want.has(w)) score += weight;
      if (/\bmanifests?\b/i.test(text) && FLATPAK_MANIFEST.test(f) && /\.(?:ya?ml|json)$/.test(f)) score += 1;
      if (score === 0) continue;
      if (preferredSet.has(f)) score += 1.5;
      if (score > bestScore) {
        best = f;
        bestScore = score;
        ties = 0;
      } else if (score === bestScore) {
        ties++;
        if (best !== null && f.length < best.length) best = f;
      }
    }
    // Two shared words, or one that picks a single file.
    return bestScore >= 2 || (bestScore > 0 && ties === 0) ? best : null;
  }
}
