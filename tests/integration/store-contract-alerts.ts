import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alert, nested, rejectsWithCode, type OpenStore } from './store-contract-helpers.js';

/** Contract: ping, the handled-event ledger and alerts. */
export function defineAlertTests(open: OpenStore): void {
  test('ping answers', async (t) => {
    const s = await open(t);
    if (!s) return;
    await s.store.ping();
  });

  test('markHandled records once per consumer and event', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    assert.equal(await store.hasHandled('triage', 'evt-1'), false);
    assert.equal(await store.markHandled('triage', 'evt-1'), true);
    assert.equal(await store.markHandled('triage', 'evt-1'), false);
    assert.equal(await store.hasHandled('triage', 'evt-1'), true);
    assert.equal(await store.hasHandled('fixer', 'evt-1'), false);
    assert.equal(await store.markHandled('fixer', 'evt-1'), true);
    assert.equal(await store.hasHandled('triage', 'evt-2'), false);
  });

  test('findHandled answers for many ids at once, per consumer, beyond one lookup chunk', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    assert.deepEqual(await store.findHandled('triage', []), []);
    const ids = Array.from({ length: 1_200 }, (_, i) => `evt-${i}`);
    const marked = ids.filter((_, i) => i % 3 === 0);
    await store.transaction(async (tx) => {
      for (const id of marked) await tx.markHandled('triage', id);
    });
    await store.markHandled('fixer', 'evt-1');
    assert.deepEqual((await store.findHandled('triage', ids)).sort(), [...marked].sort());
    assert.deepEqual(await store.findHandled('fixer', ['evt-0', 'evt-1', 'evt-2']), ['evt-1']);
    assert.deepEqual(await store.findHandled('verifier', ids), []);
    // Inside a transaction it sees that transaction's own marks.
    await store.transaction(async (tx) => {
      await tx.markHandled('verifier', 'evt-5');
      assert.deepEqual(await tx.findHandled('verifier', ['evt-4', 'evt-5']), ['evt-5']);
    });
  });

  test('markHandled keeps the pending events with the mark until clearPending, per consumer', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    // Kept exactly: nested values, key order, a NUL and non-ASCII text in a log line.
    const emitted = [
      { id: 'out-1', type: 'incident.changed.v1', payload: { z: 1, a: [1.5, null, { line: 'boom\u0000 ü 🚨' }] } },
      { id: 'out-2', type: 'incident.changed.v1', payload: {} },
    ];
    assert.deepEqual(await store.findPending('triage', []), []);
    assert.equal(await store.markHandled('triage', 'evt-1', emitted), true);
    assert.equal(await store.markHandled('triage', 'evt-2', []), true, 'an empty outbox is no outbox');
    assert.equal(await store.markHandled('triage', 'evt-3'), true);
    assert.equal(await store.markHandled('fixer', 'evt-1', [{ id: 'other' }]), true);
    // A repeat mark keeps what the first one stored.
    assert.equal(await store.markHandled('triage', 'evt-1', [{ id: 'late' }]), false);

    const pending = await store.findPending('triage', ['evt-1', 'evt-2', 'evt-3', 'evt-unknown']);
    assert.deepEqual(pending, [{ eventId: 'evt-1', events: emitted }]);
    assert.equal(JSON.stringify(pending[0]!.events), JSON.stringify(emitted), 'same keys in the same order');
    assert.deepEqual(await store.findPending('fixer', ['evt-1']), [{ eventId: 'evt-1', events: [{ id: 'other' }] }]);

    await store.clearPending('triage', ['evt-1', 'evt-2', 'evt-unknown']);
    assert.deepEqual(await store.findPending('triage', ['evt-1', 'evt-2', 'evt-3']), []);
    assert.equal(await store.hasHandled('triage', 'evt-1'), true, 'the mark stays');
    assert.equal((await store.findPending('fixer', ['evt-1'])).length, 1, 'another consumer keeps its own');
    await store.clearPending('triage', []);
  });

  test('pending events commit and roll back with the transaction, and are found beyond one lookup chunk', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.markHandled('triage', 'evt-lost', [{ id: 'out' }]);
        throw new Error('crash before commit');
      }),
      /crash before commit/,
    );
    assert.equal(await store.hasHandled('triage', 'evt-lost'), false);
    assert.deepEqual(await store.findPending('triage', ['evt-lost']), []);

    const ids = Array.from({ length: 1_200 }, (_, i) => `evt-${i}`);
    await store.transaction(async (tx) => {
      for (const [i, id] of ids.entries()) await tx.markHandled('triage', id, i % 2 === 0 ? [{ id: `out-${i}` }] : undefined);
      // Inside the transaction it sees that transaction's own outbox.
      assert.equal((await tx.findPending('triage', ['evt-0', 'evt-1'])).length, 1);
    });
    const pending = await store.findPending('triage', ids);
    assert.equal(pending.length, 600);
    assert.deepEqual(pending.find((p) => p.eventId === 'evt-1000')?.events, [{ id: 'out-1000' }]);
    await store.clearPending('triage', ids);
    assert.deepEqual(await store.findPending('triage', ids), []);
    assert.equal((await store.findHandled('triage', ids)).length, 1_200);
  });

  test('insertAlert is idempotent by (source, deliveryId) and returns the stored alert', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    const first = await store.insertAlert(alert({ id: 'a1', deliveryId: 'd1', payload: nested }));
    assert.equal(first.inserted, true);
    assert.equal(first.alert.incidentId, null);
    assert.deepEqual(first.alert.payload, nested);

    const repeat = await store.insertAlert(alert({ id: 'a1-redelivered', deliveryId: 'd1', title: 'other' }));
    assert.equal(repeat.inserted, false);
    assert.deepEqual(repeat.alert, first.alert);

    const otherSource = await store.insertAlert(alert({ id: 'a2', deliveryId: 'd1', source: 'datadog' }));
    assert.equal(otherSource.inserted, true);
    assert.equal((await store.listAlerts()).length, 2);
  });

  test('insertAlert of the same event twice changes nothing', async (t) => {
    const s = await open(t);
    if (!s) return;
    const original = alert({ id: 'a1', deliveryId: 'd1' });
    assert.equal((await s.store.insertAlert(original)).inserted, true);
    const again = await s.store.insertAlert(original);
    assert.equal(again.inserted, false);
    assert.equal(again.alert.id, 'a1');
    assert.equal((await s.store.listAlerts()).length, 1);
  });

  test('JSON payloads of every shape round trip', async (t) => {
    const s = await open(t);
    if (!s) return;
    // A JSON string payload must not be parsed twice; arrays must stay JSON, not SQL arrays.
    const payloads: unknown[] = ['just a string', '{"looks":"like json"}', 42, true, [], [1, 'two', { three: [3] }], {}, nested, null];
    for (const [i, payload] of payloads.entries()) {
      await s.store.insertAlert(alert({ id: `a${i}`, deliveryId: `d${i}`, payload, receivedAt: `2025-03-01T09:00:0${i}.000Z` }));
    }
    const stored = await s.store.listAlerts();
    assert.deepEqual(
      stored.map((a) => a.payload),
      payloads,
    );
  });

  test('receivedAt is normalised to UTC so since-filters compare instants, not text', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    // 10:00+02:00 is 08:00Z: before 09:00Z, though its text sorts after.
    await store.insertAlert(alert({ id: 'early', deliveryId: 'd1', receivedAt: '2025-03-01T10:00:00+02:00' }));
    await store.insertAlert(alert({ id: 'late', deliveryId: 'd2', receivedAt: '2025-03-01T09:30:00Z' }));
    const early = (await store.listAlerts()).find((a) => a.id === 'early');
    assert.equal(early?.receivedAt, '2025-03-01T08:00:00.000Z');
    const since = await store.listAlerts({ since: '2025-03-01T11:00:00+02:00' });
    assert.deepEqual(since.map((a) => a.id), ['late']);
    await rejectsWithCode(store.insertAlert(alert({ id: 'bad', deliveryId: 'd3', receivedAt: 'yesterday-ish' })), 'INVALID_RECORD');
  });

  test('assignAlert links alerts to an incident; listAlerts filters, orders oldest first and limits', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'boom', severity: 'error' });
    await store.insertAlert(alert({ id: 'a3', deliveryId: 'd3', receivedAt: '2025-03-01T09:03:00.000Z' }));
    await store.insertAlert(alert({ id: 'a1', deliveryId: 'd1', receivedAt: '2025-03-01T09:01:00.000Z' }));
    await store.insertAlert(alert({ id: 'a2', deliveryId: 'd2', receivedAt: '2025-03-01T09:02:00.000Z' }));
    await store.insertAlert(alert({ id: 'other', deliveryId: 'd4', receivedAt: '2025-03-01T09:00:00.000Z' }));
    for (const id of ['a3', 'a1', 'a2']) await store.assignAlert(id, 'inc-1');

    const linked = await store.listAlerts({ incidentId: 'inc-1' });
    assert.deepEqual(linked.map((a) => a.id), ['a1', 'a2', 'a3']);
    assert.ok(linked.every((a) => a.incidentId === 'inc-1'));
    assert.deepEqual((await store.listAlerts({ limit: 2 })).map((a) => a.id), ['other', 'a1']);
    assert.deepEqual(
      (await store.listAlerts({ incidentId: 'inc-1', since: '2025-03-01T09:02:00.000Z' })).map((a) => a.id),
      ['a2', 'a3'],
    );
    await rejectsWithCode(store.assignAlert('no-such-alert', 'inc-1'), 'NOT_FOUND');
    await rejectsWithCode(store.assignAlert('a1', 'no-such-incident'), 'MISSING_REFERENCE');
  });
}
