import type { LogSourceStats } from './log-source-stats.js';
import { LogSourceError, logSourceErrorCodes, type LogBackend } from './log-source-error.js';
import { createRetryingSender, defaultRetryPolicy, realSleep, type HttpSourceOptions, type RateLimitHint, type RetriableAnswer } from './send-with-retries.js';

/** `fetch` as an HTTP log source uses it: retried, counted, and failing only with a typed error or an abort. */
export type SourceFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface CreateSourceFetchInput {
  /** The source's backend, as LogSourceError names it (`datadog`, `sentry`). */
  backend: LogBackend;
  options: HttpSourceOptions;
  /** How this backend's answers tell their rate limit. */
  readHint: (answer: RetriableAnswer, now: number) => RateLimitHint;
  /** The running fetchLogs' stats, if any: each request and each retry is counted there. */
  stats: () => LogSourceStats | undefined;
  /** The start of the error message when the backend cannot be reached (`Datadog Logs API could not be reached`). */
  unreachable: (url: URL) => string;
}

/**
 * The one transport behind every HTTP evidence source: the source's `fetch` (or Node's) through a
 * rate-limit aware retrying sender (429 and 5xx, waits from the backend's headers, injected sleep and
 * clock), with requests and retries counted into the run's stats and a network failure that outlasts
 * the retries turned into a retriable `unavailable` LogSourceError. Answers come back as they are; the
 * caller turns a status into its own error.
 */
export function createSourceFetch(input: CreateSourceFetchInput): SourceFetch {
  const { options } = input;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const send = createRetryingSender({
    ...defaultRetryPolicy,
    ...options.retry,
    sleep: options.sleep ?? realSleep,
    now: options.now ?? Date.now,
    readHint: input.readHint,
    onRetry: (event) => {
      const stats = input.stats();
      // Waiting out an exhausted quota is pacing, not a retry.
      if (stats && event.reason !== 'quota-exhausted') stats.retries++;
      options.onRetry?.(event);
    },
  });

  return async (url, init = {}) => {
    const signal = init.signal ?? undefined;
    try {
      const answer = await send(async () => {
        const stats = input.stats();
        if (stats) stats.requests++;
        const res = await fetchImpl(url, init);
        return { status: res.status, header: (name: string) => res.headers.get(name) ?? undefined, discard: async () => void (await res.arrayBuffer().catch(() => undefined)), res };
      }, signal);
      return answer.res;
    } catch (error) {
      if (signal?.aborted || error instanceof LogSourceError) throw error;
      const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new LogSourceError(logSourceErrorCodes.unavailable, input.backend, `${input.unreachable(new URL(url))}: ${why}`, { retriable: true, cause: error });
    }
  };
}
