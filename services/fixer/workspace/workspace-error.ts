import { NightshiftError } from '../../../shared/errors.js';

/** A workspace could not be opened or changed: bad source, unknown base, git refusing. */
export class WorkspaceError extends NightshiftError {
  constructor(code: `WORKSPACE_${string}`, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
