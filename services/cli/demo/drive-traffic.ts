import { randomBytes } from 'node:crypto';
import { SAMPLE_SKUS } from './sample-history.js';

export interface DriveTrafficOptions {
  gatewayUrl: string;
  /** Products asked for in turn. */
  skus?: readonly string[];
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
  /** Stop once this many requests failed. Default 3. */
  minFailures?: number;
  /** Stop after this long whatever happened. Default 20 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One request that got a 5xx answer (or none). */
export interface FailedRequest {
  path: string;
  /** 0 when the request got no answer. */
  status: number;
  traceId: string;
  requestId: string;
  /** Epoch ms when the answer came. */
  at: number;
}

export interface TrafficResult {
  requests: number;
  failures: number;
  /** Answers by status code ("200", "502", "error" for no answer). */
  statuses: Record<string, number>;
  firstFailure?: FailedRequest;
  /** From the first request sent to the first failure (or to the end, when none failed). */
  msUntilFirstFailure?: number;
  elapsedMs: number;
}

/**
 * Sends checkouts to the gateway, as shoppers would, until `minFailures` of them fail or the time is up.
 * Each request starts its own W3C trace, so a failure can be followed into the services' logs.
 */
export async function driveTraffic(options: DriveTrafficOptions): Promise<TrafficResult> {
  const skus = options.skus ?? SAMPLE_SKUS;
  const minFailures = options.minFailures ?? 3;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const started = Date.now();
  const result: TrafficResult = { requests: 0, failures: 0, statuses: {}, elapsedMs: 0 };
  let next = 0;

  const done = () => result.failures >= minFailures || Date.now() >= deadline || options.signal?.aborted === true;
  const worker = async () => {
    while (!done()) {
      const sku = skus[next++ % skus.length]!;
      const path = `/checkout?sku=${encodeURIComponent(sku)}&qty=1`;
      const traceId = randomBytes(16).toString('hex');
      const requestId = `demo-${randomBytes(6).toString('hex')}`;
      const headers = { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-request-id': requestId };
      result.requests += 1;
      let status = 0;
      try {
        const response = await fetch(`${options.gatewayUrl}${path}`, { headers, signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 0;
      }
      const key = status === 0 ? 'error' : String(status);
      result.statuses[key] = (result.statuses[key] ?? 0) + 1;
      if (status === 0 || status >= 500) {
        result.failures += 1;
        if (!result.firstFailure) {
          result.firstFailure = { path, status, traceId, requestId, at: Date.now() };
          result.msUntilFirstFailure = Date.now() - started;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  result.elapsedMs = Date.now() - started;
  if (result.msUntilFirstFailure === undefined) result.msUntilFirstFailure = result.elapsedMs;
  return result;
}
