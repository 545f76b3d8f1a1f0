import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { readSentryPairs } from './read-sentry-pairs.js';
import { isRecord, optionalText } from './read-sentry-values.js';

/** Headers that carry credentials: never copied into an alert, whatever Sentry's scrubbing left. */
const CREDENTIAL_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

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
export function readSentryRequest(value: unknown): AlertReceivedPayload['request'] {
  if (!isRecord(value)) return undefined;
  const method = optionalText(value.method);
  const url = optionalText(value.url);
  if (!method || !url) return undefined;
  const { headers, query_string, data } = value;
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
