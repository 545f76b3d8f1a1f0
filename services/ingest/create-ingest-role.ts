import type { Role } from '../runtime/role.js';
import { createIngestRouter } from './create-ingest-router.js';
import type { Receiver } from './receiver.js';

/** The webhook receivers and the Sentry SDK intake; each source contributes its receiver. */
export function createIngestRole(): Role {
  return {
    name: 'ingest',
    handlers: [],
    router: ({ bus, store, metrics, log, now, config }) => {
      const routes: [string, Receiver][] = [];
      return createIngestRouter({ bus, store, metrics, log: log.child({ role: 'ingest' }), now, maxBodyBytes: config.ingest.maxBodyBytes, routes });
    },
  };
}
