import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { normaliseSentryEvent } from '../../services/triage/evidence/sentry/normalise-sentry-event.js';
import { parseSentryNextCursor } from '../../services/triage/evidence/sentry/parse-sentry-link-header.js';
import { readSentryRateLimit } from '../../services/triage/evidence/sentry/request-sentry-api.js';
import { sentryEventToLogRecords } from '../../services/triage/evidence/sentry/sentry-event-to-log-records.js';

const webhook = JSON.parse(readFileSync(new URL('../../../tests/fixtures/sentry/error.created.json', import.meta.url), 'utf8')) as { data: { error: unknown } };

test('an SDK-shaped event (the error.created webhook) normalises like an API one', () => {
  const detail = normaliseSentryEvent(webhook.data.error);
  assert.ok(detail);
  assert.equal(detail.eventId, '1f0d8b6c4e2a49c7b5d3e1f9a7c5b3d1');
  assert.equal(detail.traceId, 'a3f1c09e6b2d4f8e9c7a5b3d1e0f2a4c');
  assert.equal(detail.spanId, '8d2e4f6a1b3c5d7e');
  assert.equal(detail.environment, 'staging');
  assert.equal(detail.timestamp, Date.parse('2026-11-21T02:52:08.907Z'));
  assert.equal(detail.culprit, 'billing.invoices.views.create_invoice');
  // The chain is KeyError then the raised exception; the raised one (last) is reported, raising frame last.
  assert.equal(detail.exception?.type, 'PaymentMethodMissing');
  assert.match(detail.exception?.value ?? '', /has no default payment method/);
  assert.equal(detail.exception?.frames.length, 4);
  assert.deepEqual(detail.exception?.frames.at(-1), {
    filename: detail.exception?.frames.at(-1)?.filename,
    absPath: '/srv/billing/billing/customers/payment_methods.py',
    module: detail.exception?.frames.at(-1)?.module,
    function: 'default_payment_method',
    lineno: 63,
    inApp: true,
  });
  assert.equal(detail.tags.server_name, 'billing-web-2');
  assert.equal(detail.level, 'error');
  assert.ok(detail.exception!.frames.every((f) => f.lineno === undefined || Number.isInteger(f.lineno)));
  assert.ok(detail.exception!.frames.some((f) => f.absPath?.startsWith('/srv/billing/')), 'snake_case abs_path is read');
});

test('request headers lose credentials, query pairs become a query string, a traceparent gives the trace', () => {
  const detail = normaliseSentryEvent({
    event_id: 'e1',
    timestamp: 1714564800.5,
    level: 'warning',
    request: {
      method: 'GET',
      url: 'https://x.test/a',
      headers: { Authorization: 'Bearer secret', Cookie: 'a=b', 'X-Request-Id': 'r-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      query_string: [['q', '1']],
    },
    breadcrumbs: { values: [{ timestamp: 1714564800.1, category: 'query', data: { sql: 'select 1' } }, { message: 'untimed' }] },
    tags: [['release', 'r@1'], ['level', 'warning']],
  });
  assert.ok(detail);
  assert.deepEqual(detail.request, { method: 'GET', url: 'https://x.test/a', headers: { 'X-Request-Id': 'r-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, query: 'q=1' });
  assert.equal(detail.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(detail.requestId, 'r-1');
  assert.equal(detail.release, 'r@1');
  assert.equal(detail.level, 'warn');
  assert.equal(detail.timestamp, 1714564800500);
  assert.equal(detail.title, '(no title)');

  const records = sentryEventToLogRecords(detail, 'api');
  assert.deepEqual(records.map((r) => [r.timestamp, r.level, r.message, r.traceId]), [
    [1714564800100, 'info', 'query {"sql":"select 1"}', '4bf92f3577b34da6a3ce929d0e0e4736'],
    [1714564800500, 'warn', '(no title)', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ]);
  assert.equal(sentryEventToLogRecords(detail, 'api', { breadcrumbs: false }).length, 1);
  assert.equal(normaliseSentryEvent({ title: 'no id' }), undefined);
});

test('Link header: only a next link with results="true" is a next page', () => {
  const link = (results: boolean) =>
    `<https://sentry.io/api/0/projects/o/p/events/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://sentry.io/api/0/projects/o/p/events/?cursor=0:100:0>; rel="next"; results="${results}"; cursor="0:100:0"`;
  assert.equal(parseSentryNextCursor(link(true)), '0:100:0');
  assert.equal(parseSentryNextCursor(link(false)), undefined);
  assert.equal(parseSentryNextCursor(null), undefined);
  assert.equal(parseSentryNextCursor('<https://x/?a=1,2>; rel="next"; results="true"; cursor="1714564800000:0:0"'), '1714564800000:0:0', 'a comma inside the URL does not split links');
});

test('Sentry rate-limit headers: Retry-After in seconds or as a date, else the window reset', () => {
  const answer = (status: number, headers: Record<string, string>) => ({ status, header: (n: string) => headers[n], discard: async () => {} });
  const now = Date.parse('2024-05-01T12:00:00Z');
  assert.deepEqual(readSentryRateLimit(answer(429, { 'retry-after': '3' }), now), { retryAfterMs: 3000 });
  assert.deepEqual(readSentryRateLimit(answer(429, { 'retry-after': 'Wed, 01 May 2024 12:00:05 GMT' }), now), { retryAfterMs: 5000 });
  assert.deepEqual(readSentryRateLimit(answer(429, { 'x-sentry-rate-limit-remaining': '0', 'x-sentry-rate-limit-reset': String(now / 1000 + 2) }), now), { remaining: 0, resetInMs: 2000, retryAfterMs: 2000 });
  assert.deepEqual(readSentryRateLimit(answer(200, { 'x-sentry-rate-limit-remaining': '12', 'x-sentry-rate-limit-reset': String(now / 1000 + 2) }), now), { remaining: 12, resetInMs: 2000 });
});
