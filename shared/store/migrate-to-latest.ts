import { Migrator, type Kysely } from 'kysely';
import { NightshiftError } from '../errors.js';
import { createMigrations } from './migrations.js';
import type { Database, StoreKind } from './schema.js';
import { MigrationError } from './store-errors.js';
import { translateDbError } from './translate-db-error.js';

/**
 * Applies pending migrations. Kysely's Migrator holds a lock while it runs (a PostgreSQL advisory lock;
 * on SQLite the `begin immediate` transaction of our dialect), so processes starting together are safe.
 */
export async function migrateToLatest(db: Kysely<Database>, kind: StoreKind): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => createMigrations(kind) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const translated = translateDbError(error);
  // An unreachable or busy database is worth retrying; say so rather than hiding it in a migration error.
  if (translated instanceof NightshiftError && translated.retriable) throw translated;
  throw new MigrationError(results?.find((r) => r.status === 'Error')?.migrationName, error);
}
