import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlateLogs } from '../../services/triage/correlation/correlate-logs.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import { logRecord as r } from '../fixtures/triage/make-log-record.js';

function chain(trace: string, at: number, parentKey: string, nest = false): LogRecord[] {
  const parent = (id: string): Record<string, unknown> => {
    if (!nest) return { [parentKey]: id };
    const [head, tail] = parentKey.split('.');
    return { [head!]: { [tail!]: id } };
  };
  return [
    // Callee lines first: a parent's span is resolved whatever order the lines arrive in.
    r(at + 5, 'inventory', 'info', 'reserve', { traceId: trace, spanId: `${trace}-c` }, parent(`${trace}-b`)),
    r(at + 1, 'orders', 'info', 'create', { traceId: trace, spanId: `${trace}-b` }, parent(`${trace}-a`)),
    r(at, 'gateway', 'info', 'GET', { traceId: trace, spanId: `${trace}-a` }, { [parentKey.split('.')[0]!]: nest ? {} : '0' }),
    r(at + 6, 'inventory', 'info', 'db query', { traceId: trace, spanId: `${trace}-d` }, parent(`${trace}-c`)),
  ];
}

test('span parentage gives caller → callee edges counted per trace, from each default parent attribute', () => {
  const records = [
    ...chain('t1', 0, 'parent_span_id'),
    ...chain('t2', 100, 'parentSpanId'),
    ...chain('t3', 200, 'dd.parent_id'),
    ...chain('t4', 300, 'dd.parent_id', true),
  ];
  const { callGraph, stats } = correlateLogs(records);
  assert.deepEqual(callGraph, [
    { caller: 'gateway', callee: 'orders', count: 4 },
    { caller: 'orders', callee: 'inventory', count: 4 },
  ]);
  assert.deepEqual(stats.callGraphSources, { spans: 4, hints: 0, order: 0 });
});

test('the parent span attribute is configurable', () => {
  const records = chain('t1', 0, 'x-parent');
  assert.deepEqual(correlateLogs(records).callGraph, [], 'unknown attribute: no span edges, and one trace is too few for order');
  assert.deepEqual(correlateLogs(records, { parentSpanAttributes: ['x-parent'] }).callGraph, [
    { caller: 'gateway', callee: 'orders', count: 1 },
    { caller: 'orders', callee: 'inventory', count: 1 },
  ]);
});

test('peer hints name callees: peer.service, upstream, callee and URL hosts of known services', () => {
  const records = [
    r(1, 'gateway', 'info', 'proxy', { traceId: 't1' }, { 'peer.service': 'orders' }),
    r(2, 'orders', 'info', 'call', { traceId: 't1' }, { http: { url: 'http://inventory.prod.svc.cluster.local:8080/reserve?id=1' } }),
    r(3, 'orders', 'info', 'call', { traceId: 't1' }, { url: 'https://payments-svc:8443/charge' }),
    r(4, 'inventory', 'info', 'self', { traceId: 't1' }, { 'http.url': 'http://inventory/reserve' }),
    r(5, 'inventory', 'info', 'external', { traceId: 't1' }, { 'http.url': 'https://api.stripe.com/v1' }),
    r(6, 'payments', 'info', 'charged', { traceId: 't1' }),
    r(10, 'edge', 'info', 'forward', { traceId: 't2' }, { upstream: 'GATEWAY' }),
    r(11, 'gateway', 'info', 'call', { traceId: 't2' }, { callee: 'orders' }),
    r(12, 'orders', 'info', 'relative url', { traceId: 't2' }, { url: '/api/orders/7' }),
  ];
  const { callGraph, stats } = correlateLogs(records);
  assert.deepEqual(callGraph, [
    { caller: 'gateway', callee: 'orders', count: 2 },
    { caller: 'edge', callee: 'gateway', count: 1 },
    { caller: 'orders', callee: 'inventory', count: 1 },
    { caller: 'orders', callee: 'payments', count: 1 },
  ]);
  assert.deepEqual(stats.callGraphSources, { spans: 0, hints: 2, order: 0 });
});

test('without spans or hints, edges come from the order services first log in, kept only where consistent', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 10; i += 1) {
    const at = i * 1_000;
    const [first, second] = i < 8 ? ['orders', 'inventory'] : ['inventory', 'orders'];
    records.push(r(at, 'gateway', 'info', 'GET', { requestId: `r${i}` }));
    records.push(r(at + 2, first, 'info', 'work', { requestId: `r${i}` }));
    records.push(r(at + 3, second, 'info', 'work', { requestId: `r${i}` }));
    records.push(r(at + 4, 'gateway', 'info', '200', { requestId: `r${i}` }));
    // A pair whose order flips half the time shows no direction at all.
    records.push(r(at + (i % 2 ? 50 : 60), 'audit', 'info', 'x', { requestId: `s${i}` }));
    records.push(r(at + 55, 'billing', 'info', 'y', { requestId: `s${i}` }));
  }
  const { callGraph, stats } = correlateLogs(records);
  assert.deepEqual(callGraph, [
    { caller: 'gateway', callee: 'orders', count: 8 },
    { caller: 'orders', callee: 'inventory', count: 8 },
  ]);
  assert.equal(stats.callGraphSources.order, 20);
  const strict = correlateLogs(records, { orderEdgeMinCount: 9 }).callGraph;
  assert.deepEqual(strict, []);
  const lenient = correlateLogs(records, { orderEdgeMinShare: 0.5 }).callGraph.map((e) => `${e.caller}>${e.callee}`);
  assert.ok(lenient.includes('audit>billing') && lenient.includes('billing>audit'), lenient.join(' '));
});

test('a trace with span edges does not also add order-guessed edges', () => {
  const records = [...chain('t1', 0, 'parent_span_id'), r(50, 'mailer', 'info', 'late', { traceId: 't1' })];
  const names = correlateLogs(records).callGraph.map((e) => `${e.caller}>${e.callee}`);
  assert.deepEqual(names, ['gateway>orders', 'orders>inventory']);
});

test('a plain peer service name joins the graph even if that service never logs; unknown addresses do not', () => {
  const records = [
    r(1, 'orders', 'error', 'ECONNREFUSED', { traceId: 't1' }, { 'peer.service': 'payments' }),
    r(2, 'orders', 'info', 'proxy', { traceId: 't1' }, { upstream: '10.0.3.4:8080' }),
    r(3, 'orders', 'info', 'external', { traceId: 't1' }, { url: 'https://ledger.example.com/v1' }),
  ];
  assert.deepEqual(correlateLogs(records).callGraph, [{ caller: 'orders', callee: 'payments', count: 1 }]);
});

test('a span’s parent is taken from whichever of its lines names it, once per span', () => {
  const records = [
    r(0, 'gateway', 'info', 'GET', { traceId: 't', spanId: 'a' }),
    r(1, 'orders', 'info', 'start (no parent attribute on this line)', { traceId: 't', spanId: 'b' }),
    r(2, 'orders', 'info', 'end', { traceId: 't', spanId: 'b' }, { parent_span_id: 'a' }),
    r(3, 'orders', 'info', 'again', { traceId: 't', spanId: 'b' }, { parent_span_id: 'a' }),
    r(4, 'inventory', 'info', 'reserve', { traceId: 't', spanId: 'c' }, { parent_span_id: 'b' }),
  ];
  assert.deepEqual(correlateLogs(records).callGraph, [
    { caller: 'gateway', callee: 'orders', count: 1 },
    { caller: 'orders', callee: 'inventory', count: 1 },
  ]);
});
