import type { client } from '@datadog/datadog-api-client';
import type { SourceFetch } from '../create-source-fetch.js';
import { readSeconds, type RateLimitHint, type RetriableAnswer } from '../send-with-retries.js';

/**
 * Datadog's documented headers: `X-RateLimit-Remaining` requests left in the period, `X-RateLimit-Reset`
 * seconds until it resets, `X-RateLimit-Period` its length (used when Reset is missing).
 */
export function readDatadogRateLimit(answer: RetriableAnswer): RateLimitHint {
  const remaining = readSeconds(answer.header('x-ratelimit-remaining'));
  const reset = readSeconds(answer.header('x-ratelimit-reset')) ?? readSeconds(answer.header('x-ratelimit-period'));
  const hint: RateLimitHint = {};
  if (remaining !== undefined) hint.remaining = remaining;
  if (reset !== undefined) {
    hint.resetInMs = reset * 1000;
    if (answer.status === 429) hint.retryAfterMs = reset * 1000;
  }
  return hint;
}

/**
 * The HTTP transport handed to the Datadog client (its documented `httpApi` extension point) in place of
 * its cross-fetch one: the evidence sources' shared fetch (rate-limit-aware retries with an injected sleep,
 * where the client's own retry sleeps for real and trusts any Reset value; network failures as a typed error).
 * The client assigns `fetch`, `debug`, `maxRetries`… onto this object; they are accepted and ignored.
 */
export class DatadogHttpLibrary implements client.HttpLibrary {
  enableRetry?: boolean;
  maxRetries?: number;
  backoffBase?: number;
  backoffMultiplier?: number;
  debug?: boolean;
  fetch?: unknown;
  zstdCompressorCallback?: client.ZstdCompressorCallback;

  readonly #fetch: SourceFetch;
  readonly #ResponseContext: typeof client.ResponseContext;

  /** `client` is the loaded Datadog client's `client` namespace (it is loaded lazily, see createDatadogLogSource). */
  constructor(deps: { client: Pick<typeof client, 'ResponseContext'>; fetch: SourceFetch }) {
    this.#ResponseContext = deps.client.ResponseContext;
    this.#fetch = deps.fetch;
  }

  async send(request: client.RequestContext): Promise<client.ResponseContext> {
    const signal = request.getHttpConfig().signal as AbortSignal | undefined;
    const init: RequestInit = {
      method: request.getHttpMethod(),
      headers: request.getHeaders(),
      body: request.getBody() as RequestInit['body'],
      ...(signal ? { signal } : {}),
    };
    const response = await this.#fetch(request.getUrl(), init);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return new this.#ResponseContext(response.status, headers, {
      text: () => response.text(),
      binary: async () => Buffer.from(await response.arrayBuffer()),
    });
  }
}
