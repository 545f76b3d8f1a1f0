import type { Role } from '../runtime/role.js';
import { recordAlert } from './record-alert.js';

/** Groups alerts into incidents (and, as triage grows, triages them); group `triage` on `alerts`. */
export function createTriageRole(): Role {
  return {
    name: 'triage',
    handlers: [
      {
        group: 'triage',
        topics: ['alerts'],
        handle: async (event, { store }) => {
          if (event.type === 'alert.received.v1') await recordAlert(event, store);
          return [];
        },
      },
    ],
  };
}
