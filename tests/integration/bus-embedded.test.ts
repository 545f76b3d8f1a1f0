import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { createConsumerPacer } from '../../shared/bus/create-consumer-pacer.js';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { timePublishes } from '../../shared/bus/time-publishes.js';
import { makeAlertEvent } from '../helpers/events.js';
import { randomName, tempDir, waitFor } from '../helpers/wait.js';
import { defineBusContract, quietLog, testPolicy } from './bus-contract.js';

defineBusContract('embedded (SQLite)', async () => {
  const dir = await tempDir();
  const file = join(dir.path, 'bus.sqlite');
  return {
    openBus: async () => createEmbeddedBus({ file, log: quietLog, policy: testPolicy, pollIntervalMs: 50 }),
    publishRaw: async (topic, key, body) => {
      const db = new Database(file);
      db.prepare('INSERT INTO bus_log (topic, key, body, appended_at) VALUES (?, ?, ?, ?)').run(topic, key, body, new Date().toISOString());
      db.close();
    },
    rewind: async (group) => {
      const db = new Database(file);
      db.prepare("DELETE FROM bus_offsets WHERE consumer_group = ? AND topic = 'alerts'").run(group);
      db.close();
    },
    cleanup: dir.cleanup,
  };
});

test('embedded consumers paced behind a busy foreground still receive every event, in short reads', async () => {
  const dir = await tempDir();
  const bus = createEmbeddedBus({
    file: join(dir.path, 'bus.sqlite'),
    log: quietLog,
    policy: testPolicy,
    pollIntervalMs: 50,
    pacer: createConsumerPacer({ busy: () => true, maxPauseMs: 20, busyReadLimit: 4 }),
  });
  try {
    await bus.start();
    await bus.publish(Array.from({ length: 30 }, (_, i) => makeAlertEvent(i)));
    const batches: number[] = [];
    const seen: string[] = [];
    await bus.subscribe({
      group: randomName('paced'),
      topics: ['alerts'],
      handler: async (event) => void seen.push(event.id),
      batch: { maxEvents: 50, handler: async (items) => void (batches.push(items.length), seen.push(...items.map((i) => i.event.id))) },
    });
    await waitFor(() => seen.length === 30, { what: 'every paced event' });
    assert.equal(new Set(seen).size, 30);
    assert.ok(Math.max(...batches) <= 4, `batches ${batches.join(',')}`);
  } finally {
    await bus.close();
    await dir.cleanup();
  }
});

test('a timed bus reports each publish once it is durable, and no time for a publish that failed', async () => {
  const dir = await tempDir();
  const observed: number[] = [];
  const bus = timePublishes(createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log: quietLog, policy: testPolicy }), (seconds) => observed.push(seconds));
  try {
    await bus.start();
    await bus.publish(makeAlertEvent(1));
    await bus.publish([makeAlertEvent(2), makeAlertEvent(3)]);
    assert.equal(observed.length, 2, 'one observation per publish call');
    assert.ok(observed.every((seconds) => seconds > 0 && seconds < 10), observed.join(', '));
    const invalid = { ...makeAlertEvent(4), type: 'alert.nonsense.v1' } as unknown as Parameters<typeof bus.publish>[0];
    await assert.rejects(bus.publish(invalid));
    assert.equal(observed.length, 2);
    // Everything else is the bus's own: its kind and its log, which holds the three events.
    assert.equal(bus.kind, 'embedded');
    const db = new Database(join(dir.path, 'bus.sqlite'), { readonly: true });
    assert.equal((db.prepare('SELECT count(*) AS n FROM bus_log').get() as { n: number }).n, 3);
    db.close();
  } finally {
    await bus.close();
    await dir.cleanup();
  }
});

test('a consumer still finds events another process appended after a garbage collection while it waited', async () => {
  // Node 20's AbortSignal.any lost an AbortSignal.timeout to GC (nodejs/node#57736): the poll never came.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const dir = await tempDir();
  const file = join(dir.path, 'bus.sqlite');
  const bus = createEmbeddedBus({ file, log: quietLog, policy: testPolicy, pollIntervalMs: 100 });
  try {
    await bus.start();
    const seen: string[] = [];
    await bus.subscribe({ group: randomName('gc'), topics: ['alerts'], handler: async (event) => void seen.push(event.id) });
    for (let round = 1; round <= 3; round++) {
      // Mid-wait: the consumer found the topic empty and is waiting for an append or the poll.
      await sleep(30);
      gc();
      const event = makeAlertEvent(round);
      const db = new Database(file);
      db.prepare('INSERT INTO bus_log (topic, key, body, appended_at) VALUES (?, ?, ?, ?)').run('alerts', event.key, JSON.stringify(event), new Date().toISOString());
      db.close();
      await waitFor(() => seen.includes(event.id), { what: `event ${round}, appended by another connection`, timeoutMs: 3_000 });
    }
  } finally {
    await bus.close();
    await dir.cleanup();
  }
});
