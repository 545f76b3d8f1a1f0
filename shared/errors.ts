/**
 * The one error base class. `code` is stable (tests, API answers and CLI messages key on it);
 * `retriable` tells retry logic whether trying again can help.
 */
export class NightshiftError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** Exhaustiveness check for `switch` over unions: a new member fails the build here. */
export function assertNever(value: never, what = 'value'): never {
  throw new NightshiftError('UNREACHABLE', `unexpected ${what}: ${JSON.stringify(value)}`);
}
