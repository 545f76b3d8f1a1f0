import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { createOffloadPolicy, type OffloadPolicy } from '../../services/ingest/receive-pool/create-offload-policy.js';

/** Whether deliveries go to the threads now: an empty body is never large, so only a busy HTTP thread sends it there. */
const inThreads = (policy: OffloadPolicy) => policy.offload(0);

/** Feeds the policy, per interval, the HTTP thread's utilisation and the threads' work in ms, and reports its mode after each. */
async function modesAfter(intervals: [utilization: number, offloadedMs: number][]): Promise<boolean[]> {
  const modes: boolean[] = [];
  let next = 0;
  let consumed = () => {};
  const policy = createOffloadPolicy({
    intervalMs: 1,
    sample: () => intervals[next]?.[0] ?? 0,
    takeOffloadedMs: () => {
      const value = intervals[next++]?.[1] ?? 0;
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

test('deliveries go to the threads above the busy mark, and come back once the HTTP thread could carry them again', async () => {
  const aLot = 1e9; // whatever the interval's length, more work than one thread can do in it
  assert.deepEqual(
    await modesAfter([[0.2, 0], [0.84, 0], [0.9, 0], [0.5, aLot], [0.71, 0], [0.69, 0], [0.8, 0], [0.86, 0], [0.3, aLot]]),
    [false, false, true, true, true, false, false, true, true],
  );
});

test('a large body goes to a thread even while the HTTP thread is idle; a small one only while it is busy', async () => {
  let utilization = 0;
  const policy = createOffloadPolicy({ intervalMs: 1, largeBodyBytes: 1000, sample: () => utilization, takeOffloadedMs: () => 0 });
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

test("judged by this thread's own event loop: busy while it spins, idle again once it waits", async () => {
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
