import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { NightshiftError } from '../../shared/errors.js';
import { createPostgresStore } from '../../shared/store/create-postgres-store.js';
import { openStore } from '../../shared/store/open-store.js';
import type { Store } from '../../shared/store/store.js';
import { postgresAdminUrl } from '../helpers/infra.js';
import { randomName } from '../helpers/wait.js';
import { createManualClock, defineStoreContract } from './store-contract.js';
import { createMigrations } from '../../shared/store/migrations.js';

/** Every migration the code defines, in the order they apply. */
const allMigrations = Object.keys(createMigrations('postgres')).sort().map((name) => ({ name }));

async function admin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database for one test, dropped (with its connections) when the test ends; undefined
 * after skipping when PostgreSQL is not configured. `beforeDrop` runs first, e.g. to close stores.
 */
async function freshDatabase(t: TestContext, beforeDrop: () => Promise<void> = async () => {}): Promise<string | undefined> {
  const adminUrl = postgresAdminUrl(t);
  if (!adminUrl) return undefined;
  const name = randomName('nightshift_store');
  await admin(adminUrl, (client) => client.query(`create database "${name}"`));
  t.after(async () => {
    await beforeDrop();
    await admin(adminUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

defineStoreContract('postgres', async (t, clock) => {
  let store: Store | undefined;
  const url = await freshDatabase(t, async () => store?.close());
  if (!url) return undefined;
  store = await createPostgresStore({ url, clock, poolSize: 4 });
  return store;
});

describe('PostgreSQL store', () => {
  test('stores migrating the same fresh database at once all succeed', async (t) => {
    const stores: Store[] = [];
    const url = await freshDatabase(t, async () => {
      await Promise.all(stores.map((s) => s.close()));
    });
    if (!url) return;
    const clock = createManualClock();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => createPostgresStore({ url, clock, poolSize: 2 })));
    for (const result of results) if (result.status === 'fulfilled') stores.push(result.value);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    assert.deepEqual(failures, []);

    for (const [i, store] of stores.entries()) await store.markHandled('migrate-race', String(i));
    const executed = await admin(url, (client) => client.query<{ name: string }>('select name from kysely_migration'));
    assert.deepEqual(executed.rows, allMigrations);
  });

  test('data survives close and reopen', async (t) => {
    let reopened: Store | undefined;
    const url = await freshDatabase(t, async () => reopened?.close());
    if (!url) return;
    const clock = createManualClock();
    const first = await createPostgresStore({ url, clock });
    await first.createIncident({ id: 'inc-1', key: 'fp', title: 'kept', severity: 'error' });
    await first.close();
    reopened = await openStore({ kind: 'postgres', url }, { clock });
    assert.equal(reopened.kind, 'postgres');
    assert.equal((await reopened.getIncident('inc-1'))?.title, 'kept');
  });

  test('uses timestamptz and jsonb columns', async (t) => {
    let store: Store | undefined;
    const url = await freshDatabase(t, async () => store?.close());
    if (!url) return;
    store = await createPostgresStore({ url, clock: createManualClock() });
    const columns = await admin(url, (client) =>
      client.query<{ column_name: string; data_type: string }>(
        `select column_name, data_type from information_schema.columns
         where table_name = 'incidents' and column_name in ('services', 'triage_report', 'created_at', 'resolved_at')
         order by column_name`,
      ),
    );
    assert.deepEqual(
      columns.rows.map((c) => [c.column_name, c.data_type]),
      [
        ['created_at', 'timestamp with time zone'],
        ['resolved_at', 'timestamp with time zone'],
        ['services', 'jsonb'],
        ['triage_report', 'jsonb'],
      ],
    );
  });

  test('concurrent transactions inserting the same delivery agree on one alert', async (t) => {
    let store: Store | undefined;
    const url = await freshDatabase(t, async () => store?.close());
    if (!url) return;
    const s = (store = await createPostgresStore({ url, clock: createManualClock(), poolSize: 4 }));
    const insert = (id: string) =>
      s.transaction(async (tx) => {
        const result = await tx.insertAlert({
          id,
          source: 'sentry',
          deliveryId: 'same-delivery',
          fingerprint: 'fp',
          kind: 'error',
          title: 'boom',
          service: null,
          severity: 'error',
          receivedAt: '2025-03-01T09:00:00Z',
          payload: { id },
        });
        // Hold the transaction open so the other insert has to wait on the unique index.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return result;
      });
    const results = await Promise.all([insert('a1'), insert('a2'), insert('a3')]);
    assert.equal(results.filter((r) => r.inserted).length, 1);
    const ids = new Set(results.map((r) => r.alert.id));
    assert.equal(ids.size, 1);
    assert.equal((await s.listAlerts()).length, 1);
  });

  test('an unreachable server fails with a retriable STORE_UNAVAILABLE', async (t) => {
    if (!postgresAdminUrl(t)) return;
    await assert.rejects(createPostgresStore({ url: 'postgres://postgres@127.0.0.1:1/nightshift', clock: createManualClock() }), (error: unknown) => {
      assert.ok(error instanceof NightshiftError, String(error));
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.equal(error.retriable, true);
      return true;
    });
  });
});
