import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { createGroupCommit } from '../batching/create-group-commit.js';
import type { RowDecoder } from './decode-row.js';
import type { QueryContext } from './query-context.js';
import type { Selectable } from 'kysely';
import type { Database, DeliveriesTable } from './schema.js';
import type { SqliteLedgerConnection } from './open-sqlite-ledger.js';
import { StoreUsageError } from './store-errors.js';
import type { DeliveryRecord, Store } from './store.js';

type DeliveryQueries = Pick<Store, 'recordDelivery' | 'findDelivery'>;
type NewDelivery = Omit<DeliveryRecord, 'receivedAt'>;
type Recorded = Awaited<ReturnType<Store['recordDelivery']>>;

const keyOf = (source: string, deliveryId: string) => `${source}\u0000${deliveryId}`;

/**
 * Records the deliveries not yet known and reads every one back. A key repeated within `list` is
 * inserted once, by its first occurrence; the others are answered like redeliveries.
 */
async function recordDeliveries(db: Kysely<Database>, list: NewDelivery[], now: string, decode: RowDecoder): Promise<Recorded[]> {
  const first = new Map<string, number>();
  list.forEach((d, index) => first.has(keyOf(d.source, d.deliveryId)) || first.set(keyOf(d.source, d.deliveryId), index));
  const fresh = [...first.values()].map((index) => list[index]!);
  const inserted = await db
    .insertInto('deliveries')
    .values(fresh.map((d) => ({ source: d.source, delivery_id: d.deliveryId, event_id: d.eventId, received_at: now })))
    .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
    .returning(['source', 'delivery_id'])
    .execute();
  const insertedKeys = new Set(inserted.map((row) => keyOf(row.source, row.delivery_id)));
  const stored = new Map<string, DeliveryRecord>();
  for (const d of fresh) {
    const key = keyOf(d.source, d.deliveryId);
    if (insertedKeys.has(key)) stored.set(key, { source: d.source, deliveryId: d.deliveryId, eventId: d.eventId, receivedAt: now });
  }
  // Only deliveries recorded before (redeliveries) are read back, for their original event.
  const known = fresh.filter((d) => !insertedKeys.has(keyOf(d.source, d.deliveryId)));
  for (const source of new Set(known.map((d) => d.source))) {
    const ids = known.filter((d) => d.source === source).map((d) => d.deliveryId);
    const rows = await db.selectFrom('deliveries').selectAll().where('source', '=', source).where('delivery_id', 'in', ids).execute();
    for (const row of rows) stored.set(keyOf(row.source, row.delivery_id), decode.delivery(row));
  }
  return list.map((d, index) => {
    const key = keyOf(d.source, d.deliveryId);
    const delivery = stored.get(key);
    if (!delivery) throw new Error(`delivery ${d.source}/${d.deliveryId} vanished after insert`);
    return { inserted: first.get(key) === index && insertedKeys.has(key), delivery };
  });
}

/**
 * The ledger's two queries as prepared SQLite statements on the ledger's own connection and file
 * (see openSqliteLedger), run synchronously: ingest calls them for every delivery, where Kysely's
 * compile and connection round trip cost several times the lookup.
 */
function createSqliteLedger({ database, busyTimeoutMs }: SqliteLedgerConnection, decode: RowDecoder) {
  const select = database.prepare<[string, string], Selectable<DeliveriesTable>>(
    'SELECT source, delivery_id, event_id, received_at FROM deliveries WHERE source = ? AND delivery_id = ?',
  );
  const insert = database.prepare<[string, string, string, string]>(
    'INSERT INTO deliveries (source, delivery_id, event_id, received_at) VALUES (?, ?, ?, ?) ON CONFLICT (source, delivery_id) DO NOTHING',
  );
  const find = (source: string, deliveryId: string): DeliveryRecord | undefined => {
    const row = select.get(source, deliveryId);
    return row && decode.delivery(row);
  };
  // One (immediate: the write lock first) transaction for the batch; a key repeated in it is inserted by its first occurrence and
  // the later ones read that row back, like redeliveries.
  const record = database.transaction((list: NewDelivery[], now: string): Recorded[] =>
    list.map((d) => {
      if (insert.run(d.source, d.deliveryId, d.eventId, now).changes > 0) {
        // Spelled out, not `{ ...d, receivedAt }`: in Node 20's V8 every literal that opens with a spread
        // and adds properties is promoted out of the young generation (tests/integration/young-objects.test.ts).
        return { inserted: true, delivery: { source: d.source, deliveryId: d.deliveryId, eventId: d.eventId, receivedAt: now } };
      }
      const delivery = find(d.source, d.deliveryId);
      if (!delivery) throw new Error(`delivery ${d.source}/${d.deliveryId} vanished after insert`);
      return { inserted: false, delivery };
    }),
  );
  return { find, record, busyTimeoutMs };
}

const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code));

/**
 * The ledger of accepted deliveries, keyed by (source, delivery id), used outside transactions only:
 * it commits on its own. Concurrent `recordDelivery` calls are group-committed: one transaction (one
 * commit round trip on PostgreSQL) records them all, and each call resolves once that has committed.
 *
 * On SQLite a call resolves at the commit, without waiting for its fsync. The ledger only answers
 * redeliveries; what must be durable before a delivery is acknowledged is its event, already synced
 * on the bus. A commit survives the process crashing; only a power cut can lose the last rows, and
 * then a redelivery publishes its event again under the same derived id, which consumers skip. That
 * spares every delivery a second fsync in series (bench/ingest: p99 at 1,000/s).
 */
export function createDeliveryQueries(ctx: QueryContext): DeliveryQueries {
  const { transact, sqliteLedger: openLedger } = ctx;
  let prepared: ReturnType<typeof createSqliteLedger> | undefined;
  // Opened and prepared on first use: a process that never ingests never opens the ledger's file.
  const sqliteLedger = openLedger && (() => (prepared ??= createSqliteLedger(openLedger(), ctx.decode)));
  const commitBatch = async (batch: NewDelivery[]): Promise<Recorded[]> => {
    const now = ctx.now();
    if (!sqliteLedger) return transact!((db) => recordDeliveries(db, batch, now, ctx.decode));
    const ledger = sqliteLedger();
    // The connection has no busy handler: while another process (`--workers`) holds the file's write lock,
    // SQLITE_BUSY comes back at once, and the commit is retried every millisecond while this thread serves.
    const started = performance.now();
    for (;;) {
      try {
        return ledger.record.immediate(batch, now);
      } catch (error) {
        if (!isBusy(error) || performance.now() - started >= ledger.busyTimeoutMs) throw error;
      }
      await sleep(1);
    }
  };
  const commit = transact && createGroupCommit(commitBatch, { maxBatch: 500 });
  /** The executor, outside transaction() only: the ledger commits on its own (on SQLite it is another file). */
  const outsideTransaction = () => {
    const db = ctx.db();
    if (!commit) throw new StoreUsageError('deliveries are recorded and read outside transaction(): the ledger commits on its own');
    return { db, commit };
  };

  return {
    async findDelivery(source, deliveryId) {
      const { db } = outsideTransaction();
      if (sqliteLedger) return sqliteLedger().find(source, deliveryId);
      const row = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('source', '=', source)
        .where('delivery_id', '=', deliveryId)
        .executeTakeFirst();
      return row && ctx.decode.delivery(row);
    },
    async recordDelivery({ source, deliveryId, eventId }) {
      // Checked here, in the caller's context: the batch commits later, outside it.
      return outsideTransaction().commit({ source, deliveryId, eventId });
    },
  };
}
