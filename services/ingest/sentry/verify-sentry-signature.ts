import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `signature` (Sentry-Hook-Signature) is the hex HMAC-SHA256 of the raw body under the
 * integration's client secret. Sentry signs the exact bytes it sends (Python `json.dumps`, with
 * `\uXXXX` escapes and `", "` separators), so re-serialising a parsed body would not match.
 */
export function verifySentrySignature(body: Buffer, signature: string | undefined, clientSecret: string): boolean {
  if (!signature) return false;
  const expected = Buffer.from(createHmac('sha256', clientSecret).update(body).digest('hex'), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  // timingSafeEqual throws on unequal lengths; the length of a hex digest is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
