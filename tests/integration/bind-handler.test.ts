import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { createEvent, deriveEventId, type NightshiftEvent } from '../../shared/events/index.js';
import { createSqliteStore } from '../../shared/store/index.js';
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
