import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRetryingSender, type RetriableAnswer, type RetryEvent } from '../../services/triage/evidence/send-with-retries.js';

function scripted(statuses: Array<number | Error>, headers: Record<string, string> = {}) {
  let calls = 0;
  const attempt = async (): Promise<RetriableAnswer & { n: number }> => {
    const next = statuses[Math.min(calls, statuses.length - 1)]!;
    calls++;
    if (next instanceof Error) throw next;
    return { n: calls, status: next, header: (name) => headers[name], discard: async () => {} };
  };
  return { attempt, calls: () => calls };
}

function sender(policy: { maxRetries?: number; quota?: boolean } = {}) {
  let now = 0;
  const waits: number[] = [];
  const events: RetryEvent[] = [];
  const send = createRetryingSender({
    maxRetries: policy.maxRetries ?? 3,
    maxWaitMs: 10_000,
    backoffMs: 100,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    readHint: (answer) => ({
      ...(answer.header('remaining') !== undefined ? { remaining: Number(answer.header('remaining')) } : {}),
      ...(answer.header('reset') !== undefined ? { resetInMs: Number(answer.header('reset')) } : {}),
      ...(answer.status === 429 && answer.header('wait') ? { retryAfterMs: Number(answer.header('wait')) } : {}),
    }),
    onRetry: (event) => events.push(event),
  });
  return { send, waits, events };
}

test('5xx and network errors back off exponentially, then the last answer or error comes back', async () => {
  const { send, waits } = sender();
  const flaky = scripted([new TypeError('fetch failed'), 502, 503, 200]);
  assert.equal((await send(flaky.attempt)).status, 200);
  assert.deepEqual(waits, [100, 200, 400]);

  const down = sender({ maxRetries: 2 });
  assert.equal((await down.send(scripted([500]).attempt)).status, 500);
  assert.deepEqual(down.waits, [100, 200]);
  await assert.rejects(sender({ maxRetries: 1 }).send(scripted([new TypeError('fetch failed')]).attempt), /fetch failed/);
});

test('a 429 waits what the backend says, capped', async () => {
  const { send, waits, events } = sender();
  const limited = scripted([429, 200], { wait: '60000' });
  assert.equal((await send(limited.attempt)).status, 200);
  assert.deepEqual(waits, [10_000]);
  assert.deepEqual(events.map((e) => e.reason), ['rate-limited']);
  assert.equal((await sender().send(scripted([404]).attempt)).status, 404, 'other 4xx are not retried');
});

test('an answer with no requests left holds the next request until the reset', async () => {
  const { send, waits, events } = sender();
  const spent = scripted([200], { remaining: '0', reset: '1500' });
  await send(spent.attempt);
  assert.deepEqual(waits, []);
  await send(scripted([200]).attempt);
  assert.deepEqual(waits, [1500]);
  assert.equal(events[0]?.reason, 'quota-exhausted');
  await send(scripted([200]).attempt);
  assert.deepEqual(waits, [1500], 'held once only');
});

test('an abort stops the retrying', async () => {
  const controller = new AbortController();
  const { send } = sender();
  let calls = 0;
  const attempt = async (): Promise<RetriableAnswer> => {
    calls++;
    controller.abort();
    throw new Error('aborted');
  };
  await assert.rejects(send(attempt, controller.signal), /aborted/);
  assert.equal(calls, 1);
});
