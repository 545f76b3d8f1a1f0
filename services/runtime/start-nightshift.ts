import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Subscription } from '../../shared/bus/bus.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { openStore } from '../../shared/store/open-store.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';
import { bindHandler } from './bind-handler.js';
import { createHttpApp } from './create-http-app.js';
import { createRole } from './create-roles.js';
import { openBus } from './open-bus.js';
import { openErrorReporting } from './open-error-reporting.js';
import type { RoleName } from './role.js';

export interface RunningNightshift {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Graceful stop: no new requests, in-flight requests and handlers finish, offsets commit, all closes. */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: NightshiftConfig;
  roles: RoleName[];
  log: Logger;
  now?: () => Date;
  /** The configuration file it was loaded from: the triage role reads and watches its rules. */
  configFile?: string | null;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** Runs the given roles in this process on the configured store and bus. */
export async function startNightshift({ config, roles: roleNames, log: baseLog, now = () => new Date(), configFile = null }: StartOptions): Promise<RunningNightshift> {
  const errorReporting = await openErrorReporting(config, baseLog);
  const { log } = errorReporting;
  const store = await openStore(
    config.store.kind === 'postgres' ? { kind: 'postgres', url: config.store.url! } : { kind: 'sqlite', file: join(config.dataDir, 'nightshift.sqlite') },
    { clock: now },
  );
  const bus = openBus(config, { log, now });
  const subscriptions: Subscription[] = [];
  const stops: (() => void)[] = [];
  let server: Server | undefined;
  try {
    await bus.start();
    const metrics = createMetrics();
    metrics.watch({
      ...(bus.lag ? { busLag: () => bus.lag!() } : {}),
      incidentsByStatus: () => store.countIncidentsByStatus(),
    });
    const roles = await Promise.all(roleNames.map((name) => createRole(name, config, { configFile })));
    const bindings = roles.flatMap((role) => role.handlers);
    let joined = false;
    const ctx = { bus, store, now, log, config, metrics };
    const app = createHttpApp({ roles, ctx, subscriptions: () => (joined ? 'ok' : `joining (${subscriptions.length} of ${bindings.length} subscribed)`) });
    server = createServer(app);
    // Listening comes first: a Kafka group rejoining after a crash waits out the dead member's session
    // (~30 s), and /healthz must not wait with it; /readyz answers 503 until every handler is subscribed.
    const address = await listen(server, config.server.port, config.server.host);
    // All at once, so the joins wait in parallel; each one that succeeded is kept, to be stopped.
    const outcomes = await Promise.allSettled(
      bindings.map(async (binding) => {
        const subscription = await bindHandler(binding, { bus, store, now, log, metrics });
        subscriptions.push(subscription);
      }),
    );
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    for (const role of roles) if (role.start) stops.push(role.start(ctx));
    joined = true;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    log.info({ roles: roleNames, bus: bus.kind, store: store.kind, port: address.port }, 'nightshift started');
    const running = server;
    return {
      url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
      async stop() {
        await closeServer(running);
        for (const stop of stops) stop();
        await Promise.all(subscriptions.map((s) => s.stop()));
        await bus.close();
        await store.close();
        log.info('nightshift stopped');
        await errorReporting.close();
      },
    };
  } catch (error) {
    if (server) await closeServer(server);
    for (const stop of stops) stop();
    await Promise.allSettled(subscriptions.map((s) => s.stop()));
    await bus.close().catch(() => {});
    await store.close().catch(() => {});
    await errorReporting.close();
    throw error;
  }
}
