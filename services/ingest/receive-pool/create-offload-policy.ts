import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { threadCpuSampler } from './sample-thread-cpu.js';

export interface OffloadPolicyOptions {
  /** Milliseconds the receive threads spent on deliveries since the last call (ReceivePool.takeWorkMs). */
  takeOffloadedMs: () => number;
  /** How often the HTTP thread is sampled. */
  intervalMs?: number;
  /** Deliveries go to the receive threads once the event loop's utilisation (0..1), averaged over `busyIntervals`, is above this. */
  busyAbove?: number;
  /** How many of the latest intervals that average is taken over. */
  busyIntervals?: number;
  /** They come back once the HTTP thread's CPU time plus the threads' share of the interval is below this. */
  returnBelow?: number;
  /** Bodies at least this large always go to a thread: parsing one would stall every other request. */
  largeBodyBytes?: number;
  /** The event loop's utilisation since the previous call; its own by default (tests pass their own). */
  sampleLoop?: () => number;
  /** The HTTP thread's share of time on a CPU since the previous call: Linux's schedstat, else the loop's utilisation. */
  sampleCpu?: () => number;
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
 * Busy: the event loop had next to no time to spare over the last second (its utilisation averaged
 * over ten intervals), so requests are queueing for it. Three full intervals in a row were not
 * enough: at 1,000/s a collection or a preempted spell fills that many now and then, and so does the
 * JIT at the first requests after a start (3 runs of 3 went to the threads then, for 0.5-2 s). A
 * process sent to the threads that way took a while to come back, and the rounds of bench/ingest in
 * which it did missed the p99 by far (Kafka, 1,000/s: 7% and 13% of the deliveries in the threads,
 * p99 55.6 and 37.0 ms; 0% in 24 other runs, of which one missed, at 29.3 ms). Saturated, the loop
 * reads 1.0 in nearly every interval (one dip to 0.73 in 2.6 s, no receive threads), so the threads
 * take over about a second in. The mark is high because the utilisation also counts the time the
 * thread was preempted mid-task: on two cores shared with a broker, at 1,000/s with the thread on a
 * CPU 0.56 of the time (median), it read 0.61 in the median interval, 0.90 at p99 and 0.96 at most.
 *
 * The way back is judged by what the HTTP thread would carry with the receiving back on it: its own
 * CPU time plus the time the threads spent receiving. By the utilisation instead, a process at
 * 1,000/s that also ran triage, once in the threads, stayed there (0.6 plus the threads' 0.3).
 */
export function createOffloadPolicy(options: OffloadPolicyOptions): OffloadPolicy {
  const { takeOffloadedMs, intervalMs = 100, busyAbove = 0.95, busyIntervals = 10, returnBelow = 0.7, largeBodyBytes = 64 * 1024 } = options;
  const sampleLoop = options.sampleLoop ?? eventLoopSampler();
  const sampleCpu = options.sampleCpu ?? threadCpuSampler() ?? sampleLoop;
  let busy = false;
  const inlineLoops: number[] = [];
  let sampledAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const loop = sampleLoop();
    const cpu = sampleCpu === sampleLoop ? loop : sampleCpu();
    const offloaded = takeOffloadedMs() / Math.max(1, now - sampledAt);
    sampledAt = now;
    if (busy) {
      busy = cpu + offloaded >= returnBelow;
      return;
    }
    // Only readings taken with the receiving on the HTTP thread: with the threads' help the loop says nothing about it alone.
    inlineLoops.push(loop);
    if (inlineLoops.length > busyIntervals) inlineLoops.shift();
    const average = inlineLoops.reduce((sum, value) => sum + value, 0) / inlineLoops.length;
    if (inlineLoops.length === busyIntervals && average > busyAbove) {
      busy = true;
      inlineLoops.length = 0;
    }
  }, intervalMs);
  timer.unref();
  return {
    offload: (bodyBytes) => busy || bodyBytes >= largeBodyBytes,
    close: () => clearInterval(timer),
  };
}
