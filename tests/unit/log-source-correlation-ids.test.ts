import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCorrelationIdExtractor, extractCorrelationIds, normaliseTraceId } from '../../services/triage/evidence/extract-correlation-ids.js';
import { parseTraceparent } from '../../services/triage/evidence/parse-traceparent.js';

const w3c = '4bf92f3577b34da6a3ce929d0e0e4736';

test('reads trace, span and request ids in each logger\'s convention', () => {
  assert.deepEqual(extractCorrelationIds({ trace_id: w3c, span_id: '00f067aa0ba902b7', request_id: 'r-1' }), { traceId: w3c, spanId: '00f067aa0ba902b7', requestId: 'r-1' });
  assert.deepEqual(extractCorrelationIds({ traceId: w3c, spanId: 'abc', requestId: 'r-2' }), { traceId: w3c, spanId: 'abc', requestId: 'r-2' });
  // dd-trace's log injection, nested (pino) and flat (a JSON formatter with dotted keys).
  assert.deepEqual(extractCorrelationIds({ dd: { trace_id: '1234567890123456789', span_id: '42' } }), { traceId: '1234567890123456789', spanId: '42' });
  assert.deepEqual(extractCorrelationIds({ 'dd.trace_id': '987', 'dd.span_id': '65' }), { traceId: '987', spanId: '65' });
  assert.deepEqual(extractCorrelationIds({ trace: { id: w3c }, span: { id: 'b1' } }), { traceId: w3c, spanId: 'b1' }, 'ECS');
  assert.deepEqual(extractCorrelationIds({ otel: { trace_id: w3c, span_id: 'c2' } }), { traceId: w3c, spanId: 'c2' });
  assert.deepEqual(extractCorrelationIds({ contexts: { trace: { trace_id: w3c, span_id: 'd3' } } }), { traceId: w3c, spanId: 'd3' }, 'Sentry');
  assert.deepEqual(extractCorrelationIds({ req: { id: 7 } }), { requestId: '7' }, 'pino-http numbers its requests');
  assert.deepEqual(extractCorrelationIds({ 'x-request-id': 'edge-1' }), { requestId: 'edge-1' });
  assert.deepEqual(extractCorrelationIds({ req: { headers: { 'x-request-id': 'hdr-1' } } }), { requestId: 'hdr-1' });
  assert.deepEqual(extractCorrelationIds({ msg: 'nothing here', level: 30 }), {});
});

test('the first configured field wins, whatever the order of the record\'s keys', () => {
  assert.equal(extractCorrelationIds({ trace: { id: 'ecs0000000000001' }, trace_id: 'flat000000000001' }).traceId, 'flat000000000001');
  assert.equal(extractCorrelationIds({ requestId: 'second', request_id: 'first' }).requestId, 'first');
});

test('a traceparent fills in the trace and span when no field gave them', () => {
  assert.deepEqual(extractCorrelationIds({ traceparent: `00-${w3c.toUpperCase()}-00F067AA0BA902B7-01` }), { traceId: w3c, spanId: '00f067aa0ba902b7' });
  assert.deepEqual(extractCorrelationIds({ req: { headers: { traceparent: `00-${w3c}-00f067aa0ba902b7-00` } }, span_id: 'own' }), { traceId: w3c, spanId: 'own' });
  assert.deepEqual(extractCorrelationIds({ traceparent: `00-${w3c}-00f067aa0ba902b7` }), {}, 'a malformed header gives nothing');
});

test('traceparent validation follows W3C Trace Context', () => {
  assert.deepEqual(parseTraceparent(`00-${w3c}-00f067aa0ba902b7-01`), { version: '00', traceId: w3c, parentId: '00f067aa0ba902b7', flags: '01' });
  assert.equal(parseTraceparent(`ff-${w3c}-00f067aa0ba902b7-01`), undefined, 'version ff is invalid');
  assert.equal(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`), undefined, 'all-zero trace id');
  assert.equal(parseTraceparent(`00-${w3c}-${'0'.repeat(16)}-01`), undefined, 'all-zero parent id');
  assert.equal(parseTraceparent(`00-${w3c}-00f067aa0ba902b7-01-extra`), undefined, 'version 00 has exactly four fields');
  assert.ok(parseTraceparent(`01-${w3c}-00f067aa0ba902b7-01-future`), 'a later version may add fields');
  assert.equal(parseTraceparent(`00-${w3c.slice(1)}-00f067aa0ba902b7-01`), undefined);
  assert.equal(parseTraceparent(`00-${w3c.replace('4', 'g')}-00f067aa0ba902b7-01`), undefined);
});

test('trace ids are lower-cased; Datadog\'s decimal ids stay decimal; impossible ids are dropped', () => {
  assert.equal(normaliseTraceId(` ${w3c.toUpperCase()} `), w3c);
  assert.equal(normaliseTraceId('1234567890123456789'), '1234567890123456789');
  assert.equal(normaliseTraceId(1234567890), '1234567890');
  assert.equal(normaliseTraceId(2 ** 60), undefined, 'digits past 2^53 were lost by JSON.parse');
  assert.equal(normaliseTraceId('0000000000000000'), undefined);
  assert.equal(normaliseTraceId(''), undefined);
  assert.equal(normaliseTraceId('has space'), undefined);
  assert.equal(normaliseTraceId({ id: 1 }), undefined);
  assert.equal(normaliseTraceId('1-5759e988-bd862e3fe1be46a994272793'), '1-5759e988-bd862e3fe1be46a994272793', 'other formats (X-Ray) are kept');
});

test('field names are configurable per list', () => {
  const extract = createCorrelationIdExtractor({ traceId: ['correlation.trace'], requestId: ['ctx.rid'] });
  assert.deepEqual(extract({ correlation: { trace: 'ABC123' }, ctx: { rid: 'r9' }, trace_id: 'ignored' }), { traceId: 'abc123', requestId: 'r9' });
  assert.deepEqual(extract({ span_id: 'still-default' }), { spanId: 'still-default' });
});
