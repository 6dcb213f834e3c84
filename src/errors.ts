/**
 * An error the user can act on: bad usage, a broken config, an unreadable path,
 * a git problem. The CLI prints its message (and hint) and exits 2, no stack.
 */
export class UsageError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}
