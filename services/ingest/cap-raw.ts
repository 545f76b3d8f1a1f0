import { jsonSourceOf } from '../../shared/json/json-source.js';

/** Largest raw payload kept on an alert: enough for evidence, small enough for the bus and the store. */
export const MAX_RAW_BYTES = 64 * 1024;

/**
 * The raw payload to attach to an alert: as is when small, else a marked, truncated preview, so a
 * 1 MiB webhook does not travel through every topic. The size of the body it was parsed from
 * (`receivedBytes`, or its JSON source) spares serialising a payload that was received small (the
 * common case) just to measure it.
 */
export function capRaw(value: unknown, maxBytes = MAX_RAW_BYTES, receivedBytes = jsonSourceOf(value)?.length): unknown {
  if (receivedBytes !== undefined && receivedBytes <= maxBytes) return value;
  const text = JSON.stringify(value) ?? 'null';
  if (Buffer.byteLength(text) <= maxBytes) return value;
  return { truncated: true, bytes: Buffer.byteLength(text), preview: Buffer.from(text).subarray(0, maxBytes).toString('utf8') };
}
