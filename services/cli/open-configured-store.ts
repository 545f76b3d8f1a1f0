import { join } from 'node:path';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { openStore } from '../../shared/store/open-store.js';
import type { Store } from '../../shared/store/store.js';

/** The store `nightshift start` would use with this configuration, for commands that read or set it. */
export function openConfiguredStore(config: NightshiftConfig): Promise<Store> {
  const where = config.store.kind === 'postgres' ? { kind: 'postgres' as const, url: config.store.url! } : { kind: 'sqlite' as const, file: join(config.dataDir, 'nightshift.sqlite') };
  return openStore(where, { clock: () => new Date() });
}
