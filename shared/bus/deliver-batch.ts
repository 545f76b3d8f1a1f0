import { BusClosedError } from './bus-closed-error.js';
import type { BatchDelivery, BatchOptions } from './bus.js';
import type { DecodedMessage } from './decode-message.js';
import { deliverWithRetries, type DeliverDeps } from './deliver-with-retries.js';

/** One fetched message of a partition and where it sits. */
export interface PartitionMessage {
  message: DecodedMessage;
  where: { topic: BatchDelivery['delivery']['topic']; partition: number; offset: string; key: string };
}

export interface DeliverBatchDeps extends DeliverDeps {
  /** The subscription's batch handler; without one every event goes through `handler` on its own. */
  batch?: BatchOptions | undefined;
  /** Called after the first `delivered` messages are done (handled or dead-lettered): commit up to there. */
  progress: (delivered: number) => Promise<void>;
  /** False once the consumer must stop taking new work (Kafka: rebalanced or stale); the rest stays uncommitted. */
  canContinue?: () => boolean;
  /** How many of at most `maxEvents` the next run may take (a consumer pacer's `readLimit`); all of them when absent. */
  runLimit?: (maxEvents: number) => number;
}

/**
 * Delivers one partition's fetched messages in order. Runs of decodable events (two or more, up to
 * `maxEvents`) go to the batch handler in one call; when it throws, that run is delivered again one
 * event at a time through `deliverWithRetries`, so retries and per-event dead-lettering are exactly
 * as without batches. Single events and undecodable messages always take the per-event path.
 * Throws `BusClosedError` when the bus closed meanwhile (what was reported to `progress` stays done).
 */
export async function deliverBatch(messages: PartitionMessage[], deps: DeliverBatchDeps): Promise<void> {
  const mostEvents = deps.batch?.maxEvents ?? 1;
  let done = 0;
  while (done < messages.length) {
    if (deps.signal.aborted) throw new BusClosedError();
    if (deps.canContinue && !deps.canContinue()) return;
    const maxEvents = deps.runLimit ? deps.runLimit(mostEvents) : mostEvents;
    let end = done;
    while (end < messages.length && end - done < maxEvents && messages[end]!.message.ok) end++;
    if (deps.batch && end - done >= 2 && (await handledAsBatch(messages.slice(done, end), deps.batch, deps))) {
      done = end;
      await deps.progress(done);
      continue;
    }
    // The undecodable message, the lone event, or the run whose batch failed: one by one.
    const stop = Math.max(end, done + 1);
    while (done < stop) {
      await deliverWithRetries(messages[done]!.message, messages[done]!.where, deps);
      done++;
      await deps.progress(done);
    }
  }
}

async function handledAsBatch(run: PartitionMessage[], batch: BatchOptions, deps: DeliverDeps): Promise<boolean> {
  const items: BatchDelivery[] = run.map(({ message, where }) => {
    if (!message.ok) throw new Error('only decodable messages are batched');
    return { event: message.event, delivery: { topic: where.topic, partition: where.partition, offset: where.offset, attempt: 1 } };
  });
  try {
    await batch.handler(items);
    return true;
  } catch (error) {
    const first = run[0]!.where;
    deps.log.warn(
      { err: error, group: deps.group, topic: first.topic, partition: first.partition, fromOffset: first.offset, events: run.length },
      'batch handler failed; delivering its events one by one',
    );
    return false;
  }
}
