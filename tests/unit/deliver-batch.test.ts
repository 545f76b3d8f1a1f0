import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { defaultRetryPolicy } from '../../shared/bus/bus.js';
import { deliverBatch, type PartitionMessage } from '../../shared/bus/deliver-batch.js';
import { makeAlertEvent } from '../helpers/events.js';

const events = Array.from({ length: 10 }, (_, n) => makeAlertEvent(n, 'fp-1'));
const messages: PartitionMessage[] = events.map((event, n) => ({
  message: { ok: true, event },
  where: { topic: 'alerts', partition: 0, offset: String(n), key: 'fp-1' },
}));

async function deliverWith(runLimit?: (maxEvents: number) => number) {
  const runs: number[] = [];
  const singles: string[] = [];
  const progress: number[] = [];
  await deliverBatch(messages, {
    group: 'g',
    handler: async (event) => void singles.push(event.id),
    batch: { maxEvents: 8, handler: async (items) => void runs.push(items.length) },
    policy: defaultRetryPolicy,
    publishDeadLetter: async () => {},
    now: () => new Date(),
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    progress: async (delivered) => void progress.push(delivered),
    ...(runLimit ? { runLimit } : {}),
  });
  return { runs, singles, progress };
}

test('runs take up to the batch maxEvents, and a runLimit shortens them (a pacer slicing work), asked before each run', async () => {
  assert.deepEqual(await deliverWith(), { runs: [8, 2], singles: [], progress: [8, 10] });
  const asked: number[] = [];
  const limited = await deliverWith((most) => {
    asked.push(most);
    return 3;
  });
  assert.deepEqual(limited, { runs: [3, 3, 3], singles: [events[9]!.id], progress: [3, 6, 9, 10] }, 'the last, lone event goes to the per-event handler');
  assert.deepEqual(asked, [8, 8, 8, 8]);
});
