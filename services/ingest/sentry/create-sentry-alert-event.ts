import { createEvent } from '../../../shared/events/create-event.js';
import { InvalidEventError } from '../../../shared/events/parse-event.js';
import { capRaw, MAX_RAW_BYTES } from '../cap-raw.js';
import { deliveryEventId } from '../delivery-event-id.js';
import { accept, reject, type Verdict } from '../receiver.js';
import { formatUtcTimestamp } from './format-utc-timestamp.js';
import type { SentryAlertFields } from './sentry-alert-fields.js';

/**
 * The `alert.received.v1` event of an accepted Sentry delivery, keyed by its fingerprint, with an id
 * derived from the Request-ID. A payload that still breaks the event contract is the sender's
 * doing (a value of the wrong shape), so it is a 422 rather than an exception.
 */
export function createSentryAlertEvent(deliveryId: string, fields: SentryAlertFields, body: unknown, now: Date, bodyBytes: number): Verdict {
  try {
    const event = createEvent(
      'alert.received.v1',
      {
        id: deliveryEventId('sentry', deliveryId),
        key: fields.fingerprint,
        payload: { source: 'sentry', channel: 'webhook', deliveryId, ...fields, receivedAt: formatUtcTimestamp(now.getTime()), raw: capRaw(body, MAX_RAW_BYTES, bodyBytes) },
      },
      { now: () => now },
    );
    return accept(deliveryId, event);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    return reject(422, 'schema', error.message, error.issues[0]?.path);
  }
}
