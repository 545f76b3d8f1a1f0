import assert from 'node:assert/strict';
import { after, describe, test, type TestContext } from 'node:test';
import pino from 'pino';
import { join } from 'node:path';
import type { BatchDelivery, Bus, Delivery, RetryPolicy } from '../../shared/bus/bus.js';
import { createEvent } from '../../shared/events/create-event.js';
import { createSqliteStore } from '../../shared/store/index.js';
import { bindHandler } from '../../services/runtime/bind-handler.js';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import { NightshiftError } from '../../shared/errors.js';
import { makeAlertEvent } from '../helpers/events.js';
import { randomName, tempDir, waitFor } from '../helpers/wait.js';


/** The group's backlog on `alerts`, as the bus reports it for metrics. */
async function alertsLag(bus: Bus, group: string): Promise<number | undefined> {
  return (await bus.lag!()).find((l) => l.group === group && l.topic === 'alerts')?.lag;
}
export const testPolicy: RetryPolicy = { maxAttempts: 3, retryBackoffMs: 10, maxRetryBackoffMs: 50 };
export const quietLog = pino({ level: process.env.NIGHTSHIFT_TEST_LOG_LEVEL ?? 'silent' });

export interface BusFixture {
  /** A bus on the same storage as every other bus of this fixture (same file, same topic prefix). */
  openBus(): Promise<Bus>;
  /** Writes raw bytes onto a topic, bypassing validation: what a broken producer would do. */
  publishRaw(topic: 'alerts', key: string, body: string): Promise<void>;
  /** Moves a stopped group's committed position on `alerts` back to the start: what a crash before the commit leaves. */
  rewind(group: string): Promise<void>;
  cleanup(): Promise<void>;
}

type Received = { event: NightshiftEvent; delivery: Delivery };

function collector() {
  const received: Received[] = [];
  return {
    received,
    handler: async (event: NightshiftEvent, delivery: Delivery) => {
      received.push({ event, delivery });
    },
    titles: () => received.map((r) => (r.event.type === 'alert.received.v1' ? r.event.payload.title : r.event.type)),
  };
}

/**
 * One contract every Bus implementation passes: durable publish, consumer groups with committed
 * offsets, at-least-once delivery in key order, retries with backoff, and dead-lettering that lets the
 * partition move on.
 */
export function defineBusContract(name: string, makeFixture: (t: TestContext) => Promise<BusFixture | undefined>, timeoutMs = 20_000) {
  describe(`Bus contract: ${name}`, { timeout: 180_000 }, () => {
    const open: Bus[] = [];
    const fixtures: BusFixture[] = [];
    after(async () => {
      await Promise.allSettled(open.map((bus) => bus.close()));
      await Promise.allSettled(fixtures.map((f) => f.cleanup()));
    });

    async function setup(t: TestContext) {
      const fixture = await makeFixture(t);
      if (!fixture) return undefined;
      fixtures.push(fixture);
      const openBus = async () => {
        const bus = await fixture.openBus();
        open.push(bus);
        await bus.start();
        return bus;
      };
      return { fixture, openBus };
    }

    test('delivers published events to a new consumer group, in order per key', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const events = Array.from({ length: 12 }, (_, i) => makeAlertEvent(i, i % 2 ? 'key-odd' : 'key-even'));
      await bus.publish(events);
      const c = collector();
      await bus.subscribe({ group: randomName('g'), topics: ['alerts'], handler: c.handler });
      await waitFor(() => c.received.length >= 12, { timeoutMs, what: '12 deliveries' });
      const byKey = (key: string) => c.received.filter((r) => r.event.key === key).map((r) => r.event.id);
      assert.deepEqual(byKey('key-even'), events.filter((e) => e.key === 'key-even').map((e) => e.id));
      assert.deepEqual(byKey('key-odd'), events.filter((e) => e.key === 'key-odd').map((e) => e.id));
      assert.deepEqual(c.received[0]?.event, events.find((e) => e.id === c.received[0]?.event.id), 'the event arrives unchanged');
      assert.equal(c.received[0]?.delivery.topic, 'alerts');
    });

    test('rejects an invalid event at publish, naming the field', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const broken = { ...makeAlertEvent(1), payload: { ...makeAlertEvent(1).payload, severity: 'apocalyptic' } };
      await assert.rejects(bus.publish(broken as unknown as NightshiftEvent), /payload\.severity/);
    });

    test('each consumer group gets every event; a group resumes after its committed offset', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const [groupA, groupB] = [randomName('a'), randomName('b')];
      await bus.publish([makeAlertEvent(1), makeAlertEvent(2)]);
      const a = collector();
      const b = collector();
      const subA = await bus.subscribe({ group: groupA, topics: ['alerts'], handler: a.handler });
      await bus.subscribe({ group: groupB, topics: ['alerts'], handler: b.handler });
      await waitFor(() => a.received.length === 2 && b.received.length === 2, { timeoutMs, what: 'both groups' });
      await subA.stop();
      await bus.publish(makeAlertEvent(3));
      await waitFor(() => b.received.length === 3, { timeoutMs, what: 'group b sees event 3' });
      const again = collector();
      await bus.subscribe({ group: groupA, topics: ['alerts'], handler: again.handler });
      await waitFor(() => again.received.length >= 1, { timeoutMs, what: 'group a resumes' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(again.titles(), ['TypeError #3'], 'only the event published after the commit is delivered again');
    });

    test('events survive a closed bus and reach a consumer of a reopened one', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const first = await ctx.openBus();
      await first.publish([makeAlertEvent(7), makeAlertEvent(8)]);
      await first.close();
      const second = await ctx.openBus();
      const c = collector();
      await second.subscribe({ group: randomName('g'), topics: ['alerts'], handler: c.handler });
      await waitFor(() => c.received.length === 2, { timeoutMs, what: 'events after reopen' });
      assert.deepEqual(c.titles(), ['TypeError #7', 'TypeError #8']);
    });

    test('a failing handler is retried with backoff and succeeds without a dead letter', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const attempts: number[] = [];
      await bus.publish(makeAlertEvent(1));
      await bus.subscribe({
        group: randomName('g'),
        topics: ['alerts'],
        handler: async (_event, delivery) => {
          attempts.push(delivery.attempt);
          if (delivery.attempt < 3) throw new Error('database hiccup');
        },
      });
      const dead = collector();
      await bus.subscribe({ group: randomName('dlq'), topics: ['dead-letter'], handler: dead.handler });
      await waitFor(() => attempts.length === 3, { timeoutMs, what: 'three attempts' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(attempts, [1, 2, 3]);
      assert.equal(dead.received.length, 0);
    });

    test('after maxAttempts the event is dead-lettered with its error and the partition moves on', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const poison = makeAlertEvent(1, 'same-key');
      const next = makeAlertEvent(2, 'same-key');
      await bus.publish([poison, next]);
      const handled: string[] = [];
      const group = randomName('g');
      await bus.subscribe({
        group,
        topics: ['alerts'],
        handler: async (event) => {
          if (event.id === poison.id) throw new Error('cannot parse stack trace');
          handled.push(event.id);
        },
      });
      const dead = collector();
      await bus.subscribe({ group: randomName('dlq'), topics: ['dead-letter'], handler: dead.handler });
      await waitFor(() => handled.includes(next.id), { timeoutMs, what: 'the next event on the partition' });
      await waitFor(() => dead.received.length === 1, { timeoutMs, what: 'one dead letter' });
      const letter = dead.received[0]!.event;
      assert.equal(letter.type, 'event.dead-lettered.v1');
      if (letter.type !== 'event.dead-lettered.v1') return;
      assert.equal(letter.key, 'same-key');
      assert.equal(letter.payload.group, group);
      assert.equal(letter.payload.topic, 'alerts');
      assert.equal(letter.payload.attempts, testPolicy.maxAttempts);
      assert.match(letter.payload.error.message, /cannot parse stack trace/);
      assert.deepEqual(letter.payload.original, poison);
    });

    test('a non-retriable error is dead-lettered after one attempt', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      let calls = 0;
      await bus.publish(makeAlertEvent(1));
      await bus.subscribe({
        group: randomName('g'),
        topics: ['alerts'],
        handler: async () => {
          calls++;
          throw new NightshiftError('RULES_INVALID', 'the rule file does not parse');
        },
      });
      const dead = collector();
      await bus.subscribe({ group: randomName('dlq'), topics: ['dead-letter'], handler: dead.handler });
      await waitFor(() => dead.received.length === 1, { timeoutMs, what: 'dead letter' });
      assert.equal(calls, 1);
      const letter = dead.received[0]!.event;
      assert.ok(letter.type === 'event.dead-lettered.v1' && letter.payload.error.code === 'RULES_INVALID');
    });

    test('a message that is not a valid event is dead-lettered, not dropped, and does not block', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      await ctx.fixture.publishRaw('alerts', 'k', '{"type":"alert.received.v1","id":"not-a-uuid"');
      await ctx.fixture.publishRaw('alerts', 'k', JSON.stringify({ ...makeAlertEvent(9), id: 'nope' }));
      await bus.publish(makeAlertEvent(10, 'k'));
      const c = collector();
      await bus.subscribe({ group: randomName('g'), topics: ['alerts'], handler: c.handler });
      const dead = collector();
      await bus.subscribe({ group: randomName('dlq'), topics: ['dead-letter'], handler: dead.handler });
      await waitFor(() => c.received.length === 1 && dead.received.length === 2, { timeoutMs, what: 'valid event + 2 dead letters' });
      assert.deepEqual(c.titles(), ['TypeError #10']);
      const messages = dead.received.map((r) => (r.event.type === 'event.dead-lettered.v1' ? r.event.payload.error.message : ''));
      assert.match(messages[0]!, /not JSON/);
      assert.match(messages[1]!, /^invalid alert\.received\.v1 event: id:/);
    });

    test('stop lets the in-flight handler finish and commits it', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const group = randomName('g');
      await bus.publish(makeAlertEvent(1));
      let started = false;
      let finished = false;
      const sub = await bus.subscribe({
        group,
        topics: ['alerts'],
        handler: async () => {
          started = true;
          await new Promise((resolve) => setTimeout(resolve, 400));
          finished = true;
        },
      });
      await waitFor(() => started, { timeoutMs, what: 'handler start' });
      await sub.stop();
      assert.equal(finished, true, 'stop resolved only after the handler finished');
      await bus.publish(makeAlertEvent(2));
      const c = collector();
      await bus.subscribe({ group, topics: ['alerts'], handler: c.handler });
      await waitFor(() => c.received.length >= 1, { timeoutMs, what: 'resume' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(c.titles(), ['TypeError #2'], 'the finished event was committed, not delivered again');
    });

    test('lag() counts the events a group has not committed, down to 0 once they are handled', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      assert.ok(bus.lag, 'the bus reports consumer lag');
      const group = randomName('g');
      await bus.publish([1, 2, 3, 4].map((n) => makeAlertEvent(n, `key-${n}`)));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered = 0;
      await bus.subscribe({
        group,
        topics: ['alerts'],
        handler: async () => {
          entered += 1;
          await gate;
        },
      });
      await waitFor(() => entered >= 1, { timeoutMs, what: 'the first delivery' });
      const lagOf = () => alertsLag(bus, group);
      assert.equal(await lagOf(), 4, 'nothing is committed while the first handler is held');
      release();
      await waitFor(async () => (await lagOf()) === 0, { timeoutMs, what: 'lag 0 after the handlers finished' });
    });

    test('a batch subscription gets ready events of one partition together, in order, and commits after each batch', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const events = Array.from({ length: 12 }, (_, i) => makeAlertEvent(i, i % 2 ? 'key-odd' : 'key-even'));
      await bus.publish(events);
      const group = randomName('g');
      const batches: BatchDelivery[][] = [];
      let singles = 0;
      const sub = await bus.subscribe({
        group,
        topics: ['alerts'],
        handler: async () => void singles++,
        batch: { maxEvents: 5, handler: async (items) => void batches.push(items) },
      });
      // The per-event handler may take a lone event; the batch handler takes the rest.
      await waitFor(() => batches.flat().length + singles >= 12, { timeoutMs, what: '12 deliveries' });
      assert.ok(batches.some((b) => b.length >= 2), 'events fetched together arrive as one batch');
      for (const batch of batches) {
        assert.ok(batch.length >= 2 && batch.length <= 5, `a batch holds 2..maxEvents events, got ${batch.length}`);
        assert.equal(new Set(batch.map((item) => item.delivery.partition)).size, 1, 'one partition per batch');
        const offsets = batch.map((item) => BigInt(item.delivery.offset));
        assert.deepEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)), offsets, 'in offset order');
      }
      const received = batches.flat().map((item) => item.event);
      const byKey = (key: string, list: NightshiftEvent[]) => list.filter((e) => e.key === key).map((e) => e.id);
      if (singles === 0) {
        assert.deepEqual(byKey('key-even', received), byKey('key-even', events));
        assert.deepEqual(byKey('key-odd', received), byKey('key-odd', events));
      }
      await sub.stop();
      await bus.publish(makeAlertEvent(99));
      const again = collector();
      await bus.subscribe({ group, topics: ['alerts'], handler: again.handler, batch: { maxEvents: 5, handler: async (items) => void again.received.push(...items) } });
      await waitFor(() => again.received.length >= 1, { timeoutMs, what: 'resume after the batches' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(again.titles(), ['TypeError #99'], 'every batch was committed, none is delivered again');
    });

    test('a batch is committed only once its handler finished', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const group = randomName('g');
      await bus.publish([1, 2, 3, 4].map((n) => makeAlertEvent(n, 'one-key')));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let held = 0;
      await bus.subscribe({
        group,
        topics: ['alerts'],
        handler: async () => {
          held += 1;
          await gate;
        },
        batch: {
          maxEvents: 10,
          handler: async (items) => {
            held += items.length;
            await gate;
          },
        },
      });
      await waitFor(() => held >= 1, { timeoutMs, what: 'the first batch' });
      const lagOf = () => alertsLag(bus, group);
      assert.equal(await lagOf(), 4, 'nothing is committed while the batch is held');
      release();
      await waitFor(async () => (await lagOf()) === 0, { timeoutMs, what: 'lag 0 after the batch' });
    });

    test('a failing batch is delivered again one by one: the poison event is dead-lettered, the others handled once', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const events = [1, 2, 3, 4, 5].map((n) => makeAlertEvent(n, 'same-key'));
      const poison = events[2]!;
      await bus.publish(events);
      const effects: string[] = [];
      let batchCalls = 0;
      const group = randomName('g');
      await bus.subscribe({
        group,
        topics: ['alerts'],
        handler: async (event) => {
          if (event.id === poison.id) throw new Error('cannot parse stack trace');
          effects.push(event.id);
        },
        batch: {
          maxEvents: 10,
          // All or nothing, like one store transaction: the poison fails the batch before any effect.
          handler: async (items) => {
            batchCalls += 1;
            if (items.some((item) => item.event.id === poison.id)) throw new Error('cannot parse stack trace');
            effects.push(...items.map((item) => item.event.id));
          },
        },
      });
      const dead = collector();
      await bus.subscribe({ group: randomName('dlq'), topics: ['dead-letter'], handler: dead.handler });
      await waitFor(() => dead.received.length === 1 && effects.length === 4, { timeoutMs, what: 'four effects and one dead letter' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok(batchCalls >= 1, 'the batch handler was tried');
      assert.deepEqual(effects, events.filter((e) => e !== poison).map((e) => e.id), 'each neighbour once, in order');
      const letter = dead.received[0]!.event;
      assert.ok(letter.type === 'event.dead-lettered.v1');
      assert.deepEqual(letter.payload.original, poison);
      assert.equal(letter.payload.attempts, testPolicy.maxAttempts);
      assert.equal(dead.received.length, 1);
    });

    test('a batch handled through bindHandler but not committed is delivered again and changes nothing', async (t) => {
      const ctx = await setup(t);
      if (!ctx) return;
      const bus = await ctx.openBus();
      const dir = await tempDir();
      const store = await createSqliteStore({ file: join(dir.path, 'state.sqlite'), clock: () => new Date() });
      t.after(async () => {
        await store.close();
        await dir.cleanup();
      });
      const group = randomName('triage');
      const events = [1, 2, 3, 4, 5, 6].map((n) => makeAlertEvent(n, 'storm'));
      let calls = 0;
      const binding = {
        group,
        topics: ['alerts' as const],
        batchSize: 10,
        handle: async (event: NightshiftEvent, deps: { store: typeof store }) => {
          calls += 1;
          // Throws on a second run: an event handled twice would be dead-lettered and fail the test.
          await deps.store.createIncident({ id: `inc-${event.id}`, key: event.key, title: 'storm', severity: 'error' });
          const n = events.findIndex((e) => e.id === event.id);
          if (n % 2) return [];
          return [createEvent('incident.changed.v1', { key: event.key, payload: { incidentId: `inc-${event.id}`, change: 'opened', key: event.key, reopenedFrom: null, alertId: event.id, services: [] } }, { now: () => new Date() })];
        },
      };
      const downstream = collector();
      await bus.subscribe({ group: randomName('fixer'), topics: ['incidents'], handler: downstream.handler });
      const dead = collector();
      await bus.subscribe({ group: randomName('dlq'), topics: ['dead-letter'], handler: dead.handler });
      await bus.publish(events);
      const first = await bindHandler(binding, { bus, store, now: () => new Date(), log: quietLog });
      await waitFor(async () => (await store.findHandled(group, events.map((e) => e.id))).length === 6, { timeoutMs, what: 'six handled' });
      await waitFor(() => downstream.received.length === 3, { timeoutMs, what: 'three emitted' });
      await first.stop();
      assert.equal(calls, 6);

      await ctx.fixture.rewind(group);
      await bindHandler(binding, { bus, store, now: () => new Date(), log: quietLog });
      const lagOf = () => alertsLag(bus, group);
      await waitFor(async () => (await lagOf()) === 0, { timeoutMs, what: 'the rewound events consumed again' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(calls, 6, 'no handler ran again');
      assert.equal(downstream.received.length, 3, 'nothing was emitted again');
      assert.equal(dead.received.length, 0);
      assert.equal((await store.listIncidents()).length, 6);
    });
  });
}
