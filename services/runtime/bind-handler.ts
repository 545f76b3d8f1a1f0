import type { Logger } from 'pino';
import type { BatchEventHandler, Bus, EventHandler, Subscription } from '../../shared/bus/bus.js';
import { NightshiftError } from '../../shared/errors.js';
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
  /**
   * Up to this many events of one partition are handled together: in one store transaction (one
   * commit, one fsync; a long batch is cut into transactions of `batchTransactionMs`), their emitted events
   * published in one call, the bus offset committed once: for high-volume groups such as grouping.
   * Later events of a batch see the earlier ones' writes. Transactional bindings only; default 1.
   */
  batchSize?: number;
  /**
   * How long one batch transaction runs before it commits and the next starts (checked after each
   * event), so that the store (on SQLite its one connection, which ingest needs too) is never held
   * for a whole batch. Default 10 ms.
   */
  batchTransactionMs?: number;
}

type BindDeps = { bus: Bus; store: Store; now: () => Date; log: Logger; metrics?: Metrics };

/** Publishes what the handled events emitted, ids derived from each source event's id and position. */
async function publishEmitted(bus: Bus, results: { event: NightshiftEvent; emitted: NightshiftEvent[] }[]): Promise<void> {
  await bus.publish(results.flatMap(({ event, emitted }) => emitted.map((out, index) => ({ ...out, id: deriveEventId(event.id, index) }))));
}

/**
 * Binds a handler to the bus, at least once and idempotent: an event this group already handled is
 * skipped; otherwise the handler's writes commit in one transaction, its events are published, and
 * only then is the event marked handled. A crash in between repeats the handler, which is why its
 * writes must be idempotent by key and its emitted ids are derived. With `batchSize` the same holds
 * for a batch: one transaction for its events (or a few, for a long batch), one publish, then the marks.
 */
export async function bindHandler(binding: HandlerBinding, deps: BindDeps): Promise<Subscription> {
  const batchSize = binding.batchSize ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new NightshiftError('BINDING_INVALID', `group ${binding.group}: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (batchSize > 1 && binding.transactional === false) {
    throw new NightshiftError('BINDING_INVALID', `group ${binding.group}: batchSize needs a transactional binding (a batch is one transaction)`);
  }
  const transactionMs = binding.batchTransactionMs ?? 10;
  if (!(transactionMs >= 0) || !Number.isFinite(transactionMs)) {
    throw new NightshiftError('BINDING_INVALID', `group ${binding.group}: batchTransactionMs must be a finite number >= 0, got ${transactionMs}`);
  }
  const log = deps.log.child({ group: binding.group });
  // Tests that bind one handler need not care; a process passes its one registry.
  const metrics = deps.metrics ?? createMetrics();
  const handlerDeps = (event: NightshiftEvent, store: Store): HandlerDeps => ({
    store,
    now: deps.now,
    log: log.child({ eventId: event.id, key: event.key }),
    metrics,
  });

  const handleOne: EventHandler = async (event) => {
    if (await deps.store.hasHandled(binding.group, event.id)) {
      log.debug({ eventId: event.id }, 'repeat delivery skipped');
      return;
    }
    const emitted =
      binding.transactional === false
        ? await binding.handle(event, handlerDeps(event, deps.store))
        : await deps.store.transaction(async (tx) => {
            const out = await binding.handle(event, handlerDeps(event, tx));
            // Nothing to publish (most alerts of a storm): mark it handled in the same commit, one fsync instead of two.
            if (out.length === 0) await tx.markHandled(binding.group, event.id);
            return out;
          });
    if (emitted.length === 0 && binding.transactional !== false) return;
    await publishEmitted(deps.bus, [{ event, emitted }]);
    await deps.store.markHandled(binding.group, event.id);
  };

  // Throwing rolls the whole batch back; the bus then delivers its events one by one through handleOne.
  const handleBatch: BatchEventHandler = async (items) => {
    const seen = new Set<string>();
    // A repeat of an event within the batch is a redelivery: handled once, by its first copy.
    const unique = items.map((item) => item.event).filter((event) => !seen.has(event.id) && seen.add(event.id));
    const handled = new Set(await deps.store.findHandled(binding.group, unique.map((event) => event.id)));
    const fresh = unique.filter((event) => !handled.has(event.id));
    if (handled.size > 0) log.debug({ skipped: handled.size }, 'repeat deliveries skipped');
    if (fresh.length === 0) return;
    // Several transactions when the work is long: each commits once it has run `batchTransactionMs`.
    for (let next = 0; next < fresh.length; ) {
      const from = next;
      const results = await deps.store.transaction(async (tx) => {
        const began = performance.now();
        const out: { event: NightshiftEvent; emitted: NightshiftEvent[] }[] = [];
        next = from;
        do {
          const event = fresh[next++]!;
          const emitted = await binding.handle(event, handlerDeps(event, tx));
          if (emitted.length === 0) await tx.markHandled(binding.group, event.id);
          else out.push({ event, emitted });
        } while (next < fresh.length && performance.now() - began < transactionMs);
        return out;
      });
      if (results.length === 0) continue;
      // Published and marked before the next transaction: a later failure repeats none of these.
      await publishEmitted(deps.bus, results);
      await deps.store.transaction(async (tx) => {
        for (const { event } of results) await tx.markHandled(binding.group, event.id);
      });
    }
  };

  return deps.bus.subscribe({
    group: binding.group,
    topics: binding.topics,
    handler: handleOne,
    ...(batchSize > 1 ? { batch: { handler: handleBatch, maxEvents: batchSize } } : {}),
  });
}
