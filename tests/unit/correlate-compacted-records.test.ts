import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogRecordCompactor } from '../../services/triage/compact-log-record.js';
import { correlateLogs } from '../../services/triage/correlation/correlate-logs.js';
import { createCallHintAttributePicker } from '../../services/triage/correlation/pick-call-hint-attributes.js';
import { chunkBytesFor } from '../../services/triage/evidence/file/create-file-log-source.js';
import { logRecord as r } from '../fixtures/triage/make-log-record.js';

const noise = { pid: 1, hostname: 'orders-0', err: { stack: 'Error: x\n    at y' } };

test('only the attributes correlation reads are kept, flat or nested; records without any share one empty object', () => {
  const pick = createCallHintAttributePicker();
  assert.deepEqual(pick({ ...noise, 'peer.service': 'inventory', parent_span_id: 'b1' }), { 'peer.service': 'inventory', parent_span_id: 'b1' });
  assert.deepEqual(pick({ ...noise, http: { url: 'http://inventory/reserve', method: 'POST' } }), { http: { url: 'http://inventory/reserve', method: 'POST' } });
  assert.deepEqual(pick({ ...noise, dd: { parent_id: '7' } }), { dd: { parent_id: '7' } });
  const empty = pick(noise);
  assert.deepEqual(empty, {});
  assert.equal(pick({ pid: 2 }), empty, 'one shared object, not one per record');
  assert.ok(Object.isFrozen(empty));
  assert.deepEqual(createCallHintAttributePicker({ parentSpanAttributes: ['x.parent'], peerServiceAttributes: [], peerUrlAttributes: [] })({ x: { parent: 'a' }, upstream: 'orders' }), { x: { parent: 'a' } });
});

test('compacted records keep what triage reads and correlate exactly as the originals', () => {
  const records = [
    r(0, 'gateway', 'info', 'GET /checkout', { traceId: 't1', spanId: 'a', requestId: 'q1' }, { ...noise, parent_span_id: '0' }),
    r(1, 'orders', 'info', 'create', { traceId: 't1', spanId: 'b' }, { ...noise, parentSpanId: 'a' }),
    r(2, 'orders', 'warn', 'call', { traceId: 't1', spanId: 'b' }, { ...noise, http: { url: 'http://inventory.prod.svc:8080/reserve' } }),
    r(3, 'inventory', 'error', 'reserve failed', { traceId: 't1', spanId: 'c' }, { ...noise, 'dd.parent_id': 'b' }),
    r(4, 'gateway', 'info', 'GET /health', { requestId: 'q1' }, noise),
    r(5, 'edge', 'info', 'forward', { traceId: 't2' }, { upstream: 'gateway' }),
    r(6, 'gateway', 'error', 'lonely', {}, noise),
  ];
  const compact = createLogRecordCompactor();
  const compacted = records.map(compact);
  for (const [i, record] of compacted.entries()) {
    const original = records[i]!;
    assert.deepEqual(
      { ...record, attributes: undefined },
      { ...original, traceId: original.traceId, spanId: original.spanId, requestId: original.requestId, attributes: undefined },
    );
    assert.equal(record.origin, original.origin);
    assert.ok(!('pid' in record.attributes) && !('hostname' in record.attributes) && !('err' in record.attributes));
  }
  assert.deepEqual(correlateLogs(compacted), correlateLogs(records));
  assert.ok(correlateLogs(compacted).callGraph.length >= 3, 'the hints survived the compaction');
});

test('merged files share one read budget, so many files do not multiply what is held in flight', () => {
  assert.equal(chunkBytesFor(1), 1 << 20);
  assert.equal(chunkBytesFor(4), 256 << 10);
  assert.equal(chunkBytesFor(20), 64 << 10, 'floored so reads stay large enough to be cheap');
  assert.equal(chunkBytesFor(0), 1 << 20);
});
