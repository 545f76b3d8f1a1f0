import { join } from 'node:path';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { openStore } from '../../shared/store/open-store.js';
import type { Store } from '../../shared/store/store.js';

/** The store the configuration selects: PostgreSQL, or SQLite in the data directory. */
export function openConfiguredStore(config: NightshiftConfig, clock: () => Date = () => new Date()): Promise<Store> {
  const where = config.store.kind === 'postgres' ? { kind: 'postgres' as const, url: config.store.url! } : { kind: 'sqlite' as const, file: join(config.dataDir, 'nightshift.sqlite') };
  return openStore(where, { clock });
}
