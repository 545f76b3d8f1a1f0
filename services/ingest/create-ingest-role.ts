import type { Role } from '../runtime/role.js';

/** Webhook receivers (Sentry, Datadog, GitHub, Sentry SDK envelopes) mount their routes here. */
export function createIngestRole(): Role {
  return { name: 'ingest', handlers: [] };
}
