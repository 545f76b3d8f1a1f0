import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import type { EventOf, NightshiftEvent } from '../../shared/events/registry.js';
import { join } from 'node:path';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { createPostgresStore } from '../../shared/store/create-postgres-store.js';
import { createSqliteStore } from '../../shared/store/index.js';
import type { Store } from '../../shared/store/store.js';
import { createMetrics } from '../../shared/telemetry/create-metrics.js';
import { resolveQuietIncidents } from '../../services/triage/resolution/resolve-quiet-incidents.js';
import { startResolutionSweep } from '../../services/triage/resolution/start-resolution-sweep.js';
import { createTriageRole } from '../../services/triage/create-triage-role.js';
import { postgresAdminUrl } from '../helpers/infra.js';
import { randomName, tempDir, waitFor } from '../helpers/wait.js';
import { createManualClock, type ManualClock } from './store-contract.js';

const MINUTE = 60_000;
const log = pino({ level: 'silent' });

async function setup(): Promise<{ store: Store; clock: ManualClock; published: NightshiftEvent[]; publish: (events: NightshiftEvent[]) => Promise<void> }> {
  const clock = createManualClock('2026-11-21T03:00:00.000Z');
  const store = await createSqliteStore({ file: ':memory:', clock });
  const published: NightshiftEvent[] = [];
  return { store, clock, published, publish: async (events) => void published.push(...events) };
}

async function withMergedFix(store: Store, incidentId: string): Promise<void> {
  await store.createIncident({ id: incidentId, key: `fp-${incidentId}`, title: 'boom', severity: 'error' });
  await store.createFixAttempt({ id: `att-${incidentId}`, incidentId, strategy: 'revert' });
  await store.linkPullRequest({ incidentId, attemptId: `att-${incidentId}`, repository: 'shop', number: 7, url: 'u' });
  await store.updateIncident(incidentId, { status: 'recovering' });
  await store.updatePullRequestState('shop', 7, 'merged');
}

test('a recovering incident quiet for the period is resolved with an entry saying why; recent, open and resolved ones are left alone', async () => {
  const { store, clock, published, publish } = await setup();
  await store.createIncident({ id: 'vendor', key: 'fp-v', title: 'a', severity: 'error', status: 'recovering' });
  await store.createIncident({ id: 'open', key: 'fp-o', title: 'b', severity: 'error', status: 'open' });
  await withMergedFix(store, 'merged');
  const mergedAt = clock.iso();
  clock.advance(20 * MINUTE);
  await store.createIncident({ id: 'recent', key: 'fp-r', title: 'c', severity: 'error', status: 'recovering' });

  const deps = { store, now: clock, log, quietMinutes: 30, publish };
  assert.deepEqual(await resolveQuietIncidents(deps), [], 'nobody is quiet for 30 minutes yet');

  clock.advance(11 * MINUTE);
  const resolutions = await resolveQuietIncidents(deps);
  assert.deepEqual(resolutions.map((r) => [r.incident.id, r.reason]).sort(), [['merged', 'fix-merged'], ['vendor', 'source-resolved']]);
  for (const id of ['vendor', 'merged']) {
    const incident = await store.getIncident(id);
    assert.equal(incident?.status, 'resolved');
    assert.equal(incident?.resolvedAt, clock.iso());
  }
  assert.equal((await store.getIncident('open'))?.status, 'open');
  assert.equal((await store.getIncident('recent'))?.status, 'recovering');

  const [entry] = (await store.listAudit({ incidentId: 'merged' })).filter((e) => e.action === 'incident-resolved');
  assert.equal(entry?.actor, 'triage');
  assert.deepEqual(entry?.detail, {
    reason: 'fix-merged',
    why: `fix merged at ${mergedAt} (shop#7); quiet for 30 minutes`,
    quietMinutes: 30,
    repository: 'shop',
    pullRequest: 7,
    mergedAt,
  });
  const [vendor] = await store.listAudit({ incidentId: 'vendor' });
  assert.deepEqual(vendor?.detail, { reason: 'source-resolved', why: 'the alert source reported it resolved; quiet for 30 minutes', quietMinutes: 30 });

  // Only the merged fix is spoken for on its PR.
  assert.deepEqual(
    published.map((e) => [e.type, e.payload]),
    [['fix.outcome.v1', { incidentId: 'merged', outcome: 'held', repository: 'shop', pullRequest: 7, reason: 'no alert for 30 minutes after the merge', quietMinutes: 30 }]],
  );

  // Idempotent: a second pass, later still, resolves only the recent one in its turn and says nothing more.
  clock.advance(60 * MINUTE);
  assert.deepEqual((await resolveQuietIncidents(deps)).map((r) => r.incident.id), ['recent']);
  assert.deepEqual(await resolveQuietIncidents(deps), []);
  assert.equal((await store.listAudit({ incidentId: 'merged' })).filter((e) => e.action === 'incident-resolved').length, 1);
  assert.equal(published.length, 1);
  assert.equal((await store.getIncident('open'))?.status, 'open');
});

test('an alert during recovery restarts the quiet period', async () => {
  const { store, clock, publish } = await setup();
  await withMergedFix(store, 'inc-1');
  clock.advance(25 * MINUTE);
  // A resolution notice from the vendor is an alert too: it keeps the incident in recovery and bumps it.
  await store.incrementAlertCount('inc-1', 1);
  clock.advance(10 * MINUTE);
  const deps = { store, now: clock, log, quietMinutes: 30, publish };
  assert.deepEqual(await resolveQuietIncidents(deps), []);
  clock.advance(21 * MINUTE);
  assert.deepEqual((await resolveQuietIncidents(deps)).map((r) => r.incident.id), ['inc-1']);
});

test('a failed publish leaves the resolution and its entry in place', async () => {
  const { store, clock } = await setup();
  await withMergedFix(store, 'inc-1');
  clock.advance(31 * MINUTE);
  const warnings: unknown[] = [];
  const spy = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
  const resolutions = await resolveQuietIncidents({ store, now: clock, log: spy, quietMinutes: 30, publish: async () => Promise.reject(new Error('bus down')) });
  assert.equal(resolutions.length, 1);
  assert.equal((await store.getIncident('inc-1'))?.status, 'resolved');
  assert.equal(warnings.length, 1);
});

test('the sweep runs on its timer, counts resolutions by reason, and stops', async () => {
  const { store, clock, published, publish } = await setup();
  await withMergedFix(store, 'inc-1');
  clock.advance(31 * MINUTE);
  const metrics = createMetrics();
  const sweep = startResolutionSweep({ store, publish, now: clock, log, metrics, quietMinutes: 30, intervalMs: 20 });
  try {
    await waitFor(async () => (await store.getIncident('inc-1'))?.status === 'resolved', { timeoutMs: 5_000 });
    await waitFor(async () => published.length === 1, { timeoutMs: 5_000 });
    const text = await metrics.registry.metrics();
    assert.match(text, /nightshift_incidents_resolved_total\{reason="fix-merged"\} 1/);
  } finally {
    sweep.stop();
  }
  // Stopped: a new candidate stays as it is.
  await store.createIncident({ id: 'later', key: 'fp-l', title: 'l', severity: 'error', status: 'recovering' });
  clock.advance(31 * MINUTE);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal((await store.getIncident('later'))?.status, 'recovering');
  const event = published[0] as EventOf<'fix.outcome.v1'>;
  assert.equal(event.payload.outcome, 'held');
});

test("the triage role's start hook runs the sweep at once and publishes on the bus for the fixer", async () => {
  const { store, clock } = await setup();
  const data = await tempDir('nightshift-sweep-');
  const bus = createEmbeddedBus({ file: join(data.path, 'bus.sqlite'), log, pollIntervalMs: 20 });
  await bus.start();
  const received: NightshiftEvent[] = [];
  await bus.subscribe({ group: 'fixer', topics: ['incidents'], handler: async (event) => void received.push(event) });
  const config = createDefaultConfig();
  config.triage.resolveAfterQuietMinutes = 10;
  await withMergedFix(store, 'inc-1');
  clock.advance(11 * MINUTE);
  const stop = createTriageRole(config).start!({ bus, store, config, metrics: createMetrics(), log, now: clock });
  try {
    await waitFor(() => received.length === 1, { timeoutMs: 5_000, what: 'fix.outcome.v1 on the bus' });
    assert.equal((await store.getIncident('inc-1'))?.status, 'resolved');
    const event = received[0] as EventOf<'fix.outcome.v1'>;
    assert.deepEqual([event.type, event.payload.outcome, event.payload.quietMinutes], ['fix.outcome.v1', 'held', 10]);
  } finally {
    stop();
    await bus.close();
    await store.close();
    await data.cleanup();
  }
});

test('two triage processes sweeping one PostgreSQL database resolve each incident once, with one entry and one event', async (t) => {
  const adminUrl = postgresAdminUrl(t);
  if (!adminUrl) return;
  const name = randomName('nightshift_sweep');
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const clock = createManualClock('2026-11-21T03:00:00.000Z');
  // Two processes: two stores, each with its own connection pool.
  const stores = [await createPostgresStore({ url: url.toString(), clock, poolSize: 2 }), await createPostgresStore({ url: url.toString(), clock, poolSize: 2 })];
  try {
    for (let i = 0; i < 8; i += 1) await withMergedFixNumbered(stores[0]!, `inc-${i}`, 100 + i);
    clock.advance(31 * MINUTE);
    const published: NightshiftEvent[] = [];
    const publish = async (events: NightshiftEvent[]) => void published.push(...events);
    const passes = await Promise.all(stores.flatMap((store) => [1, 2].map(() => resolveQuietIncidents({ store, now: clock, log, quietMinutes: 30, publish }))));
    const resolved = passes.flat().map((r) => r.incident.id).sort();
    assert.deepEqual(resolved, Array.from({ length: 8 }, (_, i) => `inc-${i}`).sort());
    for (let i = 0; i < 8; i += 1) {
      const entries = (await stores[0]!.listAudit({ incidentId: `inc-${i}` })).filter((e) => e.action === 'incident-resolved');
      assert.equal(entries.length, 1, `inc-${i} has one resolution entry`);
    }
    assert.equal(published.length, 8);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await admin(`drop database if exists "${name}" with (force)`);
  }
});

async function withMergedFixNumbered(store: Store, incidentId: string, number: number): Promise<void> {
  await store.createIncident({ id: incidentId, key: `fp-${incidentId}`, title: 'boom', severity: 'error' });
  await store.createFixAttempt({ id: `att-${incidentId}`, incidentId, strategy: 'revert' });
  await store.linkPullRequest({ incidentId, attemptId: `att-${incidentId}`, repository: 'shop', number, url: 'u' });
  await store.updateIncident(incidentId, { status: 'recovering' });
  await store.updatePullRequestState('shop', number, 'merged');
}
