import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { pino } from 'pino';
import { json } from '../helpers/cli.js';
import { kafkaBrokers } from '../helpers/infra.js';
import { startTestServer } from '../helpers/nightshift-server.js';
import { randomName, waitFor } from '../helpers/wait.js';

const secret = 'consumer-thread-secret';
const fixture = new URL('../../../tests/fixtures/sentry/event_alert.triggered.json', import.meta.url);

/** A thread's nice value. Fields after the command name (in parentheses, which may hold spaces): state is field 3, nice field 19. */
function niceOf(tid: string | number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Threads of this process running 10 nice steps below its main thread: the consumer thread lowers itself so (Linux). */
function nicedThreads(): number {
  const lowered = Math.min(19, niceOf(process.pid) + 10);
  return readdirSync('/proc/self/task').filter((tid) => niceOf(tid) === lowered).length;
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function postAlert(url: string, requestId: string): Promise<number> {
  const body = await readFile(fixture, 'utf8');
  const response = await fetch(`${url}/webhooks/sentry`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'sentry-hook-resource': 'event_alert',
      'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
      'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex'),
      'request-id': requestId,
    },
    body,
  });
  return response.status;
}

for (const consumerThread of [true, false]) {
  test(`Kafka, ingest and triage in one process, consumerThread ${consumerThread}: incidents, /readyz and /metrics are the same`, { timeout: 90_000 }, async (t) => {
    const brokers = kafkaBrokers(t);
    if (!brokers) return;
    const before = nicedThreads();
    const server = await startTestServer(
      (config) => {
        config.ingest.sentry.clientSecret = secret;
        config.bus.kind = 'kafka';
        config.bus.kafka = { ...config.bus.kafka, brokers, topicPrefix: `${randomName('thread')}.`, partitions: 2, consumerThread };
      },
      { roles: ['ingest', 'triage', 'console'] },
    );
    try {
      // The consumer thread, and threads it starts (its store's checkpointer), run at lower priority; nothing else does.
      const niced = nicedThreads() - before;
      assert.ok(consumerThread ? niced >= 1 : niced === 0, `${niced} threads 10 nice steps lower`);
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual((await json(ready)).checks, { bus: 'ok', store: 'ok', subscriptions: 'ok' });

      assert.equal(await postAlert(server.url, 'req-thread-1'), 202);
      await waitFor(async () => (await json(await fetch(`${server.url}/api/incidents`))).incidents.length === 1, { timeoutMs: 30_000, what: 'an incident' });

      // Counters of both threads in one scrape; lag of the thread's group; process metrics once.
      const text = await waitFor(
        async () => {
          const scraped = await (await fetch(`${server.url}/metrics`)).text();
          // Timed in both threads, and summed: ingest published the alert, triage (a moment after its commit) the incident.
          const published = sample(scraped, 'nightshift_bus_publish_duration_seconds_count{bus="kafka"}') ?? 0;
          return sample(scraped, 'nightshift_bus_consumer_lag{group="triage",topic="alerts"}') === 0 && published >= 2 ? scraped : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500, what: 'triage lag 0 and the publishes of both threads in /metrics' },
      );
      assert.equal(sample(text, 'nightshift_alerts_received_total{source="sentry"}'), 1);
      assert.equal(sample(text, 'nightshift_incidents_opened_total{reason="new"}'), 1);
      assert.equal(text.match(/^nightshift_process_cpu_user_seconds_total /gm)?.length, 1);
      // The thread's own heap is a series of its own, beside the HTTP thread's.
      const threadHeap = /^nightshift_nodejs_heap_size_used_bytes\{thread="consumers"\} [1-9]\d*$/m;
      if (consumerThread) assert.match(text, threadHeap);
      else assert.doesNotMatch(text, /thread="consumers"/);
      assert.match(text, /^nightshift_nodejs_heap_size_used_bytes [1-9]\d*$/m);
      assert.equal(sample(text, 'nightshift_metrics_collect_errors_total{collector="thread"}'), undefined);
      // Each thread has its own Kafka producer.
      const produces = sample(text, 'nightshift_kafka_produce_duration_seconds_count') ?? 0;
      assert.ok(produces >= 2, 'produce requests of both producers');
      // kafkajs times requests in whole milliseconds, so produce requests to a local broker can all read 0:
      // the sum is checked to be there and plausible in seconds, not to be positive.
      const producing = sample(text, 'nightshift_kafka_produce_duration_seconds_sum');
      assert.ok(producing !== undefined && producing >= 0 && producing / produces < 1, `${producing} s over ${produces} produce requests`);
    } finally {
      await server.close();
    }
    assert.equal(nicedThreads(), before, 'the consumer thread ended with the stop');
  });
}

test('Kafka, consumer thread: its lines go through the logger the process was given, at that logger\'s level', { timeout: 90_000 }, async (t) => {
  const brokers = kafkaBrokers(t);
  if (!brokers) return;
  const lines: string[] = [];
  // The configured level stays 'silent' (startTestServer's default): the given logger's level decides.
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) }).child({ caller: 'test' });
  const server = await startTestServer(
    (config) => {
      config.bus.kind = 'kafka';
      config.bus.kafka = { ...config.bus.kafka, brokers, topicPrefix: `${randomName('thread-log')}.`, partitions: 1, consumerThread: true };
    },
    { roles: ['ingest', 'triage'], log },
  );
  try {
    // Logged in the thread before it reports started, so here by the time the server is.
    const line = lines.find((l) => l.includes('"msg":"consumer thread started"'));
    assert.ok(line, `no line from the consumer thread among:\n${lines.join('')}`);
    const record = JSON.parse(line) as Record<string, unknown>;
    assert.equal(record.level, 30);
    assert.equal(record.thread, 'consumers');
    assert.equal(record.caller, 'test', 'the given logger\'s bindings');
    assert.deepEqual(record.roles, ['triage']);
    // Written once, by the given logger: pino's own fields are not repeated from the thread's line.
    assert.equal(line.match(/"time":/g)?.length, 1, line);
    assert.equal(line.match(/"pid":/g)?.length, 1, line);
  } finally {
    await server.close();
  }
});
