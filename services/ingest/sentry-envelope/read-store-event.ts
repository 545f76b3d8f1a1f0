import { parseJsonBody } from '../parse-json-body.js';
import { asObject, type JsonObject } from './read-json-values.js';

/** Everything an envelope header may hold; a lone JSON document with only these is an empty envelope. */
const ENVELOPE_HEADER_FIELDS = new Set(['event_id', 'dsn', 'sdk', 'sent_at', 'trace']);

/**
 * The event of a legacy `store` body, or undefined when the body is an envelope. Both endpoints share
 * one receiver (a receiver does not see its path), so the body tells: a store body is exactly one
 * JSON document, which an envelope with items never is. JSON.parse stops at the end of an envelope's
 * first line, so an envelope costs one line of parsing here.
 */
export function readStoreEvent(body: Buffer): JsonObject | undefined {
  const parsed = parseJsonBody(body);
  const document = parsed.ok ? asObject(parsed.value) : undefined;
  if (!document) return undefined;
  return Object.keys(document).some((field) => !ENVELOPE_HEADER_FIELDS.has(field)) ? document : undefined;
}
