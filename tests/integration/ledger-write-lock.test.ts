import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createSqliteStore } from '../../shared/store/create-sqlite-store.js';
import { ledgerFileOf } from '../../shared/store/open-sqlite-ledger.js';
import { tempDir } from '../helpers/wait.js';

/** A store on a fresh file, and a second connection to `which` of its files (another thread's or process's). */
async function storeWithRival(t: TestContext, which: 'ledger' | 'store', busyTimeoutMs?: number) {
  const dir = await tempDir('nightshift-ledger-');
  const file = join(dir.path, 'nightshift.sqlite');
  const store = await createSqliteStore({ file, clock: () => new Date(), ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
  // The ledger's file exists once the store has used it.
  assert.equal(await store.findDelivery('sentry', 'none'), undefined);
  const rival = new BetterSqlite3(which === 'ledger' ? ledgerFileOf(file) : file);
  t.after(async () => {
    if (rival.inTransaction) rival.exec('ROLLBACK');
    rival.close();
    await store.close();
    await dir.cleanup();
  });
  return { store, rival, file };
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

test('the ledger is a file of its own: a write transaction held in the store\'s file (the consumer thread\'s) does not hold up a ledger commit', async (t) => {
  const { store, rival, file } = await storeWithRival(t, 'store');
  assert.equal(ledgerFileOf(file), file.replace(/nightshift\.sqlite$/, 'nightshift.ledger.sqlite'));
  rival.exec('BEGIN IMMEDIATE');
  rival.prepare("INSERT INTO deliveries (source, delivery_id, event_id, received_at) VALUES ('github', 'in-store', 'event-s', '2026-11-22T00:00:00.000Z')").run();
  const started = performance.now();
  const recorded = await store.recordDelivery({ source: 'sentry', deliveryId: 'req-0', eventId: 'event-0' });
  const tookMs = performance.now() - started;
  assert.equal(recorded.inserted, true);
  assert.ok(rival.inTransaction, 'the rival still holds the store\'s write lock');
  // Sharing the store's lock, it would have waited out the 5 s busy timeout and failed with STORE_BUSY.
  assert.ok(tookMs < 2_000, `recorded in ${tookMs.toFixed(1)} ms while the store's file was locked`);
});

test('a ledger commit waits for a write lock another connection holds on a timer, so the thread goes on serving', async (t) => {
  const { store, rival } = await storeWithRival(t, 'ledger');
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
  const { store, rival } = await storeWithRival(t, 'ledger', 80);
  rival.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  await assert.rejects(store.recordDelivery({ source: 'sentry', deliveryId: 'req-2', eventId: 'event-2' }), { code: 'STORE_BUSY' });
  assert.ok(performance.now() - started >= 75, 'not before the busy timeout');
  rival.exec('ROLLBACK');
  // The lock is free again: the same delivery records.
  assert.equal((await store.recordDelivery({ source: 'sentry', deliveryId: 'req-2', eventId: 'event-2' })).inserted, true);
});

test('deliveries an earlier version recorded in the store\'s own table are found after the upgrade, once', async () => {
  const dir = await tempDir('nightshift-ledger-');
  const file = join(dir.path, 'nightshift.sqlite');
  try {
    // The earlier layout: the store's file with its deliveries table filled, and no ledger file.
    await (await createSqliteStore({ file, clock: () => new Date() })).close();
    assert.equal(existsSync(ledgerFileOf(file)), false, 'a store that never ingested opens no ledger');
    const old = new BetterSqlite3(file);
    old.prepare("INSERT INTO deliveries (source, delivery_id, event_id, received_at) VALUES ('sentry', 'before-upgrade', 'event-old', '2026-11-01T00:00:00.000Z')").run();
    old.close();

    const store = await createSqliteStore({ file, clock: () => new Date() });
    assert.equal((await store.findDelivery('sentry', 'before-upgrade'))?.eventId, 'event-old');
    const repeat = await store.recordDelivery({ source: 'sentry', deliveryId: 'before-upgrade', eventId: 'event-new' });
    assert.deepEqual([repeat.inserted, repeat.delivery.eventId], [false, 'event-old']);
    await store.close();

    // Imported once: a row that appears in the old table later is not (nothing writes there any more).
    const late = new BetterSqlite3(file);
    late.prepare("INSERT INTO deliveries (source, delivery_id, event_id, received_at) VALUES ('sentry', 'late', 'event-late', '2026-11-02T00:00:00.000Z')").run();
    late.close();
    const reopened = await createSqliteStore({ file, clock: () => new Date() });
    assert.equal(await reopened.findDelivery('sentry', 'late'), undefined);
    assert.equal((await reopened.findDelivery('sentry', 'before-upgrade'))?.eventId, 'event-old');
    await reopened.close();
  } finally {
    await dir.cleanup();
  }
});
