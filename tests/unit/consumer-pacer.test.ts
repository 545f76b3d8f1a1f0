import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConsumerPacer } from '../../shared/bus/create-consumer-pacer.js';
import { beginForegroundWork, foregroundBusy } from '../../shared/bus/foreground-work.js';

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

test('while the foreground is busy, a consumer pauses about three times the slice it worked, and reads less', async () => {
  const pace = createConsumerPacer({ busy: () => true, share: 0.25, busyReadLimit: 16 }).consumer();
  spin(20);
  const paused = await timed(() => pace.pause(new AbortController().signal));
  assert.ok(paused >= 55 && paused < 200, `paused ${paused} ms after 20 ms of work`);
  assert.equal(pace.readLimit(100), 16);
  assert.equal(pace.readLimit(8), 8);
});

test('while the foreground is busy, a consumer reads what fits in busySliceMs at its recent cost per event', async () => {
  const signal = new AbortController().signal;
  const slow = createConsumerPacer({ busy: () => true, share: 0.5, busySliceMs: 3, busyReadLimit: 16 }).consumer();
  spin(20);
  await slow.pause(signal, 10); // 2 ms or more per event: one event per slice
  assert.equal(slow.readLimit(100), 1);
  const cheap = createConsumerPacer({ busy: () => true, share: 0.5, busySliceMs: 3, busyReadLimit: 16 }).consumer();
  cheap.rested();
  await cheap.pause(signal, 200); // microseconds per event: busyReadLimit still caps the read
  assert.equal(cheap.readLimit(100), 16);
  const idle = createConsumerPacer({ busy: () => false, busySliceMs: 3 }).consumer();
  spin(20);
  await idle.pause(signal, 10);
  assert.equal(idle.readLimit(100), 100, 'an idle foreground reads in full whatever slices cost');
});

test('a pause never exceeds maxPauseMs, so consumers are slowed but never starved', async () => {
  const pace = createConsumerPacer({ busy: () => true, share: 0.1, maxPauseMs: 30 }).consumer();
  spin(50);
  const paused = await timed(() => pace.pause(new AbortController().signal));
  assert.ok(paused >= 25 && paused < 150, `paused ${paused} ms, cap 30`);
});

test('an idle foreground costs consumers nothing: no pause, full reads', async () => {
  const pace = createConsumerPacer({ busy: () => false }).consumer();
  spin(20);
  const paused = await timed(() => pace.pause(new AbortController().signal));
  assert.ok(paused < 5, `paused ${paused} ms`);
  assert.equal(pace.readLimit(100), 100);
});

test('time spent waiting idle for events does not count as work', async () => {
  const pace = createConsumerPacer({ busy: () => true }).consumer();
  await new Promise((resolve) => setTimeout(resolve, 40));
  pace.rested();
  const paused = await timed(() => pace.pause(new AbortController().signal));
  assert.ok(paused < 20, `paused ${paused} ms after resting`);
});

test('a stopping consumer is not held by its pause', async () => {
  const pace = createConsumerPacer({ busy: () => true, maxPauseMs: 5_000 }).consumer();
  spin(30);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 10);
  const paused = await timed(() => pace.pause(controller.signal));
  assert.ok(paused < 1_000, `paused ${paused} ms after abort`);
});

test('foreground work counts while in flight and shortly after it started', async () => {
  const end = beginForegroundWork();
  assert.equal(foregroundBusy(), true);
  end();
  end(); // ending twice counts once
  assert.equal(foregroundBusy(performance.now() + 1_000), false);
});

test('while requests queue up, consumers pause the longest however short their slice', async () => {
  const pace = createConsumerPacer({ busy: () => true, maxPauseMs: 40, inFlight: () => 50, overloadedInFlight: 32, busyReadLimit: 16 }).consumer();
  const paused = await timed(() => pace.pause(new AbortController().signal));
  assert.ok(paused >= 35 && paused < 200, `paused ${paused} ms`);
  assert.equal(pace.readLimit(100), 4);
});

test('consumers take turns: one that pauses right after another waits for that turn to pass', async () => {
  const pacer = createConsumerPacer({ busy: () => true, share: 0.25, maxPauseMs: 100 });
  const first = pacer.consumer();
  const second = pacer.consumer();
  spin(20);
  const signal = new AbortController().signal;
  second.rested();
  const [, secondPaused] = await Promise.all([timed(() => first.pause(signal)), timed(() => second.pause(signal))]);
  assert.ok(secondPaused >= 50 && secondPaused < 250, `second paused ${secondPaused} ms`);
});

test('a thread that adopts the shared foreground state sees this thread\'s requests in flight and their stream', async () => {
  const { Worker } = await import('node:worker_threads');
  const { shareForegroundWork } = await import('../../shared/bus/foreground-work.js');
  const moduleUrl = new URL('../../shared/bus/foreground-work.js', import.meta.url).href;
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     import(workerData.moduleUrl).then((foreground) => {
       foreground.adoptForegroundWork(workerData.state);
       parentPort.on('message', () => parentPort.postMessage({ inFlight: foreground.foregroundInFlight(), busy: foreground.foregroundBusy() }));
       parentPort.postMessage('ready');
     });`,
    { eval: true, workerData: { moduleUrl, state: shareForegroundWork() } },
  );
  const replies: unknown[] = [];
  let wake: () => void = () => {};
  worker.on('message', (message) => {
    replies.push(message);
    wake();
  });
  const next = async () => {
    while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return replies.shift();
  };
  const ask = async () => {
    worker.postMessage('?');
    return next();
  };
  try {
    assert.equal(await next(), 'ready');
    const end = beginForegroundWork();
    assert.deepEqual(await ask(), { inFlight: 1, busy: true });
    end();
    // Ended moments ago: still a stream of requests for the other thread too.
    assert.deepEqual(await ask(), { inFlight: 0, busy: true });
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(await ask(), { inFlight: 0, busy: false });
  } finally {
    await worker.terminate();
  }
});
