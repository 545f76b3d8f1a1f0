import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SeededRandom } from './seeded-random.js';

const fixtures = new URL('../../../../tests/fixtures/', import.meta.url);

/** A fixture's bytes, e.g. `sentry/event_alert.triggered.json`. */
export function readFixture(name: string): Buffer {
  return readFileSync(new URL(name, fixtures));
}

/** The secrets the process under test is configured with (passed to it through the environment). */
export const SENTRY_SECRET = 'reliability-sentry-client-secret-0123456789abcdef';
export const DATADOG_TOKEN = 'reliability-datadog-token';

export function reliabilityEnv(): Record<string, string> {
  return { NIGHTSHIFT_SENTRY_CLIENT_SECRET: SENTRY_SECRET, NIGHTSHIFT_DATADOG_TOKEN: DATADOG_TOKEN };
}

export function signSentry(body: Buffer, secret = SENTRY_SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** One webhook delivery as its sender would send it, again and again until it is acknowledged. */
export interface Delivery {
  source: 'sentry' | 'datadog';
  path: '/webhooks/sentry' | '/webhooks/datadog';
  /** The idempotency key ingest derives from it (Sentry Request-ID, Datadog monitor/cycle/transition/time). */
  deliveryId: string;
  fingerprint: string;
  body: Buffer;
  /** Fresh headers for each attempt (Sentry's timestamp must be recent). */
  headers(): Record<string, string>;
}

/** A stable 32-hex trace id per fingerprint group, so groups never join each other by trace. */
function traceIdOf(group: number): string {
  return createHmac('sha256', 'trace').update(String(group)).digest('hex').slice(0, 32);
}

/**
 * Makes signed Sentry issue-alert and Datadog monitor webhooks from the real fixtures, each with a
 * unique delivery id, spread over `groups` fingerprint groups (half Sentry, half Datadog). Nothing
 * but the fingerprint ties alerts together, so each group must become exactly one incident. One in
 * ten has a title with characters PostgreSQL cannot store as they are.
 */
export function createDeliveryFactory({ random, groups, runId, newGroupEvery = 0 }: {
  random: SeededRandom;
  groups: number;
  runId: string;
  /** One more group joins every this many deliveries (0: all from the start), so incidents keep opening while faults hit. */
  newGroupEvery?: number;
}) {
  const sentryTemplate = JSON.parse(readFixture('sentry/event_alert.triggered.json').toString('utf8'));
  const datadogTemplate = JSON.parse(readFixture('datadog/monitor-triggered.json').toString('utf8'));
  let seq = 0;
  const baseTime = Date.parse('2026-11-21T03:00:00Z');

  function sentry(group: number, n: number): Delivery {
    const payload = structuredClone(sentryTemplate);
    const event = payload.data.event;
    const fingerprint = String(7_000_000 + group);
    event.issue_id = fingerprint;
    event.event_id = createHmac('sha256', runId).update(`event-${n}`).digest('hex').slice(0, 32);
    event.contexts.trace.trace_id = traceIdOf(group);
    // Every tenth carries a NUL and a lone surrogate, which PostgreSQL refuses unless ingest cleans them.
    if (n % 10 === 0) event.title = `${event.title} \u0000 \ud800`;
    const body = Buffer.from(JSON.stringify(payload));
    const deliveryId = `${runId}-sentry-${n}`;
    return {
      source: 'sentry',
      path: '/webhooks/sentry',
      deliveryId,
      fingerprint,
      body,
      headers: () => ({
        'content-type': 'application/json',
        'request-id': deliveryId,
        'sentry-hook-resource': 'event_alert',
        'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
        'sentry-hook-signature': signSentry(body),
      }),
    };
  }

  function datadog(group: number, n: number): Delivery {
    const payload = structuredClone(datadogTemplate);
    const alertId = String(900_000 + group);
    const fingerprint = `${runId}-dd-${group}`;
    const time = String(baseTime + n);
    if (n % 10 === 0) payload.title = `${payload.title} \u0000 \udfff`;
    Object.assign(payload, { aggreg_key: fingerprint, alert_id: alertId, alert_cycle_key: `cycle-${group}`, date: time, last_updated: time, logs_sample: '' });
    const body = Buffer.from(JSON.stringify(payload));
    return {
      source: 'datadog',
      path: '/webhooks/datadog',
      deliveryId: `monitor:${alertId}/cycle-${group}/Triggered/${time}`,
      fingerprint,
      body,
      headers: () => ({ 'content-type': 'application/json', 'x-nightshift-token': DATADOG_TOKEN }),
    };
  }

  return {
    next(): Delivery {
      const n = ++seq;
      const open = newGroupEvery > 0 ? Math.min(groups, 1 + Math.floor((n - 1) / newGroupEvery)) : groups;
      const group = random.int(0, open - 1);
      return group % 2 === 0 ? sentry(group, n) : datadog(group, n);
    },
  };
}
