import type { Bus } from '../../shared/bus/bus.js';
import { RenewingMap } from '../../shared/collections/renewing-map.js';
import type { Store } from '../../shared/store/store.js';
import type { EncodedEvent } from '../../shared/events/encode-event.js';
import type { IngestSource } from './receiver.js';

export interface AcceptResult {
  status: 200 | 202;
  body: { eventId: string | null; duplicate: boolean };
}

/** An accepted delivery: its idempotency key and its encoded event (null: nothing to publish). */
export interface AcceptedDelivery {
  deliveryId: string;
  event: EncodedEvent | null;
}

export type AcceptDelivery = (source: IngestSource, accepted: AcceptedDelivery) => Promise<AcceptResult>;

/**
 * Acknowledges a delivery only once its event is durably on the bus and the delivery is committed to
 * the ledger (which need not be synced yet: see createDeliveryQueries). Publish comes before the
 * ledger record: a crash in between means a redelivery publishes again, with the same derived id,
 * rather than an acknowledged delivery that was never published.
 *
 * A copy of a delivery that arrives while the first is still being stored waits for it and is
 * answered as a redelivery, so concurrent copies publish one event. Copies racing in different
 * processes both publish (the same derived id, which consumers skip); the ledger still answers the
 * later one with the original event id.
 */
export function createDeliveryAcceptor(deps: { bus: Bus; store: Store }): AcceptDelivery {
  // Not a plain Map: a busy one can keep every delivery's objects alive into the old generation (see RenewingMap).
  const inFlight = new RenewingMap<string, Promise<AcceptResult>>();

  async function store(source: IngestSource, deliveryId: string, event: EncodedEvent): Promise<AcceptResult> {
    const known = await deps.store.findDelivery(source, deliveryId);
    if (known) return { status: 200, body: { eventId: known.eventId, duplicate: true } };
    await deps.bus.publishEncoded([event]);
    const { inserted, delivery } = await deps.store.recordDelivery({ source, deliveryId, eventId: event.id });
    return inserted ? { status: 202, body: { eventId: event.id, duplicate: false } } : { status: 200, body: { eventId: delivery.eventId, duplicate: true } };
  }

  return async (source, { deliveryId, event }) => {
    // Nothing to publish (SDK sessions, installations, pings): acknowledged without a ledger row,
    // which tracing-heavy SDK traffic would otherwise grow without bound.
    if (!event) return { status: 202, body: { eventId: null, duplicate: false } };
    const key = `${source}\u0000${deliveryId}`;
    const first = inFlight.get(key);
    if (first) {
      const { body } = await first;
      return { status: 200, body: { eventId: body.eventId, duplicate: true } };
    }
    const storing = store(source, deliveryId, event);
    inFlight.set(key, storing);
    try {
      return await storing;
    } finally {
      inFlight.delete(key);
    }
  };
}
