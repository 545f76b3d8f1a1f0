import { reject, type RawDelivery, type Verdict } from '../receiver.js';
import { isFreshSentryTimestamp } from './is-fresh-sentry-timestamp.js';
import { readHeader } from './read-header.js';
import { verifySentrySignature } from './verify-sentry-signature.js';

/**
 * Checks that a delivery comes from Sentry, and recently, before a byte of it is parsed.
 * Returns the rejection, or undefined when the delivery is authentic.
 */
export function authenticateSentryDelivery(
  delivery: RawDelivery,
  { clientSecret, toleranceSeconds }: { clientSecret: string | undefined; toleranceSeconds: number },
  now: Date,
): Verdict | undefined {
  if (!clientSecret) {
    return reject(401, 'not-configured', 'no Sentry client secret is configured: set NIGHTSHIFT_SENTRY_CLIENT_SECRET (or ingest.sentry.clientSecret) to the integration\'s Client Secret');
  }
  if (!verifySentrySignature(delivery.body, readHeader(delivery.headers, 'sentry-hook-signature'), clientSecret)) {
    return reject(401, 'bad-signature', 'Sentry-Hook-Signature is missing or is not the HMAC-SHA256 of the body under the configured client secret');
  }
  if (!isFreshSentryTimestamp(readHeader(delivery.headers, 'sentry-hook-timestamp'), now, toleranceSeconds)) {
    return reject(401, 'stale-timestamp', `Sentry-Hook-Timestamp is missing, not unix seconds, or more than ${toleranceSeconds} s from now`);
  }
  return undefined;
}
