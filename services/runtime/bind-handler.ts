import type { Logger } from 'pino';
import type { Bus, Subscription } from '../../shared/bus/bus.js';
import { deriveEventId } from '../../shared/events/create-event.js';
import type { NightshiftEvent, Topic } from '../../shared/events/registry.js';
import type { Store } from '../../shared/store/store.js';
import { createMetrics, type Metrics } from '../../shared/telemetry/create-metrics.js';

export interface HandlerDeps {
  /** Bound to the handler's transaction (its writes commit together or not at all), unless the binding is not transactional. */
  store: Store;
  now: () => Date;
  log: Logger;
  /** The process's metrics, to count what the handler did (`metrics.fixes.inc({ strategy, outcome })`). */
  metrics: Metrics;
}

/**
 * A service handler: reads one event, writes its state, returns the events it emits. Pure-ish, so it
 * is tested without a bus. Emitted events get ids derived from the input event's id, which makes a
 * repeated delivery emit the very same events (and consumers downstream see the repeat).
 */
export type ServiceHandler = (event: NightshiftEvent, deps: HandlerDeps) => Promise<NightshiftEvent[]>;

export interface HandlerBinding {
  /** Consumer group, one per role: `triage`, `fixer`, … */
  group: string;
  topics: Topic[];
  handle: ServiceHandler;
  /**
   * False for handlers that wait on slow I/O (log APIs, git): they get the store itself and open
   * their own short transactions, so a long read never holds the database's write lock. Their
   * writes must be idempotent on their own. Default true.
   */
  transactional?: boolean;
}

/**
 * Binds a handler to the bus, at least once and idempotent: an event this group already handled is
 * skipped; otherwise the handler's writes commit in one transaction, its events are published, and
 * only then is the event marked handled. A crash in between repeats the handler, which is why its
 * writes must be idempotent by key and its emitted ids are derived.
 */
export function bindHandler(
  binding: HandlerBinding,
  deps: { bus: Bus; store: Store; now: () => Date; log: Logger; metrics?: Metrics },
): Promise<Subscription> {
  const log = deps.log.child({ group: binding.group });
  // Tests that bind one handler need not care; a process passes its one registry.
  const metrics = deps.metrics ?? createMetrics();
  return deps.bus.subscribe({
    group: binding.group,
    topics: binding.topics,
    handler: async (event) => {
      if (await deps.store.hasHandled(binding.group, event.id)) {
        log.debug({ eventId: event.id }, 'repeat delivery skipped');
        return;
      }
      const handlerLog = log.child({ eventId: event.id, key: event.key });
      const emitted =
        binding.transactional === false
          ? await binding.handle(event, { store: deps.store, now: deps.now, log: handlerLog, metrics })
          : await deps.store.transaction(async (tx) => {
              const out = await binding.handle(event, { store: tx, now: deps.now, log: handlerLog, metrics });
              // Nothing to publish (most alerts of a storm): mark it handled in the same commit, one fsync instead of two.
              if (out.length === 0) await tx.markHandled(binding.group, event.id);
              return out;
            });
      if (emitted.length === 0 && binding.transactional !== false) return;
      await deps.bus.publish(emitted.map((out, index) => ({ ...out, id: deriveEventId(event.id, index) })));
      await deps.store.markHandled(binding.group, event.id);
    },
  });
}
