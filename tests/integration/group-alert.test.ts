import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createCallPaths } from '../../services/triage/grouping/create-call-paths.js';
import { groupAlert, type GroupingOptions } from '../../services/triage/grouping/group-alert.js';
import { makeAlertEvent } from '../helpers/events.js';

const options: GroupingOptions = {
  callPaths: createCallPaths({ gateway: ['orders'], orders: ['inventory'], search: ['catalog'] }),
  correlationWindowMs: 10 * 60_000,
};

async function withStore(work: (store: Store, clock: { set(iso: string): void }) => Promise<void>): Promise<void> {
  let now = new Date('2026-11-21T03:00:00Z');
  const store = await createSqliteStore({ file: ':memory:', clock: () => now });
  try {
    await work(store, { set: (iso) => (now = new Date(iso)) });
  } finally {
    await store.close();
  }
}

test('one fingerprint makes one incident with a count; a repeat changes nothing; resolution recovers; firing again reopens', async () => {
  await withStore(async (store) => {
    const first = makeAlertEvent(1, 'orders:TypeError');
    const opened = await groupAlert(first, store, options);
    assert.equal(opened?.reason, 'new');
    assert.equal(opened?.opened, true);
    assert.equal(opened?.incident.alertCount, 1);

    assert.equal(await groupAlert(first, store, options), undefined, 'the same alert again is a no-op');
    for (let n = 2; n <= 5; n++) assert.equal((await groupAlert(makeAlertEvent(n, 'orders:TypeError'), store, options))?.reason, 'fingerprint');
    const other = await groupAlert(makeAlertEvent(9, 'orders:Timeout'), store, options);
    assert.equal(other?.reason, 'new', 'another fingerprint in the same service is another incident');

    const grouped = (await store.getIncident(opened!.incident.id))!;
    assert.equal(grouped.alertCount, 5);
    assert.equal((await store.listAlerts({ incidentId: grouped.id })).length, 5);

    const resolved = await groupAlert(makeAlertEvent(10, 'orders:TypeError', { status: 'resolved' }), store, options);
    assert.equal(resolved?.incident.status, 'recovering');
    assert.equal(resolved?.incident.id, grouped.id);
    const again = await groupAlert(makeAlertEvent(11, 'orders:TypeError'), store, options);
    assert.equal(again?.incident.status, 'open');
    assert.equal(again?.incident.id, grouped.id);
  });
});

test('alerts sharing a trace id join one incident whatever their fingerprints', async () => {
  await withStore(async (store) => {
    const a = await groupAlert(makeAlertEvent(1, 'gateway:502', { service: 'gateway', traceIds: ['t-1', 't-2'] }), store, options);
    const b = await groupAlert(makeAlertEvent(2, 'billing:Oops', { service: 'billing', traceIds: ['t-9', 't-2'] }), store, options);
    assert.equal(b?.reason, 'trace');
    assert.deepEqual(b?.joinedServices, ['billing'], 'a service the incident did not have is announced');
    assert.equal(b?.incident.id, a?.incident.id);
    assert.deepEqual(b?.incident.services, ['gateway', 'billing']);
    // The joined fingerprint now leads to the same incident too.
    const c = await groupAlert(makeAlertEvent(3, 'billing:Oops', { service: 'billing', traceIds: [] }), store, options);
    assert.equal(c?.reason, 'fingerprint');
    assert.deepEqual(c?.joinedServices, [], 'a known service is not news');
    assert.equal(c?.incident.id, a?.incident.id);
  });
});

test('services on one call path join within the correlation window only; siblings and unrelated services do not', async (t) => {
  await withStore(async (store, clock) => {
    const gateway = await groupAlert(makeAlertEvent(1, 'gateway:502', { service: 'gateway', traceIds: [] }), store, options);
    clock.set('2026-11-21T03:04:00Z');
    const inventory = await groupAlert(
      makeAlertEvent(2, 'inventory:TypeError', { service: 'inventory', traceIds: [], receivedAt: '2026-11-21T03:04:00.000Z' }),
      store,
      options,
    );
    assert.equal(inventory?.reason, 'call-path', 'inventory is downstream of gateway through orders');
    assert.equal(inventory?.incident.id, gateway?.incident.id);
    assert.equal(inventory?.incident.severity, 'error');

    const catalog = await groupAlert(makeAlertEvent(3, 'catalog:Boom', { service: 'catalog', traceIds: [], receivedAt: '2026-11-21T03:04:00.000Z' }), store, options);
    assert.equal(catalog?.reason, 'new', 'catalog is on another call path');

    await t.test('outside the window a call-path neighbour opens its own incident', async () => {
      const late = await groupAlert(
        makeAlertEvent(4, 'orders:Timeout', { service: 'orders', traceIds: [], receivedAt: '2026-11-21T03:30:00.000Z' }),
        store,
        options,
      );
      assert.equal(late?.reason, 'new');
    });
  });
});

test('a recurrence after resolution opens a new incident linked to the resolved one', async () => {
  await withStore(async (store) => {
    const first = await groupAlert(makeAlertEvent(1, 'orders:TypeError'), store, options);
    await store.updateIncident(first!.incident.id, { status: 'resolved', resolvedAt: '2026-11-21T03:10:00Z' });
    const recurrence = await groupAlert(makeAlertEvent(2, 'orders:TypeError', { severity: 'critical' }), store, options);
    assert.equal(recurrence?.reason, 'recurrence');
    assert.equal(recurrence?.opened, true);
    assert.equal(recurrence?.incident.reopenedFrom, first?.incident.id);
    assert.notEqual(recurrence?.incident.id, first?.incident.id);
    assert.equal(recurrence?.incident.severity, 'critical');
  });
});

test('a storm of 10,000 alerts of one failure is one incident with the count', async () => {
  await withStore(async (store) => {
    await store.transaction(async (tx) => {
      for (let n = 1; n <= 10_000; n++) await groupAlert(makeAlertEvent(n, 'orders:TypeError', { traceIds: [`trace-${n % 97}`] }), tx, options);
    });
    const incidents = await store.listIncidents();
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]?.alertCount, 10_000);
  });
});
