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

type Path = { literal: string; segments: string[] };

function compile(paths: readonly string[]): Path[] {
  return paths.map((literal) => ({ literal, segments: literal.split('.') }));
}

/** The value at a dotted path: the literal key first (`"dd.trace_id": …`), then the nested walk. */
function readPath(record: Record<string, unknown>, path: Path): unknown {
  const direct = record[path.literal];
  if (direct !== undefined || path.segments.length === 1) return direct;
  let node: unknown = record;
  for (const segment of path.segments) {
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

function firstOf<T>(record: Record<string, unknown>, paths: Path[], read: (value: unknown) => T | undefined): T | undefined {
  for (const path of paths) {
    const value = read(readPath(record, path));
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Compiles the field names once and returns the extractor the sources call per record (hot in the file
 * source: a million lines go through it).
 */
export function createCorrelationIdExtractor(overrides: Partial<CorrelationFieldNames> = {}): (record: Record<string, unknown>) => CorrelationIds {
  const fields = resolveCorrelationFields(overrides);
  const trace = compile(fields.traceId);
  const span = compile(fields.spanId);
  const request = compile(fields.requestId);
  const traceparent = compile(fields.traceparent);
  return (record) => {
    const ids: CorrelationIds = {};
    let traceId = firstOf(record, trace, normaliseTraceId);
    let spanId = firstOf(record, span, normaliseTraceId);
    if (traceId === undefined || spanId === undefined) {
      const parent = firstOf(record, traceparent, (v) => (typeof v === 'string' ? parseTraceparent(v) : undefined));
      traceId ??= parent?.traceId;
      spanId ??= parent?.parentId;
    }
    const requestId = firstOf(record, request, normaliseRequestId);
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
