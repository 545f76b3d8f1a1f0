import type { v2 } from '@datadog/datadog-api-client';
import type { LogQuery } from '../log-source.js';

/** Attributes searched for the query's ids. `trace_id` is Datadog's reserved attribute; `@…` are custom ones. */
export interface DatadogIdAttributes {
  traceId: readonly string[];
  requestId: readonly string[];
}

export const defaultDatadogIdAttributes: DatadogIdAttributes = {
  traceId: ['trace_id', '@trace_id', '@dd.trace_id', '@otel.trace_id'],
  requestId: ['@http.request_id', '@request_id', '@requestId'],
};

/** A value as a search term: bare when it is a plain token, else double-quoted with `"` and `\` escaped. */
export function quoteDatadogValue(value: string): string {
  return /^[A-Za-z0-9_.@][A-Za-z0-9_.@\-]*$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function anyOf(values: readonly string[]): string {
  const terms = values.map(quoteDatadogValue);
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
}

/**
 * The 64-bit decimal form Datadog's tracers log (`dd.trace_id`) of a W3C hex trace id: its low 64 bits.
 * Undefined for ids that are not hex of 16 or 32 digits.
 */
export function datadogDecimalTraceId(hex: string): string | undefined {
  if (!/^([0-9a-f]{16}|[0-9a-f]{32})$/i.test(hex)) return undefined;
  return BigInt(`0x${hex.slice(-16)}`).toString(10);
}

export interface DatadogQueryOptions {
  idAttributes?: DatadogIdAttributes;
  /** Also search the decimal low-64-bit form of hex trace ids, as dd-trace logs them. Default true. */
  decimalTraceIds?: boolean;
  /** Extra search text ANDed to the query, e.g. `env:prod`. */
  extra?: string;
}

/**
 * The search query for a LogQuery: `service:(a OR b)`, then the ids as
 * `(trace_id:x OR @trace_id:x … OR @http.request_id:r …)`, then any extra text; `*` when nothing narrows.
 */
export function buildDatadogQuery(query: LogQuery, options: DatadogQueryOptions = {}): string {
  const fields = options.idAttributes ?? defaultDatadogIdAttributes;
  const clauses: string[] = [];
  if (query.services.length > 0) clauses.push(`service:${anyOf(query.services)}`);

  const traceIds = [...new Set((query.traceIds ?? []).map((id) => id.trim().toLowerCase()).filter(Boolean))];
  if (options.decimalTraceIds ?? true) {
    for (const id of [...traceIds]) {
      const decimal = datadogDecimalTraceId(id);
      if (decimal && !traceIds.includes(decimal)) traceIds.push(decimal);
    }
  }
  const requestIds = [...new Set((query.requestIds ?? []).map((id) => id.trim()).filter(Boolean))];
  const idTerms = [
    ...(traceIds.length > 0 ? fields.traceId.map((field) => `${field}:${anyOf(traceIds)}`) : []),
    ...(requestIds.length > 0 ? fields.requestId.map((field) => `${field}:${anyOf(requestIds)}`) : []),
  ];
  if (idTerms.length > 0) clauses.push(idTerms.length === 1 ? idTerms[0]! : `(${idTerms.join(' OR ')})`);
  if (options.extra?.trim()) clauses.push(`(${options.extra.trim()})`);
  return clauses.length > 0 ? clauses.join(' AND ') : '*';
}

export interface LogsListRequestOptions extends DatadogQueryOptions {
  pageSize: number;
  cursor?: string;
  indexes?: string[];
}

/** The body of POST /api/v2/logs/events/search for one page, oldest first. */
export function buildLogsListRequest(query: LogQuery, options: LogsListRequestOptions): v2.LogsListRequest {
  return {
    filter: {
      query: buildDatadogQuery(query, options),
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      ...(options.indexes && options.indexes.length > 0 ? { indexes: options.indexes } : {}),
    },
    page: { limit: options.pageSize, ...(options.cursor ? { cursor: options.cursor } : {}) },
    sort: 'timestamp',
  };
}
