import { z } from 'zod';
import type { failedRequest } from '../../../shared/events/alert-received.js';
import { readSentryPairs } from './read-sentry-pairs.js';
import { tolerate } from './sentry-schema-parts.js';

/** Headers that carry credentials: never copied into an alert, whatever Sentry's scrubbing left. */
const CREDENTIAL_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

const sentryRequest = z.object({
  method: tolerate(z.string().min(1)),
  url: tolerate(z.string().min(1)),
  headers: z.unknown(),
  query_string: z.unknown(),
  data: z.unknown(),
});

function readQuery(query: unknown): string | undefined {
  const text = typeof query === 'string' ? query.replace(/^\?/, '') : new URLSearchParams(readSentryPairs(query)).toString();
  return text || undefined;
}

function readBody(data: unknown): string | undefined {
  if (data === null || data === undefined || data === '') return undefined;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

/**
 * The failing request of a Sentry event (its `request` interface), for replay. Undefined without a
 * method and url: browser events often carry a url and a null method, and a guessed method would
 * replay something that never happened.
 */
export function readSentryRequest(value: unknown): z.infer<typeof failedRequest> | undefined {
  const parsed = sentryRequest.safeParse(value);
  if (!parsed.success || !parsed.data.method || !parsed.data.url) return undefined;
  const { method, url, headers, query_string, data } = parsed.data;
  const kept = readSentryPairs(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()));
  const query = readQuery(query_string);
  const body = readBody(data);
  return {
    method: method.toUpperCase(),
    url,
    ...(kept.length > 0 ? { headers: Object.fromEntries(kept) } : {}),
    ...(query ? { query } : {}),
    ...(body ? { body } : {}),
  };
}
