import type { IncomingHttpHeaders } from 'node:http';
import type { Rejection } from '../receiver.js';
import { matchesSecret } from './matches-secret.js';

/** The shared secrets a Datadog delivery must carry; Datadog does not sign its webhooks. */
export interface DatadogCredentials {
  /** Sent by Datadog as the custom header `X-Nightshift-Token`. */
  token?: string | undefined;
  /** Sent by Datadog when the webhook URL carries `user:password@`. */
  basicAuth?: { username: string; password: string } | undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The `user:password` of a Basic Authorization header, or undefined when there is none. */
function basicCredential(authorization: string | undefined): string | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization ?? '');
  return match ? Buffer.from(match[1]!, 'base64').toString('utf8') : undefined;
}

/**
 * Checks every configured credential (all must match); null when the delivery is authentic. With
 * none configured every delivery is refused: an open endpoint would let anyone open incidents.
 */
export function checkDatadogCredentials(headers: IncomingHttpHeaders, credentials: DatadogCredentials): Rejection | null {
  const { token, basicAuth } = credentials;
  if (!token && !basicAuth) {
    return {
      status: 401,
      reason: 'not-configured',
      detail:
        'Datadog deliveries are refused until a shared token is configured: set NIGHTSHIFT_DATADOG_TOKEN (ingest.datadog.token) and add it to the Datadog webhook as the custom header X-Nightshift-Token',
    };
  }
  // Both checks always run, so the answer time does not tell which credential was wrong.
  const tokenOk = token ? matchesSecret(header(headers, 'x-nightshift-token') ?? '', token) : true;
  const presentedBasic = basicCredential(header(headers, 'authorization'));
  const basicOk = basicAuth ? matchesSecret(presentedBasic ?? '', `${basicAuth.username}:${basicAuth.password}`) && presentedBasic !== undefined : true;
  if (tokenOk && basicOk) return null;
  const expected = [token ? 'the X-Nightshift-Token header' : '', basicAuth ? 'HTTP Basic credentials' : ''].filter(Boolean).join(' and ');
  return { status: 401, reason: 'bad-token', detail: `missing or wrong ${expected}` };
}
