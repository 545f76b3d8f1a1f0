import { parseEvent } from './parse-event.js';
import type { EventType, NightshiftEvent } from './registry.js';

/**
 * An event checked against its contract and serialised once, as a bus stores it. Encoding where the
 * event is made lets that work leave the thread that publishes (ingest encodes in its receive
 * threads) and lets the event's objects die young: only the bytes wait for the durable commit.
 */
export interface EncodedEvent {
  id: string;
  type: EventType;
  key: string;
  /**
   * The event as UTF-8 JSON, what consumers decode. Bytes in a buffer of their own, not a string:
   * a receive thread moves them to the HTTP thread without a copy, and they stay off its heap.
   */
  json: Uint8Array;
}

const utf8 = new TextEncoder();

/** Validates (throws `InvalidEventError` naming the field) and serialises an event. */
export function encodeEvent(event: NightshiftEvent): EncodedEvent {
  const valid = parseEvent(event);
  return { id: valid.id, type: valid.type, key: valid.key, json: utf8.encode(JSON.stringify(valid)) };
}
