import type { Database } from 'better-sqlite3';

/**
 * The SQLite store's own connection, for the few hot queries that run as prepared statements
 * rather than through Kysely (whose compile, promise and mutex cost more than the query itself).
 * Only outside a transaction: better-sqlite3 runs a statement synchronously, so one that starts
 * while `database.inTransaction` is false cannot join another caller's open transaction.
 */
export interface SqliteDirect {
  database: Database;
  /** Resolves once everything committed so far is on disk (the WAL sync the dialect awaits too). */
  sync(): Promise<void>;
}
