import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatUtcTimestamp } from '../../services/ingest/sentry/format-utc-timestamp.js';
import { toIsoTimestamp } from '../../services/ingest/sentry/to-iso-timestamp.js';

/** What toIsoTimestamp answered when it parsed every string with Date.parse and wrote it with toISOString. */
function byDate(value: number | string): string | undefined {
  const ms = typeof value === 'number' ? value * 1000 : /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

test('formatUtcTimestamp writes what Date#toISOString writes, leap days and far years included', () => {
  const times = [0, -0, 0.9, 1, 86_399_999, 86_400_000, 951_782_400_000, 951_868_800_000, 1_795_229_233_418.9, 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, 8.64e15, -8.64e15];
  for (let year = 1970; year <= 2400; year++) for (const month of [0, 1, 2, 11]) times.push(Date.UTC(year, month, 1) - 1, Date.UTC(year, month, 1));
  for (const ms of times) assert.equal(formatUtcTimestamp(ms), new Date(ms).toISOString(), String(ms));
});

test('toIsoTimestamp reads Sentry times as Date.parse does, rolling nothing over that Date.parse would not', () => {
  const values = [
    '2026-11-21T02:47:13.418000+00:00', '2026-11-21T02:48:00Z', '2026-11-21T02:52:08.907112Z', '2026-11-21T02:47:13.4Z', '2026-11-21T02:47:13.123456789Z',
    '2026-11-21T02:47:13.0051659847+00:00', '2026-11-21T02:47:13.Z', '2026-11-21T02:47:13,418Z', '2026-11-21T02:47:13.418-00:00', '2026-11-21T02:47:13+01:00',
    '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2026-02-30T00:00:00Z', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-11-21T24:00:00Z', '2026-11-21T23:59:60Z', '0000-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '2026-11-21 02:47:13Z', '2026-11-21t02:47:13Z', 'soon', '',
    1_795_229_233.418, 1_795_229_528.907112, '1795229233.418', -1, 1e400,
  ];
  for (const value of values) assert.equal(toIsoTimestamp(value), byDate(value), JSON.stringify(value));
  assert.equal(toIsoTimestamp(null), undefined);
});
