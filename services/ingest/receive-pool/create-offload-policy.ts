import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface OffloadPolicyOptions {
  /** Milliseconds the receive threads spent on deliveries since the last call (ReceivePool.takeWorkMs). */
  takeOffloadedMs: () => number;
  /** How often the HTTP thread's event-loop utilisation is sampled. */
  intervalMs?: number;
  /** Utilisation (0..1) over one interval above which deliveries go to the receive threads. */
  busyAbove?: number;
  /** They come back once the utilisation plus the threads' share of the interval is below this. */
  returnBelow?: number;
  /** Bodies at least this large always go to a thread: parsing one would stall every other request. */
  largeBodyBytes?: number;
  /** The utilisation since the previous call; the event loop's own by default (tests pass their own). */
  sample?: () => number;
}

export interface OffloadPolicy {
  /** Whether a delivery of `bodyBytes` should be received in a receive thread (for an empty one: whether the HTTP thread is busy). */
  offload(bodyBytes: number): boolean;
  close(): void;
}

function eventLoopSampler(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

/**
 * Where a delivery is received: on the HTTP thread while it has time to spare, in the receive threads
 * while it is busy. A thread's round trip (a copy of the body, a message each way, a wake-up on both
 * sides) pays off only when the HTTP thread is the bottleneck; at a moderate rate it costs more CPU
 * than it moves, and adds a second heap's collections and a cross-thread wait to every request's
 * latency (bench/ingest on 2 cores, Kafka at 1,000/s: p99 6-7 ms received inline, 9-25 ms in a thread).
 *
 * The way back is judged by what the HTTP thread would carry with the receiving back on it: its own
 * utilisation plus the time the threads spent receiving. Judged by its own utilisation alone (back
 * below 0.5), a process that also runs triage stayed in the threads through a whole run at 1,000/s:
 * 0.52-0.63 there, about what it carried receiving inline.
 */
export function createOffloadPolicy(options: OffloadPolicyOptions): OffloadPolicy {
  const { takeOffloadedMs, intervalMs = 100, busyAbove = 0.85, returnBelow = 0.7, largeBodyBytes = 64 * 1024 } = options;
  const sample = options.sample ?? eventLoopSampler();
  let busy = false;
  let sampledAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const utilization = sample();
    const offloaded = takeOffloadedMs() / Math.max(1, now - sampledAt);
    sampledAt = now;
    busy = busy ? utilization + offloaded >= returnBelow : utilization > busyAbove;
  }, intervalMs);
  timer.unref();
  return {
    offload: (bodyBytes) => busy || bodyBytes >= largeBodyBytes,
    close: () => clearInterval(timer),
  };
}
