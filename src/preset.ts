/**
 * The remark preset: every single-file rule at its default severity (or the
 * one set in the plan-tasks config found from the working directory), plus
 * `<!-- lint disable ID -->` support for plan-tasks messages, and
 * remark-frontmatter (YAML and TOML), so front matter is skipped as the CLI skips it.
 *
 *     remark --use plan-tasks/preset docs/stories
 */
import type { Preset, Plugin } from 'unified';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import remarkFrontmatter from 'remark-frontmatter';
import remarkLint from 'remark-lint';
import remarkMessageControl from 'remark-message-control';
import * as schema from './config/schema.js';
import { loadConfigSync } from './config/load.js';
import type { ResolvedConfig } from './config/types.js';
import { plugins } from '../rules/index.js';
import { WARN_ONLY } from './rules/remark.js';


/** Keeps findings that are warnings by nature (a long description) at warning level. */
const severities: Plugin<[], Root> = function () {
  return (_tree: Root, file: VFile) => {
    for (const message of file.messages) {
      if ((message as unknown as Record<string, unknown>)[WARN_ONLY]) message.fatal = false;
    }
  };
};

const planTasksMessageControl: Plugin<[], Root> = function () {
  return remarkMessageControl({ name: 'lint', source: 'plan-tasks' }) as never;
};

/** The preset for a given config (the default export uses the one found from the cwd). */
export function createPreset(config: ResolvedConfig): Preset {
  return {
    plugins: [
      // YAML / TOML front matter is a node of its own, not a thematic break and a setext heading.
      [remarkFrontmatter, ['yaml', 'toml']] as [Plugin, unknown],
      remarkLint,
      ...Object.entries(plugins).map(([id, plugin]) => {
        const severity = config.rules[id] ?? 'error';
        return [plugin, [severity, config]] as [Plugin, unknown];
      }),
      // After the rules: message control filters the messages already made.
      planTasksMessageControl,
      severities,
    ],
  };
}

const preset: Preset = createPreset(loadConfigSync(schema, { cwd: process.cwd() }));

export default preset;
