import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { createEvent, deriveEventId, type NightshiftEvent } from '../../shared/events/index.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { bindHandler, type ServiceHandler } from '../../services/runtime/bind-handler.js';
import { makeAlertEvent } from '../helpers/events.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { quietLog, testPolicy } from './bus-contract.js';

const now = () => new Date('2026-11-21T03:00:00Z');

test('the runner commits handler writes, publishes emitted events with derived ids, and skips repeats', { timeout: 30_000 }, async () => {
  const dir = await tempDir();
  const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: now });
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log: quietLog, policy: testPolicy, pollIntervalMs: 20 });
  try {
    await bus.start();
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
  } finally {
    await bus.close();
    await store.close();
    await dir.cleanup();
  }
});

test('a handler that throws rolls back its writes and nothing is published or marked', { timeout: 30_000 }, async () => {
  const dir = await tempDir();
  const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: now });
  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log: quietLog, policy: testPolicy, pollIntervalMs: 20 });
  try {
    await bus.start();
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
  } finally {
    await bus.close();
    await store.close();
    await dir.cleanup();
  }
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
  assert.ok(batched.transactions <= 2, `batched: the work and the marks of emitting events, got ${batched.transactions} transactions`);
  // A batch cut into a transaction per event (a 0 ms budget) still ends the same.
  const cut = await runThrough(withRepeat, 50, groupByKey, 0);
  assert.deepEqual(summary(cut.incidents), summary(one.incidents));
  assert.deepEqual(cut.downstream.map((e) => e.id), one.downstream.map((e) => e.id));
  assert.equal(cut.transactions, 30 + 3, 'one transaction per event, plus the marks of each emitting one');
});

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
