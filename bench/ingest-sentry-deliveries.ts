import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One request as Sentry's integration platform sends it: headers and the exact signed bytes. */
export interface SignedDelivery {
  deliveryId: string;
  headers: Record<string, string>;
  body: Buffer;
}

// Resources that each become one alert.received.v1 (installation webhooks publish nothing).
const templates = [
  ['issue.created.json', 'issue'],
  ['event_alert.triggered.json', 'event_alert'],
  ['metric_alert.critical.json', 'metric_alert'],
  ['error.created.json', 'error'],
] as const;

/**
 * A source of signed Sentry webhook deliveries, round-robin over the fixtures. Every call has a fresh
 * `Request-ID` (so each is a new delivery, not a redelivery) and `Sentry-Hook-Timestamp`; the
 * signature covers the body only, so it is computed once per fixture.
 */
export function createSentryDeliveries(clientSecret: string): () => SignedDelivery {
  const signed = templates.map(([file, resource]) => {
    const body = readFileSync(new URL(`../../tests/fixtures/sentry/${file}`, import.meta.url));
    return { body, resource, signature: createHmac('sha256', clientSecret).update(body).digest('hex') };
  });
  let sent = 0;
  return () => {
    const template = signed[sent++ % signed.length]!;
    const deliveryId = randomUUID().replaceAll('-', '');
    return {
      deliveryId,
      body: template.body,
      headers: {
        'content-type': 'application/json',
        'content-length': String(template.body.length),
        'request-id': deliveryId,
        'sentry-hook-resource': template.resource,
        'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
        'sentry-hook-signature': template.signature,
      },
    };
  };
}
