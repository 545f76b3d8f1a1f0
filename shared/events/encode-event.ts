import { parseEvent } from './parse-event.js';
import type { EventType, NightshiftEvent } from './registry.js';

/**
 * An event checked against its contract and serialised once, as a bus stores it. Encoding where the
 * event is made lets that work leave the thread that publishes (ingest encodes in its receive
 * threads) and lets the event's objects die young: only the text waits for the durable commit.
 */
export interface EncodedEvent {
  id: string;
  type: EventType;
  key: string;
  /** The event as JSON, what consumers decode. */
  json: string;
}

/** Validates (throws `InvalidEventError` naming the field) and serialises an event. */
export function encodeEvent(event: NightshiftEvent): EncodedEvent {
  const valid = parseEvent(event);
  return { id: valid.id, type: valid.type, key: valid.key, json: JSON.stringify(valid) };
}
