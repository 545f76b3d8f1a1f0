import { encodeEvent, type EncodedEvent } from '../events/encode-event.js';
import type { NightshiftEvent } from '../events/registry.js';

/**
 * A bus's `publish` from its `publishEncoded`: events are validated and encoded up front (an event that
 * breaks its contract never reaches a consumer), then only their text is held while the write runs.
 * Not async for that reason: an async function would keep the events alive until the write resolved.
 */
export function encodingPublisher(publishEncoded: (events: EncodedEvent[]) => Promise<void>) {
  return (events: NightshiftEvent | NightshiftEvent[]): Promise<void> => {
    let encoded: EncodedEvent[];
    try {
      encoded = Array.isArray(events) ? events.map(encodeEvent) : [encodeEvent(events)];
    } catch (error) {
      return Promise.reject(error);
    }
    return publishEncoded(encoded);
  };
}
