import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { threadCpuSampler } from './sample-thread-cpu.js';

export interface OffloadPolicyOptions {
  /** Milliseconds the receive threads spent on deliveries since the last call (ReceivePool.takeWorkMs). */
  takeOffloadedMs: () => number;
  /** How often the HTTP thread is sampled. */
  intervalMs?: number;
  /** Event-loop utilisation (0..1) above which an interval counts as busy. */
  busyAbove?: number;
  /** Busy intervals in a row after which deliveries go to the receive threads. */
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
 * Busy: the event loop had next to no time to spare over three intervals in a row, so requests are
 * queueing for it. One such interval was not enough: at 1,000/s a collection or a preempted spell
 * fills one now and then, and a process sent that way took a while to come back (Kafka, 4 pairs of
 * 10 s runs: 0-19% of the deliveries in the threads by one interval, 0% by three; with the machine
 * busier, three in a row still sent up to half there in some runs). Saturated, every interval is
 * full, and the threads take over 200 ms later. The mark is high because the utilisation
 * also counts the time the thread was preempted mid-task: on two cores shared with a broker, at
 * 1,000/s with the thread on a CPU 0.56 of the time (median), it read 0.61 in the median interval,
 * 0.90 at p99 and 0.96 at most; saturated, 1.0.
 *
 * The way back is judged by what the HTTP thread would carry with the receiving back on it: its own
 * CPU time plus the time the threads spent receiving. By the utilisation instead, a process at
 * 1,000/s that also ran triage, once in the threads, stayed there (0.6 plus the threads' 0.3).
 */
export function createOffloadPolicy(options: OffloadPolicyOptions): OffloadPolicy {
  const { takeOffloadedMs, intervalMs = 100, busyAbove = 0.95, busyIntervals = 3, returnBelow = 0.7, largeBodyBytes = 64 * 1024 } = options;
  const sampleLoop = options.sampleLoop ?? eventLoopSampler();
  const sampleCpu = options.sampleCpu ?? threadCpuSampler() ?? sampleLoop;
  let busy = false;
  let busyInARow = 0;
  let sampledAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const loop = sampleLoop();
    const cpu = sampleCpu === sampleLoop ? loop : sampleCpu();
    const offloaded = takeOffloadedMs() / Math.max(1, now - sampledAt);
    sampledAt = now;
    busyInARow = loop > busyAbove ? busyInARow + 1 : 0;
    busy = busy ? cpu + offloaded >= returnBelow : busyInARow >= busyIntervals;
  }, intervalMs);
  timer.unref();
  return {
    offload: (bodyBytes) => busy || bodyBytes >= largeBodyBytes,
    close: () => clearInterval(timer),
  };
}
