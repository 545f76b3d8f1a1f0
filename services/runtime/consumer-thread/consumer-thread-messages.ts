import type { ForegroundState } from '../../../shared/bus/foreground-work.js';
import type { NightshiftConfig } from '../../../shared/config/index.js';
import type { MetricsJson } from '../../../shared/telemetry/create-metrics.js';
import type { RoleName } from '../role.js';

/** What the consumer thread is started with: plain data, cloned into the thread. */
export interface ConsumerThreadData {
  config: NightshiftConfig;
  roles: RoleName[];
  configFile: string | null;
  /** The level of the logger the HTTP thread was given: the thread's lines go through that logger. */
  logLevel: string;
  /** The HTTP thread's requests in flight (shared memory): the thread's consumers give way to them. */
  foreground: ForegroundState;
}

/** The HTTP thread asks: the thread's metrics for a scrape (answered with the same `id`), or to stop. */
export type ToConsumerThread = { type: 'metrics'; id: number } | { type: 'stop' };

/** The error as it crossed the thread boundary (an Error is cloned without its class). */
export interface CrossedError {
  message: string;
  stack?: string;
  code?: string;
}

export type FromConsumerThread =
  | { type: 'status'; status: string }
  | { type: 'log'; line: string }
  | { type: 'started' }
  | { type: 'failed'; error: CrossedError }
  | { type: 'metrics'; id: number; metrics: MetricsJson }
  | { type: 'metrics'; id: number; error: CrossedError }
  | { type: 'stopped'; error?: CrossedError };

export function crossError(error: unknown): CrossedError {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { message: error.message, ...(error.stack ? { stack: error.stack } : {}), ...(typeof code === 'string' ? { code } : {}) };
}
