import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cacheFor } from '../../shared/telemetry/cache-for.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';

const valueOf = async (metric: { get(): Promise<{ values: { labels: object; value: number }[] }> }, labels: object) =>
  (await metric.get()).values.find((v) => JSON.stringify(v.labels) === JSON.stringify(labels))?.value;

test('recordLlmUsage adds tokens by model and kind and cost by model', async () => {
  const metrics = createMetrics();
  metrics.recordLlmUsage([
    { model: 'gpt-4.1-mini', promptTokens: 1200, completionTokens: 300, costUsd: 0.0012 },
    { model: 'gpt-4.1-mini', promptTokens: 800, completionTokens: 100, costUsd: 0.0008 },
  ]);
  assert.equal(await valueOf(metrics.llmTokens, { model: 'gpt-4.1-mini', kind: 'prompt' }), 2000);
  assert.equal(await valueOf(metrics.llmTokens, { model: 'gpt-4.1-mini', kind: 'completion' }), 400);
  assert.ok(Math.abs((await valueOf(metrics.llmCost, { model: 'gpt-4.1-mini' }))! - 0.002) < 1e-12);
});

test('recordVerification counts the verdict and observes the duration in seconds', async () => {
  const metrics = createMetrics();
  metrics.recordVerification({ verdict: 'passed', durationMs: 42_000 });
  const text = await metrics.registry.metrics();
  assert.match(text, /nightshift_verifications_total\{verdict="passed"\} 1/);
  assert.match(text, /nightshift_verification_duration_seconds_sum\{verdict="passed"\} 42/);
  assert.match(text, /nightshift_verification_duration_seconds_bucket\{le="60",verdict="passed"\} 1/);
  assert.match(text, /nightshift_verification_duration_seconds_bucket\{le="30",verdict="passed"\} 0/);
});

test('scrape-time gauges read their sources; a failing source empties its gauge and is counted, the scrape still answers', async () => {
  const metrics = createMetrics({ scrapeCacheMs: 0 });
  let lagFails = false;
  metrics.watch({
    busLag: async () => {
      if (lagFails) throw new Error('broker down');
      return [{ group: 'triage', topic: 'alerts', lag: 7 }];
    },
    incidentsByStatus: async () => ({ open: 2, triaged: 1 }),
  });
  let text = await metrics.registry.metrics();
  assert.match(text, /nightshift_bus_consumer_lag\{group="triage",topic="alerts"\} 7/);
  assert.match(text, /nightshift_incidents\{status="open"\} 2/);
  lagFails = true;
  text = await metrics.registry.metrics();
  assert.doesNotMatch(text, /nightshift_bus_consumer_lag\{/);
  assert.match(text, /nightshift_incidents\{status="triaged"\} 1/);
  // The error is counted while this scrape is being written, so the next one shows it.
  assert.match(await metrics.registry.metrics(), /nightshift_metrics_collect_errors_total\{collector="bus-lag"\} [1-9]/);
});

test('cacheFor shares one answer within the TTL and forgets a failure', async () => {
  let now = 0;
  let calls = 0;
  let fail = false;
  const read = cacheFor(5_000, async () => {
    calls += 1;
    if (fail) throw new Error('no');
    return calls;
  }, () => now);
  assert.equal(await read(), 1);
  now = 4_999;
  assert.equal(await read(), 1);
  now = 5_000;
  fail = true;
  await assert.rejects(read());
  fail = false;
  assert.equal(await read(), 3, 'the failure was not cached');
});

test('scrape adds another thread\'s metrics, summing the series both have; a thread that fails is left out and counted', async () => {
  const http = createMetrics({ scrapeCacheMs: 0 });
  const consumers = createMetrics({ scrapeCacheMs: 0, thread: 'consumers' });
  http.alertsReceived.inc({ source: 'sentry' }, 3);
  consumers.incidentsOpened.inc({ reason: 'new' }, 2);
  http.fixes.inc({ strategy: 'revert', outcome: 'drafted' });
  consumers.fixes.inc({ strategy: 'revert', outcome: 'drafted' }, 4);
  let threadFails = false;
  http.addThread(async () => {
    if (threadFails) throw new Error('no answer');
    return consumers.registry.getMetricsAsJSON();
  });

  let text = await http.scrape();
  assert.match(text, /^nightshift_alerts_received_total\{source="sentry"\} 3$/m);
  assert.match(text, /^nightshift_incidents_opened_total\{reason="new"\} 2$/m);
  assert.match(text, /^nightshift_fixes_total\{strategy="revert",outcome="drafted"\} 5$/m);
  // Process metrics come from one thread only, not doubled.
  assert.equal(text.match(/^nightshift_process_cpu_user_seconds_total /gm)?.length, 1);
  assert.equal(text.match(/^nightshift_process_resident_memory_bytes /gm)?.length, 1);
  assert.doesNotMatch(text, /^nightshift_process_[a-z_]+\{thread=/m);
  // Each thread's own heap, beside the main thread's: a series per thread, not a sum.
  const heapUsed = [...text.matchAll(/^nightshift_nodejs_heap_size_used_bytes(\{thread="consumers"\})? (\d+)$/gm)];
  assert.deepEqual(heapUsed.map((match) => match[1] ?? 'main'), ['main', '{thread="consumers"}']);
  assert.ok(heapUsed.every((match) => Number(match[2]) > 0));
  assert.match(text, /^nightshift_nodejs_eventloop_lag_p99_seconds\{thread="consumers"\} /m);
  assert.equal(text.match(/^nightshift_nodejs_version_info\{/gm)?.length, 1);

  threadFails = true;
  text = await http.scrape();
  assert.match(text, /^nightshift_alerts_received_total\{source="sentry"\} 3$/m);
  assert.doesNotMatch(text, /^nightshift_incidents_opened_total\{reason="new"\}/m);
  assert.match(await http.scrape(), /^nightshift_metrics_collect_errors_total\{collector="thread"\} [12]$/m);
});

test('the GC histogram counts every collection, also those reported to it together (prom-client patch)', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const metrics = createMetrics();
  const majors = async () => {
    const histogram = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'nightshift_nodejs_gc_duration_seconds');
    const count = histogram?.values.find((v) => (v as { metricName?: string }).metricName === 'nightshift_nodejs_gc_duration_seconds_count' && v.labels.kind === 'major');
    return count?.value ?? 0;
  };
  const before = await majors();
  // Three full collections in one turn: their entries reach the observer as one list.
  gc();
  gc();
  gc();
  await sleep(100);
  assert.equal((await majors()) - before, 3);
});
