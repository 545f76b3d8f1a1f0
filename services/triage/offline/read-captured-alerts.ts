import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NightshiftError } from '../../../shared/errors.js';
import type { EventOf } from '../../../shared/events/registry.js';
import { createDatadogWebhookReceiver } from '../../ingest/datadog/create-datadog-webhook-receiver.js';
import type { Receiver } from '../../ingest/receiver.js';
import { createSentryEnvelopeReceiver } from '../../ingest/sentry-envelope/create-sentry-envelope-receiver.js';
import { createSentryWebhookReceiver } from '../../ingest/sentry/create-sentry-webhook-receiver.js';

type CapturedSource = 'sentry' | 'datadog' | 'envelope';

interface Captured {
  file: string;
  source: CapturedSource;
  headers: Record<string, string>;
  body: Buffer;
}

/** A captured alert file that cannot be read as one. */
export class CapturedAlertError extends NightshiftError {
  constructor(file: string, problem: string) {
    super('CAPTURED_ALERT', `${file}: ${problem}`);
  }
}

const SOURCES: Record<string, CapturedSource> = { sentry: 'sentry', datadog: 'datadog', envelope: 'envelope', 'sentry-envelope': 'envelope' };

function sourceFromName(file: string): CapturedSource | undefined {
  const name = basename(file);
  const prefix = Object.keys(SOURCES)
    .sort((a, b) => b.length - a.length)
    .find((candidate) => name.startsWith(`${candidate}-`));
  return prefix ? SOURCES[prefix] : undefined;
}

/** Sentry names the resource in a header a captured body may have lost; the body's shape tells it. */
function sentryResourceOf(body: unknown): string {
  const data = (body as { data?: Record<string, unknown> } | null)?.data ?? {};
  if ('metric_alert' in data) return 'metric_alert';
  if ('triggered_rule' in data || 'event' in data) return 'event_alert';
  if ('error' in data) return 'error';
  if ('installation' in data && !('issue' in data)) return 'installation';
  return 'issue';
}

function parseCaptured(file: string, bytes: Buffer): Captured {
  const named = sourceFromName(file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    if (named === 'envelope') return { file, source: 'envelope', headers: {}, body: bytes };
    throw new CapturedAlertError(file, 'is not JSON (envelopes must be named envelope-…)');
  }
  const wrapper = json as { source?: unknown; headers?: unknown; body?: unknown };
  if (wrapper && typeof wrapper === 'object' && 'source' in wrapper && 'body' in wrapper) {
    const source = typeof wrapper.source === 'string' ? SOURCES[wrapper.source] : undefined;
    if (!source) throw new CapturedAlertError(file, `source must be one of ${Object.keys(SOURCES).join(', ')}`);
    const headers = Object.fromEntries(
      Object.entries((wrapper.headers ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const body = typeof wrapper.body === 'string' ? Buffer.from(wrapper.body) : Buffer.from(JSON.stringify(wrapper.body));
    return { file, source, headers, body };
  }
  if (!named) throw new CapturedAlertError(file, 'name it sentry-…, datadog-… or envelope-…, or wrap it as {source, headers, body}');
  return { file, source: named, headers: {}, body: bytes };
}

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CapturedAlertError(path, 'does not exist');
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
  return names.map((name) => join(path, name));
}

/**
 * Reads captured webhook bodies and envelopes and turns them into `alert.received.v1` through the very
 * receivers live ingest uses. Captured files are trusted input, so each is signed with a one-off secret
 * only this function knows: the receivers' checks pass, and nothing is normalised by a second code path.
 * Each alert is dated by its own firing time rather than by when the file was read.
 */
export async function readCapturedAlerts(path: string, now: () => Date): Promise<EventOf<'alert.received.v1'>[]> {
  const secret = randomBytes(32).toString('hex');
  const dsnKey = randomBytes(16).toString('hex');
  const receivers: Record<CapturedSource, Receiver> = {
    sentry: createSentryWebhookReceiver({ clientSecret: secret, toleranceSeconds: 60 }),
    datadog: createDatadogWebhookReceiver({ token: secret }),
    envelope: createSentryEnvelopeReceiver({ dsnKeys: [{ projectId: '1', publicKey: dsnKey }] }),
  };
  const alerts: EventOf<'alert.received.v1'>[] = [];
  for (const file of await listFiles(path)) {
    const captured = parseCaptured(file, await readFile(file));
    const at = now();
    const headers: IncomingHttpHeaders = { 'content-type': 'application/json', ...captured.headers };
    if (captured.source === 'sentry') {
      headers['sentry-hook-signature'] = createHmac('sha256', secret).update(captured.body).digest('hex');
      headers['sentry-hook-timestamp'] = String(Math.floor(at.getTime() / 1000));
      headers['request-id'] ??= createHash('sha256').update(captured.body).digest('hex').slice(0, 32);
      headers['sentry-hook-resource'] ??= sentryResourceOf(JSON.parse(captured.body.toString('utf8')));
    }
    if (captured.source === 'datadog') headers['x-nightshift-token'] = secret;
    if (captured.source === 'envelope') {
      // The one-off key in the query must be the key presented; the auth header would win over it.
      delete headers['x-sentry-auth'];
      delete headers.authorization;
    }
    const verdict = await receivers[captured.source].receive(
      { headers, body: captured.body, query: { sentry_key: dsnKey }, params: { projectId: '1' } },
      at,
    );
    if (!verdict.ok) throw new CapturedAlertError(file, `${verdict.rejection.detail}${verdict.rejection.field ? ` (${verdict.rejection.field})` : ''}`);
    const event = verdict.accepted.event;
    if (event?.type !== 'alert.received.v1') continue;
    alerts.push({ ...event, payload: { ...event.payload, receivedAt: event.payload.firedAt } });
  }
  return alerts;
}
