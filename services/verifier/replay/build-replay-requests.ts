import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { isSecretKey } from '../../../shared/log/is-secret-key.js';

type FailedRequest = NonNullable<AlertReceivedPayload['request']>;

/** One request as the replay client sends it to the service on loopback. */
export interface ReplayRequest {
  method: string;
  /** Path and query only: the host is always the sandboxed service. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

// Describe the connection to the original host, not the request; the client sets its own.
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'accept-encoding',
]);

/** Whether a header may be replayed: credentials, cookies and session tokens never are. */
export function isReplayableHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-')) return false;
  return !isSecretKey(lower) && !/session|csrf|xsrf|api[-_]?key|auth/.test(lower);
}

/**
 * Turns the incident's failing requests (from `alert.received.v1`) into replay requests: same method,
 * path, query and body, headers without credentials. Sentry sends the full URL; only its path and
 * query are kept, with the separately reported query string appended when the URL has none.
 */
export function buildReplayRequests(requests: readonly FailedRequest[]): ReplayRequest[] {
  return requests.map((request) => {
    const url = new URL(request.url, 'http://replay.invalid');
    let path = url.pathname + url.search;
    if (url.search === '' && request.query) path += `?${request.query.replace(/^\?/, '')}`;
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).filter(([name]) => isReplayableHeader(name)),
    );
    return { method: request.method.toUpperCase(), path, headers, ...(request.body === undefined ? {} : { body: request.body }) };
  });
}
