export type * from './store.js';
export type { StoreKind } from './schema.js';
export { createSqliteStore, type SqliteStoreOptions } from './create-sqlite-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './create-postgres-store.js';
export { openStore, type StoreConfig } from './open-store.js';
export {
  ConflictError,
  InvalidRecordError,
  MigrationError,
  MissingReferenceError,
  NotFoundError,
  StoreBusyError,
  StoreUnavailableError,
  StoreUsageError,
} from './store-errors.js';
