import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { shareForegroundWork } from '../../shared/bus/foreground-work.js';
import { NightshiftError } from '../../shared/errors.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';
import { startConsumerThread } from './consumer-thread/start-consumer-thread.js';
import { createHttpApp } from './create-http-app.js';
import { createRole } from './create-roles.js';
import { openBus } from './open-bus.js';
import { openConfiguredStore } from './open-configured-store.js';
import { openErrorReporting } from './open-error-reporting.js';
import { consumingRoles, type RoleName } from './role.js';
import { settleAll } from './settle-all.js';
import { startRoleHandlers, type RoleHandlers } from './start-role-handlers.js';

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
  /** A test clock; it cannot cross into a consumer thread, so set `bus.kafka.consumerThread` false with it. */
  now?: () => Date;
  /** The configuration file it was loaded from: the triage role reads and watches its rules. */
  configFile?: string | null;
}

/** Past the 60 s idle timeout of common load balancers and proxies (see `server.keepAliveTimeoutMs`). */
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

/** Time between sweeps of connections that went idle while stopping. */
const STOP_SWEEP_MS = 50;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // A connection still serving a request goes idle once it is answered: closed then by the next sweep,
    // not after the keep-alive timeout (65 s), which `close` would otherwise wait out.
    const sweep = setInterval(() => server.closeIdleConnections(), STOP_SWEEP_MS);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * The consuming roles that go to a consumer thread: on Kafka (the embedded bus wakes its consumers
 * in-process), when this process also serves HTTP and the configuration does not say otherwise.
 */
function threadedRoles(config: NightshiftConfig, roles: RoleName[]): RoleName[] {
  const consuming = roles.filter((name) => consumingRoles.includes(name));
  const serving = roles.some((name) => !consumingRoles.includes(name));
  return config.bus.kind === 'kafka' && config.bus.kafka.consumerThread && serving ? consuming : [];
}

/** Both sides' handlers as one: "ok" when both are, stopped together. */
function joinHandlers(parts: RoleHandlers[]): RoleHandlers {
  return {
    status: () => parts.map((part) => part.status()).find((status) => status !== 'ok') ?? 'ok',
    started: Promise.all(parts.map((part) => part.started)).then(() => {}),
    stop: () => settleAll(parts.map((part) => part.stop())),
  };
}

/** Runs the given roles in this process on the configured store and bus. */
export async function startNightshift({ config, roles: roleNames, log: baseLog, now, configFile = null }: StartOptions): Promise<RunningNightshift> {
  const inThread = threadedRoles(config, roleNames);
  if (inThread.length > 0 && now) {
    throw new NightshiftError('CONFIG_INVALID', 'a test clock cannot reach the consumer thread: set bus.kafka.consumerThread to false');
  }
  const clock = now ?? (() => new Date());
  const errorReporting = await openErrorReporting(config, baseLog);
  const { log } = errorReporting;
  const store = await openConfiguredStore(config, clock);
  const metrics = createMetrics();
  const bus = openBus(config, { log, now: clock, metrics });
  let server: Server | undefined;
  let handlers: RoleHandlers | undefined;
  try {
    await bus.start();
    metrics.watch({
      ...(bus.lag ? { busLag: () => bus.lag!() } : {}),
      incidentsByStatus: () => store.countIncidentsByStatus(),
    });
    const roles = await Promise.all(roleNames.filter((name) => !inThread.includes(name)).map((name) => createRole(name, config, { configFile })));
    const ctx = { bus, store, now: clock, log, config, metrics };
    const app = createHttpApp({ roles, roleNames, ctx, subscriptions: () => handlers?.status() ?? 'starting' });
    server = createServer(app);
    server.keepAliveTimeout = config.server.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
    // Not shorter than the keep-alive wait, which the next request's headers may arrive at the end of.
    server.headersTimeout = Math.max(server.headersTimeout, server.keepAliveTimeout + 1_000);
    // Listening comes first: a Kafka group rejoining after a crash waits out the dead member's session
    // (~30 s), and /healthz must not wait with it; /readyz answers 503 until every handler is subscribed.
    const address = await listen(server, config.server.port, config.server.host);
    // The thread first: should it fail to start (its data not cloneable), nothing here has started yet.
    const thread = inThread.length > 0 ? startConsumerThread({ config, roles: inThread, configFile, foreground: shareForegroundWork(), logLevel: log.level }, { log }) : undefined;
    if (thread) metrics.addThread(() => thread.metrics());
    handlers = joinHandlers([startRoleHandlers(roles, ctx), ...(thread ? [thread] : [])]);
    await handlers.started;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    log.info({ roles: roleNames, consumerThread: inThread, bus: bus.kind, store: store.kind, port: address.port }, 'nightshift started');
    const running = server;
    const started = handlers;
    return {
      url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
      async stop() {
        await closeServer(running);
        await started.stop();
        await bus.close();
        await store.close();
        log.info('nightshift stopped');
        await errorReporting.close();
      },
    };
  } catch (error) {
    if (server) await closeServer(server);
    await handlers?.stop().catch(() => {});
    await bus.close().catch(() => {});
    await store.close().catch(() => {});
    await errorReporting.close();
    throw error;
  }
}
