import { jsonSourceOf } from '../json/json-source.js';
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
const CLOSE_PAYLOAD_AND_EVENT = utf8.encode('}}');

/**
 * The event's JSON with its payload's `raw` copied from the bytes it was parsed from (see
 * `jsonSourceOf`) rather than serialised again. The payload goes last and `raw` last in it, so the
 * rest serialises to text ending in the two closing braces that the bytes go before.
 */
function serialiseWithRawSource(event: NightshiftEvent, rawSource: Uint8Array): Uint8Array {
  const { payload, ...envelope } = event;
  const { raw: _spliced, ...rest } = payload as { raw?: unknown };
  // Not `{ ...envelope, payload: rest }`: in Node 20's V8 every literal that opens with a spread and
  // adds properties is promoted out of the young generation (tests/integration/young-objects.test.ts).
  const text = JSON.stringify(Object.assign(envelope, { payload: rest }));
  // No JSON value ends in `{`, so one before the closing braces means the rest of the payload is empty.
  const separator = text.at(-3) === '{' ? '' : ',';
  const head = utf8.encode(`${text.slice(0, -2)}${separator}"raw":`);
  const json = new Uint8Array(head.length + rawSource.length + CLOSE_PAYLOAD_AND_EVENT.length);
  json.set(head);
  json.set(rawSource, head.length);
  json.set(CLOSE_PAYLOAD_AND_EVENT, head.length + rawSource.length);
  return json;
}

/** Validates (throws `InvalidEventError` naming the field) and serialises an event. */
export function encodeEvent(event: NightshiftEvent): EncodedEvent {
  const valid = parseEvent(event);
  const rawSource = jsonSourceOf((valid.payload as { raw?: unknown }).raw);
  const json = rawSource ? serialiseWithRawSource(valid, rawSource) : utf8.encode(JSON.stringify(valid));
  return { id: valid.id, type: valid.type, key: valid.key, json };
}
