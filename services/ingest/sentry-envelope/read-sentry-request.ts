import type { z } from 'zod';
import type { failedRequest } from '../../../shared/events/alert-received.js';
import { asObject, asString, asText, readEntries, type JsonObject } from './read-json-values.js';

type FailedRequest = z.infer<typeof failedRequest>;

/** Credentials never travel on the bus; the verifier replays without them. */
const DROPPED_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization', 'x-sentry-auth']);

function readHeaders(value: unknown): Record<string, string> {
  return Object.fromEntries(
    readEntries(value).flatMap(([name, raw]) => {
      const text = asText(raw);
      return text === undefined || DROPPED_HEADERS.has(name.toLowerCase()) ? [] : [[name, text]];
    }),
  );
}

/** `query_string` is a string, an object or `[key, value]` pairs depending on the SDK. */
function readQuery(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  const pairs = readEntries(value).flatMap(([k, v]): [string, string][] => (asText(v) === undefined ? [] : [[k, asText(v)!]]));
  return pairs.length > 0 ? new URLSearchParams(pairs).toString() : undefined;
}

function readBody(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The failing request, when the event names its method and URL (what a replay needs). */
export function readSentryRequest(event: JsonObject): FailedRequest | undefined {
  const request = asObject(event.request);
  const method = asString(request?.method);
  const url = asString(request?.url);
  if (!request || !method || !url) return undefined;
  const headers = readHeaders(request.headers);
  const query = readQuery(request.query_string);
  const body = readBody(request.data);
  return {
    method,
    url,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(query !== undefined ? { query } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}

/** Request ids to look for in logs: the request's `X-Request-Id` header and the `request_id` tag. */
export function readRequestIds(event: JsonObject, tags: Record<string, string>): string[] {
  const fromHeader = readEntries(asObject(event.request)?.headers)
    .filter(([name]) => name.toLowerCase() === 'x-request-id')
    .flatMap(([, value]) => asString(value) ?? []);
  return [...new Set([...fromHeader, ...(tags.request_id ? [tags.request_id] : [])])];
}
