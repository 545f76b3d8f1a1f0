import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import type { Bus } from '../../shared/bus/bus.js';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import type { NightshiftEvent, Topic } from '../../shared/events/registry.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createMetrics, type Metrics } from '../../shared/telemetry/create-metrics.js';
import { createIngestRouter } from '../../services/ingest/create-ingest-router.js';
import type { Receiver } from '../../services/ingest/receiver.js';
import { tempDir } from './wait.js';

export interface IngestTestApp {
  url: string;
  bus: Bus;
  store: Store;
  metrics: Metrics;
  close(): Promise<void>;
}

/**
 * The ingest router with the given receivers on a loopback port, over a real embedded bus and SQLite
 * store; `onEvent` sees every event published on `topics`.
 */
export async function startIngestApp(
  routes: [string, Receiver][],
  { topics = ['alerts'], onEvent = () => {}, maxBodyBytes = 1024 * 1024 }: { topics?: Topic[]; onEvent?: (event: NightshiftEvent) => void; maxBodyBytes?: number } = {},
): Promise<IngestTestApp> {
  const dir = await tempDir('nightshift-ingest-');
  const log = pino({ level: process.env.NIGHTSHIFT_TEST_LOG_LEVEL ?? 'silent' });
  const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: () => new Date() });
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log, pollIntervalMs: 20 });
  await bus.start();
  await bus.subscribe({ group: 'ingest-test-observer', topics, handler: async (event) => onEvent(event) });
  const metrics = createMetrics();
  const app = express().use(createIngestRouter({ bus, store, metrics, log, now: () => new Date(), maxBodyBytes, routes }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bus,
    store,
    metrics,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bus.close();
      await store.close();
      await dir.cleanup();
    },
  };
}
