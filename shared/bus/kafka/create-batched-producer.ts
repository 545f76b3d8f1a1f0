import { Partitioners, type Kafka, type Message, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { createGroupCommit } from '../../batching/create-group-commit.js';

/** One message for one Kafka topic. */
export interface OutgoingMessage {
  topic: string;
  message: Message & { value: Buffer };
}

/** Well under the broker's default limit on a record batch (`message.max.bytes`, 1 MiB). */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * The Kafka bus's producer: idempotent (a retried produce after a lost acknowledgement is not
 * written twice), with one request in flight, which is what idempotence needs from kafkajs. Sends
 * that arrive while a request is in flight, or within `lingerMs` of the first, are group-committed
 * into one request, so throughput is not one broker round trip per publish. On a machine the broker
 * shares, each request also wakes the broker, which then takes the core from the HTTP thread. With
 * a 2 ms linger at 1,000 deliveries/s, all roles, the server used 8% less CPU per delivery for 1 ms
 * more p50 (8 interleaved runs each, one two-core machine).
 *
 * After a failed send, kafkajs rolls its sequence numbers back although the broker may have written
 * the batch; from then on every send would fail with OUT_OF_ORDER_SEQUENCE_NUMBER. The producer is
 * replaced instead (a new producer id starts clean). The failed events were not acknowledged: their
 * senders deliver them again, and consumers skip a second copy by its event id.
 */
export function createBatchedProducer(
  kafka: Kafka,
  { log, onProduced, lingerMs = 0 }: { log: Logger; onProduced?: ((ms: number) => void) | undefined; lingerMs?: number },
) {
  const createProducer = (): Producer => {
    const created = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    if (onProduced) created.on(created.events.REQUEST, ({ payload }) => payload.apiName === 'Produce' && onProduced(payload.duration));
    return created;
  };
  let producer = createProducer();

  async function replaceProducer(): Promise<void> {
    const failed = producer;
    producer = createProducer();
    await failed.disconnect().catch(() => {});
    await producer.connect().catch((error) => log.warn({ err: error }, 'Kafka producer could not reconnect; the next publish tries again'));
  }

  const send = createGroupCommit(
    async (batch: OutgoingMessage[][]) => {
      const byTopic = new Map<string, Message[]>();
      for (const { topic, message } of batch.flat()) {
        const messages = byTopic.get(topic) ?? [];
        messages.push(message);
        byTopic.set(topic, messages);
      }
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      } catch (error) {
        await replaceProducer();
        throw error;
      }
      return batch.map(() => undefined);
    },
    { maxWeight: MAX_REQUEST_BYTES, weigh: (messages) => messages.reduce((bytes, m) => bytes + m.message.value.length, 0), lingerMs },
  );

  return {
    connect: () => producer.connect(),
    /** Resolves once the broker acknowledged every message (acks from all in-sync replicas). */
    send,
    disconnect: () => producer.disconnect(),
  };
}
