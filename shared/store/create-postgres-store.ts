import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createKyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrate-to-latest.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  clock: () => Date;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * Errors of idle pooled connections (server restart, network drop). pg drops the broken client and
   * the next query opens a new one; without a listener the error would crash the process.
   */
  onPoolError?: (error: Error) => void;
}

/** Connects to and migrates a PostgreSQL store: the scale-out choice, shared by every process. */
export async function createPostgresStore({ url, clock, poolSize = 10, onPoolError }: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', onPoolError ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore({ db, kind: 'postgres', clock });
}
