import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../shared/store/open-store.js';
import { freePort, startCli, type StartedCli } from '../helpers/cli.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { createAlertSender, senderRows } from './helpers/alert-sender.js';
import { checkDraftedFixes, readLocalPullRequests } from './helpers/check-forge-records.js';
import { checkStoreInvariants, redeliverAcknowledged } from './helpers/check-store-invariants.js';
import { createSuspectRepository } from './helpers/create-suspect-repository.js';
import { printTable } from './helpers/print-table.js';
import { createSeededRandom } from './helpers/seeded-random.js';
import { isBusDrained } from './helpers/read-bus-lag.js';
import { createDeliveryFactory, reliabilityEnv } from './helpers/webhook-deliveries.js';
import { FIX_REPOSITORY, writeFixConfig } from './helpers/write-fix-config.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sum of alert counts over every incident, through the console API of the running process. */
async function groupedAlerts(url: string): Promise<number> {
  const res = await fetch(`${url}/api/incidents?limit=1000`);
  const { incidents } = (await res.json()) as { incidents: { alertCount: number }[] };
  return incidents.reduce((sum, incident) => sum + incident.alertCount, 0);
}

test('kill -9 of the all-in-one process while webhooks flow and fixes are drafted loses no acknowledged alert, duplicates no incident, opens no second PR', { timeout: 180_000 }, async () => {
  const random = createSeededRandom();
  const dir = await tempDir('nightshift-reliability-');
  const repository = await createSuspectRepository();
  await writeFixConfig(dir.path, repository.path);
  const dataDir = join(dir.path, '.nightshift');
  const port = await freePort();
  const env = { ...reliabilityEnv(), NIGHTSHIFT_LOG_LEVEL: 'error', NIGHTSHIFT_HOST: '127.0.0.1', NIGHTSHIFT_PORT: String(port) };
  const start = () => startCli([], { cwd: dir.path, env, timeoutMs: 60_000 });
  const began = Date.now();
  let nightshift: StartedCli | undefined;
  try {
    nightshift = await start();
    const url = nightshift.url;
    // Groups join one by one, so incidents open, get triaged and get their revert drafted while the kills land.
    const factory = createDeliveryFactory({ random, groups: 12, runId: `aio${random.seed}`, newGroupEvery: 20 });
    const sender = createAlertSender({ baseUrl: () => url, next: factory.next, concurrency: 4 });

    const kills: string[] = [];
    const killCount = random.int(3, 5);
    for (let i = 0; i < killCount; i++) {
      const uptime = random.int(800, 3_500);
      await sleep(uptime);
      const ackedBefore = sender.acked.size;
      const prsBefore = (await readLocalPullRequests(dataDir, FIX_REPOSITORY)).length;
      const branchesBefore = (await repository.fixBranches()).length;
      const victim: StartedCli = nightshift;
      victim.child.kill('SIGKILL');
      assert.equal((await victim.exited).signal, 'SIGKILL');
      const down = Date.now();
      nightshift = await start();
      kills.push(`#${i + 1} after ${uptime} ms up, ${ackedBefore} acked, ${branchesBefore} fix branches, ${prsBefore} PRs so far; back in ${Date.now() - down} ms`);
    }
    await sleep(random.int(500, 1_500));
    await sender.finish(30_000);
    assert.equal(sender.unacknowledged(), 0, 'every delivery was acknowledged in the end');
    const acks = [...sender.acked.values()];

    const drainStarted = Date.now();
    await waitFor(async () => (await groupedAlerts(url)) >= acks.length, { timeoutMs: 60_000, intervalMs: 250, what: 'triage to group every acknowledged alert' });
    // Then every group (the fixer and verifier too) has committed all it was handed.
    await waitFor(() => isBusDrained(url, ['triage', 'triage-report', 'fixer', 'verifier']), { timeoutMs: 90_000, intervalMs: 500, what: 'every consumer group to reach lag 0' });
    const drainMs = Date.now() - drainStarted;
    const redelivered = await redeliverAcknowledged(url, acks);

    nightshift.child.kill('SIGTERM');
    assert.deepEqual(await nightshift.exited, { code: 0, signal: null }, nightshift.stderr());
    nightshift = undefined;

    const store = await openStore({ kind: 'sqlite', file: join(dataDir, 'nightshift.sqlite') }, { clock: () => new Date() });
    const [found, fixes] = await Promise.all([
      checkStoreInvariants(store, acks),
      checkDraftedFixes(store, { dataDir, repository: FIX_REPOSITORY, atLeast: 1 }),
    ]).finally(() => store.close());

    printTable(`reliability: kill -9 all-in-one (seed ${random.seed})`, [
      ['seed (NIGHTSHIFT_RELIABILITY_SEED)', random.seed],
      ...kills.map((kill): [string, string] => ['kill -9', kill]),
      ...senderRows(sender),
      ['kills', kills.length],
      ['drain after last restart (alerts grouped, lag 0)', `${drainMs} ms`],
      ...redelivered.rows,
      ...found.rows,
      ...fixes.rows,
      ['wall time', `${Date.now() - began} ms`],
    ]);
    assert.deepEqual(sender.stats.rejected, [], 'no valid delivery was refused');
    assert.deepEqual([...redelivered.problems, ...found.problems, ...fixes.problems], []);
  } finally {
    nightshift?.child.kill('SIGKILL');
    await dir.cleanup();
    await repository.cleanup();
  }
});
