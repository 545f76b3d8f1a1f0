import { setTimeout as sleep } from 'node:timers/promises';
import { createEvent } from '../events/create-event.js';
import type { NightshiftEvent, Topic } from '../events/registry.js';
import { NightshiftError } from '../errors.js';
import type { Logger } from 'pino';
import { BusClosedError } from './bus-closed-error.js';
import type { Delivery, EventHandler, RetryPolicy } from './bus.js';
import type { DecodedMessage } from './decode-message.js';

export interface DeliverDeps {
  group: string;
  handler: EventHandler;
  policy: RetryPolicy;
  /** Publishes the dead letter durably; the caller commits the offset only after it resolves. */
  publishDeadLetter: (event: NightshiftEvent) => Promise<void>;
  now: () => Date;
  log: Logger;
  /** Aborted when the bus closes: retries stop and the delivery ends uncommitted. */
  signal: AbortSignal;
}

export type DeliveryOutcome = 'handled' | 'dead-lettered';

function describe(error: unknown): { code?: string; message: string } {
  if (error instanceof NightshiftError) return { code: error.code, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

function isPermanent(error: unknown): boolean {
  return error instanceof NightshiftError && !error.retriable;
}

function backoff(policy: RetryPolicy, attempt: number): number {
  const exponential = policy.retryBackoffMs * 2 ** (attempt - 1);
  const capped = Math.min(exponential, policy.maxRetryBackoffMs);
  // Jitter spreads retries of many consumers hitting one broken dependency.
  return Math.round(capped * (0.75 + Math.random() * 0.5));
}

/**
 * Runs the handler with retries and exponential backoff; after `maxAttempts` failures, or at once
 * for a non-retriable error or an undecodable message, publishes the event to the dead-letter topic.
 * Resolves when the offset may be committed; throws `BusClosedError` when the bus closed meanwhile.
 */
export async function deliverWithRetries(
  message: DecodedMessage,
  where: { topic: Topic; partition: number; offset: string; key: string },
  deps: DeliverDeps,
): Promise<DeliveryOutcome> {
  let lastError: unknown = message.ok ? undefined : message.error;
  let attempts = 0;
  if (message.ok) {
    for (let attempt = 1; attempt <= deps.policy.maxAttempts; attempt++) {
      if (deps.signal.aborted) throw new BusClosedError();
      attempts = attempt;
      const delivery: Delivery = { topic: where.topic, partition: where.partition, offset: where.offset, attempt };
      try {
        await deps.handler(message.event, delivery);
        return 'handled';
      } catch (error) {
        lastError = error;
        const permanent = isPermanent(error);
        deps.log.warn(
          { err: error, group: deps.group, topic: where.topic, offset: where.offset, eventId: message.event.id, attempt, permanent },
          'event handler failed',
        );
        if (permanent || attempt === deps.policy.maxAttempts) break;
        await sleep(backoff(deps.policy, attempt), undefined, { signal: deps.signal }).catch(() => {
          throw new BusClosedError();
        });
      }
    }
  }
  if (where.topic === 'dead-letter') {
    // Dead-lettering a dead letter would loop: it is already kept on the topic, so log and move on.
    deps.log.error({ group: deps.group, offset: where.offset, attempts, err: lastError }, 'dead-letter handler gave up');
    return 'dead-lettered';
  }
  const original = message.ok ? message.event : message.raw;
  const deadLetter = createEvent(
    'event.dead-lettered.v1',
    {
      key: where.key || 'unkeyed',
      payload: { topic: where.topic, group: deps.group, original, error: describe(lastError), attempts, failedAt: deps.now().toISOString() },
    },
    { now: deps.now },
  );
  await deps.publishDeadLetter(deadLetter);
  deps.log.error({ group: deps.group, topic: where.topic, offset: where.offset, attempts, err: lastError }, 'event dead-lettered');
  return 'dead-lettered';
}
