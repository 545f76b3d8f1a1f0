import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { foregroundBusy, foregroundInFlight } from './foreground-work.js';

export interface ConsumerPacerOptions {
  /** Whether foreground work (HTTP requests) is waiting or streaming in. */
  busy?: (now: number) => boolean;
  /** The share of time consumers may take while the foreground is busy. */
  share?: number;
  /** The longest a consumer pauses at once: consumers are slowed, never starved. */
  maxPauseMs?: number;
  /** Most events a consumer reads at once while the foreground is busy: slices stay short. */
  busyReadLimit?: number;
  /** Requests in flight now; at `overloadedInFlight` or more they queue, and consumers pause the most. */
  inFlight?: () => number;
  overloadedInFlight?: number;
}

export interface ConsumerPacer {
  /** One consumer's pacing: `pause` between its slices of work, `readLimit` before it reads. */
  consumer(): {
    pause(signal: AbortSignal): Promise<void>;
    /** After waiting idle: the next slice of work starts now. */
    rested(): void;
    readLimit(limit: number): number;
  };
}

/**
 * Gives the process's event loop to foreground work first. While requests are in flight, the
 * consumers of this process together take about `share` of the time: after a slice of work that
 * took w ms they pause (1 − share)/share · w, at most `maxPauseMs`, taking turns, and read fewer
 * events per slice; while requests queue up, they pause the most each time and read least. Idle
 * foreground: no pauses at all, so a backlog built during a burst drains at full speed.
 */
export function createConsumerPacer({
  busy = foregroundBusy,
  share = 0.25,
  maxPauseMs = 100,
  busyReadLimit = 16,
  inFlight = foregroundInFlight,
  overloadedInFlight = 32,
}: ConsumerPacerOptions = {}): ConsumerPacer {
  // Shared by every consumer: they take turns, so one's pause is not another's slice.
  let notBefore = 0;
  const overloaded = () => inFlight() >= overloadedInFlight;
  // Queueing requests: the smallest slices (a quarter of the busy reads).
  const readLimit = (limit: number) =>
    busy(performance.now()) ? Math.min(limit, overloaded() ? Math.max(1, Math.floor(busyReadLimit / 4)) : busyReadLimit) : limit;
  return {
    consumer() {
      let sliceStarted = performance.now();
      return {
        readLimit,
        rested() {
          sliceStarted = performance.now();
        },
        async pause(signal) {
          const now = performance.now();
          if (busy(now)) {
            const worked = now - sliceStarted;
            // Requests queueing (the process is short of CPU): consumers take one slice per longest pause.
            const pause = Math.min(maxPauseMs, overloaded() ? maxPauseMs : (worked * (1 - share)) / share);
            // The next turn after the consumers already waiting; never more than maxPauseMs away.
            notBefore = Math.min(Math.max(notBefore, now) + pause, now + maxPauseMs);
            const wait = notBefore - now;
            if (wait >= 1) await sleep(wait, undefined, { signal }).catch(() => {});
            else await nextTurn();
          }
          sliceStarted = performance.now();
        },
      };
    },
  };
}
