import type { Database } from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { WalSync } from '../sqlite/create-wal-sync.js';
import { cacheSqliteStatements } from './cache-sqlite-statements.js';

/**
 * Kysely's SQLite connection, with cached statements. It notes when the database changed outside
 * a transaction (a statement that committed on its own, or a commit) so that the driver syncs the
 * log before that query resolves.
 */
class DurableSqliteConnection implements DatabaseConnection {
  readonly #database: Database;
  readonly #prepare: ReturnType<typeof cacheSqliteStatements>;
  /** Set by a write that committed; taken when the connection is released. */
  committed = false;

  constructor(database: Database) {
    this.#database = database;
    this.#prepare = cacheSqliteStatements(database);
  }

  async executeQuery<R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(sql);
    let result: QueryResult<R>;
    if (statement.reader) {
      result = { rows: statement.all(parameters) as R[] };
    } else {
      const { changes, lastInsertRowid } = statement.run(parameters);
      result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    }
    if (!statement.readonly && !this.#database.inTransaction) this.committed = true;
    return result;
  }

  async *streamQuery<R>({ sql, parameters, query }: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query)) throw new Error('the SQLite driver only streams select queries');
    for (const row of this.#prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }
}

/**
 * `begin immediate` takes the write lock when the transaction starts. With a plain (deferred) `begin`,
 * a transaction that reads and then writes can fail with SQLITE_BUSY when another process wrote in
 * between, and busy_timeout cannot help because waiting would not change the snapshot.
 *
 * A query or transaction that committed resolves only once the log is synced (see `createWalSync`),
 * but the connection is released before that wait: other queries run meanwhile instead of queueing
 * behind the disk. Kysely awaits `releaseConnection` before it hands back a result.
 */
class NightshiftSqliteDriver extends SqliteDriver {
  readonly #connection: DurableSqliteConnection;
  readonly #wal: WalSync | undefined;

  constructor(database: Database, wal: WalSync | undefined) {
    super({ database });
    this.#connection = new DurableSqliteConnection(database);
    this.#wal = wal;
  }

  /** The parent's mutex serialises use of the one connection; the connection handed out is ours. */
  override async acquireConnection(): Promise<DatabaseConnection> {
    await super.acquireConnection();
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
    this.#connection.committed = true;
  }

  override async releaseConnection(): Promise<void> {
    const committed = this.#connection.committed;
    this.#connection.committed = false;
    await super.releaseConnection();
    if (committed) await this.#wal?.sync();
  }

  override async destroy(): Promise<void> {
    await this.#wal?.close();
    await super.destroy();
  }
}

/**
 * SQLite does have transactional DDL; Kysely's adapter says otherwise only to stay conservative.
 * Claiming it makes the Migrator run all pending migrations in one (immediate) transaction, which
 * both rolls back a half-applied migration and serialises two processes migrating the same file.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NightshiftSqliteDialect extends SqliteDialect {
  readonly #database: Database;
  readonly #wal: WalSync | undefined;

  constructor(database: Database, wal: WalSync | undefined) {
    super({ database });
    this.#database = database;
    this.#wal = wal;
  }

  override createDriver(): Driver {
    return new NightshiftSqliteDriver(this.#database, this.#wal);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/**
 * Kysely's SqliteDialect with immediate transactions, transactional migrations, cached statements,
 * and writes that are durable when they resolve: `wal` syncs the log of a WAL-mode connection that
 * runs with `synchronous = NORMAL` (absent for an in-memory database, which has nothing to sync).
 */
export function createSqliteDialect(database: Database, { wal }: { wal?: WalSync } = {}): SqliteDialect {
  return new NightshiftSqliteDialect(database, wal);
}
