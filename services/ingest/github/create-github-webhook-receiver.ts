import { createEvent } from '../../../shared/events/create-event.js';
import { InvalidEventError } from '../../../shared/events/parse-event.js';
import { deliveryEventId } from '../delivery-event-id.js';
import { parseJsonBody } from '../parse-json-body.js';
import { accept, reject, type Receiver, type Verdict } from '../receiver.js';
import { readForgeEvent } from './read-forge-event.js';
import { rejectSchema } from '../reject-schema.js';
import { createGithubSignatureCheck } from './create-github-signature-check.js';

export interface GithubWebhookReceiverOptions {
  /** The webhook secret of the GitHub App or repository hook; undefined refuses every delivery. */
  secret: string | undefined;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The receiver for GitHub webhooks (content type `application/json`): verifies
 * `X-Hub-Signature-256` over the raw body, takes `X-GitHub-Delivery` as the idempotency key and
 * turns the events Nightshift acts on into `forge.event.v1`.
 */
export function createGithubWebhookReceiver({ secret }: GithubWebhookReceiverOptions): Receiver {
  const signatureMatches = secret ? createGithubSignatureCheck(secret) : undefined;
  return {
    source: 'github',
    contentTypes: ['application/json'],
    async receive(delivery, now): Promise<Verdict> {
      if (!signatureMatches) {
        return reject(
          401,
          'not-configured',
          'GitHub deliveries are refused until the webhook secret is configured: set NIGHTSHIFT_GITHUB_WEBHOOK_SECRET (ingest.github.webhookSecret) to the secret of the GitHub App or webhook',
        );
      }
      const signature = header(delivery.headers, 'x-hub-signature-256');
      if (!(await signatureMatches(delivery.body, signature))) {
        return reject(401, 'bad-signature', signature ? 'X-Hub-Signature-256 does not match the body and the configured secret' : 'missing X-Hub-Signature-256 header');
      }
      const deliveryId = header(delivery.headers, 'x-github-delivery');
      if (!deliveryId) return reject(400, 'missing-delivery-id', 'missing X-GitHub-Delivery header');
      const eventName = header(delivery.headers, 'x-github-event');
      if (!eventName) return reject(400, 'missing-event', 'missing X-GitHub-Event header');

      const parsed = parseJsonBody(delivery.body);
      if (!parsed.ok) return reject(400, 'bad-json', parsed.detail);
      const body = parsed.value;
      if (!isObject(body)) return reject(422, 'schema', `the ${eventName} payload must be a JSON object`, '(root)');

      const reading = readForgeEvent(eventName, body, deliveryId);
      if (!reading.ok) return rejectSchema(reading.error, `the ${eventName} payload lacks what Nightshift reads`);
      if (!reading.event) return accept(deliveryId, null);
      try {
        const event = createEvent('forge.event.v1', { id: deliveryEventId('github', deliveryId), ...reading.event }, { now: () => now });
        return accept(deliveryId, event);
      } catch (error) {
        // Reached only by values the payload schemas let through; still the sender's data, so a 422.
        if (!(error instanceof InvalidEventError)) throw error;
        const field = (error.issues[0]?.path ?? '(root)').replace(/^payload\./, '');
        return reject(422, 'schema', `the forge event made from this payload is invalid: ${error.message}`, field);
      }
    },
  };
}
