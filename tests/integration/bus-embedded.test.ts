import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createConsumerPacer } from '../../shared/bus/create-consumer-pacer.js';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
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
