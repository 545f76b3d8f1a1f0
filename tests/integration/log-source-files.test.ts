import assert from 'node:assert/strict';
import { copyFileSync, createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createFileLogSource, type FileLogSourceFile } from '../../services/triage/evidence/file/create-file-log-source.js';
import type { FileRunStats } from '../../services/triage/evidence/file/read-log-file.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import type { LogQuery } from '../../services/triage/evidence/log-source.js';
import { tempDir } from '../helpers/wait.js';

const t0 = Date.parse('2024-05-01T12:00:00.000Z');
const trace = '9f3c2a1b0e4d4c5a8b7e6f1a2d3c4b5e';
const fixture = (name: string) => new URL(`../../../tests/fixtures/logs/${name}`, import.meta.url);
const window: LogQuery = { services: [], from: t0, to: t0 + 60_000 };

async function collect(iterable: AsyncIterable<LogRecord>): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

/** A checkout log written by the real pino logger, with a fixed clock. */
function writePinoLog(path: string): void {
  let now = t0;
  const destination = pino.destination({ dest: path, sync: true });
  const log = pino({ name: 'checkout', base: { pid: 4242, hostname: 'checkout-7f9c' }, timestamp: () => `,"time":${now}` }, destination);
  const at = (seconds: number) => (now = t0 + seconds * 1000);
  at(28.95);
  log.info({ req: { method: 'POST', url: '/api/checkout', headers: { traceparent: `00-${trace}-1a2b3c4d5e6f7081-01` } }, reqId: 'req-7d1e' }, 'request received');
  at(30.2);
  log.child({ trace_id: trace, span_id: 'b7e6f1a2d3c4b5e9', reqId: 'req-7d1e' }).error({ err: new TypeError("Cannot read properties of undefined (reading 'amount')") }, 'checkout failed');
  at(30.3);
  log.debug('debug is below the default level and never written');
  log.warn({ cart: { id: 'c-42', items: 3 } }, 'cart left unpaid');
  destination.flushSync();
  // A line pino would never write, as a crash or a second writer can leave behind.
  writeFileSync(path, 'this is not json\n', { flag: 'a' });
}

describe('the file log source over real files in a temporary directory', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  const files: FileLogSourceFile[] = [];

  before(async () => {
    dir = await tempDir('nightshift-logs-');
    writePinoLog(join(dir.path, 'checkout.log'));
    for (const name of ['payments.bunyan.log', 'gateway.otlp.jsonl', 'inventory.otel.jsonl', 'legacy.log']) copyFileSync(fixture(name), join(dir.path, name));
    files.push(
      { path: join(dir.path, 'checkout.log'), format: 'pino' },
      { path: join(dir.path, 'payments.bunyan.log'), format: 'bunyan' },
      { path: join(dir.path, 'gateway.otlp.jsonl'), format: 'otel' },
      { path: join(dir.path, 'inventory.otel.jsonl') },
      { path: join(dir.path, 'legacy.log'), format: 'text', service: 'billing' },
    );
  });
  after(() => dir.cleanup());

  test('reads every format and merges the files oldest first', async () => {
    let stats: FileRunStats | undefined;
    const records = await collect(createFileLogSource({ files, onStats: (s) => (stats = s) }).fetchLogs(window));
    const timestamps = records.map((r) => r.timestamp);
    assert.deepEqual(timestamps, [...timestamps].sort((a, b) => a - b));
    assert.deepEqual(
      records.map((r) => `${r.service} ${r.level} ${r.message.split('\n')[0]}`),
      [
        'inventory info reserved 2 items for cart c-42',
        'legacy-billing info invoice batch started batch=7 request_id=req-9a2b',
        'gateway info POST /api/checkout routed to checkout',
        'checkout info request received',
        'payments info charge requested',
        'payments error charge failed',
        'checkout error checkout failed',
        'checkout warn cart left unpaid',
        'gateway error upstream checkout answered 500',
        'legacy-billing error invoice failed trace_id=9f3c2a1b0e4d4c5a8b7e6f1a2d3c4b5e',
        'inventory error stock reservation timed out',
        'payments warn circuit half-open',
        'gateway warn error rate above 5%',
        'billing warn retry scheduled',
      ],
    );

    const pinoError = records.find((r) => r.message === 'checkout failed')!;
    assert.deepEqual([pinoError.timestamp, pinoError.traceId, pinoError.spanId, pinoError.requestId], [t0 + 30_200, trace, 'b7e6f1a2d3c4b5e9', 'req-7d1e']);
    assert.equal((pinoError.attributes.err as { type: string }).type, 'TypeError');
    assert.equal(pinoError.attributes.hostname, 'checkout-7f9c');
    assert.ok(!('msg' in pinoError.attributes) && !('time' in pinoError.attributes) && !('level' in pinoError.attributes));
    assert.deepEqual(pinoError.origin, { source: 'file', ref: files[0]!.path, line: 2 });
    const received = records.find((r) => r.message === 'request received')!;
    assert.equal(received.traceId, trace, 'the trace id comes from the request\'s traceparent header');
    assert.equal(received.spanId, '1a2b3c4d5e6f7081');

    const bunyan = records.find((r) => r.message === 'charge requested')!;
    assert.equal(bunyan.traceId, trace, 'upper-case hex is lower-cased');
    assert.equal(bunyan.requestId, 'req-7d1e');
    assert.equal(bunyan.timestamp, Date.parse('2024-05-01T12:00:29.010Z'));
    assert.ok(!('v' in bunyan.attributes));

    const otlp = records.find((r) => r.message === 'POST /api/checkout routed to checkout')!;
    assert.deepEqual([otlp.timestamp, otlp.traceId, otlp.spanId, otlp.requestId], [t0 + 28_900, trace, '1a2b3c4d5e6f7081', 'req-7d1e']);
    assert.deepEqual(otlp.attributes.resource, { 'host.name': 'gw-1' });
    assert.equal(records.find((r) => r.message === 'upstream checkout answered 500')!.attributes['http.status_code'], 500);
    assert.equal(records.find((r) => r.message.startsWith('reserved'))!.traceId, undefined, 'an all-zero trace id is no trace id');

    const invoice = records.find((r) => r.message.startsWith('invoice failed'))!;
    assert.equal(invoice.timestamp, t0 + 31_250, 'a zone-less timestamp with a comma fraction is read as UTC');
    assert.equal(invoice.traceId, trace);
    assert.equal(invoice.message.split('\n').length, 4, 'the stack trace lines continue the record');
    assert.equal(invoice.origin.line, 3);
    assert.equal(records.find((r) => r.message.startsWith('invoice batch'))!.requestId, 'req-9a2b');

    assert.ok(stats);
    assert.equal(stats.records, records.length);
    assert.deepEqual(
      stats.files.map((f) => [f.format, f.skipped]),
      [['json', 1], ['json', 1], ['json', 1], ['json', 0], ['text', 2]],
    );
    // Files are read concurrently, so the order of reasons across files is not fixed.
    assert.deepEqual(stats.skipReasons.map((r) => r.replace(/\(.*\)/, '(…)')).sort(), [
      'checkout.log:4: not JSON (…)',
      'payments.bunyan.log:5: not JSON (…)',
      'gateway.otlp.jsonl:2: OTel log record without timeUnixNano',
      'legacy.log:1: no header line before this continuation line',
      'legacy.log:8: unreadable timestamp "2024-13-45T99:00:00Z"',
    ].sort());
    assert.equal(stats.linesRead, 4 + 6 + 2 + 2 + 9);
  });

  test('narrows by service, trace id and request id', async () => {
    const source = createFileLogSource({ files });
    const byTrace = await collect(source.fetchLogs({ ...window, traceIds: [trace] }));
    assert.deepEqual(new Set(byTrace.map((r) => r.service)), new Set(['checkout', 'payments', 'gateway', 'legacy-billing']));
    assert.equal(byTrace.length, 7);
    assert.ok(source.lastStats()!.prefiltered > 0, 'lines without the id are not parsed');
    const byRequest = await collect(source.fetchLogs({ ...window, requestIds: ['req-9a2b'] }));
    assert.deepEqual(byRequest.map((r) => r.message.split(' ')[0]), ['invoice']);
    const byService = await collect(source.fetchLogs({ ...window, services: ['payments', 'billing'] }));
    assert.deepEqual(byService.map((r) => r.message), ['charge requested', 'charge failed', 'circuit half-open', 'retry scheduled']);
    const narrowWindow = await collect(source.fetchLogs({ services: [], from: t0 + 30_000, to: t0 + 30_250 }));
    assert.deepEqual(narrowWindow.map((r) => r.message), ['charge failed', 'checkout failed']);
  });

  test('stops at the limit, reading no further than it needs', async () => {
    const big = join(dir.path, 'big.log');
    const out = createWriteStream(big);
    const total = 50_000;
    for (let i = 0; i < total; i++) out.write(`${JSON.stringify({ level: 30, time: t0 + i, name: 'big', msg: `line ${i}` })}\n`);
    await new Promise((resolve) => out.end(resolve));

    const source = createFileLogSource({ files: [{ path: big }] });
    const all = await collect(source.fetchLogs({ ...window, limit: 100_000 }));
    assert.equal(all.length, total);
    assert.equal(all.at(-1)!.message, `line ${total - 1}`);

    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(async () => {
      for await (const _ of source.fetchLogs(window, { signal: controller.signal })) if (++seen === 5) controller.abort();
    }, { name: 'AbortError' });
    assert.equal(seen, 5, 'no record comes after the abort');
    assert.ok(source.lastStats()!.linesRead < total, 'an abort stops the reading');

    const first = await collect(source.fetchLogs({ ...window, limit: 10 }));
    assert.deepEqual(first.map((r) => r.message), Array.from({ length: 10 }, (_, i) => `line ${i}`));
    assert.equal(source.lastStats()!.truncated, true);
    assert.ok(source.lastStats()!.linesRead < total, `read ${source.lastStats()!.linesRead} of ${total} lines`);
  });

  test('a missing file is noted and the others still read; no readable file at all is an error', async () => {
    const source = createFileLogSource({ files: [{ path: join(dir.path, 'rotated-away.log') }, files[1]!] });
    const records = await collect(source.fetchLogs(window));
    assert.equal(records.length, 3);
    // Files are read concurrently: the missing file's reason is not necessarily the first.
    const reasons = source.lastStats()!.skipReasons;
    assert.ok(reasons.some((reason) => /rotated-away\.log: could not be read \(ENOENT/.test(reason)), reasons.join('; '));
    await assert.rejects(collect(createFileLogSource({ files: [{ path: join(dir.path, 'nope.log') }] }).fetchLogs(window)), { code: 'LOG_SOURCE_UNREADABLE' });
  });

  test('a custom header pattern reads another text layout', async () => {
    const path = join(dir.path, 'nginx-ish.log');
    writeFileSync(path, '[Wed, 01 May 2024 12:00:40 GMT] svc=edge level=E trace=ABCDEF0123456789ABCDEF0123456789 upstream timed out\n');
    const source = createFileLogSource({
      files: [{ path, format: 'text', headerPattern: String.raw`^\[(?<timestamp>[^\]]+)\] svc=(?<service>\S+) level=(?<level>\S+) trace=(?<traceId>\S+) (?<message>.*)$` }],
    });
    const [record] = await collect(source.fetchLogs(window));
    assert.deepEqual(record && [record.service, record.level, record.traceId, record.message, record.timestamp], ['edge', 'error', 'abcdef0123456789abcdef0123456789', 'upstream timed out', t0 + 40_000]);
    assert.throws(() => createFileLogSource({ files: [{ path, headerPattern: '^(?<when>\\S+)' }] }), { code: 'LOG_SOURCE_MISCONFIGURED' });
  });
});
