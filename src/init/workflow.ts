/**
 * The pull-request workflow `plan-tasks init` writes
 * (`.github/workflows/plan-tasks.yml`), for the package manager the repository
 * uses. Plain data in, YAML text out; test/workflows.test.ts runs actionlint and
 * the hardening checks on every variant.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Actions used by the generated workflow, pinned by commit (the tag in a comment). */
export const PINNED = {
  checkout: 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
  setupNode: 'actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444 # v5.0.0',
  setupPnpm: 'pnpm/action-setup@a15d269cd4658e1107c09f1fabf4cbd7bd1f308a # v4.4.0',
  setupBun: 'oven-sh/setup-bun@735343b667d3e6f658f44d0eca948eb6282f2b76 # v2.1.2',
  uploadSarif: 'github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7 # v4.31.9',
};

/** The package managers init writes a workflow for (npm's, pnpm's, Yarn's and Bun's names). */
export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** How the repository installs its dependencies, as read from its lockfile. */
export interface PackageManager {
  name: PackageManagerName;
  /** The lockfile it was read from (relative to the root), or null: none, so `npm install`. */
  lockfile: string | null;
  /** Yarn 2+ ("berry", `__metadata` in yarn.lock), installed through corepack. */
  berry?: boolean;
  /** pnpm's major version for pnpm/action-setup, or null when package.json's `packageManager` names it. */
  pnpmVersion?: number | null;
}

/** Lockfiles in the order they are looked for (npm's first: `npm ci` is the default). */
const LOCKFILES: [string, PackageManagerName][] = [
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
];

/**
 * The package manager of the repository at `root`: package.json's
 * `packageManager` field (corepack's `name@version`) when it names one of the
 * four, else the first lockfile found, else npm without a lockfile.
 */
export function detectPackageManager(root: string, pkg: Record<string, unknown>): PackageManager {
  const declared = typeof pkg.packageManager === 'string' ? /^(npm|pnpm|yarn|bun)@/.exec(pkg.packageManager)?.[1] as PackageManagerName | undefined : undefined;
  const found = LOCKFILES.filter(([file, name]) => (!declared || name === declared) && existsSync(join(root, file)));
  const name = declared ?? found[0]?.[1] ?? 'npm';
  const lockfile = found.find(([, n]) => n === name)?.[0] ?? null;
  const pm: PackageManager = { name, lockfile };
  if (name === 'yarn') {
    const text = lockfile ? readFileSync(join(root, lockfile), 'utf8') : '';
    pm.berry = /^__metadata:/m.test(text) || (typeof pkg.packageManager === 'string' && !/^yarn@1\./.test(pkg.packageManager) && pkg.packageManager.startsWith('yarn@'));
  }
  if (name === 'pnpm') {
    if (declared) pm.pnpmVersion = null;
    else {
      const text = lockfile ? readFileSync(join(root, lockfile), 'utf8') : '';
      const v = /^lockfileVersion:\s*'?(\d+)/m.exec(text)?.[1];
      pm.pnpmVersion = v === '5' ? 7 : v === '6' ? 8 : 10;
    }
  }
  return pm;
}

/** The commands a workflow step runs for `pm`: install the dependencies, run a package's bin. */
export function pmCommands(pm: PackageManager): { install: string; exec: string; cache: string | null } {
  switch (pm.name) {
    case 'pnpm':
      return { install: pm.lockfile ? 'pnpm install --frozen-lockfile' : 'pnpm install', exec: 'pnpm exec plan-tasks', cache: 'pnpm' };
    case 'yarn':
      return { install: pm.berry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile', exec: 'yarn plan-tasks', cache: 'yarn' };
    case 'bun':
      return { install: pm.lockfile ? 'bun install --frozen-lockfile' : 'bun install', exec: 'bunx plan-tasks', cache: null };
    default:
      return pm.lockfile ? { install: 'npm ci', exec: 'npx plan-tasks', cache: 'npm' } : { install: 'npm install', exec: 'npx plan-tasks', cache: null };
  }
}

/** What the workflow needs to know about the repository. */
export interface WorkflowOptions {
  packageManager?: PackageManager;
  /** The `stories` globs of the config. */
  stories?: string[];
  /** The config file, relative to the root (`package.json` when it is the `plan-tasks` key). */
  configFile?: string;
}

const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The text of `.github/workflows/plan-tasks.yml`: a `lint --base` gate on pull
 * requests (annotations), and a SARIF upload to code scanning on pushes to the
 * default branch and on pull requests from the repository itself (a fork's pull
 * request gets a read-only token). Both run only when a story, the config,
 * package.json or the workflow changes (`paths:`).
 */
export function workflowText(options: WorkflowOptions = {}): string {
  return renderWorkflow(options, 'current');
}

/**
 * The text the previous version of init wrote for the same options (no
 * `actions: read`, no Dependabot guard, a SARIF step that failed while no
 * story existed): unedited, a run of this version updates it like its own.
 */
export function previousWorkflowText(options: WorkflowOptions = {}): string {
  return renderWorkflow(options, 'previous');
}

function renderWorkflow(options: WorkflowOptions, revision: 'current' | 'previous'): string {
  const current = revision === 'current';
  const pm = options.packageManager ?? { name: 'npm', lockfile: 'package-lock.json' };
  const { install, exec, cache } = pmCommands(pm);
  const paths = [...new Set([...(options.stories ?? ['docs/stories/*.md']), options.configFile ?? 'plan-tasks.config.json', 'package.json', '.github/workflows/plan-tasks.yml'])];
  const pathList = paths.map((p) => `      - ${yamlString(p)}\n`).join('');
  const setup = (): string => {
    let s = '';
    if (pm.name === 'pnpm') s += `      - uses: ${PINNED.setupPnpm}\n${pm.pnpmVersion ? `        with:\n          version: ${pm.pnpmVersion}\n` : ''}`;
    if (pm.name === 'yarn' && pm.berry) s += '      - run: corepack enable\n';
    s += `      - uses: ${PINNED.setupNode}\n        with:\n          node-version: 22\n${cache ? `          cache: ${cache}\n` : ''}`;
    if (pm.name === 'bun') s += `      - uses: ${PINNED.setupBun}\n`;
    s += `      - run: ${install}\n`;
    return s;
  };
  return `# Written by \`plan-tasks init\`. Gates pull requests on the stories they change:
# format, dependencies and status transitions against the base branch, reported as
# annotations on the changed lines; and sends every story's findings to code scanning
# (SARIF). Docs: https://github.com/plan-tasks/plan-tasks#github-actions
name: plan-tasks

on:
  pull_request:
    paths:
${pathList}  push:
    paths:
${pathList}
permissions:
  contents: read

jobs:
  stories:
    name: Lint stories
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: ${PINNED.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
${setup()}      - name: plan-tasks lint --base
        env:
          BASE_REF: \${{ github.base_ref }}
        run: ${exec} lint --base "origin/$BASE_REF" --format github

  sarif:
    name: SARIF to code scanning
${current ? `    # Pushes to the default branch, and pull requests from this repository: a pull
    # request from a fork, and any run Dependabot starts, gets a read-only token
    # (no security-events: write), so its upload is skipped. Code scanning on a
    # private repository needs GitHub Advanced Security.
    if: github.actor != 'dependabot[bot]' && ((github.event_name == 'push' && github.ref_name == github.event.repository.default_branch) || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository))
` : `    # Pushes to the default branch, and pull requests from this repository: a pull
    # request from a fork gets a read-only token, so its upload is skipped. Code
    # scanning on a private repository needs GitHub Advanced Security.
    if: (github.event_name == 'push' && github.ref_name == github.event.repository.default_branch) || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository)
`}    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
${current ? `      # upload-sarif reads the run's workflow (actions: read; needed on a private repository).
      actions: read
` : ''}      contents: read
      security-events: write
    steps:
      - uses: ${PINNED.checkout}
        with:
          persist-credentials: false
${setup()}      - name: Lint every story to SARIF
${current ? `        # The gate job decides pass or fail; this one only reports. Before the first
        # story exists there is nothing to lint: an empty report, and a notice.
        run: ${exec} lint --format sarif -o plan-tasks.sarif --no-error-on-unmatched-pattern || test -s plan-tasks.sarif
` : `        # The gate job decides pass or fail; this one only reports.
        run: ${exec} lint --format sarif -o plan-tasks.sarif || test -s plan-tasks.sarif
`}      - uses: ${PINNED.uploadSarif}
        with:
          sarif_file: plan-tasks.sarif
          category: plan-tasks
`;
}

/**
 * The workflows earlier versions of init wrote, unedited: a run of this version
 * updates them like its own text rather than calling them the user's.
 */
export const EARLIER_WORKFLOWS: readonly string[] = [
  // 0.1.0: npm only, every pull request, no SARIF job.
  `# Written by \`plan-tasks init\`. Gates pull requests on the stories they change:
# format, dependencies and status transitions against the base branch, reported as
# annotations on the changed lines. Docs: https://github.com/plan-tasks/plan-tasks#github-actions
name: plan-tasks

on:
  pull_request:

permissions:
  contents: read

jobs:
  stories:
    name: Lint stories
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: ${PINNED.checkout}
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: ${PINNED.setupNode}
        with:
          node-version: 22
          cache: npm
      - run: npm ci
      - name: plan-tasks lint --base
        env:
          BASE_REF: \${{ github.base_ref }}
        run: npx plan-tasks lint --base "origin/$BASE_REF" --format github
`,
];
