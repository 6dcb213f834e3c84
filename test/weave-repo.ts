/**
 * A skeleton of the weave application's repository, built from what the weave
 * stories themselves name: every file path in a code span of a task or an
 * acceptance criterion becomes a file, and every identifier a task names goes
 * into the files of that task in the same language (so `git grep` finds it
 * where the authors put it). The layout is the one before story 024 moved the
 * Go code under `backend/` (Go module at the root, `internal/`, `cmd/`), with
 * the C daemon in `compute/` (Makefile with a `test` target and `compute/test/`),
 * the Electron shell in `electron/` (package.json with a `test` script), the
 * Flatpak manifest in `packaging/flatpak/`, docs in `docs/`.
 *
 * Used by the scaffold tests (a temp repository with Go, C, Electron and
 * Flatpak files) and by bench/scaffold-weave.mjs to measure the scaffolder
 * against the authors' own tasks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseStory } from '../src/story/parse.js';

export const WEAVE_FIXTURE_STORIES = new URL('./fixtures/weave/stories/', import.meta.url).pathname;

/** Files every skeleton has: build files, manifests, and the test folders the stories name. */
const BASE: Record<string, string> = {
  'go.mod': 'module github.com/weave/weave\n\ngo 1.22\n',
  'Makefile': 'all: backend compute\n\nbackend:\n\tgo build -o build/weave ./cmd/weave\n\ncompute:\n\t$(MAKE) -C compute\n\ntest:\n\tgo test ./...\n\t$(MAKE) -C compute test\n',
  'compute/Makefile': 'CFLAGS = -std=c99 -Wall -Iinclude\n\nall: weave-compute\n\ntest:\n\t./test/run.sh\n',
  'electron/package.json': '{\n  "name": "weave-desktop",\n  "main": "main.js",\n  "scripts": {\n    "start": "electron .",\n    "test": "node --test"\n  }\n}\n',
  'electron/preload.js': "const { contextBridge } = require('electron');\n",
  'packaging/flatpak/io.github.weave.Weave.yml': 'app-id: io.github.weave.Weave\nruntime: org.freedesktop.Platform\ncommand: weave\nmodules: []\n',
  'packaging/flatpak/io.github.weave.Weave.desktop': '[Desktop Entry]\nName=Weave\nExec=weave\n',
  'README.md': '# Weave\n',
};

const EXT = /\.(?:go|c|h|cpp|js|ts|css|html|md|json|ya?ml|sh|desktop|xml|txt)$/;

function language(path: string): string {
  const ext = path.replace(/^.*\./, '');
  if (ext === 'h' || ext === 'cpp') return 'c';
  return ext;
}

/** A repository-relative file path from a code span, or null. */
function repoPath(span: string): string | null {
  let p = span.trim().replace(/^\.\//, '').replace(/^\//, '');
  if (!EXT.test(p) || /[\s*<>{}]/.test(p) || p.startsWith('../') || p.startsWith('build/') || p.startsWith('tmp/')) return null;
  if (p.startsWith('backend/')) p = p.slice('backend/'.length); // the pre-024 layout
  if (!p.includes('/') && !/^(?:README|CLAUDE)\.md$/.test(p)) return null;
  // Only the application's top-level folders (`weave/socket.h` is an include path, `third_party` a submodule).
  if (p.includes('/') && !/^(?:cmd|internal|compute|electron|docs|config|test|packaging)\//.test(p)) return null;
  if (p.includes('third_party/')) return null;
  return p;
}

function identifiers(text: string): string[] {
  return [...text.matchAll(/`([A-Za-z_][\w]*)(?:\(\))?`/g)]
    .map((m) => m[1]!)
    .filter((id) => id.length >= 4 && (/_/.test(id) || /[a-z][A-Z]/.test(id) || /^[A-Z][a-z]+[A-Z]/.test(id)));
}

function content(path: string, ids: readonly string[]): string {
  const lang = language(path);
  const dir = dirname(path).split('/').pop()!;
  if (lang === 'go') {
    const pkg = path.startsWith('cmd/') ? 'main' : dir.replace(/[^a-z0-9]/gi, '');
    const pkgLine = path.endsWith('_test.go') ? `package ${pkg}\n\nimport "testing"\n` : `package ${pkg}\n`;
    return pkgLine + ids.map((id) => `\nfunc ${id}() {}\n`).join('');
  }
  if (lang === 'c') return `/* ${path} */\n` + ids.map((id) => `\nint ${id}(void);\n`).join('');
  if (lang === 'js' || lang === 'ts') return `// ${path}\n` + ids.map((id) => `function ${id}() {}\n`).join('');
  if (lang === 'css') return `/* ${path} */\n` + ids.map((id) => `.${id} {}\n`).join('');
  if (lang === 'html') return `<!-- ${path} -->\n` + ids.map((id) => `<div id="${id}"></div>\n`).join('');
  if (lang === 'md') return `# ${path}\n` + ids.map((id) => `\n\`${id}\`\n`).join('');
  if (lang === 'json') return '{}\n';
  return `# ${path}\n` + ids.map((id) => `# ${id}\n`).join('');
}

/** The skeleton's files and their text, from the stories in `storiesDir`. */
export function weaveSkeleton(storiesDir = WEAVE_FIXTURE_STORIES): Map<string, string> {
  const ids = new Map<string, Set<string>>();
  const add = (path: string, list: readonly string[] = []) => {
    const set = ids.get(path) ?? new Set<string>();
    for (const id of list) set.add(id);
    ids.set(path, set);
  };
  for (const f of readdirSync(storiesDir).filter((n) => n.endsWith('.md')).sort()) {
    const story = parseStory(readFileSync(join(storiesDir, f), 'utf8'));
    for (const c of story.criteria) for (const m of c.text.matchAll(/`([^`]+)`/g)) {
      const p = repoPath(m[1]!);
      if (p) add(p);
    }
    for (const t of story.tasks) {
      const text = story.text.slice(t.heading.span.start.offset, t.span.end.offset);
      const paths = [...new Set([...text.matchAll(/`([^`]+)`/g)].map((m) => repoPath(m[1]!)).filter((p): p is string => p !== null))];
      const named = identifiers(text);
      for (const p of paths) {
        const lang = language(p);
        add(p, named.filter(() => lang === 'go' || lang === 'c' || lang === 'js'));
      }
    }
  }
  const files = new Map<string, string>(Object.entries(BASE));
  for (const [path, set] of [...ids.entries()].sort()) {
    if (files.has(path)) continue;
    const lang = language(path);
    // An identifier goes only where its language fits: snake_case to C, the rest to Go and JS.
    const fit = [...set].filter((id) => (lang === 'c' ? /_/.test(id) && !/[A-Z]/.test(id) : !/^[a-z]+(?:_[a-z0-9]+)+$/.test(id)));
    files.set(path, content(path, fit));
  }
  return files;
}

/** Write the skeleton into `dir` (which must exist) and make it a git repository with one commit. */
export function writeWeaveRepo(dir: string, storiesDir = WEAVE_FIXTURE_STORIES): string[] {
  const files = weaveSkeleton(storiesDir);
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  Object.assign(env, { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'weave skeleton');
  return [...files.keys()].sort();
}
