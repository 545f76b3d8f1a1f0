import { EventEmitter, once } from 'node:events';
import type { Logger } from 'pino';
import { createGroupCommit } from '../../batching/create-group-commit.js';
import type { EncodedEvent } from '../../events/encode-event.js';
import { topicOf, type NightshiftEvent, type Topic } from '../../events/registry.js';
import { NightshiftError } from '../../errors.js';
import { BusClosedError } from '../bus-closed-error.js';
import { defaultRetryPolicy, type Bus, type ConsumerLag, type RetryPolicy, type SubscribeOptions, type Subscription } from '../bus.js';
import { decodeMessage } from '../decode-message.js';
import { encodingPublisher } from '../encoding-publisher.js';
import { deliverBatch } from '../deliver-batch.js';
import { createConsumerPacer, type ConsumerPacer } from '../create-consumer-pacer.js';
import { openBusLog, type BusLog, type NewLogRecord } from './bus-log.js';

export interface EmbeddedBusOptions {
  /** The SQLite file holding the log, e.g. `<dataDir>/bus.sqlite`. */
  file: string;
  log: Logger;
  now?: () => Date;
  policy?: RetryPolicy;
  /** How often an idle consumer looks for events appended by another process. */
  pollIntervalMs?: number;
  batchSize?: number;
  /** Yields consumers to this process's HTTP requests; by default as `createConsumerPacer()`. */
  pacer?: ConsumerPacer;
}

/**
 * The default bus for one machine: durable in SQLite, in-process consumers, one partition per topic.
 * Consumers of one group must live in one process (the all-in-one `nightshift start`); other
 * processes may publish into the same file.
 */
export function createEmbeddedBus(options: EmbeddedBusOptions): Bus {
  const now = options.now ?? (() => new Date());
  const policy = options.policy ?? defaultRetryPolicy;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const batchSize = options.batchSize ?? 100;
  const log = options.log.child({ component: 'embedded-bus' });
  const pacer = options.pacer ?? createConsumerPacer();
  const appended = new EventEmitter().setMaxListeners(0);
  const subscriptions = new Set<Subscription>();
  const claimed = new Set<string>();
  let busLog: BusLog | undefined;
  let closed = false;
  let commit: ((records: NewLogRecord[]) => Promise<void>) | undefined;
  // The last publish submitted: commits run in submission order, so once it settles all have.
  let lastPublish: Promise<void> | undefined;

  function open() {
    if (closed) throw new BusClosedError();
    busLog ??= openBusLog(options.file);
    return busLog;
  }

  /** One transaction and one fsync for every publish that joined the batch; consumers woken once per topic. */
  async function appendBatch(storage: BusLog, batch: NewLogRecord[][]): Promise<undefined[]> {
    const records = batch.length === 1 ? batch[0]! : batch.flat();
    storage.append(records, now().toISOString());
    await storage.sync();
    const topics = new Set<string>();
    for (const record of records) topics.add(record.topic);
    for (const topic of topics) appended.emit(topic);
    return new Array<undefined>(batch.length);
  }

  async function publishEncoded(events: EncodedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const records = events.map((event) => ({ topic: topicOf(event.type), key: event.key, body: event.json }));
    const storage = open();
    // Concurrent publishers share one transaction and one fsync.
    commit ??= createGroupCommit((batch: NewLogRecord[][]) => appendBatch(storage, batch));
    const committing = commit(records);
    lastPublish = committing;
    await committing;
  }
  const publish = encodingPublisher(publishEncoded);

  /** Until this process appends to `topic`, or the poll interval passes (another process's appends), or the stop. */
  async function waitForAppend(topic: Topic, signal: AbortSignal): Promise<void> {
    // Not AbortSignal.timeout: AbortSignal.any holds it weakly, and a GC in between cancelled its timer
    // (nodejs/node#57736), leaving the consumer blind to other processes' appends until this one's next.
    const poll = new AbortController();
    const timer = setTimeout(() => poll.abort(), pollIntervalMs);
    await once(appended, topic, { signal: AbortSignal.any([signal, poll.signal]) }).catch(() => {});
    clearTimeout(timer);
  }

  async function consume(group: string, topic: Topic, wanted: SubscribeOptions, signal: AbortSignal) {
    const storage = open();
    let position = storage.position(group, topic);
    const readLimit = Math.max(batchSize, wanted.batch?.maxEvents ?? 0);
    const pace = pacer.consumer();
    while (!signal.aborted) {
      const records = storage.read(topic, position, pace.readLimit(readLimit));
      if (records.length === 0) {
        await waitForAppend(topic, signal);
        pace.rested();
        continue;
      }
      // A committed append is readable before its publisher's sync finished: nothing is handed to a
      // handler before it is on disk.
      await storage.sync();
      const messages = records.map((record) => ({
        message: decodeMessage(record.body),
        where: { topic, partition: 0, offset: String(record.offset), key: record.key },
      }));
      let paced = 0;
      const progress = async (delivered: number) => {
        position = records[delivered - 1]!.offset + 1;
        storage.commit(group, topic, position);
        // Also a turn of the event loop: a handler on synchronous SQLite may never yield to I/O, and a
        // backlog would otherwise keep HTTP requests waiting for a whole read.
        await storage.sync();
        // Then the HTTP requests of this process first, while they stream in.
        await pace.pause(signal, delivered - paced);
        paced = delivered;
      };
      const deps = { group, handler: wanted.handler, batch: wanted.batch, policy, now, log, signal, publishDeadLetter: publish, progress };
      try {
        await deliverBatch(messages, deps);
      } catch (error) {
        if (error instanceof BusClosedError) return;
        throw error;
      }
    }
  }

  async function subscribe(wanted: SubscribeOptions): Promise<Subscription> {
    const { group, topics } = wanted;
    open();
    for (const topic of topics) {
      const claim = `${group}\u0000${topic}`;
      if (claimed.has(claim)) {
        throw new NightshiftError('BUS_GROUP_TAKEN', `consumer group ${group} already consumes ${topic} in this process`);
      }
      claimed.add(claim);
    }
    const controller = new AbortController();
    const workers = topics.map((topic) =>
      consume(group, topic, wanted, controller.signal).catch((error) => {
        log.fatal({ err: error, group, topic }, 'embedded consumer stopped');
      }),
    );
    const subscription: Subscription = {
      group,
      async stop() {
        controller.abort();
        await Promise.all(workers);
        for (const topic of topics) claimed.delete(`${group}\u0000${topic}`);
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  return {
    kind: 'embedded',
    async start() {
      open();
    },
    publish,
    publishEncoded,
    subscribe,
    async ping() {
      open().ping();
    },
    // The gap between the log's end and each group's committed position, for groups that committed
    // and groups subscribed here that have not yet (their position is the start of the log).
    async lag(): Promise<ConsumerLag[]> {
      const storage = open();
      const pairs = new Map(storage.positions().map((p) => [`${p.group}\u0000${p.topic}`, p]));
      for (const claim of claimed) {
        const [group = '', topic = ''] = claim.split('\u0000');
        if (!pairs.has(claim)) pairs.set(claim, { group, topic, nextOffset: storage.position(group, topic) });
      }
      return [...pairs.values()].map(({ group, topic, nextOffset }) => ({ group, topic: topic as Topic, lag: storage.countFrom(topic, nextOffset) }));
    },
    async close() {
      if (closed) return;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      closed = true;
      // Publishes already accepted finish (and resolve) before the file closes under them.
      await lastPublish?.catch(() => {});
      await busLog?.close();
    },
  };
}
