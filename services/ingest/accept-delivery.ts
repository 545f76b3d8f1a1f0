import type { Bus } from '../../shared/bus/bus.js';
import type { Store } from '../../shared/store/store.js';
import type { Accepted, IngestSource } from './receiver.js';

export interface AcceptResult {
  status: 200 | 202;
  body: { eventId: string | null; duplicate: boolean };
}

/**
 * Acknowledges a delivery only once its event is durably on the bus. Publish comes before the ledger
 * record: a crash in between means a redelivery publishes again, with the same derived id, rather
 * than an acknowledged delivery that was never published.
 */
export async function acceptDelivery(source: IngestSource, accepted: Accepted, deps: { bus: Bus; store: Store }): Promise<AcceptResult> {
  const known = await deps.store.findDelivery(source, accepted.deliveryId);
  if (known) return { status: 200, body: { eventId: known.eventId || null, duplicate: true } };
  if (accepted.event) await deps.bus.publish(accepted.event);
  const eventId = accepted.event?.id ?? '';
  await deps.store.recordDelivery({ source, deliveryId: accepted.deliveryId, eventId });
  return { status: 202, body: { eventId: eventId || null, duplicate: false } };
}
