import { Kafka, logLevel, type Consumer, type EachBatchPayload, type EachMessagePayload, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import type { EncodedEvent } from '../../events/encode-event.js';
import { topicOf, topics as allTopics, type NightshiftEvent, type Topic } from '../../events/registry.js';
import { NightshiftError } from '../../errors.js';
import { BusClosedError } from '../bus-closed-error.js';
import { defaultRetryPolicy, type Bus, type ConsumerLag, type RetryPolicy, type SubscribeOptions, type Subscription } from '../bus.js';
import { decodeMessage } from '../decode-message.js';
import { encodingPublisher } from '../encoding-publisher.js';
import { deliverBatch } from '../deliver-batch.js';
import { deliverWithRetries } from '../deliver-with-retries.js';
import { createConsumerPacer, type ConsumerPacer } from '../create-consumer-pacer.js';
import { createBatchedProducer } from './create-batched-producer.js';
import { kafkaLogCreator } from './kafka-log-creator.js';
import { waitForTopicLeaders } from './wait-for-topic-leaders.js';

export interface KafkaBusOptions {
  brokers: string[];
  clientId?: string;
  /** Prepended to every topic and consumer group, so several installations can share a cluster. */
  topicPrefix?: string;
  partitions?: number;
  replicationFactor?: number;
  ssl?: boolean;
  sasl?: SASLOptions;
  log: Logger;
  now?: () => Date;
  policy?: RetryPolicy;
  /** A publish that is not acknowledged by then fails (retriable), so callers can answer 503. */
  publishTimeoutMs?: number;
  /** How long the group waits for a silent member before moving its partitions (broker minimum 6 s). */
  sessionTimeoutMs?: number;
  /** Partitions one consumer works on at once; order is kept within each partition. */
  partitionsConsumedConcurrently?: number;
  /** How long a publish after a quiet spell waits for others to share its produce request (see createBatchedProducer). */
  lingerMs?: number;
  /** Told the round trip of every produce request, in milliseconds (kafkajs measures it to the millisecond). */
  onProduced?: (ms: number) => void;
  /** Yields consumers to this process's HTTP requests (the all-in-one process); by default as `createConsumerPacer()`. */
  pacer?: ConsumerPacer;
}

/** The bus for scale-out: Kafka topics per event family, one consumer group per service role. */
export function createKafkaBus(options: KafkaBusOptions): Bus {
  const prefix = options.topicPrefix ?? 'nightshift.';
  const now = options.now ?? (() => new Date());
  const policy = options.policy ?? defaultRetryPolicy;
  const log = options.log.child({ component: 'kafka-bus' });
  const config: KafkaConfig = {
    clientId: options.clientId ?? 'nightshift',
    brokers: options.brokers,
    ssl: options.ssl ?? false,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(log),
  };
  if (options.sasl) config.sasl = options.sasl;
  const kafka = new Kafka(config);
  const admin = kafka.admin();
  const producer = createBatchedProducer(kafka, { log, onProduced: options.onProduced, lingerMs: options.lingerMs ?? 0 });
  const pacer = options.pacer ?? createConsumerPacer();
  const consumers = new Set<Subscription>();
  /** Group → topics, of the subscriptions in this process: the groups whose lag it reports. */
  const subscribed = new Map<string, Topic[]>();
  let started: Promise<void> | undefined;
  let closed = false;

  const toKafkaTopic = (topic: Topic) => `${prefix}${topic}`;
  const fromKafkaTopic = (name: string) => name.slice(prefix.length) as Topic;

  async function connect(): Promise<void> {
    await admin.connect();
    // Only the missing ones: the broker answers a topic that exists with an error, which kafkajs logs as one.
    const existing = new Set(await admin.listTopics());
    const missing = allTopics.map(toKafkaTopic).filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({ topic, numPartitions: options.partitions ?? 6, replicationFactor: options.replicationFactor ?? 1 })),
      });
      await waitForTopicLeaders(admin, missing);
    }
    await producer.connect();
  }

  function start(): Promise<void> {
    if (closed) throw new BusClosedError();
    // A failed connect is forgotten so the next call (readiness probe, publish) tries again.
    started ??= connect().catch((error) => {
      started = undefined;
      throw error;
    });
    return started;
  }

  async function publishEncoded(events: EncodedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await start();
    const messages = events.map((event) => ({
      topic: toKafkaTopic(topicOf(event.type)),
      message: { key: event.key, value: Buffer.from(event.json.buffer, event.json.byteOffset, event.json.byteLength), headers: { 'event-type': event.type, 'event-id': event.id } },
    }));
    const send = producer.send(messages);
    const timeoutMs = options.publishTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new NightshiftError('BUS_UNAVAILABLE', `Kafka did not acknowledge within ${timeoutMs} ms`, { retriable: true })),
        timeoutMs,
      );
    });
    try {
      await Promise.race([send, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
  const publish = encodingPublisher(publishEncoded);

  async function subscribe({ group, topics, handler, batch }: SubscribeOptions): Promise<Subscription> {
    await start();
    const consumer: Consumer = kafka.consumer({
      groupId: `${prefix}${group}`,
      allowAutoTopicCreation: false,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    });
    const controller = new AbortController();
    const deps = { group, handler, policy, now, log, signal: controller.signal, publishDeadLetter: publish };
    const inFlight = new Set<Promise<void>>();
    // One pacing per partition: partitions consumed concurrently have slices of their own.
    const paces = new Map<string, ReturnType<ConsumerPacer['consumer']>>();
    const paceOf = (topic: string, partition: number) => {
      const key = `${topic}\u0000${partition}`;
      let pace = paces.get(key);
      if (!pace) paces.set(key, (pace = pacer.consumer()));
      return pace;
    };
    const track = (work: Promise<void>) => {
      inFlight.add(work);
      return work.finally(() => inFlight.delete(work));
    };
    const handleMessage = async ({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> => {
      const pace = paceOf(topic, partition);
      pace.rested();
      const where = { topic: fromKafkaTopic(topic), partition, offset: message.offset, key: message.key?.toString() ?? '' };
      // Long handlers keep the group membership alive instead of triggering a rebalance.
      const beat = setInterval(() => heartbeat().catch(() => {}), 3_000);
      try {
        await deliverWithRetries(decodeMessage(message.value), where, deps);
      } catch (error) {
        if (error instanceof BusClosedError) return; // uncommitted: delivered again after restart
        throw error;
      } finally {
        clearInterval(beat);
      }
      // Committed only after the handler succeeded (or the event was dead-lettered).
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      await pace.pause(controller.signal, 1);
    };
    const handleBatch = async ({ batch: fetched, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
      const { topic, partition } = fetched;
      const pace = paceOf(topic, partition);
      // Waiting for the fetch was not work.
      pace.rested();
      let paced = 0;
      const messages = fetched.messages.map((message) => ({
        message: decodeMessage(message.value),
        where: { topic: fromKafkaTopic(topic), partition, offset: message.offset, key: message.key?.toString() ?? '' },
      }));
      const progress = async (delivered: number) => {
        const last = messages[delivered - 1]!.where.offset;
        resolveOffset(last);
        // Committed only after the batch (or each event of a failed one) was handled or dead-lettered.
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
        await heartbeat();
        // Then this process's HTTP requests first, while they stream in.
        await pace.pause(controller.signal, delivered - paced);
        paced = delivered;
      };
      const beat = setInterval(() => heartbeat().catch(() => {}), 3_000);
      try {
        await deliverBatch(messages, { ...deps, batch, progress, canContinue: () => isRunning() && !isStale(), runLimit: (most) => pace.readLimit(most) });
      } catch (error) {
        if (error instanceof BusClosedError) return; // the rest uncommitted: delivered again after restart
        throw error;
      } finally {
        clearInterval(beat);
      }
    };
    await consumer.connect();
    // A new group starts from the beginning: nothing published before its first start is missed.
    await consumer.subscribe({ topics: topics.map(toKafkaTopic), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      // A batch subscription takes each fetched partition batch at once; resolving offsets is ours.
      ...(batch
        ? { eachBatchAutoResolve: false, eachBatch: (payload: EachBatchPayload) => track(handleBatch(payload)) }
        : { eachMessage: (payload: EachMessagePayload) => track(handleMessage(payload)) }),
    });
    const subscription: Subscription = {
      group,
      async stop() {
        controller.abort();
        // kafkajs ignores commits once its runner stops, so in-flight handlers finish and commit first.
        await Promise.allSettled([...inFlight]);
        await consumer.disconnect();
        consumers.delete(subscription);
      },
    };
    consumers.add(subscription);
    subscribed.set(group, [...new Set([...(subscribed.get(group) ?? []), ...topics])]);
    return subscription;
  }

  return {
    kind: 'kafka',
    start,
    publish,
    publishEncoded,
    subscribe,
    async ping() {
      await start();
      await admin.describeCluster();
    },
    // Log end offsets minus the group's committed offsets, summed over partitions; a partition the group
    // never committed counts from its low watermark (the group starts from the beginning).
    async lag(): Promise<ConsumerLag[]> {
      await start();
      const lags: ConsumerLag[] = [];
      const ends = new Map<string, Promise<{ partition: number; high: string; low: string }[]>>();
      for (const [group, topics] of subscribed) {
        const committed = await admin.fetchOffsets({ groupId: `${prefix}${group}`, topics: topics.map(toKafkaTopic) });
        for (const { topic, partitions } of committed) {
          if (!ends.has(topic)) ends.set(topic, admin.fetchTopicOffsets(topic));
          let lag = 0n;
          for (const end of await ends.get(topic)!) {
            const offset = partitions.find((p) => p.partition === end.partition)?.offset;
            const from = offset === undefined || BigInt(offset) < 0n ? BigInt(end.low) : BigInt(offset);
            if (BigInt(end.high) > from) lag += BigInt(end.high) - from;
          }
          lags.push({ group, topic: fromKafkaTopic(topic), lag: Number(lag) });
        }
      }
      return lags;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((c) => c.stop()));
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    },
  };
}
