import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDatadogQuery, buildLogsListRequest, datadogDecimalTraceId, quoteDatadogValue } from '../../services/triage/evidence/datadog/build-datadog-query.js';
import { readDatadogRateLimit } from '../../services/triage/evidence/datadog/create-datadog-http-library.js';
import { mapDatadogLog } from '../../services/triage/evidence/datadog/map-datadog-log.js';
import { createCorrelationIdExtractor } from '../../services/triage/evidence/extract-correlation-ids.js';

const window = { from: Date.parse('2024-05-01T12:00:00Z'), to: Date.parse('2024-05-01T12:05:00Z') };

test('services become service:(a OR b), one service stays bare, none means everything', () => {
  assert.equal(buildDatadogQuery({ ...window, services: ['checkout', 'payments'] }), 'service:(checkout OR payments)');
  assert.equal(buildDatadogQuery({ ...window, services: ['checkout'] }), 'service:checkout');
  assert.equal(buildDatadogQuery({ ...window, services: [] }), '*');
});

test('trace and request ids search the reserved and the custom attributes', () => {
  const query = buildDatadogQuery({ ...window, services: ['checkout'], traceIds: ['1234567890'], requestIds: ['req-1'] }, { decimalTraceIds: false });
  assert.equal(
    query,
    'service:checkout AND (trace_id:1234567890 OR @trace_id:1234567890 OR @dd.trace_id:1234567890 OR @otel.trace_id:1234567890 OR @http.request_id:req-1 OR @request_id:req-1 OR @requestId:req-1)',
  );
  const custom = buildDatadogQuery({ ...window, services: [], traceIds: ['a', 'b'] }, { idAttributes: { traceId: ['@ctx.trace'], requestId: [] }, extra: 'env:prod' });
  assert.equal(custom, '@ctx.trace:(a OR b) AND (env:prod)');
});

test('a W3C trace id is also searched in the 64-bit decimal form dd-trace logs', () => {
  const hex = '4bf92f3577b34da6a3ce929d0e0e4736';
  assert.equal(datadogDecimalTraceId(hex), BigInt('0xa3ce929d0e0e4736').toString(10));
  assert.equal(datadogDecimalTraceId('a3ce929d0e0e4736'), '11803532876627986230');
  assert.equal(datadogDecimalTraceId('12345'), undefined);
  const query = buildDatadogQuery({ ...window, services: [], traceIds: [hex.toUpperCase()] }, { idAttributes: { traceId: ['trace_id'], requestId: [] } });
  assert.equal(query, `trace_id:(${hex} OR 11803532876627986230)`);
});

test('values with search syntax are quoted and escaped', () => {
  assert.equal(quoteDatadogValue('checkout-api'), 'checkout-api');
  assert.equal(quoteDatadogValue('my service'), '"my service"');
  assert.equal(quoteDatadogValue('a:b'), '"a:b"');
  assert.equal(quoteDatadogValue('say "hi" \\o/'), '"say \\"hi\\" \\\\o/"');
  assert.equal(quoteDatadogValue('-negated'), '"-negated"');
  assert.equal(buildDatadogQuery({ ...window, services: ['web (eu)'] }), 'service:"web (eu)"');
});

test('the request body asks for one page, oldest first, in ISO time', () => {
  assert.deepEqual(buildLogsListRequest({ ...window, services: ['checkout'] }, { pageSize: 500, cursor: 'abc', indexes: ['main'] }), {
    filter: { query: 'service:checkout', from: '2024-05-01T12:00:00.000Z', to: '2024-05-01T12:05:00.000Z', indexes: ['main'] },
    page: { limit: 500, cursor: 'abc' },
    sort: 'timestamp',
  });
});

test('rate-limit headers: Reset (or Period) is how long to wait, on 429 right away', () => {
  const answer = (status: number, headers: Record<string, string>) => ({ status, header: (n: string) => headers[n], discard: async () => {} });
  assert.deepEqual(readDatadogRateLimit(answer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' })), { remaining: 0, resetInMs: 12_000, retryAfterMs: 12_000 });
  assert.deepEqual(readDatadogRateLimit(answer(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-period': '60' })), { remaining: 0, resetInMs: 60_000 });
  assert.deepEqual(readDatadogRateLimit(answer(200, {})), {});
});

test('a Datadog log maps to a LogRecord', () => {
  const extract = createCorrelationIdExtractor();
  const record = mapDatadogLog(
    {
      id: 'AQAAAYx',
      type: 'log',
      attributes: {
        timestamp: new Date('2024-05-01T12:00:01.500Z'),
        service: 'checkout',
        status: 'warn',
        message: 'slow charge',
        host: 'web-1',
        tags: ['env:prod'],
        attributes: { dd: { trace_id: '123', span_id: '456' }, http: { request_id: 'r-1' }, duration: 2345 },
      },
    },
    extract,
  );
  assert.ok(typeof record !== 'string');
  assert.deepEqual(record, {
    timestamp: Date.parse('2024-05-01T12:00:01.500Z'),
    service: 'checkout',
    level: 'warn',
    message: 'slow charge',
    traceId: '123',
    spanId: '456',
    requestId: 'r-1',
    attributes: { host: 'web-1', tags: ['env:prod'], dd: { trace_id: '123', span_id: '456' }, http: { request_id: 'r-1' }, duration: 2345 },
    origin: { source: 'datadog', ref: 'AQAAAYx' },
  });
  assert.equal(mapDatadogLog({ id: 'x', attributes: { message: 'no time' } }, extract), 'log x has no valid timestamp');
});
