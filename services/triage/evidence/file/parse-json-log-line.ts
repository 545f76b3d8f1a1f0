import { boundAttributes } from '../bound-attributes.js';
import type { CorrelationIds } from '../extract-correlation-ids.js';
import { normaliseLogLevel } from '../normalise-log-level.js';
import { normaliseTimestamp } from '../normalise-timestamp.js';
import { parseFlatOtelLine, parseOtlpExportLine, type ParsedEntry } from './parse-otlp-json.js';

type ExtractIds = (fields: Record<string, unknown>) => CorrelationIds;

/** Where pino, bunyan, winston, ECS and most JSON loggers put the record's own fields, in order of preference. */
const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 'date'] as const;
const LEVEL_KEYS = ['level', 'severity', 'log.level', 'levelname', 'status'] as const;
const MESSAGE_KEYS = ['msg', 'message', 'event'] as const;
const SERVICE_KEYS = ['service', 'service.name', 'name', 'app'] as const;

/** The keys a record consumed, reused across lines: a fresh Set per line was a measurable share of GC. */
const consumed = new Set<string>();

/** The first key of `keys` present on the object. */
function pick(object: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) if (object[key] !== undefined) return key;
  return undefined;
}

function serviceName(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  // ECS writes `service: { name }`.
  const name = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/**
 * One structured log object: pino (`level` 10..60, `time` epoch ms, `msg`, `name`), bunyan (same levels,
 * ISO `time`, `v`), and the common variants (`timestamp`, `message`, level names). The keys used become
 * the record's fields and leave the attributes; the rest stay as the logger wrote them.
 */
export function parseStructuredLog(object: Record<string, unknown>, extractIds: ExtractIds): ParsedEntry | string {
  const timeKey = pick(object, TIME_KEYS);
  if (timeKey === undefined) return 'JSON line without a time field';
  const timestamp = normaliseTimestamp(object[timeKey]);
  if (timestamp === undefined) return `unreadable ${timeKey} ${JSON.stringify(object[timeKey]).slice(0, 40)}`;
  const levelKey = pick(object, LEVEL_KEYS);
  const messageKey = pick(object, MESSAGE_KEYS);
  const serviceKey = pick(object, SERVICE_KEYS);
  const omit = consumed;
  omit.clear();
  omit.add(timeKey);
  if (levelKey) omit.add(levelKey);
  if (messageKey) omit.add(messageKey);
  if (serviceKey) omit.add(serviceKey);
  // bunyan's format version field carries nothing about the event.
  if (object.v === 0) omit.add('v');
  const err = object.err as { message?: unknown } | undefined;
  const message = messageKey ? object[messageKey] : err?.message;
  const entry: ParsedEntry = {
    timestamp,
    level: (levelKey ? normaliseLogLevel(object[levelKey]) : undefined) ?? 'info',
    message: typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message),
    attributes: boundAttributes(object, omit),
  };
  const service = serviceKey ? serviceName(object[serviceKey]) : undefined;
  if (service) entry.service = service;
  const ids = extractIds(object);
  if (ids.traceId) entry.traceId = ids.traceId;
  if (ids.spanId) entry.spanId = ids.spanId;
  if (ids.requestId) entry.requestId = ids.requestId;
  return entry;
}

/**
 * A JSON log line of any supported shape: an OTLP file-exporter document (many records), a flat OTel
 * record, or a structured logger's line. Returns the entries, or a reason per entry that could not be read.
 */
export function parseJsonLogLine(line: string, extractIds: ExtractIds): ParsedEntry | string | Array<ParsedEntry | string> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not JSON (${(error as Error).message.slice(0, 60)})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'JSON line is not an object';
  const object = value as Record<string, unknown>;
  if (object.resourceLogs !== undefined) return parseOtlpExportLine(object, extractIds);
  if (object.timeUnixNano !== undefined || object.severityNumber !== undefined || object.observedTimeUnixNano !== undefined) {
    return parseFlatOtelLine(object, extractIds);
  }
  return parseStructuredLog(object, extractIds);
}
