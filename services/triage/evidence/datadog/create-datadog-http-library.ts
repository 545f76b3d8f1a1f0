import type { client } from '@datadog/datadog-api-client';
import { LogSourceError, logSourceErrorCodes } from '../log-source-error.js';
import { readSeconds, type RateLimitHint, type RetriableAnswer } from '../send-with-retries.js';

type Send = <A extends RetriableAnswer>(attempt: () => Promise<A>, signal?: AbortSignal) => Promise<A>;

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
 * its cross-fetch one: Node's fetch, our rate-limit-aware retries with an injected sleep (the client's own
 * retry sleeps for real and trusts any Reset value), and network failures as a typed error.
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

  readonly #fetch: typeof fetch;
  readonly #send: Send;
  readonly #onRequest: () => void;
  readonly #ResponseContext: typeof client.ResponseContext;

  /** `client` is the loaded Datadog client's `client` namespace (it is loaded lazily, see createDatadogLogSource). */
  constructor(deps: { client: Pick<typeof client, 'ResponseContext'>; fetch: typeof fetch; send: Send; onRequest?: () => void }) {
    this.#ResponseContext = deps.client.ResponseContext;
    this.#fetch = deps.fetch;
    this.#send = deps.send;
    this.#onRequest = deps.onRequest ?? (() => {});
  }

  async send(request: client.RequestContext): Promise<client.ResponseContext> {
    const signal = request.getHttpConfig().signal as AbortSignal | undefined;
    const init: RequestInit = {
      method: request.getHttpMethod(),
      headers: request.getHeaders(),
      body: request.getBody() as RequestInit['body'],
      ...(signal ? { signal } : {}),
    };
    let response: Response;
    try {
      const answer = await this.#send(async () => {
        this.#onRequest();
        const res = await this.#fetch(request.getUrl(), init);
        return { status: res.status, header: (name: string) => res.headers.get(name) ?? undefined, discard: async () => void (await res.arrayBuffer().catch(() => undefined)), res };
      }, signal);
      response = answer.res;
    } catch (error) {
      if (signal?.aborted || error instanceof LogSourceError) throw error;
      const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new LogSourceError(logSourceErrorCodes.unavailable, 'datadog', `Datadog Logs API could not be reached: ${why}`, { retriable: true, cause: error });
    }
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
