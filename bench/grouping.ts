// Grouping throughput and memory: alerts through the triage handler's store work (skip if handled,
// then group and mark handled in one transaction) on the embedded SQLite store, against a baseline measured in
// the same run: the same transactions storing the alert only. Target: 50,000 alerts a minute with
// memory that stays flat.
//
//   node dist/bench/grouping.js [alerts=60000]
import { join } from 'node:path';
import { createSqliteStore } from '../shared/store/index.js';
import type { Store } from '../shared/store/store.js';
import { createCallPaths } from '../services/triage/grouping/create-call-paths.js';
import { groupAlert } from '../services/triage/grouping/group-alert.js';
import { makeAlertEvent } from '../tests/helpers/events.js';
import { tempDir } from '../tests/helpers/wait.js';

const total = Number(process.argv[2] ?? 60_000);
const options = { callPaths: createCallPaths({ gateway: ['orders'], orders: ['inventory'] }), correlationWindowMs: 600_000 };
const services = ['gateway', 'orders', 'inventory', 'search', 'billing'];

/** A storm: most alerts from one failure, the rest spread over many fingerprints and traces. */
function alertAt(n: number) {
  const storm = n % 5 !== 0;
  const key = storm ? 'inventory:TypeError:reserveStock' : `fp-${n % 500}`;
  return makeAlertEvent(n, key, {
    service: storm ? 'inventory' : services[n % services.length],
    traceIds: [`trace-${n % 2000}`],
    receivedAt: new Date(Date.parse('2026-11-21T03:00:00Z') + n * 10).toISOString(),
  });
}

function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function run(label: string, work: (store: Store, n: number) => Promise<void>): Promise<{ perMinute: number; heap: number[] }> {
  const { path: dir, cleanup } = await tempDir('bench-grouping');
  const store = await createSqliteStore({ file: join(dir, 'store.db'), clock: () => new Date() });
  const heap: number[] = [];
  const started = performance.now();
  for (let n = 1; n <= total; n++) {
    if (await store.hasHandled('triage', `e-${n}`)) continue;
    // As bindHandler does for a handler that emits nothing: the work and the handled mark in one commit.
    await store.transaction(async (tx) => {
      await work(tx, n);
      await tx.markHandled('triage', `e-${n}`);
    });
    if (n % Math.floor(total / 4) === 0) heap.push(heapMb());
  }
  const seconds = (performance.now() - started) / 1000;
  const perMinute = (total / seconds) * 60;
  const incidents = await store.listIncidents();
  console.log(`${label.padEnd(28)} ${Math.round(perMinute).toLocaleString('en')} alerts/min, ${incidents.length} incidents, heap MB at quarters: ${heap.map((h) => h.toFixed(1)).join(' → ')}`);
  await store.close();
  await cleanup();
  return { perMinute, heap };
}

const baseline = await run('baseline (store alert only)', async (store, n) => {
  const event = alertAt(n);
  await store.insertAlert({
      id: event.id,
      source: event.payload.source,
      deliveryId: event.payload.deliveryId,
      fingerprint: event.payload.fingerprint,
      kind: 'error',
      title: event.payload.title,
      service: event.payload.service ?? null,
      severity: event.payload.severity,
      receivedAt: event.payload.receivedAt,
      payload: event.payload,
    });
});
const grouping = await run('grouping', async (store, n) => {
  await groupAlert(alertAt(n), store, options);
});

const growth = (grouping.heap.at(-1) ?? 0) - (grouping.heap[0] ?? 0);
console.log(`ratio grouping/baseline: ${(grouping.perMinute / baseline.perMinute).toFixed(2)}`);
console.log(`target 50,000 alerts/min: ${grouping.perMinute >= 50_000 ? 'met' : 'NOT met'}; heap growth first→last quarter: ${growth.toFixed(1)} MB${globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'}`);
