export const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof logLevels)[number];

/** One log line from any backend, normalised so that correlation and mining never see vendor shapes. */
export interface LogRecord {
  /** Epoch milliseconds. */
  timestamp: number;
  service: string;
  level: LogLevel;
  message: string;
  traceId?: string;
  spanId?: string;
  requestId?: string;
  /** The remaining structured fields, as the backend gave them (already size-bounded by the source). */
  attributes: Record<string, unknown>;
  /** Where the line came from, so the report can point at it: `datadog`, `sentry` or `file`, plus a reference. */
  origin: LogOrigin;
}

export interface LogOrigin {
  source: 'datadog' | 'sentry' | 'file';
  /** Vendor id of the log/event, or the file path. */
  ref?: string;
  /** 1-based line number within a file. */
  line?: number;
}

/** True when a level counts as an error for triage (error and fatal). */
export function isErrorLevel(level: LogLevel): boolean {
  return level === 'error' || level === 'fatal';
}
