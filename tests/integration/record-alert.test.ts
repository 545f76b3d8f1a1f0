import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSqliteStore } from '../../shared/store/index.js';
import { recordAlert } from '../../services/triage/record-alert.js';
import { makeAlertEvent } from '../helpers/events.js';

const now = () => new Date('2026-11-21T03:00:00Z');

test('alerts with one fingerprint make one incident with a count; a repeat changes nothing; resolution recovers', async () => {
  const store = await createSqliteStore({ file: ':memory:', clock: now });
  try {
    const first = makeAlertEvent(1, 'orders:TypeError');
    const incident = await recordAlert(first, store);
    assert.ok(incident);
    assert.equal(incident.alertCount, 1);
    assert.deepEqual(incident.services, ['orders']);

    assert.equal(await recordAlert(first, store), undefined, 'the same alert again is a no-op');
    for (let n = 2; n <= 5; n++) await recordAlert(makeAlertEvent(n, 'orders:TypeError'), store);
    const other = await recordAlert(makeAlertEvent(9, 'inventory:Timeout'), store);

    const incidents = await store.listIncidents();
    assert.equal(incidents.length, 2);
    const grouped = incidents.find((i) => i.key === 'orders:TypeError')!;
    assert.equal(grouped.alertCount, 5);
    assert.equal((await store.listAlerts({ incidentId: grouped.id })).length, 5);
    assert.notEqual(other?.id, grouped.id);

    const resolved = makeAlertEvent(10, 'orders:TypeError');
    resolved.payload.status = 'resolved';
    assert.equal((await recordAlert(resolved, store))?.status, 'recovering');
  } finally {
    await store.close();
  }
});
