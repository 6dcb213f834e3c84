/**
 * The remark preset: every single-file rule, plus `<!-- lint disable ID -->`
 * support for plan-tasks messages.
 *
 * The default export reads, for each linted file, the plan-tasks config that
 * applies to that file's folder (the nearest `plan-tasks.config.json`,
 * `.plan-tasksrc.json` or package.json `"plan-tasks"` from the folder up), and
 * sets each rule's severity from it, so remark-cli and editors (through
 * unified-language-server, whose working directory can be anywhere) lint a
 * story as `plan-tasks lint` does in its project. `createPreset(config)`
 * fixes one config for every file instead.
 *
 * remark-frontmatter (YAML and TOML) runs first, so front matter is skipped as the
 * CLI skips it.
 *
 *     remark --use plan-tasks/preset docs/stories
 */
import { dirname, resolve } from 'node:path';
import type { Preset, Plugin } from 'unified';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import remarkFrontmatter from 'remark-frontmatter';
import remarkLint from 'remark-lint';
import remarkMessageControl from 'remark-message-control';
import * as schema from './config/schema.js';
import { configForFolder, resolveConfig, validateConfig } from './config/load.js';
import type { ResolvedConfig } from './config/types.js';
import { plugins } from '../rules/index.js';
import { CONFIG_KEY, WARN_ONLY } from './rules/remark.js';

/**
 * The config for a vfile: found from its folder up (`file.cwd` for a file
 * without a path), else the built-in defaults. Throws plan-tasks' UsageError
 * for an invalid config file; remark reports it as a fatal error on the file.
 */
export function configForFile(file: VFile): ResolvedConfig {
  const data = file.data as Record<string, unknown>;
  const cached = data[CONFIG_KEY] as ResolvedConfig | undefined;
  if (cached) return cached;
  const folder = file.path ? dirname(resolve(file.cwd, file.path)) : file.cwd;
  const config = configForFolder(schema, folder);
  data[CONFIG_KEY] = config;
  return config;
}

/**
 * Sets each plan-tasks message's severity from the config (`off` drops it,
 * `warn` makes it a warning) and keeps findings that are warnings by nature
 * (a long description) at warning level.
 */
function severities(fixed: ResolvedConfig | null): Plugin<[], Root> {
  return function () {
    return (_tree: Root, file: VFile) => {
      const config = fixed ?? configForFile(file);
      const kept = file.messages.filter((message) => {
        if (message.source !== 'plan-tasks' || !message.ruleId) return true;
        const severity = fixed ? null : (config.rules[message.ruleId] ?? 'error');
        if (severity === 'off') return false;
        if (severity === 'warn' || (message as unknown as Record<string, unknown>)[WARN_ONLY]) message.fatal = false;
        return true;
      });
      // Not splice(0, n, ...kept): a spread of a file's every message can overflow the stack.
      file.messages.length = 0;
      for (const m of kept) file.messages.push(m);
    };
  };
}

/**
 * Runs first: reads the file's config once. An invalid config fails the file
 * with that one message (the bad keys, what was expected, the valid rule
 * names), no stack, and no rule runs; without this every rule would throw the
 * same error with its own stack trace.
 */
function configCheck(fixed: ResolvedConfig | null): Plugin<[], Root> {
  return function () {
    return (_tree: Root, file: VFile) => {
      if (fixed) return;
      try {
        configForFile(file);
      } catch (error) {
        const message = file.message((error as Error).message, { ruleId: 'config', source: 'plan-tasks' });
        message.fatal = true;
        // vfile-reporter prints a message's stack (or its cause's): the message says it all.
        message.stack = '';
        message.cause = undefined;
        throw message;
      }
    };
  };
}

const planTasksMessageControl: Plugin<[], Root> = function () {
  return remarkMessageControl({ name: 'lint', source: 'plan-tasks' }) as never;
};

/**
 * The preset for one fixed config, or (no argument) for the config of each
 * linted file's folder; see the module comment.
 */
export function createPreset(config?: ResolvedConfig): Preset {
  // A config object as written in plan-tasks.config.json: validated like one (a UsageError lists
  // the bad keys and the valid names, once), then resolved from the working directory.
  if (config !== undefined && !isResolved(config)) config = resolveConfig(validateConfig(schema, config, 'the createPreset(config) argument'), process.cwd(), null);
  return {
    plugins: [
      configCheck(config ?? null),
      // YAML / TOML front matter is a node of its own, not a thematic break and a setext heading.
      [remarkFrontmatter, ['yaml', 'toml']] as [Plugin, unknown],
      remarkLint,
      ...Object.entries(plugins).map(([id, plugin]) => {
        // Per file, every rule runs and `severities` applies the file's config.
        const severity = config ? (config.rules[id] ?? 'error') : 'error';
        return [plugin, [severity, config ?? configForFile]] as [Plugin, unknown];
      }),
      // After the rules: message control filters the messages already made.
      planTasksMessageControl,
      severities(config ?? null),
    ],
  };
}

/**
 * A config as \`loadConfig\` resolves it (domains, rules, stories and root set).
 */
function isResolved(config: unknown): config is ResolvedConfig {
  const c = config as Partial<ResolvedConfig> | null;
  return Boolean(c) && typeof c === 'object' && Array.isArray(c!.domains) && Array.isArray(c!.stories) && typeof c!.rules === 'object' && typeof c!.root === 'string';
}

const preset: Preset = createPreset();

export default preset;
