import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { createOffloadPolicy, type OffloadPolicy } from '../../services/ingest/receive-pool/create-offload-policy.js';
import { threadCpuSampler } from '../../services/ingest/receive-pool/sample-thread-cpu.js';

/** Whether deliveries go to the threads now: an empty body is never large, so only a busy HTTP thread sends it there. */
const inThreads = (policy: OffloadPolicy) => policy.offload(0);

/**
 * Feeds the policy, per interval, the HTTP thread's event-loop utilisation, its CPU share and the
 * threads' work in ms, and reports its mode after each.
 */
async function modesAfter(intervals: [loop: number, cpu: number, offloadedMs: number][], options: { busyIntervals?: number } = {}): Promise<boolean[]> {
  const modes: boolean[] = [];
  let next = 0;
  let consumed = () => {};
  const policy = createOffloadPolicy({
    ...options,
    intervalMs: 1,
    sampleLoop: () => intervals[next]?.[0] ?? 0,
    sampleCpu: () => intervals[next]?.[1] ?? 0,
    takeOffloadedMs: () => {
      const value = intervals[next++]?.[2] ?? 0;
      setImmediate(consumed);
      return value;
    },
  });
  // The policy's timer does not keep a process alive; this test's waiting must.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    for (let i = 0; i < intervals.length; i++) {
      await new Promise<void>((resolve) => (consumed = resolve));
      modes.push(inThreads(policy));
    }
  } finally {
    clearInterval(keepAlive);
    policy.close();
  }
  return modes;
}

test('deliveries go to the threads once the loop has averaged no time to spare over the window, and come back once the HTTP thread could carry them again', async () => {
  const aLot = 1e9; // whatever the interval's length, more work than one thread can do in it
  assert.deepEqual(
    await modesAfter(
      [
        [0.2, 0.2, 0],
        [1, 0.9, 0], // full (a collection, the JIT at the first requests, a preempted spell)
        [1, 0.9, 0],
        [1, 0.9, 0], // three full in a row: a spell, averaged with what came before it, not load
        [0.6, 0.5, 0], // it passed
        [0.6, 0.5, 0],
        [1, 0.8, 0],
        [1, 0.8, 0],
        [0.9, 0.8, 0], // a dip does not start the count over...
        [1, 0.8, 0], // ...and the window's average is over the mark: to the threads
        [0.5, 0.4, aLot],
        [0.9, 0.71, 0], // its CPU alone is still too much to take the receiving back
        [0.97, 0.69, 0], // a full loop, but less of it on a CPU: back
        [1, 0.5, 0], // judged afresh: what the loop read while the threads helped does not count
        [1, 0.5, 0],
        [1, 0.5, 0],
        [1, 0.5, 0], // a whole window of full loops: to the threads again
        [0.3, 0.3, aLot],
      ],
      { busyIntervals: 4 },
    ),
    [false, false, false, false, false, false, false, false, false, true, true, true, false, false, false, false, true, true],
  );
});

test('by default the window is ten intervals: the first requests after a start do not take the threads, a second of saturation does', async () => {
  const full: [number, number, number] = [1, 0.9, 0];
  const modes = await modesAfter([
    ...Array.from({ length: 5 }, () => full), // the JIT at the first requests: 5 full intervals (bench/ingest, 2 cores)
    ...Array.from({ length: 10 }, (): [number, number, number] => [0.7, 0.6, 0]), // then 1,000/s on a shared machine
    ...Array.from({ length: 10 }, () => full), // saturated
  ]);
  // Nine full intervals and one of 0.7 average 0.97.
  assert.equal(modes.indexOf(true), 5 + 10 + 8);
});

test('a large body goes to a thread even while the HTTP thread is idle; a small one only while it is busy', async () => {
  let utilization = 0;
  const policy = createOffloadPolicy({ intervalMs: 1, largeBodyBytes: 1000, sampleLoop: () => utilization, sampleCpu: () => utilization, takeOffloadedMs: () => 0 });
  try {
    await sleep(20);
    assert.deepEqual([policy.offload(999), policy.offload(1000)], [false, true]);
    utilization = 1;
    await sleep(20);
    assert.deepEqual([policy.offload(999), policy.offload(1000)], [true, true]);
  } finally {
    policy.close();
  }
});

test("judged by this thread's own work: busy while it spins, idle again once it waits", async () => {
  const policy = createOffloadPolicy({ intervalMs: 20, takeOffloadedMs: () => 0 });
  try {
    // Synchronous work with only brief returns to the loop, so the interval timer can still run.
    const spinUntil = performance.now() + 400;
    while (performance.now() < spinUntil && !inThreads(policy)) {
      const slice = performance.now() + 15;
      while (performance.now() < slice);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(inThreads(policy), true, 'a spinning loop counts as busy');
    await sleep(200);
    assert.equal(inThreads(policy), false, 'a waiting loop counts as idle');
  } finally {
    policy.close();
  }
});

test("the HTTP thread's own CPU time, from Linux's schedstat: spinning counts, sleeping does not", { skip: process.platform !== 'linux' && 'schedstat is Linux only' }, async () => {
  const sample = threadCpuSampler();
  assert.ok(sample, 'Linux has /proc/thread-self/schedstat');
  const spinUntil = performance.now() + 200;
  while (performance.now() < spinUntil);
  const spinning = sample();
  await sleep(200);
  const sleeping = sample();
  // Loose bounds: a loaded machine preempts the spinning thread, and that time rightly does not count
  // (8 such tests at once on 2 cores: 0.12-0.15 each).
  assert.ok(spinning > 0.05 && spinning <= 1.05, `spinning: ${spinning}`);
  assert.ok(sleeping < 0.05 && sleeping < spinning / 2, `sleeping: ${sleeping}, spinning: ${spinning}`);
});
