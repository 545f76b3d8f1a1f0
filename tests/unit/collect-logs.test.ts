import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { collectLogs } from '../../services/triage/collect-logs.js';
import type { LogRecord } from '../../services/triage/evidence/log-record.js';
import type { LogQuery, LogSource } from '../../services/triage/evidence/log-source.js';
import { logRecord } from '../fixtures/triage/make-log-record.js';

const log = pino({ level: 'silent' });
const query: LogQuery = { services: [], from: 0, to: 1_000 };

/** A backend holding `count` lines, one per millisecond, that honours the query's limit as real sources do. */
function memorySource(name: string, count: number): LogSource & { served: () => number } {
  let served = 0;
  return {
    name,
    served: () => served,
    async *fetchLogs(q: LogQuery): AsyncGenerator<LogRecord> {
      for (let i = 0; i < Math.min(count, q.limit ?? Infinity); i++) {
        served++;
        yield logRecord(i, name, i % 10 === 0 ? 'error' : 'info', `${name} line ${i}`);
      }
    },
  };
}

test('keep sees every record and only what it returns is held', async () => {
  const seen: number[] = [];
  const { records, gaps } = await collectLogs([memorySource('a', 50)], query, {
    maxRecords: 1_000,
    log,
    keep: (record) => {
      seen.push(record.timestamp);
      return record.level === 'error' ? record.timestamp : undefined;
    },
  });
  assert.equal(seen.length, 50);
  assert.deepEqual(records, [0, 10, 20, 30, 40]);
  assert.deepEqual(gaps, []);
});

test('records keep drops still count against the budget, and reaching it is a gap', async () => {
  const source = memorySource('busy', 500);
  const { records, gaps } = await collectLogs([source, memorySource('quiet', 3)], query, { maxRecords: 200, log, keep: () => undefined });
  assert.deepEqual(records, []);
  assert.equal(source.served(), 100, 'each of two sources gets half the budget');
  assert.deepEqual(gaps, ['busy: stopped at 100 records (triage.maxLogRecords); later lines were not read']);
});

test('without keep every record is held, each source’s in its order, and a failing source becomes a gap', async () => {
  const failing: LogSource = {
    name: 'broken',
    async *fetchLogs() {
      throw new Error('connection refused');
    },
  };
  const { records, gaps } = await collectLogs([memorySource('a', 2), failing, memorySource('b', 2)], query, { maxRecords: 100, log });
  assert.deepEqual(records.map((r) => r.message), ['a line 0', 'a line 1', 'b line 0', 'b line 1']);
  assert.deepEqual(gaps, ['broken: connection refused']);
});
