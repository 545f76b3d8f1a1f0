import { createEvent, type EventOf } from '../../shared/events/index.js';

const fixedNow = () => new Date('2026-11-21T03:00:00.000Z');

/** A valid `alert.received.v1` event; `n` makes it distinct and lands in the title. */
export function makeAlertEvent(
  n: number,
  key = 'checkout-fingerprint',
  overrides: Partial<EventOf<'alert.received.v1'>['payload']> = {},
): EventOf<'alert.received.v1'> {
  return createEvent(
    'alert.received.v1',
    {
      key,
      payload: {
        source: 'sentry',
        channel: 'webhook',
        deliveryId: `delivery-${n}`,
        kind: 'event-alert',
        action: 'triggered',
        status: 'firing',
        severity: 'error',
        title: `TypeError #${n}`,
        fingerprint: key,
        service: 'orders',
        links: [],
        tags: { environment: 'production' },
        traceIds: [`trace-${n}`],
        requestIds: [],
        firedAt: fixedNow().toISOString(),
        receivedAt: fixedNow().toISOString(),
        ...overrides,
      },
    },
    { now: fixedNow },
  );
}
