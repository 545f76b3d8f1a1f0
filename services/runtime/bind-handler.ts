import type { Logger } from 'pino';
import type { BatchEventHandler, Bus, EventHandler, Subscription } from '../../shared/bus/bus.js';
import { NightshiftError } from '../../shared/errors.js';
import { deriveEventId } from '../../shared/events/create-event.js';
import { parseEvent } from '../../shared/events/parse-event.js';
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
   * writes must be idempotent on their own, and, with no outbox to keep their events, a re-run after
   * a crash must emit its events again even when its writes are already there. Default true.
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

type BindDeps = {
  bus: Bus;
  store: Store;
  now: () => Date;
  log: Logger;
  metrics?: Metrics;
};

/** A handled event and what it emitted, ids already derived: what goes into, and out of, the outbox. */
interface Outcome {
  event: NightshiftEvent;
  emitted: NightshiftEvent[];
}

/**
 * The emitted events with ids derived from the source event's id and position, validated here so
 * that one breaking its contract rolls the handler's writes back (the bus does not check them again).
 */
function withDerivedIds(event: NightshiftEvent, emitted: NightshiftEvent[]): NightshiftEvent[] {
  // Object.assign, not `{ ...out, id }`: in Node 20's V8 every literal that opens with a spread and
  // adds properties is promoted out of the young generation (tests/integration/young-objects.test.ts).
  return emitted.map((out, index) => parseEvent(Object.assign({}, out, { id: deriveEventId(event.id, index) })));
}

/**
 * Binds a handler to the bus, at least once and idempotent, with a transactional outbox: the
 * handler's writes, the event's handled mark and the events it emitted (as pending) commit in one
 * transaction; the emitted events are then published and their pending mark cleared. A crash after
 * the commit loses nothing: the redelivered event is found handled with events still pending, and
 * those are published again (same ids; consumers downstream are idempotent by event id) without
 * running the handler again, whose idempotent re-run would emit nothing. An event that emits nothing
 * is marked in the one commit. With `batchSize` the same holds for a batch: one transaction for its
 * events (or a few, for a long batch), one publish, one clear.
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

  /** Publishes what these handled events left pending (a crash came between commit and publish), in their order. */
  const publishPending = async (eventIds: string[]): Promise<void> => {
    const pending = await deps.store.findPending(binding.group, eventIds);
    if (pending.length === 0) return;
    const byEvent = new Map(pending.map(({ eventId, events }) => [eventId, events as NightshiftEvent[]]));
    const events = eventIds.flatMap((id) => byEvent.get(id) ?? []);
    await deps.bus.publish(events);
    await deps.store.clearPending(binding.group, [...byEvent.keys()]);
    log.info({ events: events.length, of: byEvent.size }, 'published events left pending by an earlier delivery');
  };

  /** After the outbox committed: publishes the emitted events, then clears their pending mark (one statement). */
  const publishCommitted = async (outcomes: Outcome[]): Promise<void> => {
    const emitting = outcomes.filter(({ emitted }) => emitted.length > 0);
    if (emitting.length === 0) return;
    await deps.bus.publish(emitting.flatMap(({ emitted }) => emitted));
    await deps.store.clearPending(binding.group, emitting.map(({ event }) => event.id));
  };

  /** Inside the transaction: runs the handler and marks the event handled with what it emitted, pending. */
  const handleInTransaction = async (event: NightshiftEvent, tx: Store): Promise<Outcome> => {
    const emitted = withDerivedIds(event, await binding.handle(event, handlerDeps(event, tx)));
    await tx.markHandled(binding.group, event.id, emitted);
    return { event, emitted };
  };

  const handleOne: EventHandler = async (event) => {
    if (await deps.store.hasHandled(binding.group, event.id)) {
      await publishPending([event.id]);
      log.debug({ eventId: event.id }, 'repeat delivery skipped');
      return;
    }
    if (binding.transactional === false) {
      // No transaction, so no outbox: a crash between publish and mark re-runs the handler, which must
      // then emit its events again (same derived ids) even though its writes are already there.
      const emitted = withDerivedIds(event, await binding.handle(event, handlerDeps(event, deps.store)));
      if (emitted.length > 0) await deps.bus.publish(emitted);
      await deps.store.markHandled(binding.group, event.id);
      return;
    }
    const outcome = await deps.store.transaction((tx) => handleInTransaction(event, tx));
    await publishCommitted([outcome]);
  };

  // Throwing rolls back the transaction in progress (parts committed before it stay, marked handled);
  // the bus then delivers the batch one by one through handleOne, which skips what is already handled.
  const handleBatch: BatchEventHandler = async (items) => {
    const seen = new Set<string>();
    // A repeat of an event within the batch is a redelivery: handled once, by its first copy.
    const unique = items.map((item) => item.event).filter((event) => !seen.has(event.id) && seen.add(event.id));
    const handled = new Set(await deps.store.findHandled(binding.group, unique.map((event) => event.id)));
    if (handled.size > 0) {
      // Before the fresh events' own: these came first on the partition.
      await publishPending(unique.filter((event) => handled.has(event.id)).map((event) => event.id));
      log.debug({ skipped: handled.size }, 'repeat deliveries skipped');
    }
    const fresh = unique.filter((event) => !handled.has(event.id));
    // Several transactions when the work is long: each commits once it has run `batchTransactionMs`.
    for (let next = 0; next < fresh.length; ) {
      const from = next;
      const outcomes = await deps.store.transaction(async (tx) => {
        const began = performance.now();
        const out: Outcome[] = [];
        next = from;
        do out.push(await handleInTransaction(fresh[next++]!, tx));
        while (next < fresh.length && performance.now() - began < transactionMs);
        return out;
      });
      // Published before the next transaction: a later failure repeats none of these.
      await publishCommitted(outcomes);
    }
  };

  return deps.bus.subscribe({
    group: binding.group,
    topics: binding.topics,
    handler: handleOne,
    ...(batchSize > 1 ? { batch: { handler: handleBatch, maxEvents: batchSize } } : {}),
  });
}
