import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDatabase,
} from 'kysely';

/**
 * `begin immediate` takes the write lock when the transaction starts. With a plain (deferred) `begin`,
 * a transaction that reads and then writes can fail with SQLITE_BUSY when another process wrote in
 * between, and busy_timeout cannot help because waiting would not change the snapshot.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    super({ database });
    this.#database = database;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Kysely's SqliteDialect with immediate transactions and transactional migrations (see above). */
export function createSqliteDialect(database: SqliteDatabase): SqliteDialect {
  return new NightshiftSqliteDialect(database);
}
