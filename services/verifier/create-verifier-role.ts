import type { Role } from '../runtime/role.js';

/** Verifies drafted fixes before a PR is ready; consumes `fixes` and `forge-events` as group `verifier`. */
export function createVerifierRole(): Role {
  return { name: 'verifier', handlers: [] };
}
