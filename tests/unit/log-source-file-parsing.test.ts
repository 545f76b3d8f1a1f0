import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boundAttributes } from '../../services/triage/evidence/bound-attributes.js';
import { createCorrelationIdExtractor } from '../../services/triage/evidence/extract-correlation-ids.js';
import { createLinePrefilter } from '../../services/triage/evidence/file/create-line-prefilter.js';
import { createTextLineParser, defaultTextHeaderPattern } from '../../services/triage/evidence/file/create-text-line-parser.js';
import { parseJsonLogLine } from '../../services/triage/evidence/file/parse-json-log-line.js';
import type { ParsedEntry } from '../../services/triage/evidence/file/parse-otlp-json.js';
import { defaultServiceForFile } from '../../services/triage/evidence/file/read-log-file.js';
import { compileLogQuery } from '../../services/triage/evidence/matches-log-query.js';
import { levelFromOtelSeverity, normaliseLogLevel } from '../../services/triage/evidence/normalise-log-level.js';
import { normaliseTimestamp } from '../../services/triage/evidence/normalise-timestamp.js';

const extract = createCorrelationIdExtractor();
const t = Date.parse('2024-05-01T12:00:00.123Z');

function one(line: string): ParsedEntry {
  const parsed = parseJsonLogLine(line, extract);
  assert.ok(!Array.isArray(parsed) && typeof parsed !== 'string', `parsed ${line}: ${JSON.stringify(parsed)}`);
  return parsed;
}

test('pino: numeric level, epoch-ms time, msg, name; the rest stays as attributes', () => {
  const entry = one(JSON.stringify({ level: 50, time: t, pid: 1, hostname: 'h', name: 'checkout', reqId: 'r-1', err: { type: 'Error', message: 'boom', stack: 'Error: boom' }, msg: 'failed' }));
  assert.deepEqual(entry, { timestamp: t, level: 'error', message: 'failed', service: 'checkout', requestId: 'r-1', attributes: { pid: 1, hostname: 'h', reqId: 'r-1', err: { type: 'Error', message: 'boom', stack: 'Error: boom' } } });
  assert.equal(one('{"level":60,"time":1714564800,"msg":"seconds"}').timestamp, 1714564800000, 'pino.stdTimeFunctions.unixTime writes seconds');
  assert.equal(one('{"level":"warn","time":"2024-05-01T12:00:00.123Z","msg":"labels"}').level, 'warn', 'formatters.level can write labels');
  assert.equal(one('{"level":50,"time":1714564800123,"err":{"message":"only an error"}}').message, 'only an error');
});

test('bunyan: ISO time, hostname kept, the v field dropped', () => {
  const entry = one('{"name":"payments","hostname":"p-1","pid":3,"level":40,"msg":"slow","time":"2024-05-01T12:00:00.123Z","v":0}');
  assert.deepEqual(entry, { timestamp: t, level: 'warn', message: 'slow', service: 'payments', attributes: { hostname: 'p-1', pid: 3 } });
});

test('other JSON loggers: timestamp/@timestamp, level names, ECS service objects', () => {
  const ecs = one('{"@timestamp":"2024-05-01T12:00:00.123Z","log.level":"ERROR","message":"ecs","service":{"name":"orders"},"trace":{"id":"ABC0000000000001"}}');
  assert.deepEqual([ecs.timestamp, ecs.level, ecs.message, ecs.service, ecs.traceId], [t, 'error', 'ecs', 'orders', 'abc0000000000001']);
  assert.equal(parseJsonLogLine('{"msg":"no time"}', extract), 'JSON line without a time field');
  assert.match(String(parseJsonLogLine('{"time":"yesterday","msg":"x"}', extract)), /^unreadable time/);
  assert.match(String(parseJsonLogLine('{"level":30,', extract)), /^not JSON/);
  assert.equal(parseJsonLogLine('[1,2]', extract), 'JSON line is not an object');
});

test('OTLP/JSON export lines hold many records; resource service.name is the service', () => {
  const line = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gateway' } }, { key: 'k8s.pod.name', value: { stringValue: 'gw-0' } }] },
        scopeLogs: [
          {
            scope: { name: 'http' },
            logRecords: [
              { timeUnixNano: '1714564800123000000', severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'bad gateway' }, traceId: '4BF92F3577B34DA6A3CE929D0E0E4736', spanId: '00f067aa0ba902b7', attributes: [{ key: 'http.status_code', value: { intValue: '502' } }, { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }] } } }] },
              { observedTimeUnixNano: 1714564800123000000, severityText: 'warning', body: { kvlistValue: { values: [{ key: 'event', value: { stringValue: 'x' } }] } } },
            ],
          },
        ],
      },
    ],
  });
  const parsed = parseJsonLogLine(line, extract);
  assert.ok(Array.isArray(parsed) && parsed.length === 2);
  const [first, second] = parsed as ParsedEntry[];
  assert.deepEqual(first, {
    timestamp: t,
    level: 'error',
    message: 'bad gateway',
    service: 'gateway',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    attributes: { 'http.status_code': 502, tags: ['a'], resource: { 'k8s.pod.name': 'gw-0' }, scope: 'http', severityText: 'ERROR' },
  });
  assert.deepEqual([second!.level, second!.message, second!.timestamp], ['warn', '{"event":"x"}', t]);
});

test('flat OTel records: body as a string or AnyValue, resource as a map or an attribute list', () => {
  const flat = one('{"timeUnixNano":"1714564800123000000","severityNumber":5,"body":"hello","resource":{"service.name":"inv"},"attributes":{"request_id":"r-5"}}');
  assert.deepEqual([flat.level, flat.message, flat.service, flat.requestId], ['debug', 'hello', 'inv', 'r-5']);
});

test('text: the default header, continuation lines, key=value ids, unknown level words', () => {
  const parser = createTextLineParser(defaultTextHeaderPattern, extract);
  assert.deepEqual(parser.push('  orphan continuation', 1), { skip: 'no header line before this continuation line' });
  assert.equal(parser.push('2024-05-01T12:00:00.123Z ERROR [checkout] failed request_id=r-1 trace_id=ABC0000000000001', 2), undefined);
  assert.equal(parser.push('java.lang.RuntimeException: boom', 3), undefined);
  assert.equal(parser.push('\tat A.b(A.java:1)', 4), undefined);
  const done = parser.push('2024-05-01 12:00:01 NOTICE next one', 5);
  assert.equal(done?.done?.line, 2);
  assert.deepEqual(done?.done?.entry, {
    timestamp: t,
    level: 'error',
    message: 'failed request_id=r-1 trace_id=ABC0000000000001\njava.lang.RuntimeException: boom\n\tat A.b(A.java:1)',
    service: 'checkout',
    traceId: 'abc0000000000001',
    requestId: 'r-1',
    attributes: { request_id: 'r-1', trace_id: 'ABC0000000000001' },
  });
  const last = parser.flush();
  assert.deepEqual([last?.line, last?.entry.level, last?.entry.service, last?.entry.timestamp], [5, 'info', undefined, Date.parse('2024-05-01T12:00:01Z')]);
  assert.equal(parser.flush(), undefined);
  const odd = createTextLineParser(defaultTextHeaderPattern, extract);
  odd.push('2024-05-01T12:00:00Z [BANANA] odd level', 1);
  assert.deepEqual(odd.flush()?.entry.attributes, { rawLevel: 'BANANA' });
  assert.throws(() => createTextLineParser(/^(?<when>\S+)/, extract), /needs a \(\?<timestamp>/);
});

test('levels from every convention', () => {
  assert.deepEqual([10, 20, 30, 40, 50, 60, 35].map((n) => normaliseLogLevel(n)), ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'info']);
  assert.deepEqual(['WARNING', 'Err', 'emerg', 'critical', 'notice', 'ok', 'E', 'ERROR3', 'nonsense'].map((n) => normaliseLogLevel(n)), ['warn', 'error', 'fatal', 'fatal', 'info', 'info', 'error', 'error', undefined]);
  assert.deepEqual([0, 1, 5, 9, 13, 17, 21, 24].map(levelFromOtelSeverity), [undefined, 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'fatal']);
});

test('timestamps in seconds, ms, µs, ns, ISO with or without zone, and HTTP dates', () => {
  for (const value of [1714564800.123, 1714564800123, 1714564800123000, '1714564800123000000', '2024-05-01T12:00:00.123Z', '2024-05-01T14:00:00.123+02:00', '2024-05-01 12:00:00,123']) {
    assert.equal(normaliseTimestamp(value), t, String(value));
  }
  assert.equal(normaliseTimestamp('Wed, 01 May 2024 12:00:00 GMT'), t - 123);
  assert.equal(normaliseTimestamp('not a date'), undefined);
  assert.equal(normaliseTimestamp(-5), undefined);
});

test('the pre-parse filter only refuses lines that cannot match', () => {
  const query = compileLogQuery({ services: ['checkout'], from: t - 1000, to: t + 1000, traceIds: ['ABC0000000000001'] });
  const might = createLinePrefilter(query, 'some-file');
  assert.equal(might(`{"level":30,"time":${t + 10},"name":"checkout","trace_id":"abc0000000000001"}`), true);
  assert.equal(might(`{"level":30,"time":${t + 10},"name":"checkout","trace_id":"ABC0000000000001"}`), true, 'upper-case hex still passes');
  assert.equal(might(`{"level":30,"time":${t + 5000},"name":"checkout","trace_id":"abc0000000000001"}`), false, 'pino time outside the window');
  assert.equal(might(`{"level":30,"time":${Math.floor(t / 1000)},"name":"checkout","trace_id":"abc0000000000001"}`), true, 'pino time in seconds is read as such');
  assert.equal(might(`{"level":30,"time":${t},"name":"checkout","trace_id":"other"}`), false, 'none of the ids');
  assert.equal(might(`{"level":30,"time":${t},"name":"payments","trace_id":"abc0000000000001"}`), false, 'none of the services');
  assert.equal(might(`{"time":"2099-01-01T00:00:00Z","name":"checkout","trace_id":"abc0000000000001"}`), true, 'not pino\'s layout: left to the parser');
  const fallback = createLinePrefilter(compileLogQuery({ services: ['some-file'], from: 0, to: Number.MAX_SAFE_INTEGER }), 'some-file');
  assert.equal(fallback('{"msg":"a line without a service"}'), true, 'records without a service take the file\'s');
  assert.equal(defaultServiceForFile('/var/log/checkout.2024-05-01.log'), 'checkout');
  assert.equal(defaultServiceForFile('/var/log/.hidden'), '.hidden');
});

test('attributes are bounded in size, depth and key count', () => {
  const bounded = boundAttributes({ long: 'x'.repeat(3000), deep: { a: { b: { c: { d: 1 } } } }, list: Array.from({ length: 40 }, (_, i) => i), gone: undefined, keep: 1 }, new Set(['keep']));
  assert.match(String(bounded.long), /^x{2048}…\[952 more\]$/);
  assert.deepEqual(bounded.deep, { a: { b: { c: '[object]' } } });
  assert.equal((bounded.list as unknown[]).length, 33);
  assert.ok(!('gone' in bounded) && !('keep' in bounded));
  const wide = boundAttributes(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])));
  assert.equal(Object.keys(wide).length, 65);
  assert.equal(wide._droppedKeys, 36);
});
