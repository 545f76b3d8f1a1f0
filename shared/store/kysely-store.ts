import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import { createAlertQueries } from './create-alert-queries.js';
import { createAuditQueries } from './create-audit-queries.js';
import { createControlQueries } from './create-control-queries.js';
import { createDeliveryQueries } from './create-delivery-queries.js';
import { createFixQueries } from './create-fix-queries.js';
import { createIncidentQueries } from './create-incident-queries.js';
import { createRowDecoder, type RowDecoder } from './decode-row.js';
import type { QueryContext } from './query-context.js';
import type { Database, StoreKind } from './schema.js';
import type { SqliteLedgerConnection } from './open-sqlite-ledger.js';
import type { Store } from './store.js';
import { StoreUsageError } from './store-errors.js';
import { withTranslatedErrors } from './translate-db-error.js';

export interface KyselyStoreOptions {
  /** A migrated database; the store owns it from here on and destroys it on `close()`. */
  db: Kysely<Database>;
  kind: StoreKind;
  clock: () => Date;
  /** SQLite only: the delivery ledger's own connection (see openSqliteLedger), opened on first use. */
  sqliteLedger?: () => SqliteLedgerConnection;
  /** Runs after `db` is destroyed: closes the SQLite ledger's connection. */
  closeAlso?: () => Promise<void>;
}

interface TransactionScope {
  open: boolean;
}

interface StoreParts {
  kind: StoreKind;
  ctx: QueryContext;
  transaction: Store['transaction'];
  close: Store['close'];
}

function assembleStore({ kind, ctx, transaction, close }: StoreParts): Store {
  return withTranslatedErrors<Store>({
    kind,
    async ping() {
      await sql`select 1`.execute(ctx.db());
    },
    transaction,
    ...createAlertQueries(ctx),
    ...createIncidentQueries(ctx),
    ...createFixQueries(ctx),
    ...createAuditQueries(ctx),
    ...createDeliveryQueries(ctx),
    ...createControlQueries(ctx),
    close,
  });
}

function bindTransaction(trx: Transaction<Database>, scope: TransactionScope, base: Omit<QueryContext, 'db'> & { kind: StoreKind }): Store {
  const db = (): Kysely<Database> => {
    // After commit the connection is back in the pool (or, on SQLite, shared with everyone).
    if (!scope.open) throw new StoreUsageError('the tx store was used after its transaction ended');
    return trx;
  };
  const tx: Store = assembleStore({
    kind: base.kind,
    ctx: { db, now: base.now, decode: base.decode },
    // Nested transactions join the open one: no savepoint, one commit or rollback for all of it.
    transaction: async (work) => {
      db();
      return work(tx);
    },
    close: async () => {
      throw new StoreUsageError('close() the store itself, not the tx store of a transaction');
    },
  });
  return tx;
}

/**
 * The Store over a Kysely database: one implementation of every query for both dialects. The
 * factories (`createSqliteStore`, `createPostgresStore`) open and migrate the database, then call this.
 */
export function createKyselyStore({ db, kind, clock, sqliteLedger, closeAlso }: KyselyStoreOptions): Store {
  const decode: RowDecoder = createRowDecoder(kind);
  const now = (): string => clock().toISOString();
  // Which transaction, if any, the current async call chain is inside.
  const scopes = new AsyncLocalStorage<TransactionScope>();
  let closing: Promise<void> | undefined;

  const outer = (): Kysely<Database> => {
    // On SQLite this call would wait for the connection the transaction holds: a deadlock. On
    // PostgreSQL it would silently write outside the transaction. Both are bugs in the caller.
    if (scopes.getStore()?.open) {
      throw new StoreUsageError('the store was called inside transaction(); use the tx store passed to the work function');
    }
    return db;
  };

  return assembleStore({
    kind,
    ctx: { db: outer, now, decode, transact: (work) => db.transaction().execute(work), ...(sqliteLedger ? { sqliteLedger } : {}) },
    transaction: (work) =>
      outer()
        .transaction()
        .execute(async (trx) => {
          const scope: TransactionScope = { open: true };
          try {
            return await scopes.run(scope, () => work(bindTransaction(trx, scope, { kind, now, decode })));
          } finally {
            scope.open = false;
          }
        }),
    close: () => (closing ??= db.destroy().then(closeAlso)),
  });
}
