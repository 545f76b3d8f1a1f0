import type { SourceFetch } from '../create-source-fetch.js';
import { LogSourceError, httpStatusError, logSourceErrorCodes } from '../log-source-error.js';
import { readSeconds, type RateLimitHint, type RetriableAnswer } from '../send-with-retries.js';
import { parseSentryNextCursor } from './parse-sentry-link-header.js';

/**
 * Sentry's rate-limit answers: `Retry-After` (seconds, or an HTTP date) on 429, and on every answer
 * `X-Sentry-Rate-Limit-Remaining` with `X-Sentry-Rate-Limit-Reset` (epoch seconds when the window resets).
 */
export function readSentryRateLimit(answer: RetriableAnswer, now: number): RateLimitHint {
  const hint: RateLimitHint = {};
  const retryAfter = answer.header('retry-after');
  const seconds = readSeconds(retryAfter);
  const dated = seconds === undefined && retryAfter ? Date.parse(retryAfter) - now : undefined;
  const resetAt = readSeconds(answer.header('x-sentry-rate-limit-reset'));
  const resetInMs = resetAt !== undefined ? Math.max(0, resetAt * 1000 - now) : undefined;
  const remaining = readSeconds(answer.header('x-sentry-rate-limit-remaining'));
  if (remaining !== undefined) hint.remaining = remaining;
  if (resetInMs !== undefined) hint.resetInMs = resetInMs;
  const after = seconds !== undefined ? seconds * 1000 : dated !== undefined && !Number.isNaN(dated) ? Math.max(0, dated) : undefined;
  if (after !== undefined) hint.retryAfterMs = after;
  else if (answer.status === 429 && resetInMs !== undefined) hint.retryAfterMs = resetInMs;
  return hint;
}

export interface SentryApiDeps {
  baseUrl: string;
  token: string;
  /** The retrying, counting fetch (createSourceFetch). */
  fetch: SourceFetch;
}

export interface SentryPage {
  body: unknown;
  nextCursor: string | undefined;
}

/** Sentry's `{"detail": "..."}` error text, bounded. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    if (typeof detail === 'string') return detail;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * GETs one Sentry API path with the Bearer token, through the rate-limit aware fetch, and returns the
 * parsed body with the next page's cursor. Failures become LogSourceError, whose message has the path and
 * status but never the token.
 */
export async function requestSentryApi(deps: SentryApiDeps, path: string, query: Record<string, string>, signal?: AbortSignal): Promise<SentryPage> {
  const url = new URL(`${deps.baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await deps.fetch(url, { headers: { authorization: `Bearer ${deps.token}`, accept: 'application/json' }, ...(signal ? { signal } : {}) });
  if (!response.ok) {
    const error = httpStatusError('sentry', response.status, `${path}: ${await errorDetail(response)}`);
    throw error;
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new LogSourceError(logSourceErrorCodes.badResponse, 'sentry', `Sentry API sent a body that is not JSON for ${path}`, { status: response.status, cause: error });
  }
  return { body, nextCursor: parseSentryNextCursor(response.headers.get('link')) };
}
