// Grouping throughput and memory, measured in one run:
//  - baseline: the store work of the old per-event path with the grouping left out (skip if handled,
//    then store the alert and mark it handled in one transaction), in a loop on the embedded SQLite store;
//  - grouping, direct: the same loop with groupAlert (what this bench measured before batching);
//  - grouping through the real path: alerts published on the embedded bus, consumed by bindHandler
//    with the triage role's `triage` binding, once per event (batchSize 1) and once as the role
//    declares it (batched: many alerts per transaction).
// Target: 50,000 alerts a minute with memory that stays flat.
//
//   node --expose-gc dist/bench/grouping.js [alerts=60000]
import { join } from 'node:path';
import pino from 'pino';
import { createEmbeddedBus } from '../shared/bus/index.js';
import { createDefaultConfig } from '../shared/config/create-default-config.js';
import { createSqliteStore } from '../shared/store/index.js';
import type { Store } from '../shared/store/store.js';
import { bindHandler, type HandlerBinding } from '../services/runtime/bind-handler.js';
import { createCallPaths } from '../services/triage/grouping/create-call-paths.js';
import { groupAlert } from '../services/triage/grouping/group-alert.js';
import { createTriageRole } from '../services/triage/create-triage-role.js';
import { makeAlertEvent } from '../tests/helpers/events.js';
import { tempDir } from '../tests/helpers/wait.js';

const total = Number(process.argv[2] ?? 60_000);
if (!Number.isInteger(total) || total < 4) throw new Error(`alerts must be an integer of at least 4, got ${process.argv[2]}`);
const calls = { gateway: ['orders'], orders: ['inventory'], inventory: [], search: [], billing: [] };
const options = { callPaths: createCallPaths(calls), correlationWindowMs: 600_000 };
const services = Object.keys(calls);
const silent = pino({ level: 'silent' });

/**
 * A storm: most alerts from one failure, the rest spread over 500 other failures, each with traces of
 * its own (so they stay 501 incidents: every lookup by fingerprint, trace and call path does real work).
 */
function alertAt(n: number) {
  const storm = n % 5 !== 0;
  const key = storm ? 'inventory:TypeError:reserveStock' : `fp-${n % 500}`;
  return makeAlertEvent(n, key, {
    service: storm ? 'inventory' : services[Math.floor(n / 5) % services.length],
    traceIds: [storm ? `storm-${n % 2000}` : `trace-${n % 500}-${n % 3}`],
    receivedAt: new Date(Date.parse('2026-11-21T03:00:00Z') + n * 10).toISOString(),
  });
}

function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

interface Measured {
  perMinute: number;
  heap: number[];
}

async function report(label: string, store: Store, seconds: number, heap: number[]): Promise<Measured> {
  const perMinute = (total / seconds) * 60;
  const incidents = await store.listIncidents();
  const alerts = incidents.reduce((sum, incident) => sum + incident.alertCount, 0);
  console.log(
    `${label.padEnd(36)} ${Math.round(perMinute).toLocaleString('en').padStart(7)} alerts/min, ${incidents.length} incidents holding ${alerts} alerts, ` +
      `heap MB at quarters: ${heap.map((h) => h.toFixed(1)).join(' → ')}`,
  );
  return { perMinute, heap };
}

/** The old per-event loop, straight on the store: as bindHandler does for a handler that emits nothing. */
async function runDirect(label: string, work: (store: Store, n: number) => Promise<void>): Promise<Measured> {
  const { path: dir, cleanup } = await tempDir('bench-grouping');
  const store = await createSqliteStore({ file: join(dir, 'store.db'), clock: () => new Date() });
  const heap: number[] = [];
  const started = performance.now();
  for (let n = 1; n <= total; n++) {
    if (await store.hasHandled('triage', `e-${n}`)) continue;
    await store.transaction(async (tx) => {
      await work(tx, n);
      await tx.markHandled('triage', `e-${n}`);
    });
    if (n % Math.floor(total / 4) === 0) heap.push(heapMb());
  }
  const measured = await report(label, store, (performance.now() - started) / 1000, heap);
  await store.close();
  await cleanup();
  return measured;
}

/** Alerts published on the embedded bus first, then consumed by bindHandler until the group's lag is 0. */
async function runThroughBus(label: string, binding: HandlerBinding): Promise<Measured> {
  const { path: dir, cleanup } = await tempDir('bench-grouping');
  const store = await createSqliteStore({ file: join(dir, 'store.db'), clock: () => new Date() });
  const bus = createEmbeddedBus({ file: join(dir, 'bus.sqlite'), log: silent, pollIntervalMs: 20 });
  await bus.start();
  for (let from = 1; from <= total; from += 1_000) {
    await bus.publish(Array.from({ length: Math.min(1_000, total - from + 1) }, (_, i) => alertAt(from + i)));
  }
  const lag = async () => (await bus.lag!()).find((l) => l.group === binding.group && l.topic === 'alerts')?.lag ?? total;
  const heap: number[] = [];
  const started = performance.now();
  await bindHandler(binding, { bus, store, now: () => new Date(), log: silent });
  for (let left = total; left > 0; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = await lag();
    // Heap when each quarter of the alerts has been consumed (the first sample may cover several).
    while (heap.length < 4 && total - left >= ((heap.length + 1) * total) / 4) heap.push(heapMb());
  }
  const seconds = (performance.now() - started) / 1000;
  const measured = await report(label, store, seconds, heap);
  await bus.close();
  await store.close();
  await cleanup();
  return measured;
}

const config = createDefaultConfig();
config.services = Object.fromEntries(Object.entries(calls).map(([name, called]) => [name, { sourceRoot: '', calls: called }]));
const triageBinding = createTriageRole(config).handlers.find((h) => h.group === 'triage');
if (!triageBinding) throw new Error('the triage role has no `triage` binding');

const baseline = await runDirect('baseline (store alert only)', async (store, n) => {
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
const direct = await runDirect('grouping, direct per event', async (store, n) => {
  await groupAlert(alertAt(n), store, options);
});
const perEvent = await runThroughBus('grouping via bus, per event', { ...triageBinding, batchSize: 1 });
const batched = await runThroughBus(`grouping via bus, batches of ${triageBinding.batchSize ?? 1}`, triageBinding);

const ratio = (a: Measured, b: Measured) => (a.perMinute / b.perMinute).toFixed(2);
const growth = (batched.heap.at(-1) ?? 0) - (batched.heap[0] ?? 0);
console.log(`ratio batched/baseline: ${ratio(batched, baseline)}; batched/per-event via bus: ${ratio(batched, perEvent)}; direct/baseline: ${ratio(direct, baseline)}`);
console.log(
  `target 50,000 alerts/min: ${batched.perMinute >= 50_000 ? 'met' : 'NOT met'} (batched); heap growth first→last quarter: ${growth.toFixed(1)} MB` +
    (globalThis.gc ? '' : ' (run with --expose-gc for exact heap figures)'),
);
