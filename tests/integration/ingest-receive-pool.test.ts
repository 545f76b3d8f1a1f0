import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import { defaultReceiveThreads } from '../../services/ingest/create-ingest-role.js';
import { createReceivePool } from '../../services/ingest/receive-pool/create-receive-pool.js';
import { createSentryWebhookReceiver } from '../../services/ingest/sentry/create-sentry-webhook-receiver.js';
import { startConfiguredIngestApp, startIngestApp, type IngestTestApp } from '../helpers/ingest-app.js';
import { waitFor } from '../helpers/wait.js';

const SENTRY_SECRET = 'c0ffee'.repeat(10);
const DATADOG_TOKEN = 'dd-pool-token';
const GITHUB_SECRET = 'gh-pool-secret';

function fixture(path: string): Buffer {
  return readFileSync(new URL(`../../../tests/fixtures/${path}`, import.meta.url));
}

const hmac = (key: string, body: Buffer) => createHmac('sha256', key).update(body).digest('hex');

interface Delivery {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function sentry(name: string, resource: string, body: Buffer, overrides: Record<string, string> = {}): Delivery {
  const headers = {
    'content-type': 'application/json',
    'request-id': randomUUID().replaceAll('-', ''),
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': hmac(SENTRY_SECRET, body),
    ...overrides,
  };
  return { name, path: '/webhooks/sentry', headers, body };
}

/** Valid and invalid deliveries of every source, each sent unchanged to both apps. */
function deliveries(): Delivery[] {
  const metricAlert = fixture('sentry/metric_alert.critical.json');
  const wrongType = Buffer.from(JSON.stringify({ ...JSON.parse(metricAlert.toString()), data: { metric_alert: 'not an object' } }));
  const notJson = Buffer.from('{"action": "critical",');
  const datadog = fixture('datadog/default-template.json');
  const pullRequest = fixture('github/pull_request.opened.json');
  return [
    sentry('issue', 'issue', fixture('sentry/issue.created.json')),
    sentry('event alert', 'event_alert', fixture('sentry/event_alert.triggered.json')),
    sentry('metric alert', 'metric_alert', metricAlert),
    sentry('error', 'error', fixture('sentry/error.created.json')),
    sentry('installation', 'installation', fixture('sentry/installation.created.json')),
    sentry('bad signature', 'metric_alert', metricAlert, { 'sentry-hook-signature': hmac('another secret', metricAlert) }),
    sentry('stale timestamp', 'metric_alert', metricAlert, { 'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) }),
    sentry('not JSON', 'metric_alert', notJson),
    sentry('schema', 'metric_alert', wrongType),
    sentry('unknown resource', 'comment', metricAlert),
    { name: 'datadog', path: '/webhooks/datadog', headers: { 'content-type': 'application/json', 'x-nightshift-token': DATADOG_TOKEN }, body: datadog },
    {
      name: 'datadog gzip',
      path: '/webhooks/datadog',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-nightshift-token': DATADOG_TOKEN },
      body: gzipSync(Buffer.from(datadog.toString().replace('"id"', '"id_zipped": 1, "id"'))),
    },
    { name: 'datadog token', path: '/webhooks/datadog', headers: { 'content-type': 'application/json', 'x-nightshift-token': 'wrong' }, body: datadog },
    {
      name: 'github',
      path: '/webhooks/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(GITHUB_SECRET, pullRequest)}` },
      body: pullRequest,
    },
  ];
}

function ingestConfig(): NightshiftConfig['ingest'] {
  const { ingest } = createDefaultConfig();
  return { ...ingest, sentry: { ...ingest.sentry, clientSecret: SENTRY_SECRET }, datadog: { token: DATADOG_TOKEN }, github: { webhookSecret: GITHUB_SECRET } };
}

/** The event without the times of its receipt, which differ between two receipts of one delivery. */
function withoutReceiptTimes(event: NightshiftEvent): unknown {
  const { occurredAt: _occurredAt, payload, ...rest } = event;
  const { receivedAt: _receivedAt, ...kept } = payload as Record<string, unknown>;
  return { ...rest, payload: kept };
}

let inline: IngestTestApp;
let pooled: IngestTestApp;
const seen = { inline: [] as NightshiftEvent[], pooled: [] as NightshiftEvent[] };

before(async () => {
  const topics = ['alerts', 'forge-events'] as const;
  inline = await startConfiguredIngestApp(ingestConfig(), { receiveThreads: 0, topics: [...topics], onEvent: (e) => seen.inline.push(e) });
  pooled = await startConfiguredIngestApp(ingestConfig(), { receiveThreads: 2, topics: [...topics], onEvent: (e) => seen.pooled.push(e) });
});

after(async () => {
  await inline?.close();
  await pooled?.close();
});

async function send(app: IngestTestApp, delivery: Delivery) {
  const response = await fetch(`${app.url}${delivery.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

test('receive threads answer every delivery as the HTTP thread does, and publish the same events', async () => {
  const all = deliveries();
  for (const delivery of all) {
    const [onThread, inPool] = [await send(inline, delivery), await send(pooled, delivery)];
    assert.deepEqual(inPool, onThread, delivery.name);
  }
  const statuses = Object.fromEntries(await Promise.all(all.map(async (d) => [d.name, (await send(pooled, { ...d, headers: { ...d.headers } })).status])));
  // The same deliveries again: redeliveries where they were accepted, the same refusals otherwise.
  assert.deepEqual(statuses, {
    issue: 200,
    'event alert': 200,
    'metric alert': 200,
    error: 200,
    installation: 202,
    'bad signature': 401,
    'stale timestamp': 401,
    'not JSON': 400,
    schema: 422,
    'unknown resource': 422,
    datadog: 200,
    'datadog gzip': 200,
    'datadog token': 401,
    github: 200,
  });
  // Four Sentry alerts, two Datadog alerts and one pull request, once each.
  await waitFor(() => seen.inline.length === 7 && seen.pooled.length === 7, { what: 'seven events from each app' });
  const byId = (events: NightshiftEvent[]) => new Map(events.map((e) => [e.id, withoutReceiptTimes(e)]));
  assert.deepEqual(byId(seen.pooled), byId(seen.inline));
});

test('one receive thread per core beyond the first, at most four, none in a --workers process', () => {
  assert.deepEqual([1, 2, 3, 8, 64].map((cores) => defaultReceiveThreads(cores, false)), [0, 1, 2, 4, 4]);
  assert.equal(defaultReceiveThreads(8, true), 0);
});

test('a task the thread cannot run fails that request alone; the thread goes on serving', async () => {
  const pool = createReceivePool(ingestConfig(), 1);
  try {
    const good = deliveries()[2]!;
    const delivery = (path: string) => pool.receive(path, { headers: good.headers, body: good.body, query: {}, params: {} }, new Date());
    await assert.rejects(delivery('/webhooks/nowhere'), /no receiver for \/webhooks\/nowhere/);
    const verdict = await delivery(good.path);
    assert.equal(verdict.ok && verdict.event?.type, 'alert.received.v1');
    // The thread's time on the task is reported once, for the offload policy to weigh.
    assert.ok(pool.takeWorkMs() > 0);
    assert.equal(pool.takeWorkMs(), 0);
  } finally {
    await pool.close();
  }
});

test('a request whose receive thread fails is a 503 problem the sender retries, not a 500', async () => {
  // The HTTP side serves a path the threads' route table lacks: every receive of it fails in the thread.
  const receiver = createSentryWebhookReceiver({ clientSecret: SENTRY_SECRET, toleranceSeconds: 300 });
  const app = await startIngestApp([['/webhooks/elsewhere', receiver]], { receivePool: createReceivePool(ingestConfig(), 1) });
  try {
    const delivery = deliveries()[2]!;
    const answer = await send(app, { ...delivery, path: '/webhooks/elsewhere' });
    assert.equal(answer.status, 503);
    assert.equal(answer.type, 'application/problem+json; charset=utf-8');
    assert.match((answer.body as { detail: string }).detail, /retry later/);
    const metrics = await app.metrics.registry.metrics();
    assert.match(metrics, /nightshift_ingest_deliveries_total\{source="sentry",outcome="failed",reason="unavailable"\} 1/);
    assert.match(metrics, /nightshift_ingest_receives_total\{thread="receive"\} 1/);
  } finally {
    await app.close();
  }
});

test('the router asks the offload policy: a delivery it keeps on the HTTP thread never reaches the threads', async () => {
  // As above, the threads cannot receive this path; kept on the HTTP thread, the delivery is accepted.
  const receiver = createSentryWebhookReceiver({ clientSecret: SENTRY_SECRET, toleranceSeconds: 300 });
  const asked: number[] = [];
  const offload = (bodyBytes: number) => (asked.push(bodyBytes), false);
  const app = await startIngestApp([['/webhooks/elsewhere', receiver]], { receivePool: createReceivePool(ingestConfig(), 1), offload });
  try {
    const delivery = deliveries()[2]!;
    const answer = await send(app, { ...delivery, path: '/webhooks/elsewhere' });
    assert.equal(answer.status, 202);
    assert.deepEqual(asked, [delivery.body.length]);
    const metrics = await app.metrics.registry.metrics();
    assert.match(metrics, /nightshift_ingest_receives_total\{thread="http"\} 1/);
    assert.doesNotMatch(metrics, /nightshift_ingest_receives_total\{thread="receive"\} [1-9]/);
  } finally {
    await app.close();
  }
});
