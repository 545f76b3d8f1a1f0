import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, test } from 'node:test';
import type { EventOf } from '../../shared/events/index.js';
import { deliveryEventId } from '../../services/ingest/delivery-event-id.js';
import type { Rejection, Verdict } from '../../services/ingest/receiver.js';
import { createSentryWebhookReceiver } from '../../services/ingest/sentry/create-sentry-webhook-receiver.js';
import { severityOfSentryLevel } from '../../services/ingest/sentry/severity-of-sentry-level.js';
import { verifySentrySignature } from '../../services/ingest/sentry/verify-sentry-signature.js';

const fixtures = new URL('../../../tests/fixtures/sentry/', import.meta.url);
const secret = 'c2f1e0a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1';
const now = new Date('2026-11-21T03:00:00.000Z');
const nowSeconds = String(Math.floor(now.getTime() / 1000));
const receiver = createSentryWebhookReceiver({ clientSecret: secret, toleranceSeconds: 300 });

function fixture(name: string): Buffer {
  return readFileSync(new URL(name, fixtures));
}

function sign(body: Buffer, key = secret): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/** A delivery as Sentry sends it, signed; `headers` overrides (undefined removes a header). */
function delivery(body: Buffer | string, resource: string, headers: Record<string, string | undefined> = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all: Record<string, string | undefined> = {
    'content-type': 'application/json',
    'request-id': 'b3c1f2e4d5a64b7c8d9e0f1a2b3c4d5e',
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': nowSeconds,
    'sentry-hook-signature': sign(bytes),
    ...headers,
  };
  const present = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as IncomingHttpHeaders;
  return { headers: present, body: bytes, query: {}, params: {} };
}

/** A fixture changed by `edit`, re-serialised (and then signed by `delivery`). */
function edited(name: string, edit: (body: any) => void): string {
  const body = JSON.parse(fixture(name).toString('utf8'));
  edit(body);
  return JSON.stringify(body);
}

async function alertOf(verdict: Verdict | Promise<Verdict>): Promise<EventOf<'alert.received.v1'>> {
  const v = await verdict;
  assert.ok(v.ok, `expected acceptance, got ${JSON.stringify(v)}`);
  assert.ok(v.accepted.event, 'expected an event');
  assert.equal(v.accepted.event.type, 'alert.received.v1');
  return v.accepted.event as EventOf<'alert.received.v1'>;
}

async function rejectionOf(verdict: Verdict | Promise<Verdict>): Promise<Rejection> {
  const v = await verdict;
  assert.ok(!v.ok, `expected a rejection, got ${JSON.stringify(v)}`);
  return v.rejection;
}

async function receiveFixture(name: string, headers: Record<string, string | undefined> = {}) {
  const resource = name.split('.')[0]!;
  return alertOf(receiver.receive(delivery(fixture(name), resource, headers), now));
}

describe('Sentry webhook fixtures normalise to alert.received.v1', () => {
  const expected: Record<string, Record<string, unknown>> = {
    'issue.created.json': { kind: 'issue', action: 'created', status: 'firing', severity: 'error', fingerprint: '6021384559', service: 'checkout-api', firedAt: '2026-11-21T02:47:13.418Z' },
    'issue.resolved.json': { kind: 'issue', action: 'resolved', status: 'resolved', severity: 'error', fingerprint: '6021384559', firedAt: now.toISOString() },
    'issue.assigned.json': { kind: 'issue', action: 'assigned', status: 'info', severity: 'error', fingerprint: '6021384559', firedAt: now.toISOString() },
    'issue.ignored.json': { kind: 'issue', action: 'ignored', status: 'info', fingerprint: '6021384559' },
    'issue.archived.json': { kind: 'issue', action: 'archived', status: 'info', severity: 'warning', fingerprint: '6021402217', title: 'Slow DB query: SELECT * FROM order_lines WHERE order_id = %s' },
    'issue.unresolved.json': { kind: 'issue', action: 'unresolved', status: 'firing', severity: 'critical', fingerprint: '6021384559', firedAt: '2026-11-22T10:31:07.261Z' },
    'event_alert.triggered.json': { kind: 'event-alert', action: 'triggered', status: 'firing', severity: 'error', fingerprint: '6021384559', service: 'checkout-api', environment: 'production', release: 'checkout-api@2.14.0', firedAt: '2026-11-21T02:47:13.418Z' },
    'error.created.json': { kind: 'error', action: 'created', status: 'firing', severity: 'error', fingerprint: '6021390071', service: 'billing', environment: 'staging', release: undefined, firedAt: '2026-11-21T02:52:08.907Z' },
    'metric_alert.critical.json': { kind: 'metric-alert', action: 'critical', status: 'firing', severity: 'critical', fingerprint: 'metric_alert:184', title: 'Critical: Checkout p95 latency', service: 'checkout-api', environment: 'production', firedAt: '2026-11-21T02:48:00.000Z' },
    'metric_alert.warning.json': { kind: 'metric-alert', action: 'warning', status: 'firing', severity: 'warning', fingerprint: 'metric_alert:184', title: 'Warning: Checkout p95 latency', firedAt: '2026-11-21T02:30:00.000Z' },
    'metric_alert.resolved.json': { kind: 'metric-alert', action: 'resolved', status: 'resolved', severity: 'info', fingerprint: 'metric_alert:184', title: 'Resolved: Checkout p95 latency', firedAt: '2026-11-21T03:22:00.391Z' },
  };

  for (const [name, fields] of Object.entries(expected)) {
    test(name, async () => {
      const event = await receiveFixture(name);
      const deliveryId = 'b3c1f2e4d5a64b7c8d9e0f1a2b3c4d5e';
      assert.equal(event.id, deliveryEventId('sentry', deliveryId));
      assert.equal(event.key, event.payload.fingerprint, 'the bus key is the fingerprint');
      assert.equal(event.occurredAt, now.toISOString());
      assert.equal(event.payload.source, 'sentry');
      assert.equal(event.payload.channel, 'webhook');
      assert.equal(event.payload.deliveryId, deliveryId);
      assert.equal(event.payload.receivedAt, now.toISOString());
      assert.deepEqual(event.payload.raw, JSON.parse(fixture(name).toString('utf8')));
      for (const [field, value] of Object.entries(fields)) {
        assert.deepEqual((event.payload as Record<string, unknown>)[field], value, `${name}: ${field}`);
      }
    });
  }

  for (const name of ['installation.created.json', 'installation.deleted.json']) {
    test(`${name} is accepted with nothing to publish`, async () => {
      const verdict = await receiver.receive(delivery(fixture(name), 'installation'), now);
      assert.deepEqual(verdict, { ok: true, accepted: { deliveryId: 'b3c1f2e4d5a64b7c8d9e0f1a2b3c4d5e', event: null } });
    });
  }

  test('an issue alert carries tags, trace, request ids, the raised error with frames, and the request', async () => {
    const { payload } = await receiveFixture('event_alert.triggered.json');
    assert.equal(payload.title, "TypeError: Cannot read properties of undefined (reading 'amount')");
    assert.equal(payload.message, "Cannot read properties of undefined (reading 'amount')", 'an empty message falls back to the exception value');
    assert.equal(payload.culprit, 'POST /api/orders/:orderId/checkout');
    assert.deepEqual(payload.links, ['https://sentry.io/organizations/acme/issues/6021384559/events/9c1e5d7f2a4b4e0c8d3f6a1b7e2c9d40/']);
    assert.equal(payload.tags.service, 'checkout-api');
    assert.equal(payload.tags.transaction, 'POST /api/orders/:orderId/checkout');
    assert.equal(Object.keys(payload.tags).length, 14);
    assert.deepEqual(payload.traceIds, ['4bf92f3577b34da6a3ce929d0e0e4736']);
    assert.deepEqual(payload.requestIds, ['req_01JD3W6Q4V9T2M8K5B7N0C1X4Z'], 'tag and header name the same id once');
    assert.equal(payload.error?.type, 'TypeError');
    assert.equal(payload.error?.value, "Cannot read properties of undefined (reading 'amount')");
    assert.equal(payload.error?.frames.length, 4);
    assert.deepEqual(payload.error?.frames[0], {
      filename: '/app/node_modules/express/lib/router/layer.js',
      absPath: '/app/node_modules/express/lib/router/layer.js',
      module: 'express.lib.router:layer',
      function: 'Layer.handle [as handle_request]',
      lineno: 95,
      colno: 5,
      inApp: false,
    });
    assert.deepEqual(payload.error?.frames.at(-1), {
      filename: '/app/dist/orders/compute-total.js',
      absPath: '/app/dist/orders/compute-total.js',
      module: 'orders:compute-total',
      function: 'computeTotal',
      lineno: 27,
      colno: 38,
      inApp: true,
    }, 'the crashing frame comes last, as Sentry orders them');
    assert.deepEqual(payload.request, {
      method: 'POST',
      url: 'https://api.acme.example/api/orders/ord_7Hq2Lx/checkout',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Host: 'api.acme.example',
        'User-Agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
        'X-Request-Id': 'req_01JD3W6Q4V9T2M8K5B7N0C1X4Z',
      },
      query: 'currency=EUR&preview=false',
      body: '{"cartId":"c_9f2b61e0","paymentMethodId":"pm_1QhT2k","coupon":"SPRING24"}',
    }, 'Cookie and Authorization are dropped');
  });

  test('an error webhook takes the raised (last) exception, the project slug as service, and decodes \\u escapes', async () => {
    const { payload } = await receiveFixture('error.created.json');
    assert.equal(payload.title, 'PaymentMethodMissing: Customer \u201cacme-gmbh\u201d has no default payment method');
    assert.equal(payload.error?.type, 'PaymentMethodMissing', 'not the KeyError it was chained from');
    assert.equal(payload.error?.frames.length, 4);
    assert.deepEqual(payload.error?.frames[2], {
      filename: 'billing/invoices/views.py',
      absPath: '/srv/billing/billing/invoices/views.py',
      module: 'billing.invoices.views',
      function: 'create_invoice',
      lineno: 88,
      inApp: true,
    }, 'a null colno is left out');
    assert.equal(payload.service, 'billing', 'the project slug from the event url, not the host name');
    assert.equal(payload.tags.server_name, 'billing-web-2');
    assert.deepEqual(payload.traceIds, ['a3f1c09e6b2d4f8e9c7a5b3d1e0f2a4c']);
    assert.deepEqual(payload.requestIds, ['6b0f2d8e-4c1a-4e3b-9d7f-2a5c8e1b4d90'], 'from a lower-case x-request-id header');
    assert.equal(payload.request?.method, 'GET');
    assert.equal(payload.request?.query, 'customer=acme-gmbh&period=2026-11');
    assert.equal(payload.request?.body, undefined);
  });

  test('an issue carries its metadata as the error and its first and last sightings', async () => {
    const { payload } = await receiveFixture('issue.created.json');
    assert.equal(payload.title, "TypeError: Cannot read properties of undefined (reading 'amount')");
    assert.equal(payload.culprit, 'POST /api/orders/:orderId/checkout');
    assert.deepEqual(payload.error, { type: 'TypeError', value: "Cannot read properties of undefined (reading 'amount')", frames: [] });
    assert.deepEqual(payload.links, ['https://acme.sentry.io/issues/6021384559/']);
    assert.equal(payload.firstSeen, '2026-11-21T02:47:13.418Z');
    assert.equal(payload.lastSeen, '2026-11-21T02:47:13.418Z');
    assert.deepEqual(payload.tags, {});
    const archived = await receiveFixture('issue.archived.json');
    assert.equal(archived.payload.error, undefined, 'a performance issue has no error type');
  });

  test('a metric alert is keyed by its rule, links to the incident and starts when the incident started', async () => {
    const critical = await receiveFixture('metric_alert.critical.json');
    assert.equal(critical.key, 'metric_alert:184');
    assert.match(critical.payload.message ?? '', /^2,431ms p95\(transaction.duration\)/);
    assert.deepEqual(critical.payload.links, ['https://acme.sentry.io/alerts/rules/details/184/?alert=4127']);
    assert.equal(critical.payload.firstSeen, '2026-11-21T02:43:00.000Z');
    const resolved = await receiveFixture('metric_alert.resolved.json');
    assert.equal(resolved.key, critical.key);
  });

  test('a resolved metric alert without date_closed (as in Sentry\'s own example) fires now', async () => {
    const body = edited('metric_alert.resolved.json', (b) => (b.data.metric_alert.date_closed = null));
    const event = await alertOf(receiver.receive(delivery(body, 'metric_alert'), now));
    assert.equal(event.payload.firedAt, now.toISOString());
  });
});

describe('authentication', () => {
  const body = fixture('issue.created.json');

  test('no client secret configured is 401 not-configured, telling the operator what to set', async () => {
    const unconfigured = createSentryWebhookReceiver({ clientSecret: undefined, toleranceSeconds: 300 });
    const r = await rejectionOf(unconfigured.receive(delivery(body, 'issue'), now));
    assert.equal(r.status, 401);
    assert.equal(r.reason, 'not-configured');
    assert.match(r.detail, /NIGHTSHIFT_SENTRY_CLIENT_SECRET/);
  });

  const badSignatures: [string, string | undefined][] = [
    ['missing', undefined],
    ['signed with another secret', sign(body, 'another-secret')],
    ['too short', 'abc123'],
    ['one character too long', `${sign(body)}0`],
    ['the right length but not hex', 'z'.repeat(64)],
    ['multi-byte characters of the right length', '\u00e9'.repeat(32)],
    ['prefixed like GitHub', `sha256=${sign(body)}`],
  ];
  for (const [what, signature] of badSignatures) {
    test(`a signature ${what} is 401 bad-signature, not a crash`, async () => {
      const r = await rejectionOf(receiver.receive(delivery(body, 'issue', { 'sentry-hook-signature': signature }), now));
      assert.equal(r.status, 401);
      assert.equal(r.reason, 'bad-signature');
    });
  }

  test('the signature covers the raw bytes: the same JSON re-serialised does not verify', async () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    const r = await rejectionOf(receiver.receive(delivery(reserialised, 'issue', { 'sentry-hook-signature': sign(body) }), now));
    assert.equal(r.reason, 'bad-signature');
  });

  test('a body changed after signing is 401', async () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"level": "error"', '"level": "info"'));
    assert.notDeepEqual(tampered, body);
    const r = await rejectionOf(receiver.receive(delivery(tampered, 'issue', { 'sentry-hook-signature': sign(body) }), now));
    assert.equal(r.reason, 'bad-signature');
  });

  test('an upper-case hex signature verifies', async () => {
    await alertOf(receiver.receive(delivery(body, 'issue', { 'sentry-hook-signature': sign(body).toUpperCase() }), now));
  });

  test('the signature is checked before the body is parsed: unsigned garbage is 401, not 400', async () => {
    const r = await rejectionOf(receiver.receive(delivery('{not json', 'issue', { 'sentry-hook-signature': 'f'.repeat(64) }), now));
    assert.equal(r.reason, 'bad-signature');
  });

  const staleTimestamps: [string, string | undefined][] = [
    ['missing', undefined],
    ['not a number', 'yesterday'],
    ['an ISO date', now.toISOString()],
    ['in milliseconds', String(now.getTime())],
    ['negative', '-1'],
    ['301 s old', String(Number(nowSeconds) - 301)],
    ['301 s ahead', String(Number(nowSeconds) + 301)],
  ];
  for (const [what, timestamp] of staleTimestamps) {
    test(`a Sentry-Hook-Timestamp ${what} is 401 stale-timestamp`, async () => {
      const r = await rejectionOf(receiver.receive(delivery(body, 'issue', { 'sentry-hook-timestamp': timestamp }), now));
      assert.equal(r.status, 401);
      assert.equal(r.reason, 'stale-timestamp');
    });
  }

  test('a timestamp exactly at the tolerance, either way, is accepted', async () => {
    await alertOf(receiver.receive(delivery(body, 'issue', { 'sentry-hook-timestamp': String(Number(nowSeconds) - 300) }), now));
    await alertOf(receiver.receive(delivery(body, 'issue', { 'sentry-hook-timestamp': String(Number(nowSeconds) + 300) }), now));
  });

  test('verifySentrySignature compares lengths before timingSafeEqual (which would throw)', () => {
    assert.equal(verifySentrySignature(body, sign(body), secret), true);
    assert.equal(verifySentrySignature(body, '', secret), false);
    assert.equal(verifySentrySignature(body, undefined, secret), false);
    assert.equal(verifySentrySignature(body, sign(body).slice(0, 63), secret), false);
    assert.equal(verifySentrySignature(body, 'ab'.repeat(64), secret), false);
  });
});

describe('bad deliveries', () => {
  async function rejected(body: string | Buffer, resource: string, headers: Record<string, string | undefined> = {}) {
    return rejectionOf(receiver.receive(delivery(body, resource, headers), now));
  }

  test('no Request-ID is 400 missing-delivery-id', async () => {
    const r = await rejected(fixture('issue.created.json'), 'issue', { 'request-id': undefined });
    assert.deepEqual([r.status, r.reason], [400, 'missing-delivery-id']);
  });

  test('no Sentry-Hook-Resource is 400 missing-resource', async () => {
    const r = await rejected(fixture('issue.created.json'), 'issue', { 'sentry-hook-resource': undefined });
    assert.deepEqual([r.status, r.reason], [400, 'missing-resource']);
  });

  test('an unknown resource is 422 naming it', async () => {
    const r = await rejected('{"action":"created","data":{"comment":"lgtm"}}', 'comment');
    assert.deepEqual([r.status, r.reason], [422, 'unknown-resource']);
    assert.match(r.detail, /"comment"/);
  });

  for (const [resource, action] of [['issue', 'deleted'], ['metric_alert', 'open'], ['event_alert', 'resolved'], ['installation', 'updated']] as const) {
    test(`${resource}.${action} is 422 unknown-action naming it`, async () => {
      const r = await rejected(JSON.stringify({ action, data: {} }), resource);
      assert.deepEqual([r.status, r.reason, r.field], [422, 'unknown-action', 'action']);
      assert.match(r.detail, new RegExp(`"${action}" of ${resource}`));
    });
  }

  for (const [what, body] of [['truncated', '{"action": "created", "data": {'], ['empty', ''], ['not UTF-8 JSON', Buffer.from([0xff, 0xfe, 0x00])]] as const) {
    test(`a ${what} body is 400 bad-json`, async () => {
      const r = await rejected(body, 'issue');
      assert.deepEqual([r.status, r.reason], [400, 'bad-json']);
    });
  }

  const schemaCases: [string, string, string | Buffer, string][] = [
    ['a JSON array', 'issue', '[]', '(root)'],
    ['no action', 'issue', '{"data":{}}', 'action'],
    ['a numeric action', 'issue', '{"action":1,"data":{}}', 'action'],
    ['an issue without data', 'issue', '{"action":"created"}', 'data'],
    ['an issue without id', 'issue', edited('issue.created.json', (b) => delete b.data.issue.id), 'data.issue.id'],
    ['an issue with a null id', 'issue', edited('issue.created.json', (b) => (b.data.issue.id = null)), 'data.issue.id'],
    ['an issue without title', 'issue', edited('issue.created.json', (b) => delete b.data.issue.title), 'data.issue.title'],
    ['an issue alert without its event', 'event_alert', edited('event_alert.triggered.json', (b) => delete b.data.event), 'data.event'],
    ['an issue alert naming no issue', 'event_alert', edited('event_alert.triggered.json', (b) => delete b.data.event.issue_id), 'data.event.issue_id'],
    ['an error with a numeric title', 'error', edited('error.created.json', (b) => (b.data.error.title = 42)), 'data.error.title'],
    ['a metric alert without a rule id', 'metric_alert', edited('metric_alert.critical.json', (b) => delete b.data.metric_alert.alert_rule.id), 'data.metric_alert.alert_rule.id'],
    ['a metric alert without its incident', 'metric_alert', edited('metric_alert.critical.json', (b) => delete b.data.metric_alert), 'data.metric_alert'],
  ];
  for (const [what, resource, body, field] of schemaCases) {
    test(`${what} is 422 schema with field ${field}`, async () => {
      const r = await rejected(body, resource);
      assert.deepEqual([r.status, r.reason, r.field], [422, 'schema', field]);
      assert.ok(r.detail.startsWith(`${field}:`), r.detail);
    });
  }

  test('a resource whose body is for another resource is 422, not a mis-normalised alert', async () => {
    const r = await rejected(fixture('issue.created.json'), 'error');
    assert.deepEqual([r.status, r.reason, r.field], [422, 'schema', 'data.error']);
  });

  test('malformed optional fields are skipped, not fatal', async () => {
    const body = edited('event_alert.triggered.json', (b) => {
      b.data.event.tags = null;
      b.data.event.contexts = 'nope';
      b.data.event.request = { method: null, url: 'https://api.acme.example/x' };
      b.data.event.exception.values[0].stacktrace.frames[3].lineno = '27';
      b.data.event.exception.values[0].stacktrace.frames[2] = 'garbage';
      b.data.event.timestamp = 'soon';
      b.data.event.datetime = null;
      b.data.event.issue_id = 6021384559;
    });
    const { payload, key } = await alertOf(receiver.receive(delivery(body, 'event_alert'), now));
    assert.equal(key, '6021384559', 'a numeric issue id reads as a string');
    assert.deepEqual(payload.tags, {});
    assert.deepEqual(payload.traceIds, []);
    assert.deepEqual(payload.requestIds, []);
    assert.equal(payload.request, undefined, 'no method: no replayable request');
    assert.equal(payload.error?.frames.length, 3, 'the garbage frame is dropped');
    assert.equal(payload.error?.frames.at(-1)?.lineno, undefined);
    assert.equal(payload.error?.frames.at(-1)?.function, 'computeTotal');
    assert.equal(payload.firedAt, now.toISOString());
    assert.equal(payload.service, 'checkout-api', 'the project slug, once the service tag is gone');
  });

  test('absent optional fields are not fatal either: an event without tags, exception or request, an issue without sightings', async () => {
    const error = edited('error.created.json', (b) => {
      delete b.data.error.tags;
      delete b.data.error.exception;
      delete b.data.error.request;
    });
    const { payload } = await alertOf(receiver.receive(delivery(error, 'error'), now));
    assert.deepEqual(payload.tags, {});
    assert.equal(payload.request, undefined);
    assert.deepEqual(payload.error, { type: 'PaymentMethodMissing', value: 'Customer \u201cacme-gmbh\u201d has no default payment method', frames: [] }, 'the metadata stands in');
    const request = edited('event_alert.triggered.json', (b) => (b.data.event.request = { method: 'get', url: 'https://api.acme.example/x' }));
    const alert = await alertOf(receiver.receive(delivery(request, 'event_alert'), now));
    assert.deepEqual(alert.payload.request, { method: 'GET', url: 'https://api.acme.example/x' }, 'a request without headers, query or body still replays');
    const issue = edited('issue.created.json', (b) => {
      delete b.data.issue.firstSeen;
      delete b.data.issue.lastSeen;
    });
    const created = await alertOf(receiver.receive(delivery(issue, 'issue'), now));
    assert.equal(created.payload.firedAt, now.toISOString());
    const metric = edited('metric_alert.critical.json', (b) => delete b.data.metric_alert.date_closed);
    await alertOf(receiver.receive(delivery(metric, 'metric_alert'), now));
  });

  test('a legacy group_id names the issue when issue_id is absent', async () => {
    const body = edited('error.created.json', (b) => {
      delete b.data.error.issue_id;
      b.data.error.group_id = 6021390071;
    });
    const { key } = await alertOf(receiver.receive(delivery(body, 'error'), now));
    assert.equal(key, '6021390071');
  });

  test('a huge payload is accepted with its raw copy capped', async () => {
    const body = edited('error.created.json', (b) => (b.data.error.extra = { dump: 'x'.repeat(200_000) }));
    const { payload } = await alertOf(receiver.receive(delivery(body, 'error'), now));
    assert.equal((payload.raw as { truncated?: boolean }).truncated, true);
  });
});

test('Sentry levels map to alert severities', () => {
  const table: [string | undefined, string][] = [['fatal', 'critical'], ['error', 'error'], ['warning', 'warning'], ['info', 'info'], ['debug', 'info'], [undefined, 'error'], ['sample', 'error']];
  for (const [level, severity] of table) assert.equal(severityOfSentryLevel(level), severity, String(level));
});
