import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createDatadogWebhookReceiver } from '../../services/ingest/datadog/create-datadog-webhook-receiver.js';
import { parseJsonBody } from '../../services/ingest/parse-json-body.js';
import type { RawDelivery, Verdict } from '../../services/ingest/receiver.js';
import { createSentryWebhookReceiver } from '../../services/ingest/sentry/create-sentry-webhook-receiver.js';
import { createSentryEnvelopeReceiver } from '../../services/ingest/sentry-envelope/create-sentry-envelope-receiver.js';
import { encodeEvent } from '../../shared/events/encode-event.js';
import type { NightshiftEvent } from '../../shared/events/index.js';
import { parseEvent } from '../../shared/events/parse-event.js';
import { jsonSourceOf } from '../../shared/json/json-source.js';

const fixtures = new URL('../../../tests/fixtures/', import.meta.url);
const now = new Date('2026-11-21T03:00:00.000Z');
const secret = 'encode-event-test-secret';
const sentry = createSentryWebhookReceiver({ clientSecret: secret, toleranceSeconds: 300 });
const datadog = createDatadogWebhookReceiver({ token: 'dd-token' });
const DSN_KEY = '9a3bc1e5f0d24c8b8e7f6a5b4c3d2e1f';
const envelopes = createSentryEnvelopeReceiver({ dsnKeys: [{ projectId: '42', publicKey: DSN_KEY }] });

/** An SDK error event, as the payload of an envelope's event item. */
const sdkEvent = {
  event_id: '9ec79c33ec9942ab8353589fcb2e04dc',
  timestamp: 1795230000.123,
  platform: 'node',
  level: 'error',
  server_name: 'orders-1',
  exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames: [{ filename: '/srv/orders/cart.js', function: 'count', lineno: 4, in_app: true }] } }] },
};

/** An envelope whose event item is `payload`, with a `length` header, or without one and ended by CRLF (the CR stays in the payload). */
function envelopeDelivery(payload: Buffer, withLength: boolean): RawDelivery {
  const itemHeader = JSON.stringify(withLength ? { type: 'event', length: payload.length } : { type: 'event' });
  const body = Buffer.concat([Buffer.from(`{"event_id":"${sdkEvent.event_id}"}\n${itemHeader}\n`), payload, Buffer.from(withLength ? '\n' : '\r\n')]);
  return { headers: {}, body, query: { sentry_key: DSN_KEY, sentry_version: '7' }, params: { projectId: '42' } };
}

function sentryDelivery(body: Buffer, resource: string): RawDelivery {
  const headers = {
    'content-type': 'application/json',
    'request-id': 'c0ffee00c0ffee00c0ffee00c0ffee00',
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex'),
  };
  return { headers, body, query: {}, params: {} };
}

async function eventOf(verdict: Verdict | Promise<Verdict>): Promise<NightshiftEvent> {
  const settled = await verdict;
  assert.ok(settled.ok && settled.accepted.event, `accepted with an event: ${JSON.stringify(settled)}`);
  return settled.accepted.event;
}

/** The bytes decode to exactly the event serialised the plain way. */
function assertSameEvent(event: NightshiftEvent, json: Uint8Array, label: string) {
  const decoded: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  assert.deepEqual(decoded, JSON.parse(JSON.stringify(event)), label);
  assert.equal(parseEvent(decoded).id, event.id, label);
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(Buffer.from(needle));

test('an alert keeps the bytes of the payload it was parsed from as its raw payload, and decodes to the same event as serialising it', async () => {
  const sentryFiles = readdirSync(new URL('sentry/', fixtures)).filter((name) => !name.startsWith('installation.'));
  assert.ok(sentryFiles.length >= 10);
  const cases: [string, Buffer, Promise<NightshiftEvent>][] = sentryFiles.map((name) => {
    const body = readFileSync(new URL(`sentry/${name}`, fixtures));
    return [name, body, eventOf(sentry.receive(sentryDelivery(body, name.split('.')[0]!), now))];
  });
  for (const name of ['monitor-triggered.json', 'default-template.json']) {
    const body = readFileSync(new URL(`datadog/${name}`, fixtures));
    cases.push([name, body, eventOf(datadog.receive({ headers: { 'content-type': 'application/json', 'x-nightshift-token': 'dd-token' }, body, query: {}, params: {} }, now))]);
  }
  for (const [label, payload, withLength] of [
    ['envelope item with a length', Buffer.from(JSON.stringify(sdkEvent, null, 2)), true],
    ['envelope item ended by a line break', Buffer.from(JSON.stringify(sdkEvent)), false],
  ] as const) {
    cases.push([label, payload, eventOf(envelopes.receive(envelopeDelivery(payload, withLength), now))]);
  }
  for (const [name, body, made] of cases) {
    const event = await made;
    const { json } = encodeEvent(event);
    assertSameEvent(event, json, name);
    // Copied, not serialised again: the fixture's own formatting is in the event.
    assert.ok(contains(json, body), `${name}: the body's bytes are in the event`);
  }
});

test('a payload with invalid UTF-8 or with characters cleaned for storage is serialised from the parsed value, not copied', async () => {
  const original = readFileSync(new URL('sentry/issue.created.json', fixtures), 'utf8');
  const at = original.indexOf('"title": "') + '"title": "'.length;
  const withInvalidByte = Buffer.concat([Buffer.from(original.slice(0, at)), Buffer.from([0xff]), Buffer.from(original.slice(at))]);
  const withNul = Buffer.from(`${original.slice(0, at)}\\u0000${original.slice(at)}`);
  for (const [label, body, title] of [['invalid UTF-8', withInvalidByte, /^\uFFFD/], ['NUL escape', withNul, /^\uFFFD/]] as const) {
    assert.notEqual(body.length, Buffer.byteLength(original), `${label}: the fixture changed`);
    const event = await eventOf(sentry.receive(sentryDelivery(body, 'issue'), now));
    const { json } = encodeEvent(event);
    assertSameEvent(event, json, label);
    assert.equal(contains(json, body), false, `${label}: not copied`);
    const raw = (JSON.parse(new TextDecoder().decode(json)) as { payload: { raw: { data: { issue: { title: string } } } } }).payload.raw;
    assert.match(raw.data.issue.title, title, label);
  }
});

test('only objects parsed unchanged from valid UTF-8 bytes keep their source', () => {
  const kept = parseJsonBody(Buffer.from('{"a":[1,"é"]}'));
  assert.ok(kept.ok);
  assert.deepEqual(jsonSourceOf(kept.value), Buffer.from('{"a":[1,"é"]}'));
  const notKept = [
    parseJsonBody('{"a":1}'), // text: no bytes to copy
    parseJsonBody(Buffer.from('"a string"')), // not an object: nothing to remember it by
    parseJsonBody(Buffer.from('{"a":"\\u0000"}')), // cleaned: no longer what the bytes say
    parseJsonBody(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d])), // {"a":"<truncated UTF-8>"}
  ];
  for (const parsed of notKept) {
    assert.ok(parsed?.ok);
    assert.equal(jsonSourceOf(parsed.value), undefined, JSON.stringify(parsed.value));
  }
});

test('a payload over 64 KiB travels as a marked preview of its bytes, one under as it came', async () => {
  const template = JSON.parse(readFileSync(new URL('datadog/monitor-triggered.json', fixtures), 'utf8')) as Record<string, unknown>;
  for (const [padding, truncated] of [[1_000, false], [70_000, true]] as const) {
    const body = Buffer.from(JSON.stringify({ ...template, padding: 'x'.repeat(padding) }));
    const event = await eventOf(datadog.receive({ headers: { 'content-type': 'application/json', 'x-nightshift-token': 'dd-token' }, body, query: {}, params: {} }, now));
    const { json } = encodeEvent(event);
    assertSameEvent(event, json, `padding ${padding}`);
    const raw = (JSON.parse(new TextDecoder().decode(json)) as { payload: { raw: Record<string, unknown> } }).payload.raw;
    if (truncated) {
      assert.deepEqual([raw.truncated, raw.bytes, (raw.preview as string).length], [true, body.length, 64 * 1024]);
      assert.equal(contains(json, body), false);
    } else {
      assert.equal(raw.padding, 'x'.repeat(padding));
      assert.ok(contains(json, body));
    }
  }
});
