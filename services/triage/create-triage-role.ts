import type { Role } from '../runtime/role.js';

/** Groups alerts into incidents and triages them; consumes the `alerts` topic as group `triage`. */
export function createTriageRole(): Role {
  return { name: 'triage', handlers: [] };
}
