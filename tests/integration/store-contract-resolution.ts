import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alert, type OpenStore } from './store-contract-helpers.js';

const MINUTE = 60_000;

/** Contract: the resolution sweep's conditional UPDATE. */
export function defineResolutionTests(open: OpenStore): void {
  test('resolveQuietIncidents resolves only recovering incidents quiet since the cutoff, once', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'quiet', key: 'fp-quiet', title: 'a', severity: 'error', status: 'recovering' });
    await store.createIncident({ id: 'open', key: 'fp-open', title: 'b', severity: 'error', status: 'open' });
    await store.createIncident({ id: 'late-alert', key: 'fp-late', title: 'c', severity: 'error', status: 'recovering' });
    clock.advance(10 * MINUTE);
    await store.createIncident({ id: 'recent', key: 'fp-recent', title: 'd', severity: 'error', status: 'recovering' });
    // An alert stamped after the cutoff keeps its incident out even though the row itself is old.
    await store.insertAlert(alert({ id: 'al-1', deliveryId: 'd-1', incidentId: 'late-alert', receivedAt: clock.iso() }));

    const cutoff = new Date(clock().getTime() - 5 * MINUTE).toISOString();
    const resolvedAt = clock.advance(1_000);
    const resolved = await store.resolveQuietIncidents({ quietSince: cutoff });
    assert.deepEqual(
      resolved.map((incident) => [incident.id, incident.status, incident.resolvedAt, incident.updatedAt]),
      [['quiet', 'resolved', resolvedAt, resolvedAt]],
    );
    assert.equal((await store.getIncident('quiet'))?.status, 'resolved');
    assert.equal((await store.getIncident('open'))?.status, 'open');
    assert.equal((await store.getIncident('late-alert'))?.status, 'recovering');
    assert.equal((await store.getIncident('recent'))?.status, 'recovering');

    assert.deepEqual(await store.resolveQuietIncidents({ quietSince: cutoff }), [], 'a second sweep finds nothing left');
  });

  test('resolveQuietIncidents: concurrent sweeps resolve each incident exactly once, in batches of `limit`', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    for (let i = 0; i < 6; i += 1) await store.createIncident({ id: `inc-${i}`, key: `fp-${i}`, title: 't', severity: 'error', status: 'recovering' });
    clock.advance(60 * MINUTE);
    const quietSince = new Date(clock().getTime() - 30 * MINUTE).toISOString();
    const first = await store.resolveQuietIncidents({ quietSince, limit: 2 });
    assert.equal(first.length, 2);
    const racing = await Promise.all([1, 2, 3].map(() => store.resolveQuietIncidents({ quietSince })));
    const ids = [...first, ...racing.flat()].map((incident) => incident.id).sort();
    assert.deepEqual(ids, ['inc-0', 'inc-1', 'inc-2', 'inc-3', 'inc-4', 'inc-5']);
  });

  test('resolveQuietIncidents rejects a cutoff that is not a timestamp', async (t) => {
    const s = await open(t);
    if (!s) return;
    await assert.rejects(s.store.resolveQuietIncidents({ quietSince: 'yesterday' }), /quietSince is not a timestamp/);
  });
}
