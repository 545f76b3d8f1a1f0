import type { EncodedEvent } from '../events/encode-event.js';
import type { NightshiftEvent, Topic } from '../events/registry.js';

/** Where a delivery came from, for logs and for handlers that care. */
export interface Delivery {
  topic: Topic;
  partition: number;
  offset: string;
  /** 1 on first delivery to this handler in this process; counts retries. */
  attempt: number;
}

/** One consumer group's backlog on one topic: events appended but not yet committed by the group. */
export interface ConsumerLag {
  group: string;
  topic: Topic;
  lag: number;
}

export type EventHandler = (event: NightshiftEvent, delivery: Delivery) => Promise<void>;

/** One event of a batch, with where it came from. */
export interface BatchDelivery {
  event: NightshiftEvent;
  delivery: Delivery;
}

/** Handles several events of one partition, in order, as one unit of work (say, one store transaction). */
export type BatchEventHandler = (items: BatchDelivery[]) => Promise<void>;

export interface BatchOptions {
  handler: BatchEventHandler;
  /** Most events handed over in one call. */
  maxEvents: number;
}

export interface SubscribeOptions {
  /** Consumer group: one per service role. Each group sees every event once (at least). */
  group: string;
  topics: Topic[];
  handler: EventHandler;
  /**
   * Optional: events already fetched from one partition go to `batch.handler` together, and the
   * offset commits once after the batch. When the batch handler throws, the bus delivers that
   * batch's events again one by one through `handler`, with the usual retries and dead-lettering.
   */
  batch?: BatchOptions;
}

export interface Subscription {
  readonly group: string;
  /** Stops fetching, waits for the in-flight handler, commits what succeeded. */
  stop(): Promise<void>;
}

/**
 * The event bus between services. Delivery is at least once and in order per partition key;
 * handlers must be idempotent. A handler that keeps failing sends its event to the `dead-letter`
 * topic (as `event.dead-lettered.v1`) and the partition moves on.
 */
export interface Bus {
  readonly kind: 'embedded' | 'kafka';
  /** Connects and creates missing topics. */
  start(): Promise<void>;
  /** Resolves only once every event is durably stored; the topic follows from the event type. */
  publish(events: NightshiftEvent | NightshiftEvent[]): Promise<void>;
  /** `publish` for events already encoded (`encodeEvent`): validated, serialised, stored as they are. */
  publishEncoded(events: EncodedEvent[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Backlog of the consumer groups this bus knows (metrics); optional so test doubles need not have it. */
  lag?(): Promise<ConsumerLag[]>;
  /** Throws when the bus cannot serve (readiness). */
  ping(): Promise<void>;
  /** Stops every subscription (in-flight handlers finish, offsets commit), then disconnects. */
  close(): Promise<void>;
}

export interface RetryPolicy {
  /** Handler attempts before the event is dead-lettered. */
  maxAttempts: number;
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, retryBackoffMs: 200, maxRetryBackoffMs: 10_000 };
