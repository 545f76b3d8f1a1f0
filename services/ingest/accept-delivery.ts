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
  // Nothing to publish (SDK sessions, installations, pings): acknowledged without a ledger row,
  // which tracing-heavy SDK traffic would otherwise grow without bound.
  if (!accepted.event) return { status: 202, body: { eventId: null, duplicate: false } };
  const known = await deps.store.findDelivery(source, accepted.deliveryId);
  if (known) return { status: 200, body: { eventId: known.eventId, duplicate: true } };
  await deps.bus.publish(accepted.event);
  await deps.store.recordDelivery({ source, deliveryId: accepted.deliveryId, eventId: accepted.event.id });
  return { status: 202, body: { eventId: accepted.event.id, duplicate: false } };
}
