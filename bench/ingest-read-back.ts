import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import { createSqliteStore } from '../shared/store/index.js';

/** Ids of the `alert.received.v1` events on the embedded bus's alerts topic, one entry per stored copy. */
export function readEmbeddedAlertIds(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'bus.sqlite'));
  try {
    const rows = db.prepare<[], { body: string }>("SELECT body FROM bus_log WHERE topic = 'alerts'").all();
    return rows.map((row) => JSON.parse(row.body) as { id: string; type: string }).filter((e) => e.type === 'alert.received.v1').map((e) => e.id);
  } finally {
    db.close();
  }
}

/**
 * A fresh broker creates and loads its consumer offsets topic (50 partitions) when a group first asks
 * for its coordinator: seconds of broker work that, left alone, land inside the first round measured.
 * Asking once before any round moves them out (kafkajs retries while the coordinator loads).
 */
export async function warmGroupCoordinator(brokers: string[]): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.describeGroups(['nightshift-bench-warm-up']);
  } finally {
    await admin.disconnect();
  }
}

/** Ids of the `alert.received.v1` events on the Kafka alerts topic, read from the start to the high watermark. */
export async function readKafkaAlertIds(brokers: string[], topicPrefix: string): Promise<string[]> {
  const topic = `${topicPrefix}alerts`;
  const kafka = new Kafka({ clientId: 'nightshift-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  const ids: string[] = [];
  if (remaining.size === 0) return ids;
  const consumer = kafka.consumer({ groupId: `${topicPrefix}bench-read-back` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read-back of ${topic} did not reach the end within 120 s`)), 120_000);
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const event = JSON.parse(message.value?.toString('utf8') ?? '{}') as { id: string; type: string };
          if (event.type === 'alert.received.v1') ids.push(event.id);
          if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return ids;
}

/**
 * Deletes a run's topics (every one under its prefix). Left behind, each round added a few hundred MB
 * and dozens of partitions to the broker, and the rounds after it, and later benches, met a slower
 * broker: 3,081 partition directories and 15 GB after a day of runs.
 */
export async function deleteKafkaTopics(brokers: string[], topicPrefix: string): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

/** Accepted deliveries (delivery id → event id) missing from the store's ledger or recorded with another event. */
export async function findLedgerMismatches(dataDir: string, accepted: Map<string, string>): Promise<number> {
  const store = await createSqliteStore({ file: join(dataDir, 'nightshift.sqlite'), clock: () => new Date() });
  try {
    let mismatches = 0;
    for (const [deliveryId, eventId] of accepted) {
      const recorded = await store.findDelivery('sentry', deliveryId);
      if (recorded?.eventId !== eventId) mismatches += 1;
    }
    return mismatches;
  } finally {
    await store.close();
  }
}
