import type { LogSourceStats } from './log-source-stats.js';
import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or rejects when `signal` aborts. Injected so tests never sleep for real. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined);

/** What one answer says about the backend's rate limit. */
export interface RateLimitHint {
  /** How long the backend asks us to wait before the next request (on 429, or 503 with Retry-After). */
  retryAfterMs?: number;
  /** Requests left in the current period. */
  remaining?: number;
  /** Time until the current period resets. */
  resetInMs?: number;
}

/** The part of an HTTP answer the retry loop needs. */
export interface RetriableAnswer {
  status: number;
  header(name: string): string | undefined;
  /** Consumes the body of an answer that is thrown away, so the connection is freed. */
  discard(): Promise<void>;
}

export interface RetryPolicy {
  /** Retries after the first attempt, for 429, 5xx and network errors. */
  maxRetries: number;
  /** Upper bound on any one wait, whatever a header asks for. */
  maxWaitMs: number;
  /** First wait when the backend gives no hint; doubles per retry. */
  backoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 4, maxWaitMs: 60_000, backoffMs: 1_000 };

export interface RetryEvent {
  attempt: number;
  status: number | undefined;
  waitMs: number;
  reason: 'rate-limited' | 'server-error' | 'network-error' | 'quota-exhausted';
}

export interface RetryingSenderOptions extends RetryPolicy {
  sleep: Sleep;
  now: () => number;
  readHint: (answer: RetriableAnswer, now: number) => RateLimitHint;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * A sender shared by one source's requests: retries 429 (waiting what the backend says), 5xx and network
 * errors with backoff, every wait capped; and when an answer says no requests are left in the period, it
 * holds the next request until the period resets rather than spending it on a 429. The last answer is
 * returned as is when retries run out, so the caller turns its status into a typed error.
 */
export function createRetryingSender(options: RetryingSenderOptions) {
  let notBefore = 0;
  const cap = (ms: number) => Math.max(0, Math.min(ms, options.maxWaitMs));
  const backoff = (attempt: number) => cap(options.backoffMs * 2 ** attempt);

  return async function send<A extends RetriableAnswer>(attempt: () => Promise<A>, signal?: AbortSignal): Promise<A> {
    for (let retry = 0; ; retry++) {
      const held = notBefore - options.now();
      if (held > 0) {
        options.onRetry?.({ attempt: retry, status: undefined, waitMs: cap(held), reason: 'quota-exhausted' });
        await options.sleep(cap(held), signal);
      }
      notBefore = 0;
      let answer: A;
      try {
        answer = await attempt();
      } catch (error) {
        if (signal?.aborted || retry >= options.maxRetries) throw error;
        const waitMs = backoff(retry);
        options.onRetry?.({ attempt: retry, status: undefined, waitMs, reason: 'network-error' });
        await options.sleep(waitMs, signal);
        continue;
      }
      const hint = options.readHint(answer, options.now());
      const retriable = answer.status === 429 || answer.status >= 500;
      if (!retriable || retry >= options.maxRetries) {
        if (hint.remaining === 0 && hint.resetInMs !== undefined) notBefore = options.now() + hint.resetInMs;
        return answer;
      }
      const waitMs = hint.retryAfterMs !== undefined ? cap(hint.retryAfterMs) : backoff(retry);
      options.onRetry?.({ attempt: retry, status: answer.status, waitMs, reason: answer.status === 429 ? 'rate-limited' : 'server-error' });
      await answer.discard();
      await options.sleep(waitMs, signal);
    }
  };
}

/** A non-negative number of seconds from a header, or undefined. */
export function readSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Transport options every HTTP log source takes: retries, injected time, fetch, and hooks for stats. */
export interface HttpSourceOptions {
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  /** Epoch ms; injected with `sleep` so tests control rate-limit waits. */
  now?: () => number;
  fetch?: typeof fetch;
  onRetry?: (event: RetryEvent) => void;
  /** Called when each fetchLogs run ends (finished, limited, failed or abandoned). */
  onStats?: (stats: LogSourceStats) => void;
}
