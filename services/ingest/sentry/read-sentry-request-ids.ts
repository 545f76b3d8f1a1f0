import { readSentryPairs } from './read-sentry-pairs.js';

/**
 * Request ids that tie a Sentry event to logs elsewhere: the `request_id` tag and the request's
 * X-Request-ID header (any case), without repeats.
 */
export function readSentryRequestIds(tags: Record<string, string>, request: unknown): string[] {
  const headers = request && typeof request === 'object' ? readSentryPairs((request as { headers?: unknown }).headers) : [];
  const fromHeaders = headers.filter(([name]) => name.toLowerCase() === 'x-request-id').map(([, value]) => value);
  return [...new Set([tags.request_id, ...fromHeaders].filter((id): id is string => Boolean(id)))];
}
