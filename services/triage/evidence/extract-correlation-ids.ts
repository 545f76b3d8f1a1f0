import { parseTraceparent } from './parse-traceparent.js';

/** Field names (dotted paths) where each id may sit in a structured record, tried in order. */
export interface CorrelationFieldNames {
  traceId: readonly string[];
  spanId: readonly string[];
  requestId: readonly string[];
  /** Fields holding a W3C `traceparent`, used when no trace id field is present. */
  traceparent: readonly string[];
}

export interface CorrelationIds {
  traceId?: string;
  spanId?: string;
  requestId?: string;
}

/** pino/OTel/Datadog/Sentry conventions: flat keys, dd-trace's `dd.*`, OTel's `otel.*`, ECS's `trace.id`. */
export const defaultCorrelationFields: CorrelationFieldNames = {
  traceId: ['trace_id', 'traceId', 'traceID', 'dd.trace_id', 'trace.id', 'otel.trace_id', 'trace.trace_id', 'contexts.trace.trace_id'],
  spanId: ['span_id', 'spanId', 'spanID', 'dd.span_id', 'span.id', 'otel.span_id', 'trace.span_id', 'contexts.trace.span_id'],
  requestId: [
    'request_id',
    'requestId',
    'requestID',
    'req_id',
    'reqId',
    'req.id',
    'x-request-id',
    'http.request_id',
    'http.request.id',
    'req.headers.x-request-id',
    'headers.x-request-id',
    'http.request.header.x-request-id',
  ],
  traceparent: ['traceparent', 'req.headers.traceparent', 'headers.traceparent', 'http.request.header.traceparent'],
};

/** Overrides replace a whole list; omitted lists keep the defaults. */
export function resolveCorrelationFields(overrides: Partial<CorrelationFieldNames> = {}): CorrelationFieldNames {
  return { ...defaultCorrelationFields, ...overrides };
}

type IdKind = 'traceId' | 'spanId' | 'requestId' | 'traceparent';

/** One configured field: which id it holds, its rank among that id's fields, and its path. */
interface Candidate {
  kind: IdKind;
  rank: number;
  /** Path below the record key it is registered under; empty when the key itself holds the value. */
  rest: string[];
}

/**
 * Indexes every field by the record key it starts with: `dd.trace_id` under the literal key
 * `dd.trace_id` (flat loggers) and, with the rest of its path, under `dd` (nested ones). A record is then
 * read by walking its own few keys instead of probing every configured path.
 */
function compile(fields: CorrelationFieldNames): Map<string, Candidate[]> {
  const index = new Map<string, Candidate[]>();
  const add = (key: string, candidate: Candidate) => index.set(key, [...(index.get(key) ?? []), candidate]);
  for (const kind of ['traceId', 'spanId', 'requestId', 'traceparent'] as const) {
    fields[kind].forEach((path, rank) => {
      const segments = path.split('.');
      add(path, { kind, rank, rest: [] });
      if (segments.length > 1) add(segments[0]!, { kind, rank, rest: segments.slice(1) });
    });
  }
  return index;
}

function walk(node: unknown, rest: string[]): unknown {
  for (const segment of rest) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

const ALL_ZERO = /^0+$/;
const HEX = /^[0-9a-f]+$/;

/**
 * A trace or span id as text, lower-cased. Datadog's decimal 64-bit ids stay decimal (they are not
 * converted to W3C hex: the low 64 bits of a 128-bit trace would match only half the id). Numbers beyond
 * 2^53 have already lost digits in JSON.parse, so they are dropped rather than matched wrongly.
 */
export function normaliseTraceId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  // The common case first: already lower-case hex (or decimal), which needs no copy.
  if (HEX.test(value)) return value.length <= 128 && !(value.charCodeAt(0) === 48 && ALL_ZERO.test(value)) ? value : undefined;
  const id = value.trim().toLowerCase();
  if (id === '' || id.length > 128 || /\s/.test(id)) return undefined;
  if (HEX.test(id) && ALL_ZERO.test(id)) return undefined;
  return id;
}

/** Request ids keep their case (some are case-sensitive tokens); only trimmed and bounded. */
export function normaliseRequestId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id === '' || id.length > 256 ? undefined : id;
}

const readers: Record<IdKind, (value: unknown) => string | undefined> = {
  traceId: normaliseTraceId,
  spanId: normaliseTraceId,
  requestId: normaliseRequestId,
  traceparent: (value) => (typeof value === 'string' && parseTraceparent(value) ? value : undefined),
};

/**
 * Compiles the field names once and returns the extractor the sources call per record (hot in the file
 * source: a million lines go through it). For each id the first configured field holding a valid value
 * wins; a `traceparent` fills in the trace and span ids when no field gave them.
 */
export function createCorrelationIdExtractor(overrides: Partial<CorrelationFieldNames> = {}): (record: Record<string, unknown>) => CorrelationIds {
  const index = compile(resolveCorrelationFields(overrides));
  return (record) => {
    // Best rank and value per id kind, in locals: this runs once per log line.
    let traceRank = Infinity, spanRank = Infinity, requestRank = Infinity, parentRank = Infinity;
    let traceId: string | undefined, spanId: string | undefined, requestId: string | undefined, traceparent: string | undefined;
    for (const key in record) {
      const candidates = index.get(key);
      if (candidates === undefined) continue;
      for (const candidate of candidates) {
        const { kind, rank } = candidate;
        const best = kind === 'traceId' ? traceRank : kind === 'spanId' ? spanRank : kind === 'requestId' ? requestRank : parentRank;
        if (best <= rank) continue;
        const value = readers[kind](candidate.rest.length === 0 ? record[key] : walk(record[key], candidate.rest));
        if (value === undefined) continue;
        if (kind === 'traceId') {
          traceRank = rank;
          traceId = value;
        } else if (kind === 'spanId') {
          spanRank = rank;
          spanId = value;
        } else if (kind === 'requestId') {
          requestRank = rank;
          requestId = value;
        } else {
          parentRank = rank;
          traceparent = value;
        }
      }
    }
    const ids: CorrelationIds = {};
    if (traceparent !== undefined && (traceId === undefined || spanId === undefined)) {
      const parent = parseTraceparent(traceparent);
      traceId ??= parent?.traceId;
      spanId ??= parent?.parentId;
    }
    if (traceId !== undefined) ids.traceId = traceId;
    if (spanId !== undefined) ids.spanId = spanId;
    if (requestId !== undefined) ids.requestId = requestId;
    return ids;
  };
}

/** One-off extraction with the given (or default) field names. */
export function extractCorrelationIds(record: Record<string, unknown>, overrides: Partial<CorrelationFieldNames> = {}): CorrelationIds {
  return createCorrelationIdExtractor(overrides)(record);
}
