import { readFileSync } from 'node:fs';

/** Linux: the calling thread's time on a CPU (ns), time waiting to run (ns), and timeslices. */
const SCHEDSTAT = '/proc/thread-self/schedstat';

function onCpuMs(): number | undefined {
  try {
    const ns = Number(readFileSync(SCHEDSTAT, 'latin1').split(' ', 1)[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The share of wall time the calling thread spent on a CPU since the previous call, or undefined
 * where Linux's schedstat is not there. Unlike the event loop's utilisation it leaves out the time the
 * thread was runnable but preempted: on cores shared with a broker or other threads, that time is
 * not work another thread of this process could take over.
 */
export function threadCpuSampler(): (() => number) | undefined {
  let lastCpu = onCpuMs();
  if (lastCpu === undefined) return undefined;
  let lastAt = performance.now();
  return () => {
    const cpu = onCpuMs() ?? lastCpu!;
    const at = performance.now();
    const share = (cpu - lastCpu!) / Math.max(1, at - lastAt);
    lastCpu = cpu;
    lastAt = at;
    return share;
  };
}
