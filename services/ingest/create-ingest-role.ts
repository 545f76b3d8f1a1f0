import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { NightshiftConfig } from '../../shared/config/index.js';
import type { Role } from '../runtime/role.js';
import { createIngestRouter } from './create-ingest-router.js';
import { createIngestRoutes } from './create-ingest-routes.js';
import { createOffloadPolicy, type OffloadPolicy } from './receive-pool/create-offload-policy.js';
import { createReceivePool, type ReceivePool } from './receive-pool/create-receive-pool.js';

/**
 * Receive threads when the configuration does not say: one per core beyond the HTTP thread's, at
 * most 4; none on one core, and none in a `--workers` process, where processes already share the cores.
 */
export function defaultReceiveThreads(cores = availableParallelism(), inClusterWorker = cluster.isWorker): number {
  return inClusterWorker ? 0 : Math.max(0, Math.min(4, cores - 1));
}

function receiveThreads(ingest: NightshiftConfig['ingest']): number {
  return ingest.receiveThreads ?? defaultReceiveThreads();
}

/** The webhook receivers and the Sentry SDK intake. */
export function createIngestRole(): Role {
  let pool: ReceivePool | undefined;
  let policy: OffloadPolicy | undefined;
  return {
    name: 'ingest',
    handlers: [],
    plainRouter: ({ bus, store, metrics, log, now, config }) => {
      const roleLog = log.child({ role: 'ingest' });
      const threads = receiveThreads(config.ingest);
      pool = threads > 0 ? createReceivePool(config.ingest, threads, roleLog) : undefined;
      // The threads take deliveries only while the HTTP thread is busy, or a body is large.
      policy = pool ? createOffloadPolicy({ takeOffloadedMs: pool.takeWorkMs }) : undefined;
      const routes = createIngestRoutes(config.ingest);
      const threaded = pool && policy ? { receivePool: pool, offload: policy.offload } : {};
      return createIngestRouter({ bus, store, metrics, log: roleLog, now, maxBodyBytes: config.ingest.maxBodyBytes, routes, ...threaded });
    },
    // After the server closed: no request is left waiting on a thread.
    start: () => () => {
      policy?.close();
      void pool?.close();
    },
  };
}
