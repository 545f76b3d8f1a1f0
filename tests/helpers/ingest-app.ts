import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import pino from 'pino';
import type { Bus } from '../../shared/bus/bus.js';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import type { NightshiftEvent, Topic } from '../../shared/events/registry.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createMetrics, type Metrics } from '../../shared/telemetry/create-metrics.js';
import { createIngestRouter } from '../../services/ingest/create-ingest-router.js';
import { sendProblem } from '../../services/runtime/send-problem.js';
import type { Receiver } from '../../services/ingest/receiver.js';
import { createIngestRoutes } from '../../services/ingest/create-ingest-routes.js';
import { createReceivePool, type ReceivePool } from '../../services/ingest/receive-pool/create-receive-pool.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
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
  {
    topics = ['alerts'],
    onEvent = () => {},
    maxBodyBytes = 1024 * 1024,
    receivePool,
    offload,
  }: { topics?: Topic[]; onEvent?: (event: NightshiftEvent) => void; maxBodyBytes?: number; receivePool?: ReceivePool; offload?: (bodyBytes: number) => boolean } = {},
): Promise<IngestTestApp> {
  const dir = await tempDir('nightshift-ingest-');
  const log = pino({ level: process.env.NIGHTSHIFT_TEST_LOG_LEVEL ?? 'silent' });
  const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: () => new Date() });
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log, pollIntervalMs: 20 });
  await bus.start();
  await bus.subscribe({ group: 'ingest-test-observer', topics, handler: async (event) => onEvent(event) });
  const metrics = createMetrics();
  const router = createIngestRouter({ bus, store, metrics, log, now: () => new Date(), maxBodyBytes, routes, ...(receivePool ? { receivePool } : {}), ...(offload ? { offload } : {}) });
  // Served as `nightshift start` serves it: on Node's plain request and response, without express.
  const server = createServer((req, res) =>
    router(req as Request, res as Response, (error?: unknown) =>
      error ? sendProblem(res, 500, 'internal-error', 'internal error') : sendProblem(res, 404, 'not-found', `no route for ${req.method} ${req.url}`),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bus,
    store,
    metrics,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await receivePool?.close();
      await bus.close();
      await store.close();
      await dir.cleanup();
    },
  };
}

/**
 * The routes `nightshift start` serves for this `ingest` configuration, received on the HTTP thread
 * (`receiveThreads` 0) or in that many receive threads.
 */
export function startConfiguredIngestApp(
  ingest: NightshiftConfig['ingest'],
  { receiveThreads, ...options }: { receiveThreads: number; topics?: Topic[]; onEvent?: (event: NightshiftEvent) => void },
): Promise<IngestTestApp> {
  const receivePool = receiveThreads > 0 ? createReceivePool(ingest, receiveThreads) : undefined;
  return startIngestApp(createIngestRoutes(ingest), { ...options, maxBodyBytes: ingest.maxBodyBytes, ...(receivePool ? { receivePool } : {}) });
}
