import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createSqliteStore } from '../../shared/store/create-sqlite-store.js';
import { tempDir } from '../helpers/wait.js';

/** A store on a fresh file, and a second connection to it (another thread's or process's). */
async function storeWithRival(t: TestContext, busyTimeoutMs?: number) {
  const dir = await tempDir('nightshift-ledger-');
  const file = join(dir.path, 'nightshift.sqlite');
  const store = await createSqliteStore({ file, clock: () => new Date(), ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
  const rival = new BetterSqlite3(file);
  t.after(async () => {
    if (rival.inTransaction) rival.exec('ROLLBACK');
    rival.close();
    await store.close();
    await dir.cleanup();
  });
  return { store, rival };
}

/** Counts timer ticks while `work` runs: a thread asleep in SQLite's busy handler gets none. */
async function ticksDuring<T>(work: Promise<T>): Promise<{ result: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    return { result: await work, ticks };
  } finally {
    clearInterval(timer);
  }
}

test('a ledger commit waits for a write lock another connection holds on a timer, so the thread goes on serving', async (t) => {
  const { store, rival } = await storeWithRival(t);
  rival.exec('BEGIN IMMEDIATE');
  rival.prepare("INSERT INTO deliveries (source, delivery_id, event_id, received_at) VALUES ('github', 'rival', 'event-r', '2026-11-22T00:00:00.000Z')").run();
  const started = performance.now();
  const recording = store.recordDelivery({ source: 'sentry', deliveryId: 'req-1', eventId: 'event-1' });
  // The rival commits from this same thread: only possible if the ledger is not blocking it.
  setTimeout(() => rival.exec('COMMIT'), 60);
  const { result, ticks } = await ticksDuring(recording);
  assert.equal(result.inserted, true);
  assert.equal(result.delivery.eventId, 'event-1');
  assert.ok(performance.now() - started >= 55, 'it waited for the lock');
  assert.ok(ticks >= 10, `timers ran while it waited (${ticks} ticks)`);
  assert.equal((await store.findDelivery('github', 'rival'))?.eventId, 'event-r');
});

test('a ledger commit still gives up with STORE_BUSY once the connection\'s busy timeout has passed', async (t) => {
  const { store, rival } = await storeWithRival(t, 80);
  rival.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  await assert.rejects(store.recordDelivery({ source: 'sentry', deliveryId: 'req-2', eventId: 'event-2' }), { code: 'STORE_BUSY' });
  assert.ok(performance.now() - started >= 75, 'not before the busy timeout');
  rival.exec('ROLLBACK');
  // The lock is free again: the same delivery records.
  assert.equal((await store.recordDelivery({ source: 'sentry', deliveryId: 'req-2', eventId: 'event-2' })).inserted, true);
});
