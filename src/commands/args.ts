/** Option parsing shared by the subcommands: node:util's parseArgs, errors as usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Options that name a file: an empty value (`--config ""`, `-o "$UNSET"`) is a
 * usage error, never "not given" (the config looked up instead) nor the working
 * directory. What each expects.
 */
const FILE_OPTIONS: Record<string, string> = {
  config: 'a config file such as plan-tasks.config.json',
  output: 'a report file such as plan-tasks.sarif',
  'cache-location': 'a cache file or folder such as .plan-tasks-cache',
};

export function parseCommandArgs<O extends Options, P extends boolean = true>(command: string, args: string[], options: O, allowPositionals: P = true as P) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), `Run \`plan-tasks ${command} --help\` for the options.`);
  }
  for (const [name, expected] of Object.entries(FILE_OPTIONS)) {
    const value = (parsed.values as Record<string, unknown>)[name];
    if (name in options && typeof value === 'string' && !value.trim()) {
      throw new UsageError(`Unexpected empty --${name}, expected ${expected}`, 'An empty value is not a file name: is the variable it comes from set?');
    }
  }
  return parsed;
}

/**
 * The `--format` of a command that prints text or JSON (`next`, `status`):
 * `text` when not given.
 *
 * @throws UsageError for any other value (exit 2)
 */
export function textOrJsonFormat(format: string | undefined): 'text' | 'json' {
  const f = format ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`Unknown format "${f}", expected one of text, json`);
  return f;
}
