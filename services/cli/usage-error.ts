import { NightshiftError } from '../../shared/errors.js';

/** A command line the user got wrong: printed without a stack trace, exit code 2. */
export class UsageError extends NightshiftError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
