import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlateLogs } from '../../services/triage/correlation/correlate-logs.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import { rankRootCause } from '../../services/triage/ranking/rank-root-cause.js';
import type { RankedService } from '../../services/triage/report/triage-report.js';
import { anomaly } from '../fixtures/triage/make-anomaly.js';
import { logRecord as r } from '../fixtures/triage/make-log-record.js';

function confidences(ranking: RankedService[]): Record<string, number> {
  return Object.fromEntries(ranking.map((s) => [s.service, s.confidence]));
}

function assertSane(ranking: RankedService[]): void {
  for (const { confidence, reasons } of ranking) {
    assert.ok(confidence >= 0 && confidence <= 1, String(confidence));
    assert.ok(reasons.length > 0);
  }
  const sum = ranking.reduce((total, s) => total + s.confidence, 0);
  assert.ok(sum <= 1.0005, `confidences sum to ${sum}`);
  for (let i = 1; i < ranking.length; i += 1) assert.ok(ranking[i - 1]!.confidence >= ranking[i]!.confidence);
}

test('nothing to go on ranks nothing', () => {
  assert.deepEqual(rankRootCause({ traces: [], callGraph: [], anomalies: [], alerts: [] }), []);
});

test('a single failing service is the root cause, with confidence below certainty', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 20; i += 1) {
    records.push(r(i * 100, 'api', 'info', 'GET /x', { traceId: `t${i}` }));
    if (i >= 10) records.push(r(i * 100 + 5, 'api', 'error', `db pool exhausted after ${i} waits`, { traceId: `t${i}` }));
  }
  const { traces, callGraph } = correlateLogs(records);
  const ranking = rankRootCause({
    traces,
    callGraph,
    anomalies: [anomaly('api', 'db pool exhausted after <*> waits', { firstSeen: 1_005 })],
    alerts: [{ service: 'api', firstSeen: 1_500 }],
  });
  assertSane(ranking);
  assert.equal(ranking.length, 1);
  assert.equal(ranking[0]!.service, 'api');
  assert.ok(ranking[0]!.confidence > 0.8 && ranking[0]!.confidence < 1, String(ranking[0]!.confidence));
  assert.match(ranking[0]!.reasons.join('\n'), /db pool exhausted after <\*> waits/);
  assert.match(ranking[0]!.reasons.join('\n'), /10 of 10 failing traces/);
});

test('a callee that never logs is blamed when its callers’ propagated failures name it', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 10; i += 1) {
    const trace = { traceId: `t${i}` };
    records.push(r(i * 1_000, 'gateway', 'info', 'POST /checkout', trace));
    records.push(r(i * 1_000 + 2, 'orders', 'info', 'charging', trace));
    records.push(r(i * 1_000 + 40, 'orders', 'error', `Error: connect ECONNREFUSED payments:8443 (order ${i})`, trace, { 'peer.service': 'payments' }));
    records.push(r(i * 1_000 + 45, 'gateway', 'error', '503 Service Unavailable from orders', trace));
  }
  const { traces, callGraph } = correlateLogs(records);
  const ranking = rankRootCause({
    traces,
    callGraph,
    anomalies: [anomaly('orders', 'Error: connect ECONNREFUSED payments:8443 (order <*>)', { firstSeen: 40 })],
    alerts: [{ service: 'gateway', firstSeen: 100, errorType: 'HTTP 503' }],
  });
  assertSane(ranking);
  assert.deepEqual(ranking.map((s) => s.service), ['payments', 'orders', 'gateway']);
  const payments = ranking[0]!.reasons.join('\n');
  assert.match(payments, /Propagation: in 10 of 10 failing traces payments was the deepest failure/);
  assert.match(payments, /orders' failures name payments as the callee that failed/);
  assert.match(ranking[1]!.reasons[0]!, /read as failures propagated from a callee in 10 of its 10 failing traces .* toward payments rather than orders/);
  assert.match(ranking[2]!.reasons.join('\n'), /gateway alerted first, at 00:00:00.100 UTC \(HTTP 503\), but that alert is a symptom/);

  // Without the peer hint, a service known from configuration is still recognised when a failure names it.
  const unhinted = correlateLogs(records.map((record) => ({ ...record, attributes: {} })));
  const named = rankRootCause({ traces: unhinted.traces, callGraph: unhinted.callGraph, anomalies: [], alerts: [], services: ['payments'] });
  assert.equal(named[0]!.service, 'payments');
  const unknown = rankRootCause({ traces: unhinted.traces, callGraph: unhinted.callGraph, anomalies: [], alerts: [] });
  assert.equal(unknown[0]!.service, 'orders', 'a name nobody knows as a service is not invented as one');
});

test('services with equal evidence tie on confidence and are ordered by first error, then name', () => {
  const records = [
    r(100, 'beta', 'error', 'beta broke', { traceId: 'b1' }),
    r(50, 'alpha', 'error', 'alpha broke', { traceId: 'a1' }),
  ];
  const { traces, callGraph } = correlateLogs(records);
  const ranking = rankRootCause({
    traces,
    callGraph,
    anomalies: [anomaly('alpha', 'alpha broke', { firstSeen: 50 }), anomaly('beta', 'beta broke', { firstSeen: 100 })],
    alerts: [],
  });
  assertSane(ranking);
  assert.deepEqual(ranking.map((s) => s.service), ['alpha', 'beta']);
  assert.equal(ranking[0]!.confidence, ranking[1]!.confidence);
  assert.match(ranking[0]!.reasons.at(-1)!, /Tied with beta/);
  assert.match(ranking[1]!.reasons.at(-1)!, /Tied with alpha/);
});

test('bursting info-level templates never outrank a real error, however loud', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 30; i += 1) records.push(r(i, 'cache', 'info', `refreshed key ${i}`, { traceId: `c${i}` }));
  records.push(r(500, 'billing', 'error', 'invoice 7 total is NaN', { traceId: 'b1' }));
  const { traces, callGraph } = correlateLogs(records);
  const ranking = rankRootCause({
    traces,
    callGraph,
    anomalies: [
      anomaly('cache', 'refreshed key <*>', { kind: 'bursting', level: 'info', incidentCount: 5_000, baselineCount: 10 }),
      anomaly('billing', 'invoice <*> total is NaN', { incidentCount: 1, firstSeen: 500 }),
    ],
    alerts: [],
  });
  assertSane(ranking);
  assert.deepEqual(ranking.map((s) => s.service), ['billing', 'cache']);
  assert.equal(ranking[1]!.confidence, 0);
  assert.match(ranking[1]!.reasons[0]!, /Only info-level anomalies: bursting template 'refreshed key <\*>' \(5000 lines .*not failures/);
});

test('with only noise, nothing gets any confidence', () => {
  const ranking = rankRootCause({
    traces: [],
    callGraph: [],
    anomalies: [anomaly('cache', 'refreshed <*>', { kind: 'bursting', level: 'info' }), anomaly('jobs', 'started <*>', { level: 'debug' })],
    alerts: [],
  });
  assert.deepEqual(confidences(ranking), { cache: 0, jobs: 0 });
});

test('chronic failures also seen in the baseline count for less than a new failure', () => {
  const records: LogRecord[] = [];
  // search fails in 40 traces with an old error; checkout fails in 8 with a new one.
  for (let i = 0; i < 40; i += 1) records.push(r(i * 10, 'search', 'error', 'index shard 3 stale', { traceId: `s${i}` }));
  for (let i = 0; i < 8; i += 1) records.push(r(1_000 + i, 'checkout', 'error', `tax rate missing for cart ${i}`, { traceId: `c${i}` }));
  const { traces, callGraph } = correlateLogs(records);
  const ranking = rankRootCause({
    traces,
    callGraph,
    anomalies: [anomaly('checkout', 'tax rate missing for cart <*>', { incidentCount: 8, firstSeen: 1_000 })],
    alerts: [],
  });
  assertSane(ranking);
  assert.equal(ranking[0]!.service, 'checkout');
  assert.ok(ranking[0]!.confidence > ranking[1]!.confidence);
});

test('without traces, templates, alerts and the call graph still find the deepest failing service', () => {
  const ranking = rankRootCause({
    traces: [],
    callGraph: [
      { caller: 'gateway', callee: 'orders', count: 50 },
      { caller: 'orders', callee: 'inventory', count: 50 },
    ],
    anomalies: [
      anomaly('gateway', '502 Bad Gateway for <*>', { incidentCount: 90, firstSeen: 1_200 }),
      anomaly('orders', 'checkout failed: <*>', { incidentCount: 90, firstSeen: 1_150 }),
      anomaly('inventory', 'db pool exhausted <*>', { incidentCount: 95, firstSeen: 1_000 }),
      anomaly('gateway', 'one-off: bad cookie <*>', { incidentCount: 1, firstSeen: 10 }),
    ],
    alerts: [{ service: 'gateway', firstSeen: 1_300, errorType: 'HTTP 502', inAppFrames: 0 }],
  });
  assertSane(ranking);
  assert.equal(ranking[0]!.service, 'inventory');
  assert.ok(ranking[0]!.confidence > 2 * ranking[1]!.confidence);
  const reasons = ranking[0]!.reasons.join('\n');
  assert.match(reasons, /Propagation \(no correlated traces, judged over the whole window\): inventory is the deepest failing service — orders and gateway failed too/);
  assert.match(reasons, /'db pool exhausted <\*>' at 00:00:01.000 UTC, 150 ms before orders' and 200 ms before gateway's first error/);
});

test('without traces or a call graph, a propagated failure naming its callee points at that callee', () => {
  const ranking = rankRootCause({
    traces: [],
    callGraph: [],
    anomalies: [
      anomaly('orders', 'timeout calling inventory after <*> ms', { firstSeen: 900 }),
      anomaly('inventory', 'reservation failed: <*>', { firstSeen: 905 }),
    ],
    alerts: [{ service: 'orders', firstSeen: 950 }],
  });
  assertSane(ranking);
  assert.equal(ranking[0]!.service, 'inventory');
  assert.match(ranking[0]!.reasons.join('\n'), /orders failed 5 ms before it: clock skew or delayed logging can reorder services/);
});

test('with only alerts and the call graph, the deepest alerting service ranks first, not the first to alert', () => {
  const ranking = rankRootCause({
    traces: [],
    callGraph: [{ caller: 'gateway', callee: 'api', count: 12 }],
    anomalies: [],
    alerts: [
      { service: 'gateway', firstSeen: 100, errorType: 'HTTP 502', inAppFrames: 0 },
      { service: 'api', firstSeen: 150, errorType: 'TypeError', inAppFrames: 5 },
    ],
  });
  assertSane(ranking);
  assert.deepEqual(ranking.map((s) => s.service), ['api', 'gateway']);
  assert.match(ranking[0]!.reasons.join('\n'), /api is the deepest failing service — gateway failed too/);
  assert.match(ranking[0]!.reasons.join('\n'), /api alerted \(TypeError\) at 00:00:00.150 UTC/);
  assert.match(ranking[1]!.reasons.join('\n'), /gateway alerted first, at 00:00:00.100 UTC \(HTTP 502\), but that alert is a symptom of the failure ranked at api/);
});
