import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../shared/store/store.js';
import { nested, rejectsWithCode, type OpenStore } from './store-contract-helpers.js';

/** Contract: incidents. */
export function defineIncidentTests(open: OpenStore): void {
  test('createIncident fills defaults and takes its timestamps from the clock', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    const created = await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'boom', severity: 'error' });
    assert.deepEqual(created, {
      id: 'inc-1',
      key: 'fp-1',
      status: 'open',
      title: 'boom',
      severity: 'error',
      services: [],
      sources: [],
      alertCount: 0,
      triageReport: null,
      decision: null,
      reopenedFrom: null,
      createdAt: clock.iso(),
      updatedAt: clock.iso(),
      resolvedAt: null,
    });
    assert.deepEqual(await store.getIncident('inc-1'), created);
    assert.equal(await store.getIncident('inc-2'), undefined);

    clock.advance(1_000);
    const reopened = await store.createIncident({
      id: 'inc-2',
      key: 'fp-1',
      title: 'boom again',
      severity: 'critical',
      services: ['checkout', 'payments'],
      sources: ['sentry'],
      status: 'triaged',
      reopenedFrom: 'inc-1',
    });
    assert.equal(reopened.reopenedFrom, 'inc-1');
    assert.deepEqual(reopened.services, ['checkout', 'payments']);
    assert.equal(reopened.status, 'triaged');
    assert.equal(reopened.createdAt, '2025-03-01T09:00:01.000Z');
    await rejectsWithCode(store.createIncident({ id: 'inc-1', key: 'x', title: 'dup', severity: 'error' }), 'CONFLICT');
  });

  test('updateIncident applies the patch, keeps the rest and bumps updatedAt', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    const created = await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'boom', severity: 'error', services: ['a'] });
    const decision = { ruleId: 'revert-on-deploy', reasons: ['deploy 5 min before', 'error rate x40'], allow: true };

    const at = clock.advance(60_000);
    const updated = await store.updateIncident('inc-1', { status: 'triaged', triageReport: nested, decision, services: ['a', 'b'], alertCount: 3 });
    assert.equal(updated.status, 'triaged');
    assert.deepEqual(updated.triageReport, nested);
    assert.deepEqual(updated.decision, decision);
    assert.deepEqual(updated.services, ['a', 'b']);
    assert.equal(updated.alertCount, 3);
    assert.equal(updated.title, 'boom');
    assert.equal(updated.createdAt, created.createdAt);
    assert.equal(updated.updatedAt, at);
    assert.deepEqual(await store.getIncident('inc-1'), updated);

    clock.advance(1_000);
    const resolved = await store.updateIncident('inc-1', { status: 'resolved', resolvedAt: '2025-03-01T12:00:00+01:00', triageReport: null });
    assert.equal(resolved.resolvedAt, '2025-03-01T11:00:00.000Z');
    assert.equal(resolved.triageReport, null);
    assert.deepEqual(resolved.decision, decision);
    assert.equal(resolved.updatedAt, clock.iso());

    const touched = await store.updateIncident('inc-1', {});
    assert.equal(touched.updatedAt, clock.iso());
  });

  test('updates of unknown ids throw NotFoundError', async (t) => {
    const s = await open(t);
    if (!s) return;
    await rejectsWithCode(s.store.updateIncident('nope', { status: 'triaged' }), 'NOT_FOUND');
    await rejectsWithCode(s.store.updateFixAttempt('nope', { status: 'failed' }), 'NOT_FOUND');
  });

  test('listIncidents is newest first by updatedAt, filters by status and pages', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    for (const id of ['a', 'b', 'c', 'd']) {
      clock.advance(1_000);
      await store.createIncident({ id, key: `k-${id}`, title: id, severity: 'error' });
    }
    clock.advance(1_000);
    await store.updateIncident('a', { status: 'triaged' });
    clock.advance(1_000);
    await store.updateIncident('c', { status: 'resolved' });

    const ids = async (query?: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(query)).map((i) => i.id);
    assert.deepEqual(await ids(), ['c', 'a', 'd', 'b']);
    assert.deepEqual(await ids({ status: ['open'] }), ['d', 'b']);
    assert.deepEqual(await ids({ status: ['open', 'triaged'] }), ['a', 'd', 'b']);
    assert.deepEqual(await ids({ status: [] }), []);
    assert.deepEqual(await ids({ limit: 2 }), ['c', 'a']);
    assert.deepEqual(await ids({ limit: 2, offset: 1 }), ['a', 'd']);
    assert.deepEqual(await ids({ offset: 3 }), ['b']);
  });

  test('findOpenIncidentByKey returns the newest incident that is not resolved or ignored', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'old', key: 'fp', title: 'x', severity: 'error' });
    clock.advance(1_000);
    await store.createIncident({ id: 'ignored', key: 'fp', title: 'x', severity: 'error', status: 'ignored' });
    clock.advance(1_000);
    await store.createIncident({ id: 'new', key: 'fp', title: 'x', severity: 'error', status: 'fixing' });
    clock.advance(1_000);
    await store.createIncident({ id: 'other-key', key: 'fp2', title: 'x', severity: 'error' });

    assert.equal((await store.findOpenIncidentByKey('fp'))?.id, 'new');
    await store.updateIncident('new', { status: 'resolved' });
    assert.equal((await store.findOpenIncidentByKey('fp'))?.id, 'old');
    await store.updateIncident('old', { status: 'resolved' });
    assert.equal(await store.findOpenIncidentByKey('fp'), undefined);
    assert.equal(await store.findOpenIncidentByKey('unknown'), undefined);
  });

  test('incrementAlertCount adds in the database and bumps updatedAt', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'boom', severity: 'error' });
    await store.incrementAlertCount('inc-1', 1);
    const at = clock.advance(5_000);
    const after = await store.incrementAlertCount('inc-1', 41);
    assert.equal(after.alertCount, 42);
    assert.equal(after.updatedAt, at);
    await rejectsWithCode(store.incrementAlertCount('nope', 1), 'NOT_FOUND');
  });

  test('incident keys: added once, found by any key, filtered by status, newest activity first', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'a', severity: 'error' });
    clock.advance(1_000);
    await store.createIncident({ id: 'inc-2', key: 'fp-2', title: 'b', severity: 'error' });
    await store.addIncidentKeys('inc-1', ['fp:fp-1', 'trace:t1', 'trace:t1']);
    await store.addIncidentKeys('inc-1', ['trace:t1']);
    await store.addIncidentKeys('inc-2', ['fp:fp-2', 'trace:t2']);
    await store.addIncidentKeys('inc-2', []);

    assert.deepEqual((await store.findIncidentsByKeys(['trace:t1'])).map((i) => i.id), ['inc-1']);
    assert.deepEqual((await store.findIncidentsByKeys(['trace:t1', 'trace:t2', 'fp:none'])).map((i) => i.id), ['inc-2', 'inc-1']);
    assert.deepEqual(await store.findIncidentsByKeys([]), []);
    assert.deepEqual((await store.findIncidentsByKeys(['trace:t1', 'trace:t2'], { limit: 1 })).map((i) => i.id), ['inc-2']);

    clock.advance(1_000);
    await store.updateIncident('inc-2', { status: 'resolved' });
    assert.deepEqual((await store.findIncidentsByKeys(['trace:t1', 'trace:t2'], { status: ['open'] })).map((i) => i.id), ['inc-1']);
    assert.deepEqual((await store.findIncidentsByKeys(['trace:t1', 'trace:t2'], { status: [] })), []);
  });

  test('listIncidents filters by updatedSince', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'a', severity: 'error' });
    const since = clock.advance(60_000);
    await store.createIncident({ id: 'inc-2', key: 'fp-2', title: 'b', severity: 'error' });
    assert.deepEqual((await store.listIncidents({ updatedSince: since })).map((i) => i.id), ['inc-2']);
    assert.equal((await store.listIncidents({ updatedSince: '2025-01-01T00:00:00Z' })).length, 2);
  });

  test('countIncidentsByStatus counts per status and leaves out statuses with none', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    assert.deepEqual(await store.countIncidentsByStatus(), {});
    await store.createIncident({ id: 'inc-1', key: 'fp-1', title: 'a', severity: 'error' });
    await store.createIncident({ id: 'inc-2', key: 'fp-2', title: 'b', severity: 'error' });
    await store.createIncident({ id: 'inc-3', key: 'fp-3', title: 'c', severity: 'error', status: 'triaged' });
    assert.deepEqual(await store.countIncidentsByStatus(), { open: 2, triaged: 1 });
  });
}
