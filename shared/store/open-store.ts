import { assertNever } from '../errors.js';
import { createPostgresStore } from './create-postgres-store.js';
import { createSqliteStore } from './create-sqlite-store.js';
import type { Store } from './store.js';

/** Which store to open, as configuration describes it. */
export type StoreConfig =
  | { kind: 'sqlite'; file: string; busyTimeoutMs?: number }
  | { kind: 'postgres'; url: string; poolSize?: number };

/** Opens and migrates the configured store. */
export function openStore(config: StoreConfig, { clock }: { clock: () => Date }): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return createSqliteStore({ file: config.file, clock, busyTimeoutMs: config.busyTimeoutMs });
    case 'postgres':
      return createPostgresStore({ url: config.url, clock, poolSize: config.poolSize });
    default:
      return assertNever(config, 'store kind');
  }
}
