import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKafkaBus } from '../../shared/bus/kafka/create-kafka-bus.js';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import { makeAlertEvent } from '../helpers/events.js';
import { kafkaBrokers } from '../helpers/infra.js';
import { randomName, waitFor } from '../helpers/wait.js';
import { quietLog, testPolicy } from './bus-contract.js';

test('Kafka: many concurrent large publishes on one key share produce requests and all arrive', { timeout: 120_000 }, async (t) => {
  const brokers = kafkaBrokers(t);
  if (!brokers) return;
  const bus = createKafkaBus({ brokers, topicPrefix: `${randomName('t')}.`, partitions: 3, log: quietLog, policy: testPolicy });
  t.after(() => bus.close());
  await bus.start();
  // 300 events of about 20 KB on one partition: 6 MB, far over the broker's 1 MiB per record batch
  // if they all went into one produce request.
  const blob = 'x'.repeat(20_000);
  const events: NightshiftEvent[] = Array.from({ length: 300 }, (_, n) => {
    const event = makeAlertEvent(n, 'one-key');
    return { ...event, payload: { ...event.payload, raw: { blob } } };
  });
  const results = await Promise.allSettled(events.map((event) => bus.publish(event)));
  assert.deepEqual(results.filter((r) => r.status === 'rejected'), []);

  const seen = new Set<string>();
  await bus.subscribe({ group: 'batched-publish', topics: ['alerts'], handler: async (event) => void seen.add(event.id) });
  await waitFor(() => seen.size === events.length, { what: 'all 300 events', timeoutMs: 60_000 });
  assert.deepEqual([...seen].sort(), events.map((e) => e.id).sort());
});
