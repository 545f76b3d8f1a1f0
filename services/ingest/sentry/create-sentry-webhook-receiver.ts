import { parseJsonBody } from '../parse-json-body.js';
import { reject, accept, type Receiver, type Verdict } from '../receiver.js';
import { authenticateSentryDelivery } from './authenticate-sentry-delivery.js';
import { createSentryAlertEvent } from './create-sentry-alert-event.js';
import { normaliseSentryDelivery } from './normalise-sentry-delivery.js';
import { readSentryAction } from './read-sentry-action.js';
import { readHeader } from './read-header.js';
import { isSentryHookAction, isSentryHookResource, sentryHookActions } from './sentry-hook-actions.js';

export interface SentryWebhookOptions {
  /** The integration's Client Secret; without it every delivery is refused (401 `not-configured`). */
  clientSecret?: string;
  /** How far Sentry-Hook-Timestamp may lie from now, either way, in seconds. */
  toleranceSeconds: number;
}

/**
 * The receiver of Sentry integration-platform webhooks (`POST /webhooks/sentry`): authenticates the
 * raw body (signature, then timestamp) before parsing it, dispatches on Sentry-Hook-Resource and
 * the body's `action`, and normalises issues, issue alerts, metric alerts and errors into
 * `alert.received.v1`. Installation webhooks are acknowledged with nothing to publish.
 */
export function createSentryWebhookReceiver({ clientSecret, toleranceSeconds }: SentryWebhookOptions): Receiver {
  return {
    source: 'sentry',
    contentTypes: ['application/json'],
    receive(delivery, now): Verdict {
      const denied = authenticateSentryDelivery(delivery, { clientSecret, toleranceSeconds }, now);
      if (denied) return denied;

      const deliveryId = readHeader(delivery.headers, 'request-id');
      if (!deliveryId) return reject(400, 'missing-delivery-id', 'the Request-ID header is missing; it identifies the delivery so that repeats are recognised');
      const resource = readHeader(delivery.headers, 'sentry-hook-resource');
      if (!resource) return reject(400, 'missing-resource', 'the Sentry-Hook-Resource header is missing');
      if (!isSentryHookResource(resource)) {
        return reject(422, 'unknown-resource', `Sentry-Hook-Resource "${resource}" is not handled (handled: ${Object.keys(sentryHookActions).join(', ')}); unsubscribe the integration from it`);
      }

      const json = parseJsonBody(delivery.body);
      if (!json.ok) return reject(400, 'bad-json', json.detail);
      const head = readSentryAction(json.value);
      if (!head.ok) return reject(422, 'schema', head.detail, head.field);
      const action = head.data;
      if (!isSentryHookAction(resource, action)) {
        return reject(422, 'unknown-action', `action "${action}" of ${resource} is not handled (handled: ${sentryHookActions[resource].join(', ')})`, 'action');
      }
      if (resource === 'installation') return accept(deliveryId, null);

      const normalised = normaliseSentryDelivery(resource, action, json.value, now);
      if (!normalised.ok) return reject(422, 'schema', normalised.detail, normalised.field);
      return createSentryAlertEvent(deliveryId, normalised.data, json.value, now, delivery.body.length);
    },
  };
}
