import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { NightshiftError } from '../../shared/errors.js';
import { createSqliteStore } from '../../shared/store/create-sqlite-store.js';
import { openStore } from '../../shared/store/open-store.js';
import { statSync } from 'node:fs';
import { tempDir, waitFor } from '../helpers/wait.js';
import { alert } from './store-contract-helpers.js';
import { createManualClock, defineStoreContract } from './store-contract.js';
import { createMigrations } from '../../shared/store/migrations.js';

/** Every migration the code defines, in the order they apply. */
const allMigrations = Object.keys(createMigrations('sqlite')).sort().map((name) => ({ name }));

async function scratchFile(t: TestContext, name = 'nightshift.db'): Promise<string> {
  const dir = await tempDir('nightshift-store-');
  t.after(dir.cleanup);
  return join(dir.path, name);
}

defineStoreContract('sqlite', async (t, clock) => {
  const store = await createSqliteStore({ file: await scratchFile(t), clock });
  t.after(() => store.close());
  return store;
});

describe('SQLite store', () => {
  test('data survives close and reopen of the same file', async (t) => {
    const file = await scratchFile(t);
    const clock = createManualClock();
    const first = await createSqliteStore({ file, clock });
    await first.createIncident({ id: 'inc-1', key: 'fp', title: 'kept', severity: 'error', services: ['api'] });
    await first.markHandled('triage', 'evt-1');
    await first.appendAudit({ incidentId: 'inc-1', actor: 'triage', action: 'created', detail: { n: 1 } });
    await first.close();

    const second = await openStore({ kind: 'sqlite', file }, { clock });
    t.after(() => second.close());
    assert.equal(second.kind, 'sqlite');
    assert.deepEqual((await second.getIncident('inc-1'))?.services, ['api']);
    assert.equal(await second.markHandled('triage', 'evt-1'), false);
    // Reopening runs the migrator again; it must find nothing to do and keep the audit sequence going.
    const next = await second.appendAudit({ incidentId: null, actor: 'system', action: 'reopened', detail: null });
    assert.equal(next.seq, 2);
  });

  test('writes resolve durably without SQLite checkpointing in the commit: a worker thread copies the log', async (t) => {
    const file = await scratchFile(t);
    const store = await createSqliteStore({ file, clock: createManualClock() });
    t.after(() => store.close());
    const raw = new BetterSqlite3(file, { readonly: true });
    t.after(() => raw.close());
    // About 3 MiB: below SQLite's default autocheckpoint (1000 pages), so only the worker copies it.
    const payload = { blob: 'x'.repeat(256 * 1024) };
    const before = statSync(file).size;
    for (let n = 0; n < 12; n++) await store.insertAlert(alert({ id: `a${n}`, deliveryId: `d${n}`, payload }));
    assert.equal(raw.prepare<[], { n: number }>('select count(*) as n from alerts').get()?.n, 12);
    // Only a checkpoint moves pages from the log into the database file.
    await waitFor(() => statSync(file).size > before + 2 * 1024 * 1024, { what: 'a background checkpoint', timeoutMs: 10_000 });
  });

  test('creates the parent directory and uses WAL journaling', async (t) => {
    const file = await scratchFile(t, join('nested', 'deeper', 'store.db'));
    const store = await createSqliteStore({ file, clock: createManualClock() });
    await store.close();
    const raw = new BetterSqlite3(file, { readonly: true });
    t.after(() => raw.close());
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    const migrations = raw.prepare('select name from kysely_migration order by name').all();
    assert.deepEqual(migrations, allMigrations);
  });

  test('concurrent transactions from one process run one after the other', async (t) => {
    const store = await createSqliteStore({ file: await scratchFile(t), clock: createManualClock() });
    t.after(() => store.close());
    const events: string[] = [];
    const run = (name: string, pauseMs: number) =>
      store.transaction(async (tx) => {
        events.push(`${name}:begin`);
        await tx.markHandled(name, 'evt');
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        await tx.markHandled(name, 'evt-2');
        events.push(`${name}:end`);
      });
    await Promise.all([run('a', 40), run('b', 0), run('c', 10)]);
    assert.deepEqual(events, ['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
  });

  test('a read issued during a transaction waits for its commit', async (t) => {
    const store = await createSqliteStore({ file: await scratchFile(t), clock: createManualClock() });
    t.after(() => store.close());
    let insideTx!: () => void;
    const started = new Promise<void>((resolve) => (insideTx = resolve));
    const work = store.transaction(async (tx) => {
      await tx.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
      insideTx();
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    await started;
    // The single connection is the transaction's until it commits, so this sees the committed row.
    const seen = await store.getIncident('inc-1');
    await work;
    assert.equal(seen?.id, 'inc-1');
  });

  test('a write blocked by another connection fails with a retriable STORE_BUSY', async (t) => {
    const file = await scratchFile(t);
    const store = await createSqliteStore({ file, clock: createManualClock(), busyTimeoutMs: 50 });
    t.after(() => store.close());
    const other = new BetterSqlite3(file);
    t.after(() => other.close());
    other.exec('begin immediate');
    await assert.rejects(store.markHandled('triage', 'evt-1'), (error: unknown) => {
      assert.ok(error instanceof NightshiftError);
      assert.equal(error.code, 'STORE_BUSY');
      assert.equal(error.retriable, true);
      return true;
    });
    other.exec('rollback');
    assert.equal(await store.markHandled('triage', 'evt-1'), true);
  });

  test('processes migrating the same new file at once all succeed', async (t) => {
    const file = await scratchFile(t);
    const moduleUrl = new URL('../../shared/store/create-sqlite-store.js', import.meta.url).href;
    // Each child waits for the same instant so the migrations really overlap.
    const startAt = Date.now() + 700;
    const script = `
      import { createSqliteStore } from ${JSON.stringify(moduleUrl)};
      while (Date.now() < ${startAt}) {}
      const store = await createSqliteStore({ file: process.argv[1], clock: () => new Date() });
      await store.markHandled('migrate-race', String(process.pid));
      await store.close();
    `;
    const runChild = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, file], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([runChild(), runChild(), runChild(), runChild()]);
    for (const result of results) assert.equal(result.code, 0, result.stderr);

    const raw = new BetterSqlite3(file, { readonly: true });
    t.after(() => raw.close());
    assert.deepEqual(raw.prepare('select name from kysely_migration').all(), allMigrations);
    assert.deepEqual(raw.prepare(`select count(*) as n from handled_events where consumer = 'migrate-race'`).get(), { n: 4 });
  });
});
