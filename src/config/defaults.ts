/**
 * Built-in defaults. Plain data: loading them costs nothing, and zod is only
 * imported when a config file has to be validated.
 */
import type { ResolvedConfig, DomainConfig } from './types.js';
import { RULE_DEFAULTS } from '../rules/ids.js';

export const DEFAULT_DOMAINS: DomainConfig[] = [
  {
    name: 'backend',
    keywords: ['Go', 'CLI', 'HTTP', 'WebSocket', 'REST', 'endpoint', 'handler', 'server', 'scheduling', 'scheduler', 'SSE', 'goroutine', 'database', 'SQL'],
    paths: ['**/*.go', 'backend/**', 'cmd/**', 'internal/**', 'server/**', 'api/**'],
  },
  {
    name: 'compute',
    keywords: ['C', 'protocol', 'parser', 'parsing', 'auth', 'authentication', 'token', 'GPU', 'Vulkan', 'CUDA', 'memory', 'malloc', 'buffer', 'daemon', 'kernel', 'SIMD'],
    paths: ['**/*.c', '**/*.h', 'compute/**', 'daemon/**', 'native/**'],
  },
  {
    name: 'electron',
    keywords: ['Electron', 'main process', 'preload', 'IPC', 'ipcMain', 'ipcRenderer', 'menu', 'tray', 'BrowserWindow', 'renderer', 'window'],
    paths: ['electron/**', 'desktop/**', '**/preload.{js,ts}', '**/main.{js,ts,cjs,mjs}'],
  },
  {
    name: 'packaging',
    keywords: ['Flatpak', 'manifest', 'CI/CD', 'CI', 'release', 'AppImage', 'packaging', 'package', 'installer', 'GitHub Actions', 'workflow', 'Dockerfile'],
    paths: ['packaging/**', 'flatpak/**', '.github/**', '**/*.yml', '**/*.yaml', '**/Dockerfile', '**/*.flatpak*'],
  },
];

/** Rule ids and default severities, generated from the rule files (src/rules/ids.ts, `npm run docs`). */
export { RULE_DEFAULTS };

/** Every rule id, in the registry's order. */
export const RULE_IDS = Object.keys(RULE_DEFAULTS);

export const DEFAULT_TASK_STATUSES = ['pending', 'in_progress', 'done'];
export const DEFAULT_STORY_STATUSES = ['Draft', 'Ready', 'In Progress', 'Done'];
export const DEFAULT_TRANSITIONS: Record<string, string[]> = {
  pending: ['in_progress', 'done'],
  in_progress: ['done', 'pending'],
  done: [],
};

export function defaultConfig(root: string): ResolvedConfig {
  return {
    root,
    configFile: null,
    stories: ['docs/stories/*.md'],
    domains: DEFAULT_DOMAINS.map((d) => ({ ...d, keywords: [...d.keywords], paths: [...d.paths] })),
    taskStatuses: [...DEFAULT_TASK_STATUSES],
    storyStatuses: [...DEFAULT_STORY_STATUSES],
    transitions: Object.fromEntries(Object.entries(DEFAULT_TRANSITIONS).map(([k, v]) => [k, [...v]])),
    sizing: {
      sentences: { min: 1, max: 3 },
      estimate: { min: 1, max: 4 },
      maxTasks: 15,
      maxFiles: 8,
      maxSteps: 8,
    },
    rules: { ...RULE_DEFAULTS },
  };
}
