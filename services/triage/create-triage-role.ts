import type { Role } from '../runtime/role.js';
import { createCallPaths } from './grouping/create-call-paths.js';
import { groupAlert } from './grouping/group-alert.js';

/** Groups alerts into incidents (and, as triage grows, triages them); group `triage` on `alerts`. */
export function createTriageRole(): Role {
  const grouping = { callPaths: createCallPaths({}), correlationWindowMs: 10 * 60_000 };
  return {
    name: 'triage',
    handlers: [
      {
        group: 'triage',
        topics: ['alerts'],
        handle: async (event, { store }) => {
          if (event.type === 'alert.received.v1') await groupAlert(event, store, grouping);
          return [];
        },
      },
    ],
  };
}
