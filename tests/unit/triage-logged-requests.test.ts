import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import { createFailingRequestCollector } from '../../services/triage/report/collect-failing-requests.js';
import { extractLoggedRequest } from '../../services/triage/report/extract-logged-request.js';
import { buildReplayRequests } from '../../services/verifier/replay/build-replay-requests.js';
import { pickIncidentRequests } from '../../services/verifier/replay/pick-incident-requests.js';
import { requestsFromLogs } from '../../services/verifier/replay/requests-from-logs.js';

const record = (over: Partial<LogRecord>): LogRecord => ({
  timestamp: 1_700_000_000_000,
  service: 'orders',
  level: 'error',
  message: 'request errored',
  attributes: {},
  origin: { source: 'file', ref: 'orders.log', line: 1 },
  ...over,
});

test('pino-http lines give method, path and status, and never the headers they logged', () => {
  const request = extractLoggedRequest(record({
    attributes: {
      req: { id: 7, method: 'GET', url: '/orders/42?expand=lines&access_token=abc123', headers: { authorization: 'Bearer sk-live-abcdef0123456789', cookie: 'sid=s3cr3t' } },
      res: { statusCode: 500 },
      responseTime: 12,
    },
  }));
  assert.deepEqual(request, { service: 'orders', method: 'GET', path: '/orders/42?expand=lines', status: 500, timestamp: 1_700_000_000_000 });
  assert.doesNotMatch(JSON.stringify(request), /Bearer|sid=|abc123/);
});

test('OpenTelemetry and Datadog attributes, flat or nested, old names and new', () => {
  const flat = extractLoggedRequest(record({ attributes: { 'http.method': 'get', 'http.target': '/stock/9', 'http.status_code': 503 } }));
  assert.deepEqual([flat?.method, flat?.path, flat?.status], ['GET', '/stock/9', 503]);
  const semconv = extractLoggedRequest(record({ attributes: { 'http.request.method': 'HEAD', 'url.path': '/stock/9', 'url.query': 'warehouse=2', 'http.response.status_code': '502' } }));
  assert.deepEqual([semconv?.method, semconv?.path, semconv?.status], ['HEAD', '/stock/9?warehouse=2', 502]);
  const datadog = extractLoggedRequest(record({ attributes: { http: { method: 'GET', url: 'https://api.example.com/orders/7?x=1', status_code: 500 } } }));
  assert.equal(datadog?.path, '/orders/7?x=1');
  // A route is a template: without a concrete path there is nothing to replay.
  assert.equal(extractLoggedRequest(record({ attributes: { 'http.method': 'GET', 'http.route': '/orders/:id', 'http.status_code': 500 } })), null);
  assert.equal(extractLoggedRequest(record({ attributes: { 'http.method': 'GET', 'http.route': '/health/deep', 'http.status_code': 500 } }))?.path, '/health/deep');
});

test('a plain "GET /path 500" message, but not a 4xx, not a 2xx, not a line without a request', () => {
  assert.deepEqual(
    extractLoggedRequest(record({ message: '10.0.0.3 "GET /orders/42 HTTP/1.1" 500 31 ms' })),
    { service: 'orders', method: 'GET', path: '/orders/42', status: 500, timestamp: 1_700_000_000_000 },
  );
  assert.equal(extractLoggedRequest(record({ message: 'POST /cart -> 502' }))?.status, 502);
  assert.equal(extractLoggedRequest(record({ message: 'GET /orders/42 404' })), null);
  assert.equal(extractLoggedRequest(record({ attributes: { req: { method: 'GET', url: '/orders/1' }, res: { statusCode: 200 } } })), null);
  assert.equal(extractLoggedRequest(record({ message: 'TypeError: Cannot read properties of undefined' })), null);
});

test('a logged body is kept only when it carries no credential', () => {
  const clean = extractLoggedRequest(record({ attributes: { req: { method: 'POST', url: '/cart', body: { items: [1, 2] }, headers: { 'content-type': 'application/json' } }, res: { statusCode: 500 } } }));
  assert.equal(clean?.body, '{"items":[1,2]}');
  assert.equal(clean?.contentType, 'application/json');
  for (const body of [{ items: [1], auth: { password: 'hunter2' } }, 'grant_type=client&client_secret=abc', '{"refresh_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig"}']) {
    const dropped = extractLoggedRequest(record({ attributes: { req: { method: 'POST', url: '/login', body }, res: { statusCode: 500 } } }));
    assert.equal(dropped?.path, '/login');
    assert.equal(dropped?.body, undefined, JSON.stringify(body));
  }
});

test('the report keeps a few distinct failing requests per service', () => {
  const collector = createFailingRequestCollector({ perService: 3 });
  for (let i = 0; i < 10; i++) collector.add(record({ message: `GET /orders/${i % 4} 500` }));
  collector.add(record({ message: 'GET /orders/0 500' }));
  collector.add(record({ service: 'gateway', message: 'GET /api/orders/0 502' }));
  collector.add(record({ service: 'gateway', message: 'GET /api/orders/0 200' }));
  const kept = collector.list();
  assert.deepEqual(kept.map((r) => `${r.service} ${r.method} ${r.path}`), ['orders GET /orders/0', 'orders GET /orders/1', 'orders GET /orders/2', 'gateway GET /api/orders/0']);
});

test('the verifier replays the root-cause service\'s logged requests: bodiless only when idempotent', () => {
  const collector = createFailingRequestCollector();
  collector.add(record({ message: 'GET /orders/42 500' }));
  collector.add(record({ message: 'POST /orders 500' }));
  collector.add(record({ attributes: { req: { method: 'PATCH', url: '/orders/42', body: '{"qty":2}', headers: { 'content-type': 'application/json', authorization: 'Bearer x' } }, res: { statusCode: 500 } } }));
  collector.add(record({ service: 'gateway', message: 'GET /api/orders/42 502' }));
  const requests = requestsFromLogs(collector.list(), 'orders');
  assert.deepEqual(requests, [
    { method: 'GET', url: '/orders/42' },
    { method: 'PATCH', url: '/orders/42', body: '{"qty":2}', headers: { 'content-type': 'application/json' } },
  ]);
  assert.deepEqual(buildReplayRequests(requests).map((r) => `${r.method} ${r.path}`), ['GET /orders/42', 'PATCH /orders/42']);
  assert.deepEqual(requestsFromLogs(undefined, 'orders'), []);
});

test('the alert\'s own request wins; the logs are the fallback when no alert carried one', () => {
  const alert = (over: Partial<AlertReceivedPayload>): AlertReceivedPayload => ({
    source: 'sentry', channel: 'webhook', deliveryId: 'd1', kind: 'error', action: 'created', status: 'firing', severity: 'error',
    title: 'TypeError', fingerprint: 'f', links: [], tags: {}, traceIds: [], requestIds: [], firedAt: '2025-03-01T10:05:00Z', receivedAt: '2025-03-01T10:05:01Z',
    service: 'orders', ...over,
  });
  const report = {
    rootCause: { service: 'orders', confidence: 0.9, reasons: [] },
    failingRequests: [{ service: 'orders', method: 'GET', path: '/orders/42', status: 500, timestamp: 1 }],
  };
  assert.deepEqual(pickIncidentRequests([alert({ request: { method: 'GET', url: 'https://x.example/orders/7' } })], report), {
    requests: [{ method: 'GET', url: 'https://x.example/orders/7' }],
    source: 'alert',
  });
  assert.deepEqual(pickIncidentRequests([alert({})], report), { requests: [{ method: 'GET', url: '/orders/42' }], source: 'logs' });
  assert.deepEqual(pickIncidentRequests([alert({})], null), { requests: [], source: 'logs' });
});
