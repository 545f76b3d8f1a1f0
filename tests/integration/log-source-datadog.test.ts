import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDatadogLogSource, type DatadogLogSourceOptions } from '../../services/triage/evidence/datadog/create-datadog-log-source.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import { LogSourceError } from '../../services/triage/evidence/log-source-error.js';
import type { LogSourceStats } from '../../services/triage/evidence/log-source-stats.js';
import type { LogQuery } from '../../services/triage/evidence/log-source.js';
import { checkDatadogSchema, startFakeDatadogLogs, type FakeDatadogLog, type FakeDatadogLogs } from '../helpers/fake-datadog-logs.js';

const apiKey = 'dd-api-key-0123456789abcdef';
const appKey = 'dd-app-key-fedcba9876543210';
const t0 = Date.parse('2024-05-01T12:00:00.000Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
// The W3C trace 4bf92f3577b34da6a3ce929d0e0e4736 as dd-trace logs it: the low 64 bits in decimal.
const w3cTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const ddTrace = BigInt(`0x${w3cTrace.slice(16)}`).toString(10);

const logs: FakeDatadogLog[] = [
  { timestamp: at(5), service: 'checkout', status: 'info', message: 'charging card', host: 'web-1', attributes: { dd: { trace_id: ddTrace, span_id: '77' }, request_id: 'req-1' } },
  { timestamp: at(1), service: 'checkout', status: 'info', message: 'cart loaded', host: 'web-1', attributes: { request_id: 'req-0' } },
  { timestamp: at(9), service: 'payments', status: 'error', message: 'card declined: upstream 502', tags: ['env:prod'], attributes: { dd: { trace_id: ddTrace } } },
  { timestamp: at(7), service: 'payments', status: 'warn', message: 'retrying charge', attributes: {} },
  { timestamp: at(12), service: 'checkout', status: 'critical', message: 'order failed', attributes: { trace_id: 'ABCDEF0123456789' } },
  { timestamp: at(3), service: 'search', status: 'info', message: 'other service', attributes: {} },
  { timestamp: at(-600), service: 'checkout', status: 'error', message: 'long before the window', attributes: {} },
];

const window: LogQuery = { services: ['checkout', 'payments'], from: t0, to: t0 + 60_000 };

async function collect(iterable: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe('the Datadog log source against a loopback Logs Search API', () => {
  let fake: FakeDatadogLogs;
  let clock = 0;
  let waits: number[] = [];
  const source = (overrides: Partial<DatadogLogSourceOptions> = {}) =>
    createDatadogLogSource({
      apiKey,
      appKey,
      baseUrl: fake.url,
      pageSize: 2,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      ...overrides,
    });

  before(async () => {
    fake = await startFakeDatadogLogs({ apiKey, appKey, logs });
  });
  after(() => fake.close());

  test('follows the cursor over three pages and maps every log, oldest first', async () => {
    fake.requests.length = 0;
    let stats: LogSourceStats | undefined;
    const records = await collect(source({ onStats: (s) => (stats = s) }).fetchLogs(window));

    assert.deepEqual(records.map((r) => r.message), ['cart loaded', 'charging card', 'retrying charge', 'card declined: upstream 502', 'order failed']);
    assert.equal(fake.requests.length, 3);
    const bodies = fake.requests.map((r) => r.body as { filter: { query: string; from: string; to: string }; page: { limit: number; cursor?: string }; sort: string });
    assert.equal(bodies[0]!.filter.query, 'service:(checkout OR payments)');
    assert.equal(bodies[0]!.filter.from, '2024-05-01T12:00:00.000Z');
    assert.equal(bodies[0]!.filter.to, '2024-05-01T12:01:00.000Z');
    assert.equal(bodies[0]!.sort, 'timestamp');
    assert.equal(bodies[0]!.page.cursor, undefined);
    assert.ok(bodies[1]!.page.cursor && bodies[2]!.page.cursor && bodies[1]!.page.cursor !== bodies[2]!.page.cursor, 'each page asks with the previous page\'s meta.page.after');
    assert.deepEqual(fake.violations, [], 'requests and answers match Datadog\'s published schemas');
    assert.equal(fake.requests[0]!.headers['dd-api-key'], apiKey);

    const charging = records[1]!;
    assert.equal(charging.service, 'checkout');
    assert.equal(charging.level, 'info');
    assert.equal(charging.timestamp, t0 + 5000);
    assert.equal(charging.traceId, ddTrace);
    assert.equal(charging.spanId, '77');
    assert.equal(charging.requestId, 'req-1');
    assert.equal(charging.attributes.host, 'web-1');
    assert.match(charging.origin.ref ?? '', /^AQAAAY/);
    assert.equal(charging.origin.source, 'datadog');
    assert.equal(records[3]!.level, 'error');
    assert.deepEqual(records[3]!.attributes.tags, ['env:prod']);
    assert.equal(records[4]!.level, 'fatal', 'Datadog\'s `critical` status is fatal');
    assert.equal(records[4]!.traceId, 'abcdef0123456789', 'trace ids are lower-cased');
    assert.deepEqual(stats && { records: stats.records, requests: stats.requests, truncated: stats.truncated }, { records: 5, requests: 3, truncated: false });
  });

  test('finds dd-trace\'s decimal trace id when asked for the W3C hex id', async () => {
    fake.requests.length = 0;
    const records = await collect(source().fetchLogs({ ...window, traceIds: [w3cTrace.toUpperCase()] }));
    assert.deepEqual(records.map((r) => r.message), ['charging card', 'card declined: upstream 502']);
    const query = (fake.requests[0]!.body as { filter: { query: string } }).filter.query;
    assert.ok(query.includes(`trace_id:(${w3cTrace} OR ${ddTrace})`), query);
  });

  test('waits the X-RateLimit-Reset seconds of a 429 and retries', async () => {
    waits = [];
    fake.requests.length = 0;
    fake.rateLimitNext(1, 7);
    const src = source();
    const records = await collect(src.fetchLogs(window));
    assert.equal(records.length, 5);
    assert.deepEqual(waits, [7000]);
    assert.deepEqual(fake.requests.map((r) => r.status), [429, 200, 200, 200]);
    assert.equal(src.lastStats()?.retries, 1);
  });

  test('holds the next request until the period resets when no requests are left', async () => {
    waits = [];
    fake.exhaustQuotaOnNext(5);
    const records = await collect(source().fetchLogs(window));
    assert.equal(records.length, 5);
    assert.deepEqual(waits, [5000]);
  });

  test('stops at the query limit and says the result is truncated', async () => {
    fake.requests.length = 0;
    const src = source();
    const records = await collect(src.fetchLogs({ ...window, limit: 3 }));
    assert.equal(records.length, 3);
    assert.deepEqual(fake.requests.map((r) => (r.body as { page: { limit: number } }).page.limit), [2, 1]);
    assert.equal(src.lastStats()?.truncated, true);
  });

  test('a wrong key is a typed 403 error that names the backend and does not carry the key', async () => {
    const wrongKey = 'wrong-key-that-must-not-leak';
    await assert.rejects(collect(source({ appKey: wrongKey }).fetchLogs(window)), (error: unknown) => {
      assert.ok(error instanceof LogSourceError);
      assert.equal(error.code, 'LOG_SOURCE_UNAUTHORISED');
      assert.equal(error.backend, 'datadog');
      assert.equal(error.status, 403);
      assert.match(error.message, /Datadog Logs API answered HTTP 403/);
      assert.ok(!error.message.includes(wrongKey) && !error.message.includes(apiKey));
      assert.ok(!JSON.stringify(error).includes(apiKey));
      return true;
    });
  });

  test('a server error that persists becomes LOG_SOURCE_UNAVAILABLE after bounded backoff', async () => {
    waits = [];
    fake.failNext(3, 503);
    await assert.rejects(collect(source({ retry: { maxRetries: 2, backoffMs: 100 } }).fetchLogs(window)), (error: unknown) => {
      assert.ok(error instanceof LogSourceError);
      assert.equal(error.code, 'LOG_SOURCE_UNAVAILABLE');
      assert.equal(error.status, 503);
      assert.equal(error.retriable, true);
      return true;
    });
    assert.deepEqual(waits, [100, 200]);
  });

  test('a 429 that outlasts the retries is LOG_SOURCE_RATE_LIMITED, each wait capped', async () => {
    waits = [];
    fake.rateLimitNext(3, 3600);
    await assert.rejects(collect(source({ retry: { maxRetries: 2, maxWaitMs: 30_000 } }).fetchLogs(window)), { code: 'LOG_SOURCE_RATE_LIMITED', status: 429 });
    assert.deepEqual(waits, [30_000, 30_000]);
  });

  test('an unreachable API is LOG_SOURCE_UNAVAILABLE', async () => {
    const closed = await startFakeDatadogLogs({ apiKey, appKey, logs: [] });
    await closed.close();
    await assert.rejects(collect(source({ baseUrl: closed.url, retry: { maxRetries: 1, backoffMs: 1 } }).fetchLogs(window)), { code: 'LOG_SOURCE_UNAVAILABLE' });
  });

  test('the fake refuses what Datadog\'s schema refuses', async () => {
    assert.deepEqual(checkDatadogSchema('LogsListRequest', { page: { limit: 10 }, sort: 'timestamp' }), []);
    assert.ok(checkDatadogSchema('LogsListRequest', { page: { limit: 5000 } }).some((p) => p.includes('exceeds 1000')));
    assert.ok(checkDatadogSchema('LogsListRequest', { sort: 'time' }).length > 0);
    assert.ok(checkDatadogSchema('LogsListResponse', { data: [{ attributes: { timestamp: 'yesterday' } }] }).length > 0);
    const answer = await fetch(`${fake.url}/api/v2/logs/events/search`, {
      method: 'POST',
      headers: { 'dd-api-key': apiKey, 'dd-application-key': appKey, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { query: '*' }, pageSize: 10 }),
    });
    assert.equal(answer.status, 400);
    fake.violations.length = 0;
  });
});
