import { NightshiftError } from '../../../shared/errors.js';

/** No sandbox works on this machine and the configuration does not allow running without one. */
export class SandboxUnavailableError extends NightshiftError {
  constructor(message: string) {
    super('SANDBOX_UNAVAILABLE', message, { retriable: false });
  }
}

/** A step given to the sandbox is malformed (relative cwd, mount escaping the copy, …). */
export class SandboxStepError extends NightshiftError {
  constructor(message: string) {
    super('SANDBOX_STEP_INVALID', message, { retriable: false });
  }
}
