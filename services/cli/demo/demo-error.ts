import { NightshiftError } from '../../../shared/errors.js';

/** Something the demo needs did not happen: a sample service did not start, no request failed, no triage came. */
export class DemoError extends NightshiftError {
  constructor(code: `DEMO_${string}`, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
