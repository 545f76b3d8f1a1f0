import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import { LogSourceError } from '../../services/triage/evidence/log-source-error.js';
import type { LogQuery } from '../../services/triage/evidence/log-source.js';
import { createSentryEventSource, type SentryEventSourceOptions } from '../../services/triage/evidence/sentry/create-sentry-event-source.js';
import { startFakeSentryApi, type FakeSentryApi } from '../helpers/fake-sentry-api.js';

const token = 'sntrys_test_token_0123456789abcdef';
const fixture = JSON.parse(readFileSync(new URL('../../../tests/fixtures/sentry-api/checkout-typeerror.event.json', import.meta.url), 'utf8')) as Record<string, unknown> & {
  dateCreated: string;
};
const t0 = Date.parse('2024-05-01T12:00:00.000Z');
const trace = '9f3c2a1b0e4d4c5a8b7e6f1a2d3c4b5e';

/** A smaller event in the API's shape: no breadcrumbs, its own trace. */
function event(id: string, seconds: number, title: string, traceId = id.padEnd(32, '0')): Record<string, unknown> & { dateCreated: string; groupID: string } {
  return {
    id,
    eventID: id,
    groupID: `g-${id}`,
    title,
    message: '',
    platform: 'node',
    dateCreated: new Date(t0 + seconds * 1000).toISOString(),
    tags: [{ key: 'level', value: 'error' }],
    entries: [],
    contexts: { trace: { trace_id: traceId, span_id: 'aaaaaaaaaaaaaaaa', type: 'trace' } },
  };
}

const projects = {
  'checkout-web': [
    { ...fixture, groupID: '4810012345' },
    event('c1', 10, 'Error: cart not found'),
    event('c2', 20, 'Error: coupon expired'),
    event('c3', 40, 'Error: stock reservation timed out'),
    event('c4', 50, 'Error: totals mismatch'),
    event('c5', -3600, 'Error: an hour before the window'),
  ],
  'payments-api': [event('p1', 29, 'UpstreamError: provider 502', trace), event('p2', 45, 'Error: idempotency key reused')],
};

const window: LogQuery = { services: ['checkout', 'payments'], from: t0, to: t0 + 60_000 };

async function collect(iterable: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe('the Sentry event source against a loopback Sentry API', () => {
  let fake: FakeSentryApi;
  let clock = Date.now();
  let waits: number[] = [];
  const source = (overrides: Partial<SentryEventSourceOptions> = {}) =>
    createSentryEventSource({
      baseUrl: fake.url,
      token,
      organization: 'acme',
      projects: { checkout: 'checkout-web', payments: 'payments-api' },
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      ...overrides,
    });

  before(async () => {
    fake = await startFakeSentryApi({ token, organization: 'acme', projects, pageSize: 2 });
  });
  after(() => fake.close());

  test('pages through each project with Link cursors and yields events and breadcrumbs oldest first', async () => {
    fake.requests.length = 0;
    const src = source();
    const records = await collect(src.fetchLogs(window));

    const checkoutPages = fake.requests.filter((r) => r.path === '/api/0/projects/acme/checkout-web/events/');
    assert.deepEqual(checkoutPages.map((r) => r.query.get('cursor')), [null, '0:2:0', '0:4:0']);
    assert.ok(fake.requests.every((r) => r.authorization === `Bearer ${token}` && r.query.get('full') === 'true'));
    assert.equal(fake.requests[0]!.query.get('start'), '2024-05-01T12:00:00.000Z');
    assert.equal(fake.requests[0]!.query.get('end'), '2024-05-01T12:01:00.000Z');

    const timestamps = records.map((r) => r.timestamp);
    assert.deepEqual(timestamps, [...timestamps].sort((a, b) => a - b));
    // 5 checkout events in the window + the fixture's 3 breadcrumbs + 2 payments events.
    assert.equal(records.length, 10);
    assert.ok(!records.some((r) => r.message.includes('an hour before')));

    const crash = records.find((r) => r.origin.ref === fixture.eventID)!;
    assert.equal(crash.service, 'checkout');
    assert.equal(crash.level, 'error');
    assert.equal(crash.message, "TypeError: Cannot read properties of undefined (reading 'amount')");
    assert.equal(crash.timestamp, Date.parse('2024-05-01T12:00:30.250Z'));
    assert.equal(crash.traceId, trace);
    assert.equal(crash.spanId, 'b7e6f1a2d3c4b5e9');
    assert.equal(crash.requestId, 'req-7d1e');
    assert.equal(crash.attributes.release, 'checkout@2.14.0');
    assert.deepEqual((crash.attributes.exception as { frame: unknown }).frame, {
      filename: 'src/checkout/charge.ts',
      absPath: '/srv/checkout/src/checkout/charge.ts',
      module: 'checkout.charge',
      function: 'chargeCart',
      lineno: 17,
      colno: 31,
      inApp: true,
    });

    const crumbs = records.filter((r) => r.origin.ref?.startsWith(`${String(fixture.eventID)}#breadcrumb`));
    assert.deepEqual(crumbs.map((r) => [r.level, r.message]), [
      ['info', 'GET http://cart.internal/carts/c-42 [200]'],
      ['warn', 'POST http://payments.internal/charges [502]'],
      ['error', 'payment provider answered 502, falling back'],
    ]);
    assert.ok(crumbs.every((r) => r.traceId === trace && r.service === 'checkout'));
    assert.deepEqual({ requests: src.lastStats()?.requests, truncated: src.lastStats()?.truncated, records: src.lastStats()?.records }, { requests: 3 + 1, truncated: false, records: 10 });
  });

  test('narrows to a trace id across services', async () => {
    const records = await collect(source().fetchLogs({ ...window, traceIds: [trace.toUpperCase()] }));
    assert.deepEqual(
      records.map((r) => `${r.service}: ${r.message}`),
      [
        'payments: UpstreamError: provider 502',
        'checkout: GET http://cart.internal/carts/c-42 [200]',
        'checkout: POST http://payments.internal/charges [502]',
        'checkout: payment provider answered 502, falling back',
        "checkout: TypeError: Cannot read properties of undefined (reading 'amount')",
      ],
    );
  });

  test('only asks the projects of the services in the query', async () => {
    fake.requests.length = 0;
    const records = await collect(source().fetchLogs({ ...window, services: ['payments', 'unmapped'] }));
    assert.deepEqual(new Set(fake.requests.map((r) => r.path)), new Set(['/api/0/projects/acme/payments-api/events/']));
    assert.equal(records.length, 2);
  });

  test('keeps the newest records past the limit and says it truncated', async () => {
    const src = source();
    const records = await collect(src.fetchLogs({ ...window, services: ['checkout'], limit: 2 }));
    assert.deepEqual(records.map((r) => r.message), ['Error: stock reservation timed out', 'Error: totals mismatch']);
    assert.equal(src.lastStats()?.truncated, true);
  });

  test('waits out a 429 as Retry-After says', async () => {
    waits = [];
    fake.rateLimitNext(1, 3);
    const records = await collect(source().fetchLogs({ ...window, services: ['payments'] }));
    assert.equal(records.length, 2);
    assert.deepEqual(waits, [3000]);
  });

  test('fetches and normalises the latest event of an issue', async () => {
    const detail = await source().fetchLatestIssueEvent('4810012345');
    assert.equal(fake.requests.at(-1)!.path, '/api/0/organizations/acme/issues/4810012345/events/latest/');
    assert.equal(detail.eventId, fixture.eventID);
    assert.equal(detail.issueId, '4810012345');
    assert.deepEqual(detail.exception && { type: detail.exception.type, value: detail.exception.value, frames: detail.exception.frames.length }, {
      type: 'TypeError',
      value: "Cannot read properties of undefined (reading 'amount')",
      frames: 3,
    });
    assert.deepEqual(detail.exception?.frames[0], {
      filename: 'node:internal/process/task_queues',
      absPath: 'node:internal/process/task_queues',
      module: 'task_queues',
      function: 'process.processTicksAndRejections',
      lineno: 95,
      colno: 5,
      inApp: false,
    });
    assert.deepEqual(detail.request, {
      method: 'POST',
      url: 'https://shop.example.com/api/checkout',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-7d1e', traceparent: `00-${trace}-1a2b3c4d5e6f7081-01` },
      query: 'coupon=SPRING',
      body: '{"cartId":"c-42"}',
    });
    assert.equal(detail.traceId, trace);
    assert.equal(detail.release, 'checkout@2.14.0');
    assert.equal(detail.environment, 'production');
    assert.equal(detail.tags.server_name, 'checkout-7f9c');
    assert.equal(detail.breadcrumbs.length, 3);
    assert.equal(detail.level, 'error');
  });

  test('a wrong token is LOG_SOURCE_UNAUTHORISED and the token stays out of the error', async () => {
    const wrong = 'sntrys_wrong_token_that_must_not_leak';
    await assert.rejects(source({ token: wrong }).fetchLatestIssueEvent('4810012345'), (error: unknown) => {
      assert.ok(error instanceof LogSourceError);
      assert.equal(error.code, 'LOG_SOURCE_UNAUTHORISED');
      assert.equal(error.backend, 'sentry');
      assert.equal(error.status, 401);
      assert.ok(!error.message.includes(wrong));
      return true;
    });
  });

  test('an unknown organisation or issue is LOG_SOURCE_REJECTED with Sentry\'s detail', async () => {
    await assert.rejects(collect(source({ organization: 'nope' }).fetchLogs(window)), (error: unknown) => {
      assert.ok(error instanceof LogSourceError);
      assert.equal(error.code, 'LOG_SOURCE_REJECTED');
      assert.equal(error.status, 404);
      assert.match(error.message, /The requested resource does not exist/);
      return true;
    });
    await assert.rejects(source().fetchLatestIssueEvent('999'), { code: 'LOG_SOURCE_REJECTED', status: 404 });
  });
});
