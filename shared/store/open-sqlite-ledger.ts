import BetterSqlite3, { type Database } from 'better-sqlite3';
import { enableWalJournal } from '../sqlite/enable-wal-journal.js';
import { startWalCheckpointer } from '../sqlite/start-wal-checkpointer.js';
import { translateDbError } from './translate-db-error.js';

/** The delivery ledger's own SQLite file, beside the store's. */
export function ledgerFileOf(storeFile: string): string {
  if (storeFile === ':memory:') return storeFile;
  return storeFile.endsWith('.sqlite') ? `${storeFile.slice(0, -'.sqlite'.length)}.ledger.sqlite` : `${storeFile}.ledger`;
}

/** A connection to the ledger file, with no busy handler: a commit that finds the file locked hears so at once. */
export interface SqliteLedgerConnection {
  database: Database;
  /** How long a commit may wait for another connection's lock in all, on a timer, before STORE_BUSY. */
  busyTimeoutMs: number;
  close(): Promise<void>;
}

/**
 * Copies the deliveries an earlier version recorded in the store's own `deliveries` table, once per
 * ledger file (its user_version says whether that was done). Repeating it is harmless: every key is
 * inserted once.
 */
function importStoreDeliveries(ledger: Database, storeFile: string): void {
  if (ledger.pragma('user_version', { simple: true }) !== 0) return;
  ledger.prepare('ATTACH DATABASE ? AS store').run(storeFile);
  try {
    const hasTable = ledger.prepare("SELECT 1 FROM store.sqlite_master WHERE type = 'table' AND name = 'deliveries'").get() !== undefined;
    ledger.transaction(() => {
      if (hasTable) ledger.exec('INSERT OR IGNORE INTO main.deliveries SELECT source, delivery_id, event_id, received_at FROM store.deliveries');
      ledger.pragma('user_version = 1');
    }).immediate();
  } finally {
    ledger.exec('DETACH DATABASE store');
  }
}

/**
 * Opens the delivery ledger of the SQLite store in `storeFile`. It is a file of its own because
 * SQLite has one write lock per file: in the store's file, every ledger commit of ingest waited for
 * whatever transaction another connection held there, and the consumer thread's triage holds them
 * at a lower CPU priority, so a preempted one held ingest up for as long as it waited for a core
 * (commits waiting up to 45 ms at 1,000 deliveries/s with every role). Only ingest writes here.
 */
export function openSqliteLedger(storeFile: string, busyTimeoutMs: number): SqliteLedgerConnection {
  const file = ledgerFileOf(storeFile);
  const database = new BetterSqlite3(file, { timeout: busyTimeoutMs });
  try {
    if (file !== ':memory:') enableWalJournal(database, busyTimeoutMs);
    // As the store: a commit writes the log; the ledger only answers redeliveries (see createDeliveryQueries).
    database.pragma('synchronous = NORMAL');
    database.exec(
      'CREATE TABLE IF NOT EXISTS deliveries (source TEXT NOT NULL, delivery_id TEXT NOT NULL, event_id TEXT NOT NULL, ' +
        'received_at TEXT NOT NULL, CONSTRAINT deliveries_pk PRIMARY KEY (source, delivery_id))',
    );
    if (file !== ':memory:') importStoreDeliveries(database, storeFile);
    // From here on the caller waits, on a timer, instead of SQLite in a busy handler that blocks the thread.
    database.pragma('busy_timeout = 0');
  } catch (error) {
    database.close();
    throw translateDbError(error);
  }
  const checkpointer = file === ':memory:' ? undefined : startWalCheckpointer(database, file);
  return {
    database,
    busyTimeoutMs,
    async close() {
      await checkpointer?.stop();
      database.close();
    },
  };
}
