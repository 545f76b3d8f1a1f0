import type { Role } from '../runtime/role.js';

/** Drafts fixes for triaged incidents; consumes the `incidents` topic as group `fixer`. */
export function createFixerRole(): Role {
  return { name: 'fixer', handlers: [] };
}
