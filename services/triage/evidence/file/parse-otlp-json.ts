import { boundAttributes } from '../bound-attributes.js';
import type { CorrelationIds } from '../extract-correlation-ids.js';
import { normaliseTraceId } from '../extract-correlation-ids.js';
import type { LogLevel } from '../log-record.js';
import { levelFromName, levelFromOtelSeverity } from '../normalise-log-level.js';
import { normaliseTimestamp } from '../normalise-timestamp.js';
import { asObject, asString, type JsonObject } from '../../../../shared/json/read-json-values.js';

/** What a parser makes of one log entry before the file source adds origin and fallbacks. */
export interface ParsedEntry {
  timestamp: number;
  level: LogLevel;
  message: string;
  service?: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  attributes: Record<string, unknown>;
}

type ExtractIds = (fields: Record<string, unknown>) => CorrelationIds;

/** An OTLP AnyValue (`{stringValue}`, `{intValue}`, `{kvlistValue}`…) as plain JSON. */
export function readAnyValue(value: unknown): unknown {
  const any = asObject(value);
  if (!any) return value;
  if ('stringValue' in any) return any.stringValue;
  if ('boolValue' in any) return any.boolValue;
  if ('intValue' in any) return typeof any.intValue === 'string' ? Number(any.intValue) : any.intValue;
  if ('doubleValue' in any) return any.doubleValue;
  if ('bytesValue' in any) return any.bytesValue;
  if ('arrayValue' in any) return (Array.isArray(asObject(any.arrayValue)?.values) ? (asObject(any.arrayValue)!.values as unknown[]) : []).map(readAnyValue);
  if ('kvlistValue' in any) return readKeyValues(asObject(any.kvlistValue)?.values);
  return any;
}

/** OTLP's `[{key, value: AnyValue}]` lists as an object; an object passes through (flat exports). */
export function readKeyValues(list: unknown): JsonObject {
  if (!Array.isArray(list)) return asObject(list) ?? {};
  const out: JsonObject = {};
  for (const item of list) {
    const pair = asObject(item);
    if (pair && typeof pair.key === 'string') out[pair.key] = readAnyValue(pair.value);
  }
  return out;
}

/**
 * One OTLP LogRecord (`timeUnixNano`, `severityNumber`, `severityText`, `body`, `traceId`, `spanId`,
 * `attributes`) with its resource's attributes, as a parsed entry; a reason when it has no time.
 */
export function parseOtelLogRecord(record: JsonObject, resource: JsonObject, extractIds: ExtractIds, scope?: string): ParsedEntry | string {
  const timestamp = normaliseTimestamp(record.timeUnixNano) ?? normaliseTimestamp(record.observedTimeUnixNano) ?? normaliseTimestamp(record.timestamp);
  if (timestamp === undefined) return 'OTel log record without timeUnixNano';
  const attributes = readKeyValues(record.attributes);
  const body = readAnyValue(record.body);
  const severity = typeof record.severityNumber === 'number' ? levelFromOtelSeverity(record.severityNumber) : undefined;
  const severityText = asString(record.severityText);
  const ids = extractIds(attributes);
  const traceId = normaliseTraceId(record.traceId) ?? ids.traceId;
  const spanId = normaliseTraceId(record.spanId) ?? ids.spanId;
  const service = asString(resource['service.name']) ?? asString(attributes['service.name']);
  const { 'service.name': _service, ...otherResource } = resource;
  const entry: ParsedEntry = {
    timestamp,
    level: severity ?? (severityText ? levelFromName(severityText) : undefined) ?? 'info',
    message: typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body),
    attributes: boundAttributes({
      ...attributes,
      ...(Object.keys(otherResource).length > 0 ? { resource: otherResource } : {}),
      ...(scope ? { scope } : {}),
      ...(severityText ? { severityText } : {}),
    }),
  };
  if (service) entry.service = service;
  if (traceId) entry.traceId = traceId;
  if (spanId) entry.spanId = spanId;
  if (ids.requestId) entry.requestId = ids.requestId;
  return entry;
}

/**
 * One line of the OpenTelemetry Collector's file exporter (OTLP/JSON): `{"resourceLogs": [...]}` with
 * `scopeLogs` (or the older `instrumentationLibraryLogs`) holding `logRecords`. A line holds many records.
 */
export function parseOtlpExportLine(document: JsonObject, extractIds: ExtractIds): Array<ParsedEntry | string> {
  const out: Array<ParsedEntry | string> = [];
  for (const rl of Array.isArray(document.resourceLogs) ? document.resourceLogs : []) {
    const resourceLogs = asObject(rl) ?? {};
    const resource = readKeyValues(asObject(resourceLogs.resource)?.attributes);
    const scopes = resourceLogs.scopeLogs ?? resourceLogs.instrumentationLibraryLogs;
    for (const sl of Array.isArray(scopes) ? scopes : []) {
      const scopeLogs = asObject(sl) ?? {};
      const scope = asString(asObject(scopeLogs.scope ?? scopeLogs.instrumentationLibrary)?.name);
      for (const lr of Array.isArray(scopeLogs.logRecords) ? scopeLogs.logRecords : []) {
        const record = asObject(lr);
        out.push(record ? parseOtelLogRecord(record, resource, extractIds, scope) : 'OTel logRecords item is not an object');
      }
    }
  }
  return out;
}

/** A flat per-record OTel JSON line: the record's fields at the top, `resource` as a list or an object. */
export function parseFlatOtelLine(record: JsonObject, extractIds: ExtractIds): ParsedEntry | string {
  const resourceField = asObject(record.resource);
  const resource = readKeyValues(resourceField && 'attributes' in resourceField ? resourceField.attributes : record.resource);
  const { resource: _resource, ...fields } = record;
  return parseOtelLogRecord(fields, resource, extractIds, asString(asObject(record.scope)?.name) ?? asString(record.scope));
}
