import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import type { EventOf } from '../../shared/events/registry.js';
import { cleanDatadogTitle } from '../../services/ingest/datadog/clean-datadog-title.js';
import { createDatadogWebhookReceiver } from '../../services/ingest/datadog/create-datadog-webhook-receiver.js';
import { DATADOG_PAYLOAD_TEMPLATE } from '../../services/ingest/datadog/datadog-payload-template.js';
import { parseDatadogDate } from '../../services/ingest/datadog/parse-datadog-date.js';
import { deliveryEventId } from '../../services/ingest/delivery-event-id.js';
import type { Accepted, Rejection, Verdict } from '../../services/ingest/receiver.js';

const TOKEN = 'dd-shared-token-7f3a';
const now = new Date('2026-11-21T03:00:05.000Z');

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../tests/fixtures/datadog/${name}.json`, import.meta.url));
}

function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>;
}

/** Fills the template as Datadog does: each variable JSON-escaped where it stands, inside its string. */
function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$([A-Z_]+)/g, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

function delivery(body: Buffer | string | object, headers: IncomingHttpHeaders = { 'x-nightshift-token': TOKEN }) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { headers: { 'content-type': 'application/json', ...headers }, body: bytes, query: {}, params: {} };
}

const receiver = createDatadogWebhookReceiver({ token: TOKEN });

async function accepted(verdict: Verdict | Promise<Verdict>): Promise<Accepted & { event: EventOf<'alert.received.v1'> }> {
  const result = await verdict;
  if (!result.ok) assert.fail(`rejected: ${JSON.stringify(result.rejection)}`);
  assert.ok(result.accepted.event, 'an event');
  assert.equal(result.accepted.event.type, 'alert.received.v1');
  return result.accepted as Accepted & { event: EventOf<'alert.received.v1'> };
}

async function rejected(verdict: Verdict | Promise<Verdict>): Promise<Rejection> {
  const result = await verdict;
  if (result.ok) assert.fail('the delivery was accepted');
  return result.rejection;
}

describe('Datadog webhook receiver: normalisation', () => {
  test('a monitor trigger from the recommended template becomes a firing alert', async () => {
    const { deliveryId, event } = await accepted(receiver.receive(delivery(fixture('monitor-triggered')), now));
    assert.equal(deliveryId, 'monitor:148213976/7405219846237104573/Triggered/1795230000000');
    assert.equal(event.id, deliveryEventId('datadog', deliveryId));
    assert.equal(event.key, '5e8c1b2f4a7d9e3c6b0a1f2e4d8c7b69');
    assert.equal(event.occurredAt, now.toISOString());
    const { raw, ...payload } = event.payload;
    assert.deepEqual(payload, {
      source: 'datadog',
      channel: 'webhook',
      deliveryId,
      kind: 'monitor',
      action: 'triggered',
      status: 'firing',
      severity: 'error',
      title: 'Checkout errors spiking',
      message: '%%%\nMore than 10 error logs from checkout in 5 minutes.\n\nRunbook: https://wiki.example.com/checkout @webhook-nightshift\n%%%',
      fingerprint: '5e8c1b2f4a7d9e3c6b0a1f2e4d8c7b69',
      service: 'checkout',
      environment: 'production',
      release: '2026.11.3',
      links: ['https://app.datadoghq.com/event/jump_to?event_id=7405219846237104573'],
      tags: { env: 'production', monitor: '', service: 'checkout', team: 'payments', version: '2026.11.3' },
      // From the sample's trace_id column and its text; the 0 of an untraced line is dropped.
      traceIds: ['5122405187249914613'],
      requestIds: ['req-8f14e45f'],
      lastSeen: '2026-11-21T03:00:00.000Z',
      firedAt: '2026-11-21T03:00:00.000Z',
      receivedAt: now.toISOString(),
    });
    assert.deepEqual(raw, fixtureJson('monitor-triggered'));
  });

  test('the recovery of the same monitor resolves it under the same fingerprint and title', async () => {
    const trigger = await accepted(receiver.receive(delivery(fixture('monitor-triggered')), now));
    const recovery = await accepted(receiver.receive(delivery(fixture('monitor-recovered')), now));
    assert.notEqual(recovery.deliveryId, trigger.deliveryId);
    assert.equal(recovery.event.key, trigger.event.key);
    assert.equal(recovery.event.payload.title, trigger.event.payload.title);
    assert.equal(recovery.event.payload.action, 'recovered');
    assert.equal(recovery.event.payload.status, 'resolved');
    assert.equal(recovery.event.payload.severity, 'info');
    assert.deepEqual(recovery.event.payload.traceIds, []);
    assert.equal(recovery.event.payload.firedAt, '2026-11-21T03:12:00.000Z');
  });

  test("Datadog's default payload, with no monitor id or transition, is a triggered alert keyed by its body", async () => {
    const body = fixture('default-template');
    const { deliveryId, event } = await accepted(receiver.receive(delivery(body), now));
    assert.match(deliveryId, /^sha256:[0-9a-f]{64}$/);
    const p = event.payload;
    assert.equal(p.action, 'triggered');
    assert.equal(p.status, 'firing');
    assert.equal(p.severity, 'error');
    assert.equal(p.title, 'CPU above 90%');
    assert.match(p.fingerprint, /^datadog-title:[0-9a-f]{32}$/);
    assert.equal(event.key, p.fingerprint);
    assert.equal(p.firedAt, '2026-11-21T03:01:00.000Z');
    assert.deepEqual([p.links, p.tags, p.traceIds, p.service], [[], {}, [], undefined]);
    // The same bytes again are the same delivery; other bytes another one.
    assert.equal((await accepted(receiver.receive(delivery(body), now))).deliveryId, deliveryId);
    const edited = { ...fixtureJson('default-template'), last_updated: '1795230065000' };
    assert.notEqual((await accepted(receiver.receive(delivery(edited), now))).deliveryId, deliveryId);
  });

  test('a hand-written template with unquoted numbers and a raw JSON logs sample is read too', async () => {
    const { deliveryId, event } = await accepted(receiver.receive(delivery(fixture('unquoted-template')), now));
    assert.equal(deliveryId, 'monitor:148213977/7405219846237105111/Re-Warn/1795230060000');
    const p = event.payload;
    assert.equal(p.action, 're-warn');
    assert.equal(p.severity, 'warning');
    assert.equal(p.title, 'Latency p99 above 800ms');
    assert.equal(p.fingerprint, 'datadog-monitor:148213977');
    assert.equal(p.service, 'api');
    assert.equal(p.environment, 'staging');
    assert.equal(p.tags.host, 'api-2');
    assert.deepEqual(p.traceIds, ['4bf92f3577b34da6a3ce929d0e0e4736']);
    assert.deepEqual(p.requestIds, ['req-1']);
    assert.deepEqual(p.links, [
      'https://app.datadoghq.com/monitors/148213977',
      'https://p.datadoghq.com/snapshot/view/dd-snapshots-prod/org_1000123/2026-11-21/abc.png',
    ]);
  });

  test('the recommended template, filled as Datadog fills it, is accepted whatever the values hold', async () => {
    const values = {
      ID: '7405219846237100001',
      ALERT_ID: '148213978',
      AGGREG_KEY: 'a1b2c3d4',
      ALERT_CYCLE_KEY: '7405219846237100001',
      ALERT_TRANSITION: 'No Data',
      ALERT_TYPE: 'error',
      ALERT_PRIORITY: 'P1',
      ALERT_STATUS: 'no data for "orders" in 10m',
      EVENT_TYPE: 'query_alert_monitor',
      EVENT_TITLE: '[P1] [No Data on {service:orders}] Orders throughput',
      EVENT_MSG: 'Quotes " and \\ backslashes\nand newlines',
      DATE: '1795230000000',
      LAST_UPDATED: '1795230000000',
      TAGS: 'service:orders,env:production,trace_id:77',
      HOSTNAME: 'orders-1',
      LINK: 'https://app.datadoghq.com/monitors/148213978',
      SNAPSHOT: '',
      LOGS_SAMPLE: '',
      ORG_ID: '1000123',
    };
    const { event } = await accepted(receiver.receive(delivery(fillTemplate(DATADOG_PAYLOAD_TEMPLATE, values)), now));
    assert.equal(event.payload.action, 'no-data');
    assert.equal(event.payload.severity, 'critical');
    assert.equal(event.payload.title, 'Orders throughput');
    assert.equal(event.payload.message, 'Quotes " and \\ backslashes\nand newlines');
    assert.deepEqual(event.payload.traceIds, ['77']);
  });

  test('variables Datadog left unsubstituted or empty count as absent', async () => {
    const body = { ...fixtureJson('monitor-triggered'), alert_transition: '$ALERT_TRANSITION', aggreg_key: '', alert_type: '$ALERT_TYPE' };
    const { event } = await accepted(receiver.receive(delivery(body), now));
    assert.equal(event.payload.action, 'triggered');
    assert.equal(event.payload.fingerprint, 'datadog-monitor:148213976');
    assert.equal(event.payload.severity, 'error');
  });

  test('a malformed logs sample costs the trace ids, not the alert', async () => {
    for (const logs_sample of ['{"rows": [', '{"rows": 3}', 42, ['x'], null]) {
      const { event } = await accepted(receiver.receive(delivery({ ...fixtureJson('monitor-triggered'), logs_sample }), now));
      assert.deepEqual(event.payload.traceIds, []);
    }
  });

  test('ids from the sender are bounded: an over-long aggregation key is hashed into the partition key', async () => {
    const body = { ...fixtureJson('monitor-triggered'), aggreg_key: 'k'.repeat(5000), alert_cycle_key: 'c'.repeat(5000) };
    const { deliveryId, event } = await accepted(receiver.receive(delivery(body), now));
    assert.ok(event.key.length <= 200, event.key);
    assert.ok(deliveryId.length <= 200, deliveryId);
  });

  test('title prefixes and dates are read as Datadog writes them', () => {
    assert.equal(cleanDatadogTitle('[Triggered] [Memory Alert]'), '[Memory Alert]');
    assert.equal(cleanDatadogTitle('[P2] [Re-Triggered on {host:a,env:b}] Disk full'), 'Disk full');
    assert.equal(cleanDatadogTitle('[Renotify] [Warn on {service:x}] Slow'), 'Slow');
    assert.equal(cleanDatadogTitle('[Triggered]'), '[Triggered]');
    assert.equal(cleanDatadogTitle('[checkout] Errors'), '[checkout] Errors');
    assert.equal(parseDatadogDate('1406662672000')?.toISOString(), '2014-07-29T19:37:52.000Z');
    assert.equal(parseDatadogDate('1406662672')?.toISOString(), '2014-07-29T19:37:52.000Z');
    assert.equal(parseDatadogDate('2026-11-21T03:00:00Z')?.toISOString(), '2026-11-21T03:00:00.000Z');
    assert.equal(parseDatadogDate('yesterday'), undefined);
    assert.equal(parseDatadogDate('7'), undefined);
  });
});

describe('Datadog webhook receiver: authentication', () => {
  const body = fixture('monitor-triggered');

  test('without any credential configured every delivery is refused, naming the setting', async () => {
    const rejection = await rejected(createDatadogWebhookReceiver({}).receive(delivery(body), now));
    assert.equal(rejection.status, 401);
    assert.equal(rejection.reason, 'not-configured');
    assert.match(rejection.detail, /NIGHTSHIFT_DATADOG_TOKEN/);
  });

  test('a missing, wrong or differently sized token is a 401 bad-token', async () => {
    for (const headers of [{}, { 'x-nightshift-token': 'dd-shared-token-7f3b' }, { 'x-nightshift-token': 'x' }, { 'x-nightshift-token': `${TOKEN}${TOKEN}` }]) {
      const rejection = await rejected(receiver.receive(delivery(body, headers), now));
      assert.deepEqual([rejection.status, rejection.reason], [401, 'bad-token']);
    }
  });

  test('with basic auth configured, the token and the Basic credentials must both match', async () => {
    const both = createDatadogWebhookReceiver({ token: TOKEN, basicAuth: { username: 'datadog', password: 's3cret:with-colon' } });
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    await accepted(both.receive(delivery(body, { 'x-nightshift-token': TOKEN, authorization: basic('datadog', 's3cret:with-colon') }), now));
    for (const headers of [
      { 'x-nightshift-token': TOKEN },
      { 'x-nightshift-token': TOKEN, authorization: basic('datadog', 'wrong') },
      { 'x-nightshift-token': TOKEN, authorization: 'Bearer abc' },
      { authorization: basic('datadog', 's3cret:with-colon') },
    ]) {
      assert.equal((await rejected(both.receive(delivery(body, headers), now))).reason, 'bad-token');
    }
    const basicOnly = createDatadogWebhookReceiver({ basicAuth: { username: 'datadog', password: 'pw' } });
    await accepted(basicOnly.receive(delivery(body, { authorization: basic('datadog', 'pw') }), now));
  });

  test('credentials are checked before the body is read', async () => {
    const rejection = await rejected(receiver.receive(delivery('not json', {}), now));
    assert.equal(rejection.reason, 'bad-token');
  });
});

describe('Datadog webhook receiver: malformed payloads are 4xx, never 5xx', () => {
  test('a body that is not JSON is a 400 bad-json', async () => {
    for (const body of ['{"title": ', '', 'title=x']) {
      const rejection = await rejected(receiver.receive(delivery(body), now));
      assert.deepEqual([rejection.status, rejection.reason], [400, 'bad-json']);
    }
  });

  test('JSON that is not an object is a 422 schema at the root', async () => {
    for (const body of ['[]', '"text"', 'null', '42']) {
      const rejection = await rejected(receiver.receive(delivery(body), now));
      assert.deepEqual([rejection.status, rejection.reason, rejection.field], [422, 'schema', '(root)']);
    }
  });

  test('a field of the wrong type is a 422 naming it', async () => {
    assert.equal((await rejected(receiver.receive(delivery(fixture('wrong-types')), now))).field, 'title');
    const cases: [Record<string, unknown>, string][] = [
      [{ tags: { service: 'x' } }, 'tags'],
      [{ alert_id: true }, 'alert_id'],
      [{ org: 'acme' }, 'org'],
      [{ org: { id: [1] } }, 'org.id'],
    ];
    for (const [patch, field] of cases) {
      const rejection = await rejected(receiver.receive(delivery({ ...fixtureJson('default-template'), ...patch }), now));
      assert.deepEqual([rejection.status, rejection.reason, rejection.field], [422, 'schema', field]);
    }
  });

  test('the empty object is an alert with nothing but defaults', async () => {
    const { event } = await accepted(receiver.receive(delivery({}), now));
    assert.equal(event.payload.title, 'Datadog alert');
    assert.equal(event.payload.firedAt, now.toISOString());
  });
});

describe('Datadog payload template', () => {
  test('is valid JSON, names every variable Nightshift reads, and matches deploy/datadog-webhook-template.json', () => {
    const template = JSON.parse(DATADOG_PAYLOAD_TEMPLATE) as Record<string, unknown>;
    const shipped = JSON.parse(readFileSync(new URL('../../../deploy/datadog-webhook-template.json', import.meta.url), 'utf8'));
    assert.deepEqual(template, shipped);
    for (const variable of ['ID', 'ALERT_ID', 'AGGREG_KEY', 'ALERT_CYCLE_KEY', 'ALERT_TRANSITION', 'ALERT_TYPE', 'ALERT_PRIORITY', 'ALERT_STATUS', 'EVENT_TITLE', 'EVENT_MSG', 'DATE', 'LAST_UPDATED', 'TAGS', 'HOSTNAME', 'LINK', 'LOGS_SAMPLE', 'ORG_ID', 'SNAPSHOT']) {
      assert.ok(DATADOG_PAYLOAD_TEMPLATE.includes(`"$${variable}"`), `${variable} is quoted in the template`);
    }
  });
});
