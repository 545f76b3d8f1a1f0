import type { LogRecord } from './log-record.js';
import type { LogQuery } from './log-source.js';
import { normaliseTraceId } from './extract-correlation-ids.js';

/** A LogQuery compiled into sets, so a source can test a million records against it cheaply. */
export interface CompiledLogQuery {
  from: number;
  to: number;
  services: ReadonlySet<string> | undefined;
  traceIds: ReadonlySet<string> | undefined;
  requestIds: ReadonlySet<string> | undefined;
  limit: number;
}

/** Trace ids are compared lower-cased, as the sources store them; an empty list means no narrowing. */
export function compileLogQuery(query: LogQuery, maxRecords = Number.POSITIVE_INFINITY): CompiledLogQuery {
  const traceIds = (query.traceIds ?? []).flatMap((id) => normaliseTraceId(id) ?? []);
  const requestIds = (query.requestIds ?? []).map((id) => id.trim()).filter((id) => id !== '');
  const narrowed = traceIds.length > 0 || requestIds.length > 0;
  return {
    from: query.from,
    to: query.to,
    services: query.services.length > 0 ? new Set(query.services) : undefined,
    traceIds: narrowed ? new Set(traceIds) : undefined,
    requestIds: narrowed ? new Set(requestIds) : undefined,
    limit: Math.max(0, Math.min(query.limit ?? Number.POSITIVE_INFINITY, maxRecords)),
  };
}

export function inWindow(timestamp: number, query: CompiledLogQuery): boolean {
  return timestamp >= query.from && timestamp <= query.to;
}

/** Whether a record satisfies the window, the services and (when given) carries one of the ids. */
export function matchesLogQuery(record: LogRecord, query: CompiledLogQuery): boolean {
  if (!inWindow(record.timestamp, query)) return false;
  if (query.services && !query.services.has(record.service)) return false;
  if (query.traceIds && query.requestIds) {
    const byTrace = record.traceId !== undefined && query.traceIds.has(record.traceId);
    const byRequest = record.requestId !== undefined && query.requestIds.has(record.requestId);
    if (!byTrace && !byRequest) return false;
  }
  return true;
}
