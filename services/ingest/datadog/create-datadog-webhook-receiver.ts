import { createEvent } from '../../../shared/events/create-event.js';
import { InvalidEventError } from '../../../shared/events/parse-event.js';
import { deliveryEventId } from '../delivery-event-id.js';
import { parseJsonBody } from '../parse-json-body.js';
import { accept, reject, type Receiver, type Verdict } from '../receiver.js';
import { checkDatadogCredentials, type DatadogCredentials } from './check-datadog-credentials.js';
import { datadogWebhookPayload } from './datadog-webhook-payload.js';
import { deriveDatadogDeliveryId } from './derive-datadog-delivery-id.js';
import { normaliseDatadogAlert } from './normalise-datadog-alert.js';
import { rejectSchema } from '../reject-schema.js';

/**
 * The receiver for Datadog's Webhooks integration (payload: `DATADOG_PAYLOAD_TEMPLATE`, or Datadog's
 * default one). Datadog does not sign deliveries, so it authenticates them by shared secrets: the
 * `X-Nightshift-Token` header and, when configured, HTTP Basic credentials.
 *
 * Every refusal is a 4xx: Datadog retries only on 5xx, and retrying a sender's mistake cannot help.
 */
export function createDatadogWebhookReceiver(credentials: DatadogCredentials): Receiver {
  return {
    source: 'datadog',
    contentTypes: ['application/json'],
    receive(delivery, now): Verdict {
      const denied = checkDatadogCredentials(delivery.headers, credentials);
      if (denied) return reject(denied.status, denied.reason, denied.detail);

      const json = parseJsonBody(delivery.body);
      if (!json.ok) return reject(400, 'bad-json', json.detail);
      const parsed = datadogWebhookPayload.safeParse(json.value);
      if (!parsed.success) return rejectSchema(parsed.error, 'the Datadog payload does not match the webhook template');

      const deliveryId = deriveDatadogDeliveryId(parsed.data, delivery.body);
      const { key, payload } = normaliseDatadogAlert({ payload: parsed.data, deliveryId, receivedAt: now, raw: json.value });
      try {
        const event = createEvent('alert.received.v1', { id: deliveryEventId('datadog', deliveryId), key, payload }, { now: () => now });
        return accept(deliveryId, event);
      } catch (error) {
        // Reached only by values the payload schema let through; still the sender's data, so a 422.
        if (!(error instanceof InvalidEventError)) throw error;
        const field = (error.issues[0]?.path ?? '(root)').replace(/^payload\./, '');
        return reject(422, 'schema', `the alert made from this payload is invalid: ${error.message}`, field);
      }
    },
  };
}
