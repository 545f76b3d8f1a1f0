import type { Logger } from 'pino';
import type { NightshiftEvent } from '../../../shared/events/registry.js';
import type { Store } from '../../../shared/store/store.js';
import type { Metrics } from '../../../shared/telemetry/create-metrics.js';
import { resolveQuietIncidents } from './resolve-quiet-incidents.js';

export interface ResolutionSweepOptions {
  store: Store;
  publish: (events: NightshiftEvent[]) => Promise<void>;
  now: () => Date;
  log: Logger;
  metrics: Pick<Metrics, 'incidentsResolved'>;
  quietMinutes: number;
  /** How often the sweep runs; a minute is fine-grained enough for a quiet period counted in minutes. */
  intervalMs?: number;
}

export interface ResolutionSweep {
  /** Runs one pass now (also what the timer does); passes never overlap. */
  runOnce(): Promise<void>;
  stop(): void;
}

/**
 * The triage role's background sweep: resolves incidents quiet after recovery. (A merged fix whose alert
 * comes back is news at once: grouping emits `incident.changed.v1` reopened, which the fixer follows.) The timer is unref'd (it never keeps the process alive); a failed pass is
 * logged and the next one tries again.
 */
export function startResolutionSweep(options: ResolutionSweepOptions): ResolutionSweep {
  const { log } = options;
  let running: Promise<void> | undefined;
  let stopped = false;

  const pass = async (): Promise<void> => {
    try {
      const resolutions = await resolveQuietIncidents(options);
      for (const { reason } of resolutions) options.metrics.incidentsResolved.inc({ reason });
    } catch (error) {
      // After stop() the store may close under a pass in flight; that is not worth a warning.
      if (!stopped) log.warn({ err: error }, 'resolution sweep failed; retrying on the next tick');
    }
  };
  const runOnce = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  // A first pass right after start: what came due while no triage process ran is resolved at once.
  const first = setTimeout(() => void runOnce(), 0);
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 60_000);
  first.unref();
  timer.unref();
  return {
    runOnce,
    stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
