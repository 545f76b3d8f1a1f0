import type { LogRecord } from './log-record.js';

/** What triage asks a backend for: the incident's services over a time window, optionally narrowed by ids. */
export interface LogQuery {
  /** Services to read; empty means every service the source knows. */
  services: string[];
  /** Inclusive window, epoch milliseconds. */
  from: number;
  to: number;
  /** When given, only records carrying one of these trace ids (or request ids) are wanted. */
  traceIds?: string[];
  requestIds?: string[];
  /** Upper bound on the records this source yields for the query. */
  limit?: number;
}

/** One adapter per log backend (Datadog Logs API, Sentry events, local files). */
export interface LogSource {
  readonly name: string;
  /** Streams matching records, oldest first where the backend allows it. */
  fetchLogs(query: LogQuery, options?: { signal?: AbortSignal }): AsyncIterable<LogRecord>;
}
