import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventOf } from '../../shared/events/index.js';
import { deliveryEventId } from '../../services/ingest/delivery-event-id.js';
import type { RawDelivery, Verdict } from '../../services/ingest/receiver.js';
import { authenticateDsnKey } from '../../services/ingest/sentry-envelope/authenticate-dsn-key.js';
import { createSentryEnvelopeReceiver } from '../../services/ingest/sentry-envelope/create-sentry-envelope-receiver.js';
import { deriveDefaultFingerprint, deriveFingerprint, findTopInAppFrame } from '../../services/ingest/sentry-envelope/derive-fingerprint.js';
import { MAX_ENVELOPE_ITEMS, parseEnvelope } from '../../services/ingest/sentry-envelope/parse-envelope.js';

// Envelopes below are written by hand after Sentry's documented envelope format
// (develop.sentry.dev/sdk/data-model/envelopes): a header line, then per item a header line and a
// payload, `length` bytes long when the item header says so, else up to the next newline.

const KEY = '9a3bc1e5f0d24c8b8e7f6a5b4c3d2e1f';
const OTHER_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const PROJECT = '4505';
const EVENT_ID = '9ec79c33ec9942ab8353589fcb2e04dc';
const TRACE_ID = '771a43a4192642f0b136d5159a501700';
const now = new Date('2026-11-21T03:00:00.000Z');

const errorEvent = {
  event_id: EVENT_ID,
  timestamp: 1795230000.123,
  platform: 'node',
  level: 'error',
  server_name: 'web-7',
  environment: 'production',
  release: 'orders@1.2.3',
  transaction: 'POST /checkout',
  tags: [['service', 'orders'], ['request_id', 'req-tag-1'], ['region', 'eu']],
  contexts: { trace: { trace_id: TRACE_ID, span_id: 'b0e6f15b45c36b12' } },
  request: {
    method: 'POST',
    url: 'https://shop.example/checkout',
    query_string: { coupon: 'X1', page: '2' },
    headers: { 'Content-Type': 'application/json', Cookie: 'sid=secret', Authorization: 'Bearer t', 'X-Request-Id': 'req-42' },
    data: { cart: [1, 2] },
  },
  exception: {
    values: [
      { type: 'RangeError', value: 'the cause' },
      {
        type: 'TypeError',
        value: "Cannot read properties of undefined (reading 'length')",
        stacktrace: {
          frames: [
            { filename: 'node:internal/modules/run_main', module: 'run_main', function: 'runMain', lineno: 117, colno: 5, in_app: false },
            { filename: '/srv/orders/dist/server.js', abs_path: '/srv/orders/dist/server.js', module: 'server', function: 'handle', lineno: 10, colno: 3, in_app: true },
            { filename: '/srv/orders/dist/cart.js', module: 'cart', function: 'countItems', lineno: 4, colno: 21, in_app: true },
            { filename: '/srv/orders/node_modules/lodash/sum.js', module: 'lodash.sum', function: 'sum', lineno: 2, colno: 9, in_app: false },
          ],
        },
      },
    ],
  },
};

function buildEnvelope(header: object, items: [object, string | Buffer][], trailer = '\n'): Buffer {
  const parts: Buffer[] = [Buffer.from(JSON.stringify(header))];
  for (const [itemHeader, payload] of items) {
    parts.push(Buffer.from(`\n${JSON.stringify(itemHeader)}\n`), Buffer.isBuffer(payload) ? payload : Buffer.from(payload));
  }
  parts.push(Buffer.from(trailer));
  return Buffer.concat(parts);
}

function makeDelivery(body: Buffer | string, options: { query?: Record<string, string>; headers?: Record<string, string>; projectId?: string } = {}): RawDelivery {
  return {
    headers: options.headers ?? {},
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    query: options.query ?? { sentry_key: KEY, sentry_version: '7' },
    params: { projectId: options.projectId ?? PROJECT },
  };
}

const receiver = createSentryEnvelopeReceiver({ dsnKeys: [{ projectId: PROJECT, publicKey: KEY }] });

async function receive(d: RawDelivery): Promise<Verdict> {
  return receiver.receive(d, now);
}

async function receiveAlert(d: RawDelivery): Promise<EventOf<'alert.received.v1'>> {
  const verdict = await receive(d);
  assert.ok(verdict.ok, `accepted: ${JSON.stringify(verdict)}`);
  const event = verdict.accepted.event;
  assert.ok(event && event.type === 'alert.received.v1', 'an alert was produced');
  return event;
}

async function receiveRejection(d: RawDelivery) {
  const verdict = await receive(d);
  assert.ok(!verdict.ok, `rejected: ${JSON.stringify(verdict)}`);
  return verdict.rejection;
}

describe('parseEnvelope', () => {
  test('reads items with implicit lengths, with or without a trailing newline', () => {
    const text = `{"event_id":"${EVENT_ID}"}\n{"type":"event"}\n{"message":"hello"}\n{"type":"session"}\n{"started":"2026-11-21T03:00:00Z"}`;
    for (const body of [text, `${text}\n`, `${text}\n\n`, `${text}\r\n`]) {
      const parsed = parseEnvelope(Buffer.from(body));
      assert.ok(parsed.ok, JSON.stringify(body));
      assert.deepEqual(parsed.envelope.header, { event_id: EVENT_ID });
      assert.deepEqual(parsed.envelope.items.map((i) => i.header.type), ['event', 'session']);
      assert.equal(parsed.envelope.items[0]!.payload.toString(), '{"message":"hello"}');
      assert.match(parsed.envelope.items[1]!.payload.toString(), /^\{"started":"2026-11-21T03:00:00Z"\}\r?$/);
    }
  });

  test('reads explicit lengths in bytes, not characters', () => {
    const payload = '{"message":"héllo ✓"}';
    const body = `{}\n{"type":"event","length":${Buffer.byteLength(payload)}}\n${payload}\n`;
    const parsed = parseEnvelope(Buffer.from(body));
    assert.ok(parsed.ok);
    assert.equal(parsed.envelope.items[0]!.payload.toString(), payload);
  });

  test('keeps a binary attachment with newlines intact when its length is given', () => {
    const binary = Buffer.from([0xef, 0xbb, 0xbf, 0x48, 0x0a, 0x0a, 0x00, 0xff, 0x0d, 0x0a, 0x7b, 0x0a]);
    const body = buildEnvelope({ event_id: EVENT_ID }, [
      [{ type: 'attachment', length: binary.length, filename: 'core.bin', content_type: 'application/octet-stream' }, binary],
      [{ type: 'event', length: 19 }, '{"message":"hello"}'],
    ]);
    const parsed = parseEnvelope(body);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.envelope.items[0]!.payload, binary);
    assert.equal(parsed.envelope.items[1]!.payload.toString(), '{"message":"hello"}');
    // The attachment last, its payload ending in newlines, with and without a trailing newline.
    for (const trailer of ['', '\n']) {
      const last = buildEnvelope({}, [[{ type: 'attachment', length: binary.length }, binary]], trailer);
      const again = parseEnvelope(last);
      assert.ok(again.ok);
      assert.deepEqual(again.envelope.items[0]!.payload, binary);
    }
  });

  test('reads empty payloads and an envelope without items', () => {
    const parsed = parseEnvelope(Buffer.from('{}\n{"type":"attachment","length":0}\n\n{"type":"attachment","length":0}\n\n'));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.envelope.items.map((i) => i.payload.length), [0, 0]);
    const empty = parseEnvelope(Buffer.from(`{"event_id":"${EVENT_ID}"}`));
    assert.ok(empty.ok);
    assert.equal(empty.envelope.items.length, 0);
  });

  test('refuses a bad header, a bad item header, a length beyond the body or without a newline after it', () => {
    const cases = [
      'not json\n{"type":"event"}\n{}',
      '[1,2]\n{"type":"event"}\n{}',
      '{}\n{"type":"event"\n{}',
      '{}\n{"length":2}\n{}',
      '{}\n{"type":"event","length":50}\n{}',
      '{}\n{"type":"event","length":-1}\n{}',
      '{}\n{"type":"event","length":"2"}\n{}',
      '{}\n{"type":"event","length":2}\n{}x',
      '{}\n{"type":"event"}\n{}\n\n{"type":"event"}\n{}',
      '',
    ];
    for (const body of cases) {
      const parsed = parseEnvelope(Buffer.from(body));
      assert.ok(!parsed.ok, JSON.stringify(body));
      assert.equal(parsed.problem, 'bad-envelope');
    }
  });

  test('caps the number of items, and stays linear on a large hostile body', () => {
    const item = '{"type":"session"}\n{}\n';
    const atCap = parseEnvelope(Buffer.from(`{}\n${item.repeat(MAX_ENVELOPE_ITEMS)}`));
    assert.ok(atCap.ok);
    const over = parseEnvelope(Buffer.from(`{}\n${item.repeat(MAX_ENVELOPE_ITEMS + 1)}`));
    assert.ok(!over.ok);
    assert.equal(over.problem, 'too-many-items');

    const big = Buffer.from(`{}\n${'{"type":"x"}\n\n'.repeat(70_000)}`);
    const started = performance.now();
    const uncapped = parseEnvelope(big, { maxItems: Number.MAX_SAFE_INTEGER });
    assert.ok(uncapped.ok);
    assert.equal(uncapped.envelope.items.length, 70_000);
    assert.ok(performance.now() - started < 2_000, 'a 1 MiB envelope parses in well under two seconds');
    const trailing = Buffer.from(`{}\n{"type":"x"}\n{}${'\n'.repeat(1_000_000)}`);
    assert.ok(parseEnvelope(trailing).ok, 'a megabyte of trailing newlines is fine and fast');
  });
});

describe('DSN key authentication', () => {
  const body = buildEnvelope({ event_id: EVENT_ID, dsn: `https://${KEY}@sentry.example/${PROJECT}` }, [[{ type: 'client_report' }, '{}']]);
  const noDsn = buildEnvelope({ event_id: EVENT_ID }, [[{ type: 'client_report' }, '{}']]);

  test('accepts the key from the envelope header dsn', async () => {
    const verdict = await receive(makeDelivery(body, { query: {} }));
    assert.ok(verdict.ok);
    const withPassword = buildEnvelope({ dsn: `https://${KEY}:@sentry.example/${PROJECT}` }, []);
    assert.ok(authenticateDsnKey(makeDelivery(withPassword, { query: {} }), [{ projectId: PROJECT, publicKey: KEY }]).ok);
  });

  test('accepts the key from X-Sentry-Auth (and a legacy Authorization: Sentry …)', async () => {
    const header = `Sentry sentry_key=${KEY}, sentry_version=7, sentry_client=sentry.python/2.19.0`;
    assert.ok((await receive(makeDelivery(noDsn, { query: {}, headers: { 'x-sentry-auth': header } }))).ok);
    assert.ok((await receive(makeDelivery(noDsn, { query: {}, headers: { authorization: header } }))).ok);
  });

  test('accepts the key from the sentry_key query parameter, as the JavaScript SDKs send it', async () => {
    assert.ok((await receive(makeDelivery(noDsn, { query: { sentry_key: KEY, sentry_version: '7' } }))).ok);
  });

  test('refuses a wrong key, a missing key and a project without keys with 401 bad-dsn-key', async () => {
    for (const d of [
      makeDelivery(noDsn, { query: { sentry_key: OTHER_KEY } }),
      makeDelivery(noDsn, { query: {}, headers: { 'x-sentry-auth': `Sentry sentry_key=${OTHER_KEY}, sentry_version=7` } }),
      makeDelivery(buildEnvelope({ dsn: `https://${OTHER_KEY}@sentry.example/${PROJECT}` }, []), { query: {} }),
      makeDelivery(buildEnvelope({ dsn: 'not a url' }, []), { query: {} }),
      makeDelivery(noDsn, { query: {} }),
      makeDelivery(noDsn, { query: { sentry_key: KEY.slice(0, 10) } }),
      makeDelivery(noDsn, { projectId: '999' }),
    ]) {
      const rejection = await receiveRejection(d);
      assert.equal(rejection.status, 401);
      assert.equal(rejection.reason, 'bad-dsn-key');
    }
  });

  test('authenticates before reading the body: a wrong key with a broken envelope is a 401', async () => {
    const rejection = await receiveRejection(makeDelivery('not an envelope', { query: { sentry_key: OTHER_KEY } }));
    assert.equal(rejection.status, 401);
  });

  test('with no keys configured, tells the operator what to set', async () => {
    const unconfigured = createSentryEnvelopeReceiver({ dsnKeys: [] });
    const verdict = await unconfigured.receive(makeDelivery(body), now);
    assert.ok(!verdict.ok);
    assert.equal(verdict.rejection.status, 401);
    assert.equal(verdict.rejection.reason, 'not-configured');
    assert.match(verdict.rejection.detail, /NIGHTSHIFT_SENTRY_DSN_KEYS="<projectId>:<publicKey>"/);
  });

  test('has no content-type restriction (the JavaScript SDKs send none)', () => {
    assert.equal(receiver.contentTypes, undefined);
    assert.equal(receiver.source, 'sentry-envelope');
  });
});

describe('items without an error', () => {
  test('are accepted and dropped, whatever their type', async () => {
    const types = ['session', 'sessions', 'transaction', 'span', 'client_report', 'attachment', 'check_in', 'profile', 'replay_event', 'replay_recording', 'log', 'feedback_v9000'];
    const body = buildEnvelope({ event_id: EVENT_ID }, types.map((type) => [{ type }, '{"anything":true}']));
    const verdict = await receive(makeDelivery(body));
    assert.ok(verdict.ok);
    assert.equal(verdict.accepted.event, null);
    assert.equal(verdict.accepted.deliveryId, EVENT_ID);
  });

  test('without an event id, the body hash is the delivery id', async () => {
    const body = buildEnvelope({ sent_at: '2026-11-21T03:00:00Z' }, [[{ type: 'session' }, '{}']]);
    const first = await receive(makeDelivery(body));
    const again = await receive(makeDelivery(Buffer.from(body)));
    assert.ok(first.ok && again.ok);
    assert.match(first.accepted.deliveryId, /^sha256:[0-9a-f]{64}$/);
    assert.equal(first.accepted.deliveryId, again.accepted.deliveryId);
  });

  test('an envelope with too many items is a 413', async () => {
    const body = buildEnvelope({}, Array.from({ length: MAX_ENVELOPE_ITEMS + 1 }, () => [{ type: 'session' }, '{}'] as [object, string]));
    const rejection = await receiveRejection(makeDelivery(body));
    assert.equal(rejection.status, 413);
    assert.equal(rejection.reason, 'too-many-items');
  });
});

describe('event items', () => {
  const header = { event_id: EVENT_ID, sent_at: '2026-11-21T03:00:01Z', trace: { trace_id: 'aaaabbbbccccddddeeeeffff00001111', public_key: KEY } };

  test('become alert.received.v1 with every field normalised', async () => {
    const alert = await receiveAlert(makeDelivery(buildEnvelope(header, [[{ type: 'event' }, JSON.stringify(errorEvent)]])));
    assert.equal(alert.id, deliveryEventId('sentry-envelope', EVENT_ID));
    assert.equal(alert.key, alert.payload.fingerprint);
    const p = alert.payload;
    assert.equal(p.source, 'sentry');
    assert.equal(p.channel, 'sdk-envelope');
    assert.equal(p.deliveryId, EVENT_ID);
    assert.deepEqual([p.kind, p.action, p.status, p.severity], ['error', 'created', 'firing', 'error']);
    assert.equal(p.title, "TypeError: Cannot read properties of undefined (reading 'length')");
    assert.equal(p.culprit, 'POST /checkout');
    assert.equal(p.fingerprint, 'TypeError:cart:countItems');
    assert.equal(p.service, 'orders');
    assert.equal(p.environment, 'production');
    assert.equal(p.release, 'orders@1.2.3');
    assert.deepEqual(p.tags, { service: 'orders', request_id: 'req-tag-1', region: 'eu' });
    assert.deepEqual(p.traceIds, [TRACE_ID, 'aaaabbbbccccddddeeeeffff00001111']);
    assert.deepEqual(p.requestIds, ['req-42', 'req-tag-1']);
    assert.equal(p.error?.type, 'TypeError');
    assert.equal(p.error?.frames.length, 4);
    assert.deepEqual(p.error?.frames[1], {
      filename: '/srv/orders/dist/server.js', absPath: '/srv/orders/dist/server.js', module: 'server', function: 'handle', lineno: 10, colno: 3, inApp: true,
    });
    assert.deepEqual(p.request, {
      method: 'POST',
      url: 'https://shop.example/checkout',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-42' },
      query: 'coupon=X1&page=2',
      body: '{"cart":[1,2]}',
    });
    assert.equal(p.firedAt, '2026-11-21T03:00:00.123Z');
    assert.equal(p.receivedAt, now.toISOString());
    assert.deepEqual(p.raw, errorEvent);
  });

  test('map levels to severities', async () => {
    const expected = { fatal: 'critical', error: 'error', warning: 'warning', info: 'info', debug: 'info', log: 'info', nonsense: 'error' };
    for (const [level, severity] of Object.entries(expected)) {
      const alert = await receiveAlert(makeDelivery(JSON.stringify({ message: 'm', level })));
      assert.equal(alert.payload.severity, severity, level);
    }
    assert.equal((await receiveAlert(makeDelivery(JSON.stringify({ message: 'm' })))).payload.severity, 'error');
  });

  test('read messages, ISO timestamps, object tags and server_name as the service', async () => {
    const event = {
      event_id: '12c2d058-d584-4270-9aa2-eca08bf20986',
      logentry: { message: 'payment %s failed', params: ['p-1'], formatted: 'payment p-1 failed' },
      timestamp: '2026-11-21T02:59:00.5Z',
      server_name: 'web-9',
      tags: { attempt: 3, canary: true, ignored: { nested: 1 } },
    };
    const alert = await receiveAlert(makeDelivery(buildEnvelope({}, [[{ type: 'event' }, JSON.stringify(event)]])));
    assert.equal(alert.payload.deliveryId, '12c2d058d58442709aa2eca08bf20986');
    assert.equal(alert.payload.title, 'payment p-1 failed');
    assert.equal(alert.payload.message, 'payment p-1 failed');
    assert.equal(alert.payload.fingerprint, 'message:payment %s failed');
    assert.equal(alert.payload.firedAt, '2026-11-21T02:59:00.500Z');
    assert.equal(alert.payload.service, 'web-9');
    assert.deepEqual(alert.payload.tags, { attempt: '3', canary: 'true' });
    assert.equal(alert.payload.error, undefined);
  });

  test('the legacy store endpoint takes a bare event, compact or pretty-printed', async () => {
    for (const body of [JSON.stringify(errorEvent), JSON.stringify(errorEvent, null, 2)]) {
      const alert = await receiveAlert(makeDelivery(body, { query: {}, headers: { 'x-sentry-auth': `Sentry sentry_key=${KEY}, sentry_version=7` } }));
      assert.equal(alert.payload.deliveryId, EVENT_ID);
      assert.equal(alert.payload.error?.type, 'TypeError');
      assert.deepEqual(alert.payload.traceIds, [TRACE_ID]);
    }
  });

  test('an event payload that is not JSON is a 400, an event without an error or message a 422', async () => {
    const notJson = await receiveRejection(makeDelivery(buildEnvelope(header, [[{ type: 'event' }, '{"exception":']])));
    assert.equal(notJson.status, 400);
    const array = await receiveRejection(makeDelivery(buildEnvelope(header, [[{ type: 'event' }, '[1]']])));
    assert.equal(array.status, 400);
    const empty = await receiveRejection(makeDelivery(buildEnvelope(header, [[{ type: 'event' }, '{"level":"error","exception":{"values":[{}]}}']])));
    assert.deepEqual([empty.status, empty.reason, empty.field], [422, 'schema', 'exception']);
    const badTime = await receiveRejection(makeDelivery(buildEnvelope(header, [[{ type: 'event' }, '{"message":"m","timestamp":"yesterday"}']])));
    assert.deepEqual([badTime.status, badTime.reason, badTime.field], [422, 'schema', 'timestamp']);
    const farFuture = await receiveRejection(makeDelivery(buildEnvelope(header, [[{ type: 'event' }, '{"message":"m","timestamp":1e300}']])));
    assert.equal(farFuture.field, 'timestamp');
    const badHeader = await receiveRejection(makeDelivery(`{"event_id":\n{"type":"event"}\n{}`));
    assert.deepEqual([badHeader.status, badHeader.reason], [400, 'bad-envelope']);
  });

  test('never throw, whatever the bytes', async () => {
    const valid = buildEnvelope(header, [
      [{ type: 'attachment', length: 5 }, 'ab\ncd'],
      [{ type: 'event' }, JSON.stringify(errorEvent)],
    ]);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 1500; round++) {
      const body = Buffer.from(valid);
      const cut = Math.floor(random() * body.length);
      for (let flips = 0; flips < 3; flips++) body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
      const verdict = await receive(makeDelivery(round % 2 ? body : body.subarray(0, cut)));
      assert.equal(typeof verdict.ok, 'boolean');
    }
    const odd = [
      { exception: { values: [{ type: 5, value: null, stacktrace: { frames: 'x' } }] }, message: { formatted: 7 } },
      { exception: [{ type: 'E', stacktrace: { frames: [null, 1, { lineno: -3, colno: 1.5, in_app: 'yes' }] } }], tags: 'x', request: { method: 'GET' } },
      { message: 'm', fingerprint: 'not-an-array', contexts: { trace: { trace_id: 7 } }, request: { method: 'GET', url: 'u', headers: [['a'], 5] } },
    ].map((event) => JSON.stringify(event));
    odd.push('{"message":"m","__proto__":{"polluted":true},"tags":[["__proto__","x"]],"request":{"method":"GET","url":"u","headers":{"__proto__":"x"}}}');
    for (const event of odd) {
      const verdict = await receive(makeDelivery(buildEnvelope({}, [[{ type: 'event' }, event]])));
      assert.equal(typeof verdict.ok, 'boolean');
    }
  });
});

describe('fingerprints', () => {
  const frames = [
    { module: 'server', function: 'handle', inApp: true },
    { filename: '/srv/cart.js', function: 'countItems', inApp: true },
    { module: 'lodash', function: 'sum', inApp: false },
  ];

  test('the top in-app frame is the last in-app frame, Sentry listing frames oldest first', () => {
    assert.deepEqual(findTopInAppFrame(frames), frames[1]);
    assert.equal(deriveDefaultFingerprint({ type: 'TypeError', frames }), 'TypeError:/srv/cart.js:countItems');
  });

  test('prefers the module to the file name, and falls back when no frame is in-app', () => {
    assert.equal(deriveDefaultFingerprint({ type: 'E', frames: [{ module: 'm', filename: 'f', function: 'g', inApp: true }] }), 'E:m:g');
    assert.equal(deriveDefaultFingerprint({ type: 'E', frames: [{ module: 'a', function: 'x' }, { module: 'b', inApp: false }] }), 'E:a:x');
    assert.equal(deriveDefaultFingerprint({ type: 'E', frames: [{ module: 'a', inApp: false }, { module: 'b', inApp: false }] }), 'E:b:?');
    assert.equal(deriveDefaultFingerprint({ type: 'E', frames: [] }), 'E');
  });

  test("the event's own fingerprint wins unless it is {{ default }}", () => {
    const error = { type: 'TypeError', frames };
    assert.equal(deriveFingerprint({ fingerprint: ['checkout', 'db-timeout'], error }), 'checkout|db-timeout');
    assert.equal(deriveFingerprint({ fingerprint: ['{{ default }}'], error }), 'TypeError:/srv/cart.js:countItems');
    assert.equal(deriveFingerprint({ fingerprint: ['{{default}}', 'http-500'], error }), 'TypeError:/srv/cart.js:countItems|http-500');
    assert.equal(deriveFingerprint({ fingerprint: [], error }), 'TypeError:/srv/cart.js:countItems');
    assert.equal(deriveFingerprint({ fingerprint: 'x', error }), 'TypeError:/srv/cart.js:countItems');
    assert.equal(deriveFingerprint({ message: 'disk %s full' }), 'message:disk %s full');
    assert.match(deriveFingerprint({ fingerprint: ['x'.repeat(600)] }), /^sha256:[0-9a-f]{64}$/);
  });

  test('an event fingerprint array reaches the alert', async () => {
    const alert = await receiveAlert(makeDelivery(JSON.stringify({ ...errorEvent, fingerprint: ['orders', 'cart-empty'] })));
    assert.equal(alert.payload.fingerprint, 'orders|cart-empty');
    assert.equal(alert.key, 'orders|cart-empty');
  });
});
