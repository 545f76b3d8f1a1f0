import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../shared/store/store.js';
import { alert, rejectsWithCode, type OpenStore } from './store-contract-helpers.js';

/** Contract: transactions and closing. */
export function defineTransactionTests(open: OpenStore): void {
  test('transaction commits everything done through tx and returns the work result', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    const result = await store.transaction(async (tx) => {
      assert.equal(tx.kind, store.kind);
      await tx.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
      await tx.insertAlert(alert({ id: 'a1', deliveryId: 'd1', incidentId: 'inc-1' }));
      await tx.markHandled('triage', 'evt-1');
      // Reads through tx see the transaction's own writes.
      assert.equal((await tx.getIncident('inc-1'))?.id, 'inc-1');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal((await store.getIncident('inc-1'))?.id, 'inc-1');
    assert.equal((await store.listAlerts({ incidentId: 'inc-1' })).length, 1);
    assert.equal(await store.hasHandled('triage', 'evt-1'), true);
  });

  test('transaction rolls back everything when the work throws', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    const failure = new Error('handler failed half way');
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
        await tx.insertAlert(alert({ id: 'a1', deliveryId: 'd1', incidentId: 'inc-1' }));
        await tx.markHandled('triage', 'evt-1');
        await tx.appendAudit({ incidentId: 'inc-1', actor: 'triage', action: 'incident.created', detail: null });
        throw failure;
      }),
      (error) => error === failure,
    );
    assert.equal(await store.getIncident('inc-1'), undefined);
    assert.deepEqual(await store.listAlerts(), []);
    assert.deepEqual(await store.listAudit(), []);
    assert.equal(await store.markHandled('triage', 'evt-1'), true);
  });

  test('a nested transaction joins the outer one and rolls back with it', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    await assert.rejects(
      store.transaction(async (tx) => {
        const inner = await tx.transaction(async (nestedTx) => {
          await nestedTx.createIncident({ id: 'inner', key: 'fp', title: 'x', severity: 'error' });
          return 'inner-done';
        });
        assert.equal(inner, 'inner-done');
        assert.equal((await tx.getIncident('inner'))?.id, 'inner');
        throw new Error('outer fails after inner finished');
      }),
      /outer fails/,
    );
    assert.equal(await store.getIncident('inner'), undefined);
  });

  test('the outer store refuses calls inside its transaction, and tx refuses calls after it', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    let leaked: Store | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
      await tx.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
      // On SQLite this would wait forever for the connection the transaction holds.
      await rejectsWithCode(store.getIncident('inc-1'), 'STORE_USAGE');
      await rejectsWithCode(store.transaction(async () => undefined), 'STORE_USAGE');
      await rejectsWithCode(tx.close(), 'STORE_USAGE');
    });
    assert.ok(leaked);
    await rejectsWithCode(leaked.getIncident('inc-1'), 'STORE_USAGE');
    // The refusals did not disturb the transaction itself.
    assert.equal((await store.getIncident('inc-1'))?.id, 'inc-1');
  });

  test('uncommitted writes are invisible to concurrent readers', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    let released = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));

    const work = store.transaction(async (tx) => {
      await tx.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
      written();
      await gate;
    });
    await wrote;
    // Started from outside the transaction's async context while it is still open. It may wait for
    // the commit (SQLite) or answer at once (PostgreSQL), but the commit cannot precede the release.
    const read = store.getIncident('inc-1').then((incident) => ({ incident, releasedFirst: released }));
    setTimeout(() => {
      released = true;
      release();
    }, 50);
    const { incident, releasedFirst } = await read;
    await work;
    if (incident !== undefined) assert.equal(releasedFirst, true, 'read saw an uncommitted incident');
    assert.equal((await store.getIncident('inc-1'))?.id, 'inc-1');
  });

  test('close releases the store and may be called twice', async (t) => {
    const s = await open(t);
    if (!s) return;
    await s.store.close();
    await s.store.close();
  });
}
