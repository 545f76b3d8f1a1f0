import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { NightshiftEvent } from '../../shared/events/index.js';
import type { Metrics } from '../../shared/telemetry/create-metrics.js';
import { createSentryWebhookReceiver } from '../../services/ingest/sentry/create-sentry-webhook-receiver.js';
import { startTestServer } from '../helpers/nightshift-server.js';
import { waitFor } from '../helpers/wait.js';
import { startIngestApp, type IngestTestApp } from '../helpers/ingest-app.js';

const fixtures = new URL('../../../tests/fixtures/sentry/', import.meta.url);
const secret = '5e1f7a2c9b4d8e3f6a0c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f';

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, fixtures));
}

function sign(body: Buffer, key = secret): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/** Headers as Sentry sends them, for a fresh Request-ID unless given; `overrides` undefined removes one. */
function sentryHeaders(body: Buffer, resource: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    'Content-Type': 'application/json',
    'Request-ID': randomUUID().replaceAll('-', ''),
    'Sentry-Hook-Resource': resource,
    'Sentry-Hook-Timestamp': String(Math.floor(Date.now() / 1000)),
    'Sentry-Hook-Signature': sign(body),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function post(baseUrl: string, path: string, body: Buffer | string, headers: Record<string, string>) {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

function counterValue(text: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`nightshift_ingest_deliveries_total{${labels}} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('POST /webhooks/sentry over HTTP (router mounted directly)', () => {
  let app: IngestTestApp;
  let metrics: Metrics;
  let baseUrl: string;
  const received: NightshiftEvent[] = [];

  before(async () => {
    app = await startIngestApp(
      [
        ['/webhooks/sentry', createSentryWebhookReceiver({ clientSecret: secret, toleranceSeconds: 300 })],
        ['/webhooks/sentry-unconfigured', createSentryWebhookReceiver({ clientSecret: undefined, toleranceSeconds: 300 })],
      ],
      { onEvent: (event) => received.push(event) },
    );
    ({ metrics, url: baseUrl } = app);
  });

  after(() => app.close());

  /** Sends a valid metric alert and waits for it: everything published before it has arrived too. */
  async function drain(): Promise<NightshiftEvent> {
    const body = fixture('metric_alert.warning.json');
    const answer = await post(baseUrl, '/webhooks/sentry', body, sentryHeaders(body, 'metric_alert'));
    assert.equal(answer.status, 202);
    return waitFor(() => received.find((e) => e.id === answer.body.eventId), { what: 'the sentinel alert' });
  }

  test('a valid delivery is 202 with its event id, and the alert arrives on the bus', async () => {
    const body = fixture('event_alert.triggered.json');
    const headers = sentryHeaders(body, 'event_alert');
    const answer = await post(baseUrl, '/webhooks/sentry', body, headers);
    assert.equal(answer.status, 202);
    assert.equal(answer.body.duplicate, false);
    assert.match(answer.body.eventId, /^[0-9a-f-]{36}$/);
    const event = await waitFor(() => received.find((e) => e.id === answer.body.eventId), { what: 'the alert on the bus' });
    assert.equal(event.type, 'alert.received.v1');
    assert.equal(event.key, '6021384559');
    if (event.type !== 'alert.received.v1') return;
    assert.equal(event.payload.deliveryId, headers['Request-ID']);
    assert.equal(event.payload.kind, 'event-alert');
    assert.equal(event.payload.error?.frames.at(-1)?.function, 'computeTotal');
  });

  test('the same Request-ID again is 200 with the same event id, duplicate, and publishes nothing', async () => {
    const body = fixture('issue.created.json');
    const headers = sentryHeaders(body, 'issue');
    const first = await post(baseUrl, '/webhooks/sentry', body, headers);
    assert.equal(first.status, 202);
    const again = await post(baseUrl, '/webhooks/sentry', body, { ...headers, 'Sentry-Hook-Timestamp': String(Math.floor(Date.now() / 1000)) });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { eventId: first.body.eventId, duplicate: true });
    await drain();
    assert.equal(received.filter((e) => e.id === first.body.eventId).length, 1);
    assert.ok(counterValue(await metrics.registry.metrics(), 'source="sentry",outcome="duplicate",reason="alert.received.v1"') >= 1);
  });

  test('copies of one delivery sent at the same time: one 202, the rest 200 with its event id, and one event', async () => {
    const body = fixture('event_alert.triggered.json');
    const headers = sentryHeaders(body, 'event_alert');
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(baseUrl, '/webhooks/sentry', body, headers)));
    const first = answers.filter((a) => a.status === 202);
    assert.equal(first.length, 1, `statuses: ${answers.map((a) => a.status).join(' ')}`);
    const eventId = first[0]!.body.eventId;
    for (const answer of answers.filter((a) => a !== first[0])) {
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { eventId, duplicate: true });
    }
    await drain();
    assert.equal(received.filter((e) => e.id === eventId).length, 1);
    const stored = await app.store.findDelivery('sentry', headers['Request-ID']!);
    assert.equal(stored?.eventId, eventId);
  });

  test('an installation webhook is 202 with no event id and publishes nothing', async () => {
    const count = received.length;
    const body = fixture('installation.created.json');
    const answer = await post(baseUrl, '/webhooks/sentry', body, sentryHeaders(body, 'installation'));
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body, { eventId: null, duplicate: false });
    await drain();
    assert.equal(received.length, count + 1, 'only the sentinel arrived');
  });

  const issue = fixture('issue.created.json');
  const noId = Buffer.from(issue.toString('utf8').replace('"id": "6021384559",', ''));
  const cases: { what: string; path?: string; body: Buffer | string; headers: Record<string, string>; status: number; reason: string; field?: string }[] = [
    { what: 'bad signature', body: issue, headers: sentryHeaders(issue, 'issue', { 'Sentry-Hook-Signature': sign(issue, 'not-the-secret') }), status: 401, reason: 'bad-signature' },
    { what: 'short signature', body: issue, headers: sentryHeaders(issue, 'issue', { 'Sentry-Hook-Signature': 'deadbeef' }), status: 401, reason: 'bad-signature' },
    { what: 'no secret configured', path: '/webhooks/sentry-unconfigured', body: issue, headers: sentryHeaders(issue, 'issue'), status: 401, reason: 'not-configured' },
    { what: 'stale timestamp', body: issue, headers: sentryHeaders(issue, 'issue', { 'Sentry-Hook-Timestamp': String(Math.floor(Date.now() / 1000) - 3600) }), status: 401, reason: 'stale-timestamp' },
    { what: 'no Request-ID', body: issue, headers: sentryHeaders(issue, 'issue', { 'Request-ID': undefined }), status: 400, reason: 'missing-delivery-id' },
    { what: 'bad JSON', body: '{"action":', headers: sentryHeaders(Buffer.from('{"action":'), 'issue'), status: 400, reason: 'bad-json' },
    { what: 'unknown resource', body: issue, headers: sentryHeaders(issue, 'seer'), status: 422, reason: 'unknown-resource' },
    { what: 'unknown action', body: '{"action":"deleted","data":{}}', headers: sentryHeaders(Buffer.from('{"action":"deleted","data":{}}'), 'issue'), status: 422, reason: 'unknown-action', field: 'action' },
    { what: 'schema', body: noId, headers: sentryHeaders(noId, 'issue'), status: 422, reason: 'schema', field: 'data.issue.id' },
    { what: 'wrong content type', body: issue, headers: sentryHeaders(issue, 'issue', { 'Content-Type': 'text/plain' }), status: 415, reason: 'unsupported-media-type' },
  ];

  test('each bad delivery gets its status as application/problem+json, and nothing is published', async () => {
    const count = received.length;
    for (const c of cases) {
      const answer = await post(baseUrl, c.path ?? '/webhooks/sentry', c.body, c.headers);
      assert.equal(answer.status, c.status, c.what);
      assert.match(answer.contentType, /^application\/problem\+json/, c.what);
      assert.equal(answer.body.status, c.status, c.what);
      assert.equal(answer.body.type, `https://nightshift.dev/problems/${c.reason}`, c.what);
      assert.equal(typeof answer.body.detail, 'string', c.what);
      assert.equal(answer.body.field, c.field, c.what);
      if (c.reason === 'not-configured') assert.match(answer.body.detail, /NIGHTSHIFT_SENTRY_CLIENT_SECRET/);
    }
    await drain();
    assert.equal(received.length, count + 1, 'only the sentinel arrived');
  });

  test('a rejected signature increments the ingest metric by reason', async () => {
    const labels = 'source="sentry",outcome="rejected",reason="bad-signature"';
    const beforeCount = counterValue(await metrics.registry.metrics(), labels);
    const answer = await post(baseUrl, '/webhooks/sentry', issue, sentryHeaders(issue, 'issue', { 'Sentry-Hook-Signature': '0'.repeat(64) }));
    assert.equal(answer.status, 401);
    assert.equal(counterValue(await metrics.registry.metrics(), labels), beforeCount + 1);
    assert.ok(counterValue(await metrics.registry.metrics(), 'source="sentry",outcome="accepted",reason="alert.received.v1"') >= 1);
  });
});

test('the full server serves /webhooks/sentry through the ingest role', { timeout: 30_000 }, async () => {
  const server = await startTestServer((config) => {
    config.ingest.sentry.clientSecret = secret;
  });
  try {
    const body = fixture('issue.created.json');
    const answer = await post(server.url, '/webhooks/sentry', body, sentryHeaders(body, 'issue'));
    assert.equal(answer.status, 202);
    assert.equal(answer.body.duplicate, false);
    const rejected = await post(server.url, '/webhooks/sentry', body, sentryHeaders(body, 'issue', { 'Sentry-Hook-Signature': 'f'.repeat(64) }));
    assert.equal(rejected.status, 401);
    const metricsText = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(counterValue(metricsText, 'source="sentry",outcome="rejected",reason="bad-signature"'), 1);
  } finally {
    await server.close();
  }
});
