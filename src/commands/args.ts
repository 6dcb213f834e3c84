/** Option parsing shared by the subcommands: node:util's parseArgs, errors as usage errors (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options, P extends boolean = true>(command: string, args: string[], options: O, allowPositionals: P = true as P) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''), `Run \`plan-tasks ${command} --help\` for the options.`);
  }
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
