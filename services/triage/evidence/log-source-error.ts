import { NightshiftError } from '../../../shared/errors.js';

export type LogBackend = 'datadog' | 'sentry' | 'file';

/** Why a source could not deliver: each `code` is stable and tells the operator what to check. */
export const logSourceErrorCodes = {
  /** 401/403: the key or token is wrong, revoked or lacks the scope. Not retriable. */
  unauthorised: 'LOG_SOURCE_UNAUTHORISED',
  /** 429 still after the allowed retries. Retriable later. */
  rateLimited: 'LOG_SOURCE_RATE_LIMITED',
  /** 5xx after retries, or the backend could not be reached. Retriable. */
  unavailable: 'LOG_SOURCE_UNAVAILABLE',
  /** Another 4xx: the query or the configuration (organisation, project) is wrong. Not retriable. */
  rejected: 'LOG_SOURCE_REJECTED',
  /** A 2xx whose body is not what the API documents. */
  badResponse: 'LOG_SOURCE_BAD_RESPONSE',
  /** A local file could not be opened or read. */
  unreadable: 'LOG_SOURCE_UNREADABLE',
} as const;

export type LogSourceErrorCode = (typeof logSourceErrorCodes)[keyof typeof logSourceErrorCodes];

/**
 * A log backend failed. The message names the backend and the HTTP status and never carries credentials:
 * sources build it from the status and the vendor's error text only, never from request headers.
 */
export class LogSourceError extends NightshiftError {
  readonly backend: LogBackend;
  readonly status: number | undefined;

  constructor(
    code: LogSourceErrorCode,
    backend: LogBackend,
    message: string,
    options: { status?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, { retriable: options.retriable ?? false, cause: options.cause });
    this.backend = backend;
    this.status = options.status;
  }
}

/** The error for an HTTP answer a source cannot use, classified by status. */
export function httpStatusError(backend: LogBackend, status: number, detail: string): LogSourceError {
  const what = `${backend === 'datadog' ? 'Datadog Logs API' : 'Sentry API'} answered HTTP ${status}`;
  const text = detail ? `${what}: ${detail.slice(0, 300)}` : what;
  if (status === 401 || status === 403) {
    const hint = backend === 'datadog' ? 'check the API key, the application key (logs_read_data scope) and the site' : 'check the auth token (event:read, project:read scopes) and the organisation slug';
    return new LogSourceError(logSourceErrorCodes.unauthorised, backend, `${text} (${hint})`, { status });
  }
  if (status === 429) return new LogSourceError(logSourceErrorCodes.rateLimited, backend, `${text} (still rate limited after retrying)`, { status, retriable: true });
  if (status >= 500) return new LogSourceError(logSourceErrorCodes.unavailable, backend, text, { status, retriable: true });
  return new LogSourceError(logSourceErrorCodes.rejected, backend, text, { status });
}
