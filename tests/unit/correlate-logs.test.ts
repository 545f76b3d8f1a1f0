import assert from 'node:assert/strict';
import { test } from 'node:test';
import { correlateLogs } from '../../services/triage/correlation/correlate-logs.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import { logRecord as r } from '../fixtures/triage/make-log-record.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

test('records sharing a trace id form one timeline in time order, across services, with each service’s first error', () => {
  const records = deepFreeze([
    r(1_000, 'orders', 'info', 'creating order 7', { traceId: 't1' }),
    r(1_010, 'orders', 'error', 'timeout calling inventory', { traceId: 't1' }),
    r(999, 'gateway', 'info', 'GET /orders/7', { traceId: 't1' }),
    r(1_005, 'inventory', 'error', 'boom', { traceId: 't1' }),
    r(1_020, 'gateway', 'error', '502 Bad Gateway', { traceId: 't1' }),
    r(1_030, 'orders', 'error', 'timeout calling inventory (retry)', { traceId: 't1' }),
    r(2_000, 'gateway', 'info', 'GET /health', { traceId: 't2' }),
  ]);
  const { traces, uncorrelated } = correlateLogs(records);
  assert.equal(uncorrelated, 0);
  assert.deepEqual(traces.map((t) => t.traceId), ['t1', 't2'], 'failing traces come first');
  const [t1] = traces;
  assert.deepEqual(t1!.services, ['gateway', 'orders', 'inventory']);
  assert.deepEqual(t1!.entries.map((e) => e.timestamp), [999, 1_000, 1_005, 1_010, 1_020, 1_030]);
  assert.deepEqual(t1!.firstErrorAt, { inventory: 1_005, orders: 1_010, gateway: 1_020 });
  assert.deepEqual(t1!.entries[0], { timestamp: 999, service: 'gateway', level: 'info', message: 'GET /orders/7', origin: { source: 'file', ref: 'gateway.log' } });
  assert.deepEqual(traces[1]!.firstErrorAt, {});
});

test('entries with equal timestamps keep their input order', () => {
  const records = ['a', 'b', 'c', 'd', 'e'].map((m, i) => r(i === 4 ? 500 : 1_000, i % 2 ? 'x' : 'y', 'info', m, { traceId: 't' }));
  const [trace] = correlateLogs(records).traces;
  assert.deepEqual(trace!.entries.map((e) => e.message), ['e', 'a', 'b', 'c', 'd']);
});

test('records without a trace id join the trace their request id was seen with; unknown request ids stand alone', () => {
  const records = [
    r(10, 'inventory', 'error', 'boom', { requestId: 'req-1' }),
    r(5, 'gateway', 'info', 'GET', { traceId: 'trace-a', requestId: 'req-1' }),
    r(12, 'orders', 'warn', 'slow', { requestId: 'req-1' }),
    r(20, 'batch', 'info', 'tick', { requestId: 'req-2' }),
    r(21, 'batch', 'error', 'tock', { requestId: 'req-2' }),
    r(30, 'cron', 'error', 'no ids at all'),
    r(31, 'cron', 'info', 'empty ids', { traceId: '', requestId: '' }),
  ];
  const { traces, uncorrelated, stats } = correlateLogs(records);
  assert.equal(uncorrelated, 2);
  const byId = new Map(traces.map((t) => [t.traceId, t]));
  assert.deepEqual(byId.get('trace-a')!.entries.map((e) => e.service), ['gateway', 'inventory', 'orders']);
  assert.deepEqual(byId.get('trace-a')!.firstErrorAt, { inventory: 10 });
  assert.deepEqual(byId.get('req-2')!.services, ['batch']);
  assert.equal(stats.requestOnlyTraces, 1);
  assert.equal(stats.traces, 2);
});

test('a request id seen with two trace ids goes with the first and is counted as a conflict', () => {
  const records = [
    r(1, 'a', 'info', 'x', { traceId: 't1', requestId: 'r' }),
    r(2, 'b', 'info', 'y', { traceId: 't2', requestId: 'r' }),
    r(3, 'c', 'error', 'z', { requestId: 'r' }),
  ];
  const { traces, stats } = correlateLogs(records);
  assert.equal(stats.requestIdConflicts, 1);
  assert.deepEqual(traces.find((t) => t.traceId === 't1')!.services, ['a', 'c']);
  assert.deepEqual(traces.find((t) => t.traceId === 't2')!.services, ['b']);
});

test('a long trace keeps its earliest entries and every service’s first error, while stats cover every record', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 1_000; i += 1) records.push(r(10_000 - i, 'chatty', 'info', `line ${i}`, { traceId: 'big' }));
  for (let i = 0; i < 100; i += 1) records.push(r(20_000 + i, 'chatty', 'error', `err ${i}`, { traceId: 'big' }));
  records.push(r(50_000, 'late', 'error', 'late failure', { traceId: 'big' }));
  records.push(r(5, 'late', 'info', 'early hello', { traceId: 'big' }));
  const { traces, stats } = correlateLogs(records, { maxEntriesPerTrace: 5, maxErrorEntriesPerTrace: 3 });
  const [trace] = traces;
  assert.deepEqual(trace!.entries.map((e) => e.message), [
    'early hello', 'line 999', 'line 998', 'line 997', 'line 996', 'err 0', 'err 1', 'err 2', 'late failure',
  ]);
  assert.deepEqual(trace!.firstErrorAt, { chatty: 20_000, late: 50_000 });
  assert.deepEqual(trace!.services, ['late', 'chatty']);
  assert.equal(stats.entriesOmitted, 1_102 - 9);
});

test('all failing traces are returned, earliest failure first, with only a sample of healthy ones', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 50; i += 1) records.push(r(1_000 + i, 'svc', 'info', 'ok', { traceId: `ok-${i}` }));
  records.push(r(3_000, 'svc', 'error', 'bad', { traceId: 'bad-late' }));
  records.push(r(2_000, 'svc', 'error', 'bad', { traceId: 'bad-early' }));
  const { traces, stats } = correlateLogs(records, { maxHealthyTraces: 3 });
  assert.deepEqual(traces.map((t) => t.traceId), ['bad-early', 'bad-late', 'ok-0', 'ok-1', 'ok-2']);
  assert.equal(stats.traces, 52);
  assert.equal(stats.failingTraces, 2);
  assert.equal(stats.tracesOmitted, 47);
  assert.equal(correlateLogs(records, { maxFailingTraces: 1, maxHealthyTraces: 0 }).traces.length, 1);
});

test('past the cap, failing traces are the onset plus an even sample of the rest, so later failures are not crowded out', () => {
  const records: LogRecord[] = [];
  for (let i = 0; i < 100; i += 1) records.push(r(i * 10, 'svc', 'error', 'bad', { traceId: `f${String(i).padStart(3, '0')}` }));
  const { traces, stats } = correlateLogs(records, { maxFailingTraces: 10, maxHealthyTraces: 0 });
  assert.deepEqual(traces.map((t) => t.traceId), ['f000', 'f001', 'f002', 'f014', 'f026', 'f038', 'f051', 'f063', 'f075', 'f087']);
  assert.equal(stats.failingTraces, 100);
  assert.equal(stats.tracesOmitted, 90);
});

test('entries carry the template id the caller assigns, and options left undefined keep their defaults', () => {
  const records = [r(1, 'a', 'info', 'user 7 logged in', { traceId: 't' }), r(2, 'a', 'info', 'unknown', { traceId: 't' })];
  const { traces } = correlateLogs(records, {
    maxEntriesPerTrace: undefined,
    templateIdOf: (record) => (record.message.startsWith('user') ? 'login' : undefined),
  });
  assert.deepEqual(traces[0]!.entries.map((e) => e.templateId), ['login', undefined]);
  assert.equal('templateId' in traces[0]!.entries[1]!, false);
});

test('correlating an empty input yields nothing', () => {
  assert.deepEqual(correlateLogs([]), {
    traces: [],
    callGraph: [],
    uncorrelated: 0,
    stats: {
      records: 0, traces: 0, failingTraces: 0, requestOnlyTraces: 0, tracesOmitted: 0, entriesOmitted: 0,
      requestIdConflicts: 0, callGraphSources: { spans: 0, hints: 0, order: 0 },
    },
  });
});
