import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import type { Metrics } from '../../shared/telemetry/create-metrics.js';
import { createDatadogWebhookReceiver } from '../../services/ingest/datadog/create-datadog-webhook-receiver.js';
import { DATADOG_PAYLOAD_TEMPLATE } from '../../services/ingest/datadog/datadog-payload-template.js';
import { createGithubWebhookReceiver } from '../../services/ingest/github/create-github-webhook-receiver.js';
import { waitFor } from '../helpers/wait.js';
import { startIngestApp, type IngestTestApp } from '../helpers/ingest-app.js';

const TOKEN = 'dd-integration-token';
const SECRET = 'gh-integration-secret';

/** Fills the template as Datadog does: each variable JSON-escaped where it stands, inside its string. */
function fillTemplate(values: Record<string, string>): string {
  return DATADOG_PAYLOAD_TEMPLATE.replace(/\$([A-Z_]+)/g, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

function githubFixture(name: string): string {
  return readFileSync(new URL(`../../../tests/fixtures/github/${name}.json`, import.meta.url), 'utf8');
}

const logsSample = JSON.stringify({
  columns: ['Time', 'Host', 'trace_id'],
  label: 'Sample Logs',
  rows: [{ items: ['03:00:00 UTC', 'checkout-7f9c6d', '5122405187249914613'], message: "TypeError: Cannot read properties of undefined (reading 'amount')" }],
});

const monitorAlert = fillTemplate({
  ID: '7405219846237104573',
  ALERT_ID: '148213976',
  AGGREG_KEY: '5e8c1b2f4a7d9e3c6b0a1f2e4d8c7b69',
  ALERT_CYCLE_KEY: '7405219846237104573',
  ALERT_TRANSITION: 'Triggered',
  ALERT_TYPE: 'error',
  ALERT_PRIORITY: 'P2',
  ALERT_STATUS: 'Logs count over env:production,service:checkout was > 10.0 on average during the last 5m.',
  EVENT_TYPE: 'log_alert',
  EVENT_TITLE: '[P2] [Triggered on {env:production,service:checkout}] Checkout errors spiking',
  EVENT_MSG: '%%%\nMore than 10 error logs from "checkout" in 5 minutes.\n@webhook-nightshift\n%%%',
  DATE: '1795230000000',
  LAST_UPDATED: '1795230000000',
  TAGS: 'env:production, monitor, service:checkout, version:2026.11.3',
  HOSTNAME: 'checkout-7f9c6d',
  LINK: 'https://app.datadoghq.com/event/jump_to?event_id=7405219846237104573',
  LOGS_SAMPLE: logsSample,
  ORG_ID: '1000123',
  SNAPSHOT: '',
});

/** Datadog's own default payload, as a webhook created without editing sends it. */
const defaultPayload = readFileSync(new URL('../../../tests/fixtures/datadog/default-template.json', import.meta.url), 'utf8');

describe('ingest: Datadog and GitHub webhooks over HTTP', () => {
  let app: IngestTestApp;
  let metrics: Metrics;
  let base: string;
  const seen: NightshiftEvent[] = [];

  before(async () => {
    app = await startIngestApp(
      [
        ['/webhooks/datadog', createDatadogWebhookReceiver({ token: TOKEN })],
        ['/webhooks/github', createGithubWebhookReceiver({ secret: SECRET })],
      ],
      { topics: ['alerts', 'forge-events'], onEvent: (event) => seen.push(event) },
    );
    ({ metrics, url: base } = app);
  });

  after(() => app.close());

  const postDatadog = (body: string, token = TOKEN) =>
    fetch(`${base}/webhooks/datadog`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-nightshift-token': token }, body });

  const postGithub = (event: string, delivery: string, body: string, signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`) =>
    fetch(`${base}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': signature },
      body,
    });

  const ofTopic = (type: NightshiftEvent['type']) => seen.filter((event) => event.type === type);

  test('a Datadog alert from the recommended template is acknowledged with 202 once it is on the bus', async () => {
    const response = await postDatadog(monitorAlert);
    assert.equal(response.status, 202);
    const body = (await response.json()) as { eventId: string; duplicate: boolean };
    assert.equal(body.duplicate, false);
    const event = await waitFor(() => seen.find((e) => e.id === body.eventId), { what: 'the Datadog alert on the alerts topic' });
    assert.equal(event.type, 'alert.received.v1');
    assert.equal(event.key, '5e8c1b2f4a7d9e3c6b0a1f2e4d8c7b69');
    if (event.type !== 'alert.received.v1') return;
    assert.equal(event.payload.title, 'Checkout errors spiking');
    assert.equal(event.payload.service, 'checkout');
    assert.deepEqual(event.payload.traceIds, ['5122405187249914613']);
    assert.equal(event.payload.firedAt, '2026-11-21T03:00:00.000Z');
  });

  test("Datadog's default payload is accepted too", async () => {
    const response = await postDatadog(defaultPayload);
    assert.equal(response.status, 202);
    const { eventId } = (await response.json()) as { eventId: string };
    await waitFor(() => seen.find((e) => e.id === eventId), { what: 'the default-payload alert' });
  });

  test('the same Datadog delivery again is answered 200 as a duplicate and publishes nothing', async () => {
    const first = ofTopic('alert.received.v1').find((e) => e.key === '5e8c1b2f4a7d9e3c6b0a1f2e4d8c7b69');
    assert.ok(first);
    const response = await postDatadog(monitorAlert);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { eventId: first.id, duplicate: true });
  });

  test('a wrong Datadog token is a 401 problem and publishes nothing', async () => {
    const response = await postDatadog(monitorAlert.replace('Triggered', 'Re-Triggered'), 'not-the-token');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as { type: string; status: number; detail: string };
    assert.equal(problem.type, 'https://nightshift.dev/problems/bad-token');
    assert.equal(problem.status, 401);
  });

  test('a signed merged pull request and a /nightshift retry comment land on forge-events', async () => {
    const closed = await postGithub('pull_request', 'a7d0c5f0-cc78-11e3-81ab-4c9367dc0001', githubFixture('pull_request.closed'));
    assert.equal(closed.status, 202);
    const comment = await postGithub('issue_comment', 'a7d0c5f0-cc78-11e3-81ab-4c9367dc0002', githubFixture('issue_comment.created'));
    assert.equal(comment.status, 202);
    const ids = [((await closed.json()) as { eventId: string }).eventId, ((await comment.json()) as { eventId: string }).eventId];
    const [merged, retry] = await waitFor(
      () => {
        const found = ids.map((id) => seen.find((e) => e.id === id));
        return found.every(Boolean) ? found : undefined;
      },
      { what: 'both forge events' },
    );
    assert.equal(merged?.type === 'forge.event.v1' && merged.payload.kind === 'pull_request' && merged.payload.pullRequest.merged, true);
    assert.deepEqual(retry?.type === 'forge.event.v1' && retry.payload.kind === 'issue_comment' && retry.payload.command, { name: 'retry', args: '--strategy template' });
    assert.equal(merged?.key, 'Codertocat/Hello-World#2');
    assert.equal(retry?.key, 'Codertocat/Hello-World#2');
  });

  test('a GitHub delivery with a bad signature is a 401 problem', async () => {
    const response = await postGithub('pull_request', 'a7d0c5f0-cc78-11e3-81ab-4c9367dc0003', githubFixture('pull_request.opened'), 'sha256=deadbeef');
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(((await response.json()) as { type: string }).type, 'https://nightshift.dev/problems/bad-signature');
  });

  test('exactly the accepted deliveries were published, and every outcome was counted', async () => {
    // Several poll intervals: a stray publish from a duplicate or a refusal would show by now.
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(ofTopic('alert.received.v1').length, 2);
    assert.equal(ofTopic('forge.event.v1').length, 2);
    const text = await metrics.registry.metrics();
    for (const line of [
      'nightshift_ingest_deliveries_total{source="datadog",outcome="accepted",reason="alert.received.v1"} 2',
      'nightshift_ingest_deliveries_total{source="datadog",outcome="duplicate",reason="alert.received.v1"} 1',
      'nightshift_ingest_deliveries_total{source="datadog",outcome="rejected",reason="bad-token"} 1',
      'nightshift_ingest_deliveries_total{source="github",outcome="accepted",reason="forge.event.v1"} 2',
      'nightshift_ingest_deliveries_total{source="github",outcome="rejected",reason="bad-signature"} 1',
    ]) {
      assert.ok(text.includes(line), `metrics include ${line}`);
    }
    // Every answered request timed once, by what it was answered.
    const timed = [...text.matchAll(/^nightshift_ingest_request_duration_seconds_count\{source="(\w+)",status="(\d+)"\} (\d+)$/gm)];
    assert.deepEqual(Object.fromEntries(timed.map(([, source, status, n]) => [`${source} ${status}`, Number(n)])), {
      'datadog 202': 2,
      'datadog 200': 1,
      'datadog 401': 1,
      'github 202': 2,
      'github 401': 1,
    });
    const seconds = Number(/^nightshift_ingest_request_duration_seconds_sum\{source="datadog",status="202"\} (\S+)$/m.exec(text)?.[1]);
    assert.ok(seconds > 0 && seconds < 30, `two accepted Datadog deliveries took ${seconds} s`);
  });
});
