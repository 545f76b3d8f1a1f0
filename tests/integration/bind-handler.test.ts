import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { createEvent, deriveEventId, type NightshiftEvent } from '../../shared/events/index.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Bus } from '../../shared/bus/bus.js';
import type { Store } from '../../shared/store/store.js';
import { bindHandler, type ServiceHandler } from '../../services/runtime/bind-handler.js';
import { makeAlertEvent } from '../helpers/events.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { quietLog, testPolicy } from './bus-contract.js';

const now = () => new Date('2026-11-21T03:00:00Z');

/** A fresh SQLite store and embedded bus, closed (and their files removed) after the test. */
async function openStoreAndBus(t: TestContext): Promise<{ store: Store; bus: Bus }> {
  const dir = await tempDir();
  const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: now });
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log: quietLog, policy: testPolicy, pollIntervalMs: 20 });
  t.after(async () => {
    await bus.close();
    await store.close();
    await dir.cleanup();
  });
  await bus.start();
  return { store, bus };
}

test('the runner commits handler writes, publishes emitted events with derived ids, and skips repeats', { timeout: 30_000 }, async (t) => {
  const { store, bus } = await openStoreAndBus(t);
  let calls = 0;
  const handle: ServiceHandler = async (event, deps) => {
    calls++;
    await deps.store.createIncident({ id: `inc-${event.id}`, key: event.key, title: 'checkout fails', severity: 'error' });
    return [
      createEvent(
        'incident.triaged.v1',
        {
          key: event.key,
          payload: {
            incidentId: `inc-${event.id}`, title: 'checkout fails', severity: 'error', services: ['orders'], alertCount: 1,
            rootCause: null, suspectCommit: null, decision: { action: 'triage', ruleId: null, reasons: ['default'], strategies: [] },
          },
        },
        { now },
      ),
    ];
  };
  await bindHandler({ group: 'triage', topics: ['alerts'], handle }, { bus, store, now, log: quietLog });
  const downstream: NightshiftEvent[] = [];
  await bus.subscribe({ group: 'fixer', topics: ['incidents'], handler: async (e) => void downstream.push(e) });

  const alert = makeAlertEvent(1);
  await bus.publish(alert);
  await waitFor(() => downstream.length === 1, { what: 'the triaged event' });
  assert.equal(downstream[0]!.id, deriveEventId(alert.id, 0));
  assert.ok(await store.getIncident(`inc-${alert.id}`));
  await waitFor(() => store.hasHandled('triage', alert.id), { what: 'marked handled' });

  // The same event again (a redelivery): the handler does not run a second time.
  await bus.publish(alert);
  await bus.publish(makeAlertEvent(2));
  await waitFor(() => downstream.length === 2, { what: 'the second alert' });
  assert.equal(calls, 2, 'the repeated event was skipped');
});

test('a handler that throws rolls back its writes and nothing is published or marked', { timeout: 30_000 }, async (t) => {
  const { store, bus } = await openStoreAndBus(t);
  const handle: ServiceHandler = async (event, deps) => {
    await deps.store.createIncident({ id: 'half-written', key: event.key, title: 't', severity: 'error' });
    throw new Error('log source unavailable');
  };
  await bindHandler({ group: 'triage', topics: ['alerts'], handle }, { bus, store, now, log: quietLog });
  const dead: NightshiftEvent[] = [];
  await bus.subscribe({ group: 'watch', topics: ['dead-letter'], handler: async (e) => void dead.push(e) });
  const alert = makeAlertEvent(1);
  await bus.publish(alert);
  await waitFor(() => dead.length === 1, { what: 'dead letter after retries' });
  assert.equal(await store.getIncident('half-written'), undefined);
  assert.equal(await store.hasHandled('triage', alert.id), false);
});

/** Runs `events` (published together) through a binding of `batchSize` on a fresh bus and store. */
async function runThrough(events: NightshiftEvent[], batchSize: number, handle: ServiceHandler, batchTransactionMs = 60_000) {
  const dir = await tempDir();
  const sqlite = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: now });
  let transactions = 0;
  // Counts the commits the runner asks for: the point of a batch is fewer of them.
  const store = { ...sqlite, transaction: <T>(work: (tx: Store) => Promise<T>) => (transactions++, sqlite.transaction(work)) };
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log: quietLog, policy: testPolicy, pollIntervalMs: 20 });
  try {
    await bus.start();
    const downstream: NightshiftEvent[] = [];
    const dead: NightshiftEvent[] = [];
    await bus.subscribe({ group: 'fixer', topics: ['incidents'], handler: async (e) => void downstream.push(e) });
    await bus.subscribe({ group: 'watch', topics: ['dead-letter'], handler: async (e) => void dead.push(e) });
    await bus.publish(events);
    await bindHandler({ group: 'triage', topics: ['alerts'], handle, batchSize, batchTransactionMs }, { bus, store, now, log: quietLog });
    await waitFor(async () => (await sqlite.findHandled('triage', events.map((e) => e.id))).length + dead.length >= new Set(events.map((e) => e.id)).size, {
      what: 'every event handled or dead-lettered',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const incidents = await sqlite.listIncidents();
    return { downstream, dead, transactions, incidents };
  } finally {
    await bus.close();
    await sqlite.close();
    await dir.cleanup();
  }
}

/** Opens one incident per key and counts the key's alerts on it; emits when it opened one. */
const groupByKey: ServiceHandler = async (event, deps) => {
  const existing = await deps.store.findOpenIncidentByKey(event.key);
  if (existing) {
    await deps.store.incrementAlertCount(existing.id, 1);
    return [];
  }
  const incident = await deps.store.createIncident({ id: deriveEventId(`incident/${event.id}`, 0), key: event.key, title: 't', severity: 'error' });
  await deps.store.incrementAlertCount(incident.id, 1);
  return [
    createEvent('incident.changed.v1', { key: event.key, payload: { incidentId: incident.id, change: 'opened', key: event.key, reopenedFrom: null, alertId: event.id, services: [] } }, { now }),
    createEvent('incident.changed.v1', { key: event.key, payload: { incidentId: incident.id, change: 'service-joined', key: event.key, reopenedFrom: null, alertId: event.id, services: ['orders'] } }, { now }),
  ];
};

test('a batch is one transaction whose later events see the earlier ones, with the ids and state of per-event delivery', { timeout: 60_000 }, async () => {
  const events = Array.from({ length: 30 }, (_, i) => makeAlertEvent(i, `key-${i % 3}`));
  // A repeat inside the batch is a redelivery: handled once.
  const withRepeat = [...events.slice(0, 10), events[4]!, ...events.slice(10)];
  const one = await runThrough(withRepeat, 1, groupByKey);
  const batched = await runThrough(withRepeat, 50, groupByKey);
  const summary = (incidents: { key: string; alertCount: number; id: string }[]) =>
    incidents.map((i) => `${i.key}:${i.alertCount}:${i.id}`).sort();
  assert.deepEqual(summary(batched.incidents), summary(one.incidents));
  assert.deepEqual(summary(batched.incidents).map((s) => s.split(':')[1]), ['10', '10', '10'], 'one incident per key, every alert counted once');
  assert.deepEqual(batched.downstream.map((e) => e.id), one.downstream.map((e) => e.id), 'the same derived ids, in the same order');
  assert.deepEqual(batched.downstream.map((e) => e.id), events.slice(0, 3).flatMap((e) => [deriveEventId(e.id, 0), deriveEventId(e.id, 1)]));
  assert.equal(one.transactions, 30, 'per event: one transaction per distinct event (the repeat is skipped before one)');
  assert.equal(batched.transactions, 1, 'batched: the work, the marks and the outbox in one transaction (clearing it is one statement)');
  // A batch cut into a transaction per event (a 0 ms budget) still ends the same.
  const cut = await runThrough(withRepeat, 50, groupByKey, 0);
  assert.deepEqual(summary(cut.incidents), summary(one.incidents));
  assert.deepEqual(cut.downstream.map((e) => e.id), one.downstream.map((e) => e.id));
  assert.equal(cut.transactions, 30, 'one transaction per event, marks and outbox included');
});

/**
 * The fault injector: the real bus, except that its publish fails (the process dies right after the
 * handler's transaction committed, before its events reach the bus). `failures` publishes fail.
 */
function failingPublish(bus: Bus, failures: number): Bus & { failed: () => number } {
  let failed = 0;
  return {
    ...bus,
    publish: async (events) => {
      if (failed < failures) {
        failed++;
        throw new Error('process died between commit and publish');
      }
      return bus.publish(events);
    },
    failed: () => failed,
  };
}

test('a publish that fails after the commit is retried from the outbox: same ids, the handler ran once', { timeout: 30_000 }, async (t) => {
  const { store, bus } = await openStoreAndBus(t);
  let calls = 0;
  const counted: ServiceHandler = (event, deps) => (calls++, groupByKey(event, deps));
  const faulty = failingPublish(bus, 1);
  await bindHandler({ group: 'triage', topics: ['alerts'], handle: counted }, { bus: faulty, store, now, log: quietLog });
  const downstream: NightshiftEvent[] = [];
  await bus.subscribe({ group: 'fixer', topics: ['incidents'], handler: async (e) => void downstream.push(e) });

  const alert = makeAlertEvent(1);
  await bus.publish(alert);
  await waitFor(() => downstream.length === 2, { what: 'the emitted events, published by the redelivery' });
  await waitFor(async () => (await store.findPending('triage', [alert.id])).length === 0, { what: 'the outbox cleared' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(faulty.failed(), 1);
  assert.deepEqual(downstream.map((e) => e.id), [deriveEventId(alert.id, 0), deriveEventId(alert.id, 1)]);
  assert.equal(calls, 1, 'the redelivery published the stored events without running the handler');
  assert.deepEqual((await store.listIncidents()).map((i) => i.alertCount), [1], 'its writes happened once');
  assert.equal(await store.hasHandled('triage', alert.id), true);
});

/**
 * A process that dies between the commit and the publish, restarted: the first bus and store only
 * ever fail to publish and are closed with the events' delivery uncommitted (a retry backoff longer
 * than the test holds it back); the second, on the same files, redelivers them.
 */
async function crashAndRestart(events: NightshiftEvent[], batchSize: number) {
  const dir = await tempDir();
  const files = { state: join(dir.path, 'state.sqlite'), bus: join(dir.path, 'bus.sqlite') };
  const ids = events.map((e) => e.id);
  let calls = 0;
  const handle: ServiceHandler = (event, deps) => (calls++, groupByKey(event, deps));
  const binding = { group: 'triage', topics: ['alerts' as const], handle, batchSize };
  try {
    const store = await createSqliteStore({ file: files.state, clock: now });
    const slowRetry = { maxAttempts: 5, retryBackoffMs: 600_000, maxRetryBackoffMs: 600_000 };
    const bus = createEmbeddedBus({ file: files.bus, log: quietLog, policy: slowRetry, pollIntervalMs: 20 });
    await bus.start();
    await bus.publish(events);
    const dying = failingPublish(bus, Infinity);
    await bindHandler(binding, { bus: dying, store, now, log: quietLog });
    await waitFor(() => dying.failed() >= 1, { what: 'the failed publish' });
    const before = { calls, handled: (await store.findHandled('triage', ids)).length, pending: await store.findPending('triage', ids) };
    await bus.close();
    await store.close();

    const restarted = await createSqliteStore({ file: files.state, clock: now });
    const bus2 = createEmbeddedBus({ file: files.bus, log: quietLog, policy: testPolicy, pollIntervalMs: 20 });
    try {
      await bus2.start();
      const downstream: NightshiftEvent[] = [];
      await bus2.subscribe({ group: 'fixer', topics: ['incidents'], handler: async (e) => void downstream.push(e) });
      await bindHandler(binding, { bus: bus2, store: restarted, now, log: quietLog });
      await waitFor(async () => (await restarted.findPending('triage', ids)).length === 0, { what: 'the outbox published and cleared' });
      await waitFor(() => downstream.length === 2 * events.length, { what: 'every emitted event downstream' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const after = { handled: (await restarted.findHandled('triage', ids)).length, incidents: await restarted.listIncidents() };
      return { before, after, calls, downstream };
    } finally {
      await bus2.close();
      await restarted.close();
    }
  } finally {
    await dir.cleanup();
  }
}

for (const batchSize of [1, 50]) {
  test(`a crash between commit and publish loses no emitted event (batchSize ${batchSize})`, { timeout: 60_000 }, async () => {
    const events = Array.from({ length: 3 }, (_, i) => makeAlertEvent(i, `key-${i}`));
    const run = await crashAndRestart(events, batchSize);
    const expected = events.flatMap((e) => [deriveEventId(e.id, 0), deriveEventId(e.id, 1)]);
    // The state the crash left: the handler's writes and marks committed, its events pending.
    assert.ok(run.before.calls >= 1 && run.before.handled === run.before.calls, `handled ${run.before.handled} of ${run.before.calls} runs`);
    assert.deepEqual(run.before.pending.flatMap((p) => p.events.map((e) => (e as NightshiftEvent).id)).sort(), expected.slice(0, 2 * run.before.calls).sort());
    // After the restart: every event published once, with its derived id and in order; the handler never ran twice.
    assert.deepEqual(run.downstream.map((e) => e.id), expected);
    assert.equal(run.calls, events.length, 'each handler ran once');
    assert.equal(run.after.handled, events.length);
    assert.deepEqual(run.after.incidents.map((i) => `${i.key}:${i.alertCount}`).sort(), ['key-0:1', 'key-1:1', 'key-2:1']);
  });
}

test('a batch with a failing event rolls back and its neighbours are handled once, one by one', { timeout: 60_000 }, async () => {
  const events = Array.from({ length: 6 }, (_, i) => makeAlertEvent(i, 'storm'));
  const poison = events[3]!;
  const handle: ServiceHandler = async (event, deps) => {
    // Fails on a second run for the same event: a neighbour handled twice would be dead-lettered too.
    await deps.store.createIncident({ id: `inc-${event.id}`, key: event.key, title: 't', severity: 'error' });
    if (event.id === poison.id) throw new Error('cannot parse stack trace');
    return [];
  };
  // One transaction for the batch, and one per event: there the events before the poison committed in the batch.
  for (const budgetMs of [60_000, 0]) {
    const run = await runThrough(events, 50, handle, budgetMs);
    assert.equal(run.dead.length, 1);
    assert.ok(run.dead[0]!.type === 'event.dead-lettered.v1' && (run.dead[0]!.payload.original as { id: string }).id === poison.id);
    assert.deepEqual(run.incidents.map((i) => i.id).sort(), events.filter((e) => e !== poison).map((e) => `inc-${e.id}`).sort(), "the poison's write rolled back");
  }
});

test('batchSize is refused on a binding that is not transactional, or when it is not a positive integer', async () => {
  const handle: ServiceHandler = async () => [];
  const deps = { bus: {} as never, store: {} as never, now, log: quietLog };
  await assert.rejects(bindHandler({ group: 'g', topics: ['alerts'], handle, transactional: false, batchSize: 10 }, deps), /needs a transactional binding/);
  await assert.rejects(bindHandler({ group: 'g', topics: ['alerts'], handle, batchSize: 0 }, deps), /positive integer/);
  await assert.rejects(bindHandler({ group: 'g', topics: ['alerts'], handle, batchSize: 10, batchTransactionMs: -1 }, deps), /batchTransactionMs/);
});
