import assert from 'node:assert/strict';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describeBrokerPauses, summarisePauses } from '../../bench/ingest-broker-gc.js';
import { describeHttpThreadGc, parseServerLatencies } from '../../bench/ingest-server-metrics.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';

test("the broker's pauses are read from G1's unified log, and only its pauses", () => {
  // Lines as the broker kafka.sh starts writes them (-Xlog:gc:...:uptime,tags).
  const log = [
    '[1744.300s][gc] GC(66) Pause Young (Normal) (G1 Evacuation Pause) 491M->195M(1024M) 23.926ms',
    '[1748.795s][gc] GC(67) Pause Young (Concurrent Start) (G1 Evacuation Pause) 268M->196M(1024M) 8.514ms',
    '[1748.796s][gc] GC(68) Concurrent Mark Cycle',
    '[1748.901s][gc] GC(68) Pause Remark 210M->205M(1024M) 3.002ms',
    '[1748.950s][gc] GC(68) Pause Cleanup 206M->206M(1024M) 0.120ms',
    '[1748.990s][gc] GC(68) Concurrent Mark Cycle 194.123ms',
    '',
  ].join('\n');
  assert.deepEqual(summarisePauses(log), { count: 4, maxMs: 23.926, over10Ms: 1 });
  assert.deepEqual(summarisePauses(''), { count: 0, maxMs: 0, over10Ms: 0 });
  assert.equal(describeBrokerPauses(summarisePauses(log)), '1 of 4 over 10 ms, longest 23.9 ms');
  assert.equal(describeBrokerPauses(summarisePauses('')), 'none');
});

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test("the HTTP thread's GC pauses come from its own series of /metrics, not another thread's", async () => {
  const metrics = createMetrics();
  // A consumer thread's runtime metrics, scraped along (its series are labelled with the thread).
  const consumer = createMetrics({ thread: 'triage' });
  metrics.addThread(() => consumer.registry.getMetricsAsJSON());
  const before = parseServerLatencies(await metrics.scrape());

  let majors = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors += 1;
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < 3; i++) gc();
  // GC entries reach observers (prom-client's and this one) asynchronously.
  await sleep(100);
  observer.disconnect();
  const after = parseServerLatencies(await metrics.scrape());

  assert.ok(majors >= 3, `three forced full collections, ${majors} seen`);
  const major = after.gcPauses.get('major')!.all - (before.gcPauses.get('major')?.all ?? 0);
  assert.equal(major, majors, 'each full collection counted once: the consumer thread series are left out');
  const text = describeHttpThreadGc(before, after)!;
  assert.match(text, new RegExp(`^\\d+ pauses? over 10 ms \\(.*\\d+ of ${majors} major.*\\)$`));
  assert.equal(describeHttpThreadGc(undefined, after), undefined);
});

test('pauses over 10 ms are those counted above the 10 ms bucket between the readings', () => {
  const reading = (gcPauses: [string, { all: number; within10Ms: number }][]) => ({ requests: new Map(), publish: new Map(), produce: new Map(), receives: new Map(), gcPauses: new Map(gcPauses) });
  const before = reading([['major', { all: 2, within10Ms: 2 }]]);
  const after = reading([
    ['minor', { all: 40, within10Ms: 39 }],
    ['major', { all: 5, within10Ms: 3 }],
  ]);
  assert.equal(describeHttpThreadGc(before, after), '3 pauses over 10 ms (1 of 40 minor, 2 of 3 major)');
});
