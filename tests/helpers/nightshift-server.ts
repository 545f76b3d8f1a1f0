import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/config-schema.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { startNightshift, type RunningNightshift } from '../../services/runtime/start-nightshift.js';
import type { RoleName } from '../../services/runtime/role.js';
import { tempDir } from './wait.js';

export interface TestServer extends RunningNightshift {
  dataDir: string;
  /** Stops the server and removes its data directory. */
  close(): Promise<void>;
}

/**
 * A real Nightshift (HTTP, embedded bus, SQLite store) on a free loopback port, in its own data
 * directory. `configure` adjusts the default configuration, e.g. to set webhook secrets.
 */
export async function startTestServer(
  configure: (config: NightshiftConfig) => void = () => {},
  options: { roles?: RoleName[]; now?: () => Date; configFile?: string; log?: Logger } = {},
): Promise<TestServer> {
  const dir = await tempDir();
  const config = createDefaultConfig();
  config.dataDir = join(dir.path, 'data');
  config.server = { host: '127.0.0.1', port: 0 as number };
  config.log.level = 'silent';
  configure(config);
  const running = await startNightshift({
    config,
    roles: options.roles ?? ['ingest', 'console'],
    log: options.log ?? pino({ level: process.env.NIGHTSHIFT_TEST_LOG_LEVEL ?? 'silent' }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.configFile ? { configFile: options.configFile } : {}),
  });
  return {
    ...running,
    dataDir: config.dataDir,
    async close() {
      await running.stop();
      await dir.cleanup();
    },
  };
}
