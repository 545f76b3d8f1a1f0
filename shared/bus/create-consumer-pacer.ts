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
  /**
   * While the foreground is busy, a slice should block the loop for about this long: each consumer
   * reads as many events as its recent slices took per event allows (at least one), so a request
   * arriving mid-slice waits at most about this long for it.
   */
  busySliceMs?: number;
  /** Requests in flight now; at `overloadedInFlight` or more they queue, and consumers pause the most. */
  inFlight?: () => number;
  overloadedInFlight?: number;
}

export interface ConsumerPacer {
  /** One consumer's pacing: `pause` between its slices of work, `readLimit` before it reads. */
  consumer(): {
    /** Between slices; `events` is how many the slice just done delivered (its cost per event sizes the next reads). */
    pause(signal: AbortSignal, events?: number): Promise<void>;
    /** After waiting idle: the next slice of work starts now. */
    rested(): void;
    readLimit(limit: number): number;
  };
}

/**
 * Gives the process's event loop to foreground work first. While requests are in flight, the
 * consumers of this process together take about `share` of the time: after a slice of work that
 * took w ms they pause (1 − share)/share · w, at most `maxPauseMs`, taking turns, and read fewer
 * events per slice: about `busySliceMs` worth, by what their last slices took per event. While
 * requests queue up, they pause the most each time and read least. Idle foreground: no pauses at
 * all, so a backlog built during a burst drains at full speed.
 */
export function createConsumerPacer({
  busy = foregroundBusy,
  share = 0.25,
  maxPauseMs = 100,
  busyReadLimit = 16,
  busySliceMs = 3,
  inFlight = foregroundInFlight,
  overloadedInFlight = 32,
}: ConsumerPacerOptions = {}): ConsumerPacer {
  // Shared by every consumer: they take turns, so one's pause is not another's slice.
  let notBefore = 0;
  const overloaded = () => inFlight() >= overloadedInFlight;
  return {
    consumer() {
      let sliceStarted = performance.now();
      // Milliseconds a slice took per event, averaged over the recent busy slices; 0 before the first.
      let msPerEvent = 0;
      return {
        readLimit(limit) {
          if (!busy(performance.now())) return limit;
          // Queueing requests: the smallest slices (a quarter of the busy reads).
          const most = overloaded() ? Math.max(1, Math.floor(busyReadLimit / 4)) : busyReadLimit;
          const fitting = msPerEvent > 0 ? Math.max(1, Math.floor(busySliceMs / msPerEvent)) : most;
          return Math.min(limit, most, fitting);
        },
        rested() {
          sliceStarted = performance.now();
        },
        async pause(signal, events = 0) {
          const now = performance.now();
          if (busy(now)) {
            const worked = now - sliceStarted;
            if (events > 0) msPerEvent = msPerEvent === 0 ? worked / events : 0.7 * msPerEvent + (0.3 * worked) / events;
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
