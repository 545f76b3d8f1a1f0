import type { Kysely } from 'kysely';
import type { RowDecoder } from './decode-row.js';
import type { Database } from './schema.js';
import type { SqliteLedgerConnection } from './open-sqlite-ledger.js';

/** What every group of queries needs; bound once per store (and once per transaction). */
export interface QueryContext {
  /** The executor: the pool/connection, or the open transaction. Checks it may be used right now. */
  db(): Kysely<Database>;
  /** The injected clock, as the ISO string every timestamp column stores. */
  now(): string;
  decode: RowDecoder;
  /**
   * Runs `work` in a transaction of its own, for writes batched across callers. Absent inside
   * `transaction()`, where every write joins the open transaction instead.
   */
  transact?: <T>(work: (db: Kysely<Database>) => Promise<T>) => Promise<T>;
  /** SQLite: the delivery ledger's own connection, opened on first use; absent on PostgreSQL and inside `transaction()`. */
  sqliteLedger?: () => SqliteLedgerConnection;
}
