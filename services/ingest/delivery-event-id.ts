import { deriveEventId } from '../../shared/events/create-event.js';
import type { IngestSource } from './receiver.js';

/**
 * The event id of a delivery, derived from its idempotency key: a redelivery that slips past the
 * ledger (crash between publish and record) publishes the very same id, which consumers skip.
 */
export function deliveryEventId(source: IngestSource, deliveryId: string): string {
  return deriveEventId(`ingest/${source}/${deliveryId}`, 0);
}
