import { parseEvent } from '../events/parse-event.js';
import type { NightshiftEvent } from '../events/registry.js';

export type DecodedMessage = { ok: true; event: NightshiftEvent } | { ok: false; raw: unknown; error: Error };

/** Turns a message body into an event; a body that is not one is reported, to be dead-lettered. */
export function decodeMessage(body: string | Buffer | null): DecodedMessage {
  const text = body === null ? '' : body.toString();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, raw: text.slice(0, 64 * 1024), error: new Error(`message body is not JSON: ${(error as Error).message}`) };
  }
  try {
    return { ok: true, event: parseEvent(raw) };
  } catch (error) {
    return { ok: false, raw, error: error as Error };
  }
}
