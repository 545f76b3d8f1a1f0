import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore } from '../../shared/store/open-store.js';
import type { Store } from '../../shared/store/store.js';
import { freePort, startCli, type StartedCli } from '../helpers/cli.js';
import { kafkaBrokers, postgresAdminUrl } from '../helpers/infra.js';
import { randomName, tempDir, waitFor } from '../helpers/wait.js';
import { createAlertSender, senderRows } from './helpers/alert-sender.js';
import { checkDraftedFixes } from './helpers/check-forge-records.js';
import { checkStoreInvariants, redeliverAcknowledged } from './helpers/check-store-invariants.js';
import { createSuspectRepository, type SuspectRepository } from './helpers/create-suspect-repository.js';
import { printTable } from './helpers/print-table.js';
import { isBusDrained } from './helpers/read-bus-lag.js';
import { createSeededRandom, type SeededRandom } from './helpers/seeded-random.js';
import { createDeliveryFactory, reliabilityEnv } from './helpers/webhook-deliveries.js';
import { FIX_REPOSITORY, writeFixConfig } from './helpers/write-fix-config.js';

const kafkaScript = fileURLToPath(new URL('../../../scripts/kafka.sh', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Fault = 'kill-ingest' | 'kill-triage' | 'restart-broker';

/** 3–5 faults in a seeded order: at least one of each kind. */
function planFaults(random: SeededRandom): Fault[] {
  const faults: Fault[] = ['kill-ingest', 'kill-triage', 'restart-broker'];
  for (let extra = random.int(0, 2); extra > 0; extra--) faults.push(random.pick(['kill-ingest', 'kill-ingest', 'kill-triage'] as const));
  for (let i = faults.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [faults[i], faults[j]] = [faults[j]!, faults[i]!];
  }
  return faults;
}

/** The broker is the one scripts/kafka.sh runs (the only one this test can restart). */
function brokerIsRestartable(brokers: string[]): boolean {
  const status = spawnSync('bash', [kafkaScript, 'status'], { encoding: 'utf8' });
  return status.status === 0 && brokers.some((broker) => status.stdout.includes(broker));
}

/** Resolves with the time /healthz first answered 200 at `url`, polling until `until` settles. */
async function firstHealthy(url: string, until: Promise<unknown>): Promise<number | undefined> {
  let settled = false;
  until.then(() => (settled = true), () => (settled = true));
  for (;;) {
    // A probe that starts after the start settled has the last word.
    const last = settled;
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) }).then((res) => res.ok, () => false);
    if (ok) return Date.now();
    if (last) return undefined;
    await sleep(50);
  }
}

async function countGrouped(store: Store): Promise<number> {
  return (await store.listAlerts()).filter((alert) => alert.incidentId !== null).length;
}

test('separate ingest and triage+fixer roles on Kafka and PostgreSQL: kill -9 of either and a broker restart lose no acknowledged alert and open no second PR', { timeout: 300_000 }, async (t) => {
  const brokers = kafkaBrokers(t);
  const adminUrl = postgresAdminUrl(t);
  if (!brokers || !adminUrl) return;
  if (!brokerIsRestartable(brokers)) {
    const message = `the broker at ${brokers.join(',')} is not run by scripts/kafka.sh, so it cannot be restarted mid-stream`;
    if (process.env.NIGHTSHIFT_REQUIRE_INFRA === '1') throw new Error(`${message} (NIGHTSHIFT_REQUIRE_INFRA=1 forbids skipping)`);
    t.skip(`SKIPPED: ${message}`);
    return;
  }

  const random = createSeededRandom();
  const began = Date.now();
  const database = randomName('nightshift_rel');
  const topicPrefix = `${randomName('rel')}.`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dir = await tempDir('nightshift-reliability-');
  const running: Partial<Record<'ingest' | 'triage', StartedCli>> = {};
  let store: Store | undefined;
  let repository: SuspectRepository | undefined;
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    repository = await createSuspectRepository();
    // Both processes run in dir, so they share its data directory: the local forge's PR records.
    await writeFixConfig(dir.path, repository.path, { bus: { kafka: { topicPrefix, partitions: 3 } } });
    const ports = { ingest: await freePort(), triage: await freePort() };
    const env = (role: 'ingest' | 'triage') => ({
      ...reliabilityEnv(),
      NIGHTSHIFT_LOG_LEVEL: 'error',
      NIGHTSHIFT_HOST: '127.0.0.1',
      NIGHTSHIFT_PORT: String(ports[role]),
      NIGHTSHIFT_KAFKA_BROKERS: brokers.join(','),
      DATABASE_URL: url.toString(),
    });
    // The "triage" process runs the fixer too, so kill -9 of it lands in drafts as well as in triage.
    const roleArgs = { ingest: 'ingest', triage: 'triage,fixer' };
    const healthzMs: Record<'ingest' | 'triage', number[]> = { ingest: [], triage: [] };
    const start = async (role: 'ingest' | 'triage') => {
      const t0 = Date.now();
      const starting = startCli(['--role', roleArgs[role]], { cwd: dir.path, env: env(role), timeoutMs: 90_000 });
      const healthy = await firstHealthy(`http://127.0.0.1:${ports[role]}`, starting);
      running[role] = await starting;
      healthzMs[role].push(healthy === undefined ? Number.NaN : healthy - t0);
      return running[role]!;
    };
    const ingestUrl = (await start('ingest')).url;
    const triageUrl = (await start('triage')).url;
    store = await openStore({ kind: 'postgres', url: url.toString() }, { clock: () => new Date() });

    // Groups join one by one, so incidents keep opening (and fixes keep being drafted) while the faults land.
    const factory = createDeliveryFactory({ random, groups: 12, runId: `kafka${random.seed}`, newGroupEvery: 40 });
    // Paced below triage's throughput on PostgreSQL, so the backlog of a 30 s rejoin drains in seconds, not minutes.
    const sender = createAlertSender({ baseUrl: () => ingestUrl, next: factory.next, concurrency: 4, paceMs: 40 });
    const injected: [string, string][] = [];
    for (const fault of planFaults(random)) {
      const after = random.int(1_000, 4_000);
      await sleep(after);
      const ackedBefore = sender.acked.size;
      const t0 = Date.now();
      if (fault === 'restart-broker') {
        const restarted = spawnSync('bash', [kafkaScript, 'restart'], { encoding: 'utf8' });
        assert.equal(restarted.status, 0, `kafka.sh restart failed:\n${restarted.stderr}`);
        await waitFor(async () => (await fetch(`${ingestUrl}/readyz`)).status === 200, { timeoutMs: 60_000, intervalMs: 250, what: 'ingest ready after the broker restart' });
      } else {
        const role = fault === 'kill-ingest' ? 'ingest' : 'triage';
        const victim = running[role]!;
        victim.child.kill('SIGKILL');
        assert.equal((await victim.exited).signal, 'SIGKILL');
        await start(role);
      }
      const branches = (await repository.fixBranches()).length;
      const healthz = fault === 'restart-broker' ? '' : ` (/healthz 200 after ${healthzMs[fault === 'kill-ingest' ? 'ingest' : 'triage'].at(-1)} ms)`;
      injected.push([fault, `after ${after} ms, ${ackedBefore} acked, ${branches} fix branches so far; back in ${Date.now() - t0} ms${healthz}`]);
    }
    await sleep(random.int(500, 1_500));
    await sender.finish(60_000);
    assert.equal(sender.unacknowledged(), 0, 'every delivery was acknowledged in the end');
    const acks = [...sender.acked.values()];

    const drainStarted = Date.now();
    await waitFor(async () => (await countGrouped(store!)) >= acks.length, { timeoutMs: 120_000, intervalMs: 500, what: 'triage to group every acknowledged alert' }).catch(() => {});
    // The Kafka bus's lag, as the triage process exports it on /metrics, falls to 0 once triage and the fixer are done.
    await waitFor(() => isBusDrained(triageUrl, ['triage', 'triage-report', 'fixer']), { timeoutMs: 90_000, intervalMs: 500, what: 'the Kafka consumer lag on /metrics to reach 0 for triage, triage-report and fixer' });
    const drainMs = Date.now() - drainStarted;
    const redelivered = await redeliverAcknowledged(ingestUrl, acks);

    for (const role of ['ingest', 'triage'] as const) {
      const process = running[role]!;
      process.child.kill('SIGTERM');
      assert.deepEqual(await process.exited, { code: 0, signal: null }, `${role}: ${process.stderr()}`);
      delete running[role];
    }
    const found = await checkStoreInvariants(store, acks);
    const fixes = await checkDraftedFixes(store, { dataDir: join(dir.path, '.nightshift'), repository: FIX_REPOSITORY, atLeast: 1 });

    printTable(`reliability: kill -9 of roles on Kafka + PostgreSQL, broker restart (seed ${random.seed})`, [
      ['seed (NIGHTSHIFT_RELIABILITY_SEED)', random.seed],
      ['topic prefix / database', `${topicPrefix} / ${database}`],
      ...injected,
      ...senderRows(sender),
      ['faults', injected.length],
      ['/healthz 200 after a restart (ms)', `ingest ${healthzMs.ingest.join(', ')}; triage+fixer ${healthzMs.triage.join(', ')}`],
      ['drain after the last fault (grouped, Kafka lag 0)', `${drainMs} ms`],
      ...redelivered.rows,
      ...found.rows,
      ...fixes.rows,
      ['wall time', `${Date.now() - began} ms`],
    ]);
    assert.deepEqual(sender.stats.rejected, [], 'no valid delivery was refused');
    assert.deepEqual([...redelivered.problems, ...found.problems, ...fixes.problems], []);
  } finally {
    for (const process of Object.values(running)) process?.child.kill('SIGKILL');
    await store?.close();
    await dir.cleanup();
    await repository?.cleanup();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
});
