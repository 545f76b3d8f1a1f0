import { createHash, randomUUID } from 'node:crypto';
import { parseEvent } from './parse-event.js';
import type { EventOf, EventType, PayloadOf } from './registry.js';

export interface EventFactoryDeps {
  now: () => Date;
  newId?: () => string;
}

/** Builds and validates an event; an invalid payload throws `InvalidEventError` naming the field. */
export function createEvent<T extends EventType>(
  type: T,
  input: { key: string; payload: PayloadOf<T>; id?: string },
  deps: EventFactoryDeps,
): EventOf<T> {
  const event = {
    id: input.id ?? (deps.newId ?? randomUUID)(),
    type,
    occurredAt: deps.now().toISOString(),
    key: input.key,
    payload: input.payload,
  };
  return parseEvent(event) as EventOf<T>;
}

/**
 * A name-based (v5-style) uuid for the n-th event a handler emits for `parentId`: a redelivered
 * event makes the same ids again, so consumers downstream recognise the repeat.
 */
export function deriveEventId(parentId: string, index: number): string {
  const hash = createHash('sha1').update(`nightshift:${parentId}:${index}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
