// The consumer thread (see startConsumerThread): the consuming roles' bus handlers and background
// work, on a bus client and store connection of its own, at a lower CPU priority than the HTTP thread.
import { parentPort, workerData } from 'node:worker_threads';
import type { LevelWithSilent } from 'pino';
import { adoptForegroundWork } from '../../../shared/bus/foreground-work.js';
import { createLogger } from '../../../shared/log/index.js';
import { createMetrics } from '../../../shared/telemetry/create-metrics.js';
import { createRole } from '../create-roles.js';
import { openBus } from '../open-bus.js';
import { openConfiguredStore } from '../open-configured-store.js';
import { openErrorReporting } from '../open-error-reporting.js';
import { startRoleHandlers, type RoleHandlers } from '../start-role-handlers.js';
import { crossError, type ConsumerThreadData, type FromConsumerThread, type ToConsumerThread } from './consumer-thread-messages.js';
import { lowerThreadPriority } from '../lower-thread-priority.js';

const port = parentPort!;
const send = (message: FromConsumerThread) => port.postMessage(message);
const { config, roles: roleNames, configFile, foreground, logLevel } = workerData as ConsumerThreadData;
// The consumer pacer then sees the HTTP thread's requests, as it would in one thread.
adoptForegroundWork(foreground);

const lowered = lowerThreadPriority();
// Lines cross to the HTTP thread, which writes them through the logger it was given: one destination,
// and the caller's level and bindings, as if the roles ran there.
const relay = { write: (line: string) => send({ type: 'log', line }) };
const threadLog = createLogger({ level: logLevel as LevelWithSilent, destination: relay }).child({ thread: 'consumers' });
const reporting = await openErrorReporting(config, threadLog);
const { log } = reporting;
const now = () => new Date();
const metrics = createMetrics({ thread: 'consumers' });
const closers: (() => Promise<void>)[] = [() => reporting.close()];
let handlers: RoleHandlers | undefined;

async function closeAll(): Promise<void> {
  await handlers?.stop();
  for (const close of closers.splice(0).reverse()) await close();
}

port.on('message', (message: ToConsumerThread) => {
  if (message.type === 'metrics') {
    metrics.registry.getMetricsAsJSON().then(
      (json) => send({ type: 'metrics', id: message.id, metrics: json }),
      (error: unknown) => send({ type: 'metrics', id: message.id, error: crossError(error) }),
    );
    return;
  }
  closeAll().then(
    () => send({ type: 'stopped' }),
    (error: unknown) => send({ type: 'stopped', error: crossError(error) }),
  );
});

try {
  const store = await openConfiguredStore(config, now);
  closers.push(() => store.close());
  const bus = openBus(config, { log, now, metrics });
  closers.push(() => bus.close());
  await bus.start();
  if (bus.lag) metrics.watch({ busLag: () => bus.lag!() });
  const roles = await Promise.all(roleNames.map((name) => createRole(name, config, { configFile })));
  const routed = roles.filter((role) => role.router || role.plainRouter);
  if (routed.length > 0) throw new Error(`roles with HTTP routes cannot run in the consumer thread: ${routed.map((r) => r.name).join(', ')}`);
  handlers = startRoleHandlers(roles, { bus, store, now, log, config, metrics }, { onStatus: (status) => send({ type: 'status', status }) });
  await handlers.started;
  log.info({ roles: roleNames, lowerPriority: lowered }, 'consumer thread started');
  send({ type: 'started' });
} catch (error) {
  await closeAll().catch(() => {});
  send({ type: 'failed', error: crossError(error) });
}
