import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { createWalSync } from '../sqlite/create-wal-sync.js';
import { enableWalJournal } from '../sqlite/enable-wal-journal.js';
import { createSqliteDialect } from './create-sqlite-dialect.js';
import { createKyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { openSqliteLedger, type SqliteLedgerConnection } from './open-sqlite-ledger.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { translateDbError } from './translate-db-error.js';

export interface SqliteStoreOptions {
  /** Database file; its directory is created. `:memory:` gives a private in-memory database. */
  file: string;
  clock: () => Date;
  /**
   * How long a write waits for another process's lock before failing with STORE_BUSY. better-sqlite3
   * waits synchronously, blocking the event loop meanwhile, so keep it short.
   */
  busyTimeoutMs?: number;
}

/** Opens (creating if needed) and migrates a SQLite store: the embedded, single-machine default. */
export async function createSqliteStore({ file, clock, busyTimeoutMs = 5_000 }: SqliteStoreOptions): Promise<Store> {
  if (file !== ':memory:') await mkdir(dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file, { timeout: busyTimeoutMs });
  try {
    // WAL lets readers run beside the writer. Commits only write the log (NORMAL); the dialect
    // resolves a write once the log is synced off the event loop, so it survives power loss as
    // with FULL without stopping the process for each fsync.
    enableWalJournal(sqlite, busyTimeoutMs);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    sqlite.close();
    throw translateDbError(error);
  }
  const wal = file === ':memory:' ? undefined : createWalSync(sqlite, file);
  const db = new Kysely<Database>({ dialect: createSqliteDialect(sqlite, wal ? { wal } : {}) });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let ledger: SqliteLedgerConnection | undefined;
  return createKyselyStore({
    db,
    kind: 'sqlite',
    clock,
    sqliteLedger: () => (ledger ??= openSqliteLedger(file, busyTimeoutMs)),
    closeAlso: async () => ledger?.close(),
  });
}
