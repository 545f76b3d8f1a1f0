import { createHash } from 'node:crypto';
import { createEvent, InvalidEventError } from '../../../shared/events/index.js';
import { deliveryEventId } from '../delivery-event-id.js';
import { accept, reject, type RawDelivery, type Receiver, type Verdict } from '../receiver.js';
import { authenticateDsnKey, type DsnKey } from './authenticate-dsn-key.js';
import { normaliseSentrySdkEvent } from './normalise-sentry-sdk-event.js';
import { parseEnvelope } from './parse-envelope.js';
import { parseJsonObject, type JsonObject } from './read-json-values.js';
import { readStoreEvent } from './read-store-event.js';

const EVENT_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * The idempotency key: the event id (the SDK retries with the same one), in Sentry's dashless form;
 * without a well-formed id, the body's hash, so an exact resend is still recognised.
 */
function readDeliveryId(body: Buffer, ...holders: (JsonObject | undefined)[]): string {
  for (const holder of holders) {
    const id = holder?.event_id;
    if (typeof id === 'string' && EVENT_ID.test(id)) return id.replaceAll('-', '').toLowerCase();
  }
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

function toAlert(event: JsonObject, envelopeHeader: JsonObject, body: Buffer, now: Date): Verdict {
  const deliveryId = readDeliveryId(body, envelopeHeader, event);
  const normalised = normaliseSentrySdkEvent(event, { deliveryId, envelopeHeader, now });
  if (!normalised.ok) return { ok: false, rejection: normalised.rejection };
  const { payload } = normalised;
  try {
    const alert = createEvent(
      'alert.received.v1',
      { id: deliveryEventId('sentry-envelope', deliveryId), key: payload.fingerprint, payload },
      { now: () => now },
    );
    return accept(deliveryId, alert);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    const issue = error.issues[0];
    return reject(422, 'schema', error.message, issue?.path.replace(/^payload\./, ''));
  }
}

function receiveEnvelope(body: Buffer, now: Date): Verdict {
  const parsed = parseEnvelope(body);
  if (!parsed.ok) return reject(parsed.problem === 'too-many-items' ? 413 : 400, parsed.problem, parsed.detail);
  const { header, items } = parsed.envelope;
  // Sessions, transactions, spans, client reports, attachments, replays, check-ins, profiles and types
  // yet to come carry no error: accepted (so the SDK does not retry) and dropped.
  const item = items.find((candidate) => candidate.header.type === 'event');
  if (!item) return accept(readDeliveryId(body, header), null);
  const event = parseJsonObject(item.payload);
  if (!event) return reject(400, 'bad-event', 'the event item is not a JSON object');
  return toAlert(event, header, body, now);
}

/**
 * The intake the official Sentry SDKs send to when their DSN points at Nightshift: mount it at
 * `/api/:projectId/envelope/` and `/api/:projectId/store/`. Error events become `alert.received.v1`;
 * every other item is accepted and dropped. No content-type check: the JavaScript SDKs send none.
 */
export function createSentryEnvelopeReceiver({ dsnKeys }: { dsnKeys: DsnKey[] }): Receiver {
  return {
    source: 'sentry-envelope',
    receive(delivery: RawDelivery, now: Date): Verdict {
      const auth = authenticateDsnKey(delivery, dsnKeys);
      if (!auth.ok) return { ok: false, rejection: auth.rejection };
      const storeEvent = readStoreEvent(delivery.body);
      return storeEvent ? toAlert(storeEvent, {}, delivery.body, now) : receiveEnvelope(delivery.body, now);
    },
  };
}
