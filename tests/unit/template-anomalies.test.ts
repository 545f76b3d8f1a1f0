import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogLevel, LogRecord } from '../../services/triage/evidence/log-record.js';
import { findAnomalousTemplates, isBursting } from '../../services/triage/templates/find-anomalous-templates.js';

const MIN = 60_000;
// A 60-minute baseline followed by a 10-minute incident window.
const window = { baselineFrom: 0, from: 60 * MIN, to: 70 * MIN };

function record(service: string, message: string, timestamp: number, level: LogLevel = 'info', traceId?: string): LogRecord {
  return { timestamp, service, level, message, attributes: {}, origin: { source: 'file', ref: `/var/log/${service}.log`, line: timestamp / 1000 }, ...(traceId ? { traceId } : {}) };
}

/** `count` lines spread evenly over [from, to). */
function spread(count: number, from: number, to: number, make: (i: number, at: number) => LogRecord): LogRecord[] {
  return Array.from({ length: count }, (_, i) => make(i, from + Math.floor(((to - from) * i) / count)));
}

const steady = (from: number, to: number, count: number) =>
  spread(count, from, to, (i, at) => record('orders', `request ${i} completed in ${i % 7} ms`, at));

test('a template absent from the baseline is new, with its max level, counts, first line and a few examples', () => {
  const baseline = steady(0, 60 * MIN, 120);
  const incident = [
    ...steady(60 * MIN, 70 * MIN, 20),
    record('orders', 'payment failed for order ord_1: card declined', 61 * MIN + 500, 'warn', 'trace-1'),
    record('orders', 'payment failed for order ord_2: card declined', 61 * MIN, 'error', 'trace-2'),
    record('orders', 'payment failed for order ord_3: card declined', 62 * MIN, 'error'),
    record('orders', 'payment failed for order ord_4: card declined', 63 * MIN, 'warn'),
  ];
  const [anomaly, ...rest] = findAnomalousTemplates({ baseline, incident, window });
  assert.equal(rest.length, 0, 'the steady template is not reported');
  assert.ok(anomaly);
  assert.equal(anomaly.kind, 'new');
  assert.equal(anomaly.service, 'orders');
  assert.equal(anomaly.template, 'payment failed for order <*>: card declined');
  assert.match(anomaly.templateId, /^[0-9a-f]{8}$/);
  assert.equal(anomaly.level, 'error');
  assert.equal(anomaly.incidentCount, 4);
  assert.equal(anomaly.baselineCount, 0);
  assert.equal(anomaly.firstSeen, 61 * MIN);
  assert.deepEqual(anomaly.examples.map((e) => e.message), ['payment failed for order ord_2: card declined', 'payment failed for order ord_1: card declined', 'payment failed for order ord_3: card declined'], 'the earliest three, in time order');
  assert.deepEqual(anomaly.examples[0], { message: 'payment failed for order ord_2: card declined', timestamp: 61 * MIN, origin: { source: 'file', ref: '/var/log/orders.log', line: 3660 }, traceId: 'trace-2' });
  assert.equal('traceId' in anomaly.examples[2]!, false);
});

test('a template well above its baseline rate is bursting; rates are per window length', () => {
  // Baseline: 1 timeout a minute. Incident: 4 a minute.
  const baseline = spread(60, 0, 60 * MIN, (i, at) => record('orders', `upstream timeout after ${1000 + i} ms calling inventory`, at, 'warn'));
  const incident = spread(40, 60 * MIN, 70 * MIN, (i, at) => record('orders', `upstream timeout after ${2000 + i} ms calling inventory`, at, 'warn'));
  const [anomaly, ...rest] = findAnomalousTemplates({ baseline, incident, window });
  assert.equal(rest.length, 0);
  assert.equal(anomaly?.kind, 'bursting');
  assert.equal(anomaly?.incidentCount, 40);
  assert.equal(anomaly?.baselineCount, 60);

  // The same 40 lines over a 60-minute incident window are the baseline rate: no burst.
  assert.deepEqual(findAnomalousTemplates({ baseline, incident, window: { baselineFrom: 0, from: 60 * MIN, to: 120 * MIN } }), []);
});

test('the same rate as the baseline, and a handful of extra one-offs, are not bursts', () => {
  const baseline = steady(0, 60 * MIN, 60);
  const incident = steady(60 * MIN, 70 * MIN, 12);
  assert.deepEqual(findAnomalousTemplates({ baseline, incident, window }), [], 'about the baseline rate');

  // Seen once in the baseline hour, 4 times in ten minutes: 24× the rate, but 4 lines are no burst.
  const rare = (at: number) => record('orders', 'config reloaded from disk', at);
  assert.deepEqual(findAnomalousTemplates({ baseline: [rare(5 * MIN)], incident: [1, 2, 3, 4].map((m) => rare(60 * MIN + m * MIN)), window }), []);
  assert.equal(isBursting(4, 0.17), false, 'below the minimum count');
  assert.equal(isBursting(6, 0.17), true);
  assert.equal(isBursting(200, 100), false, 'twice the rate: not enough');
  assert.equal(isBursting(350, 100), true);
});

test('templates are counted per service: a template new to one service is new there only', () => {
  const baseline = spread(30, 0, 60 * MIN, (i, at) => record('inventory', `retrying connection to db-primary attempt ${i}`, at, 'warn'));
  const incident = [
    ...spread(5, 60 * MIN, 70 * MIN, (i, at) => record('inventory', `retrying connection to db-primary attempt ${i}`, at, 'warn')),
    record('orders', 'retrying connection to db-primary attempt 1', 65 * MIN, 'warn'),
  ];
  const anomalies = findAnomalousTemplates({ baseline, incident, window });
  assert.deepEqual(anomalies.map((a) => [a.service, a.kind, a.incidentCount]), [['orders', 'new', 1]]);
});

test('a baseline template that generalises in the incident window is the same template, reported with its final text', () => {
  const baseline = spread(60, 0, 60 * MIN, (i, at) => record('auth', `Invalid user alice from 10.0.0.${i % 250}`, at));
  const incident = spread(60, 60 * MIN, 70 * MIN, (i, at) => record('auth', `Invalid user ${['bob', 'carol', 'dave'][i % 3]} from 10.0.1.${i % 250}`, at));
  const [anomaly, ...rest] = findAnomalousTemplates({ baseline, incident, window });
  assert.equal(rest.length, 0);
  assert.equal(anomaly?.kind, 'bursting', 'not new: the cluster existed in the baseline');
  assert.equal(anomaly?.template, 'Invalid user <*> from <*>');
  assert.equal(anomaly?.baselineCount, 60);
});

test('a new value of a variable routing token is not a new template', () => {
  const users = ['alice', 'bob', 'carol', 'dave'];
  const baseline = spread(40, 0, 60 * MIN, (i, at) => record('auth', `User ${users[i % 4]} logged in from 10.0.0.${i}`, at));
  const incident = [record('auth', 'User mallory logged in from 10.9.9.9', 65 * MIN)];
  assert.deepEqual(findAnomalousTemplates({ baseline, incident, window }), []);
});

test('most suspicious first: error level, then new before bursting, then count', () => {
  const baseline = [
    ...spread(10, 0, 60 * MIN, (i, at) => record('api', `worker ${i} crashed with signal SIGSEGV`, at, 'error')),
    ...spread(10, 0, 60 * MIN, (i, at) => record('api', `slow query took ${i} ms`, at, 'warn')),
  ];
  const incident = [
    ...spread(50, 60 * MIN, 70 * MIN, (i, at) => record('api', `cache warmed with ${i} entries`, at, 'info')),
    ...spread(30, 60 * MIN, 70 * MIN, (i, at) => record('api', `worker ${i} crashed with signal SIGSEGV`, at, 'error')),
    ...spread(2, 60 * MIN, 70 * MIN, (i, at) => record('api', `database connection refused by 10.0.0.${i}:5432`, at, 'fatal')),
    ...spread(3, 60 * MIN, 70 * MIN, (i, at) => record('api', `database pool exhausted after ${i} waits`, at, 'error')),
    ...spread(40, 60 * MIN, 70 * MIN, (i, at) => record('api', `slow query took ${i} ms`, at, 'warn')),
  ];
  const order = findAnomalousTemplates({ baseline, incident, window }).map((a) => `${a.level} ${a.kind} ${a.incidentCount} ${a.template}`);
  assert.deepEqual(order, [
    'error new 3 database pool exhausted after <*> waits',
    'fatal new 2 database connection refused by <*>',
    'error bursting 30 worker <*> crashed with signal SIGSEGV',
    'info new 50 cache warmed with <*> entries',
    'warn bursting 40 slow query took <*> ms',
  ]);
});
