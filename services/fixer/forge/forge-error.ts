import { NightshiftError } from '../../../shared/errors.js';

/**
 * A forge operation failed. Codes: `FORGE_UNKNOWN_REPOSITORY` (not in the forge's repository map),
 * `FORGE_PUSH_FAILED`, `FORGE_BRANCH_CHECKED_OUT` (the local forge will not move a checked-out branch),
 * `FORGE_PULL_REQUEST_NOT_FOUND`,
 * `FORGE_NOTHING_TO_MERGE` (the head has no commits the base lacks), `FORGE_CONFIG`, `FORGE_REQUEST_FAILED` (the forge's API answered an error).
 */
export class ForgeError extends NightshiftError {}
