/** The ids a W3C `traceparent` header carries. */
export interface Traceparent {
  version: string;
  traceId: string;
  /** The span the header names (the caller's span when it is an incoming request header). */
  parentId: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Parses `00-<32 hex>-<16 hex>-<2 hex>` (W3C Trace Context, level 1). Rejects version `ff`, all-zero
 * trace or parent ids, and trailing data on version 00; a higher version may carry more fields after a
 * dash, as the spec asks receivers to accept. Upper-case hex is tolerated and lower-cased.
 */
export function parseTraceparent(value: string): Traceparent | undefined {
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const [, version = '', traceId = '', parentId = '', flags = '', rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { version, traceId, parentId, flags };
}
