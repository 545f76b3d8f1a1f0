import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { EventOf } from '../../shared/events/index.js';
import { createSampleRepository, type SampleRepository } from '../../services/cli/demo/create-sample-repository.js';
import { SAMPLE_REGRESSION } from '../../services/cli/demo/sample-history.js';
import { startSampleSystem, type RunningSampleSystem } from '../../services/cli/demo/start-sample-system.js';
import { createSentryEnvelopeReceiver } from '../../services/ingest/sentry-envelope/create-sentry-envelope-receiver.js';
import { startIngestApp, type IngestTestApp } from '../helpers/ingest-app.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
type Alert = EventOf<'alert.received.v1'>;

function git(repo: SampleRepository, args: string[]): Promise<string> {
  return run('git', args, { cwd: repo.repoDir, env: { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).then(({ stdout }) => stdout.trim());
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pinoLines(file: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the demo sample system', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let repo: SampleRepository;
  let ingest: IngestTestApp;
  const alerts: Alert[] = [];
  const dsnKey = { projectId: '3', publicKey: randomBytes(16).toString('hex') };

  before(async () => {
    dir = await tempDir('nightshift-sample-');
    repo = await createSampleRepository(dir.path, { now: new Date() });
    ingest = await startIngestApp([['/api/:projectId/envelope/', createSentryEnvelopeReceiver({ dsnKeys: [dsnKey] })]], {
      onEvent: (event) => event.type === 'alert.received.v1' && alerts.push(event),
    });
  });

  after(async () => {
    await ingest?.close();
    await dir?.cleanup();
  });

  test('has a short history by several authors whose latest commit touches only inventory', async () => {
    const log = (await git(repo, ['log', '--format=%H|%an|%ct'])).split('\n').map((line) => line.split('|'));
    assert.equal(log.length, 6);
    assert.equal(log[0]![0], repo.guiltySha);
    assert.equal(log[1]![0], repo.goodSha);
    assert.equal(await git(repo, ['rev-parse', 'HEAD']), repo.guiltySha);
    assert.ok(new Set(log.map((entry) => entry[1])).size >= 4, 'several authors');
    const times = log.map((entry) => Number(entry[2]));
    assert.deepEqual([...times].sort((a, b) => b - a), times, 'dated in order');
    assert.ok(times[0]! * 1000 < Date.now(), 'the bad deploy landed before now');
    assert.equal(await git(repo, ['show', '--name-only', '--format=', 'HEAD']), 'services/inventory/server.js');
    assert.equal(await git(repo, ['status', '--porcelain']), '', 'a clean working tree');
  });

  test('its tests pass on the guilty commit, without any module path: the bug slips through', async () => {
    const { stdout } = await run('node', ['--test'], { cwd: repo.repoDir, env: { PATH: process.env.PATH } });
    assert.match(stdout, /# pass [1-9]/);
    assert.match(stdout, /# fail 0/);
    const scripts = JSON.parse(await readFile(join(repo.repoDir, 'package.json'), 'utf8')).scripts as Record<string, string>;
    assert.equal(scripts.test, 'node --test');
  });

  test('on the guilty commit the regression request fails on every service it crosses, inventory reports to Sentry, and the logs share its trace', { timeout: 60_000 }, async () => {
    const system: RunningSampleSystem = await startSampleSystem({
      repoDir: repo.repoDir,
      logDir: join(dir.path, 'logs-guilty'),
      sentryDsn: `http://${dsnKey.publicKey}@${ingest.url.replace('http://', '')}/${dsnKey.projectId}`,
    });
    try {
      const traceId = randomBytes(16).toString('hex');
      const checkout = await fetch(`${system.urls.gateway}${SAMPLE_REGRESSION.gateway.path}`, { headers: { traceparent: `00-${traceId}-${'1'.repeat(16)}-01` } });
      assert.equal(checkout.status, 502);
      assert.equal((await fetch(`${system.urls.orders}${SAMPLE_REGRESSION.orders.path}`)).status, 502);
      assert.equal((await fetch(`${system.urls.inventory}${SAMPLE_REGRESSION.inventory.path}`)).status, 500);
      assert.equal((await fetch(`${system.urls.gateway}/checkout?sku=espresso-beans&qty=1`)).status, 200, 'stocked products still sell');

      const alert = await waitFor(() => alerts.find((a) => a.payload.service === 'inventory'), { timeoutMs: 20_000, what: "inventory's Sentry event" });
      assert.equal(alert.payload.error?.type, 'TypeError');
      assert.equal(alert.payload.error?.value, "Cannot read properties of undefined (reading 'onHand')");
      const top = alert.payload.error!.frames.filter((f) => f.inApp).at(-1)!;
      assert.equal(top.function, 'availability');
      assert.ok(top.filename?.endsWith('services/inventory/server.js'), top.filename);
      assert.ok(alert.payload.traceIds.includes(traceId), `the event carries the request's trace: ${alert.payload.traceIds.join(', ')}`);

      for (const service of ['gateway', 'orders', 'inventory'] as const) {
        const lines = await pinoLines(system.logFiles[service]);
        const errors = lines.filter((line) => line.trace_id === traceId && (line.level as number) >= 50);
        assert.ok(errors.length > 0, `${service} logged an error line with the trace id`);
        assert.ok(errors.every((line) => line.name === service && typeof line.request_id === 'string' && typeof line.span_id === 'string'));
      }
    } finally {
      await system.stop();
    }
    for (const pid of Object.values(system.pids)) assert.equal(processAlive(pid), false, `service ${pid} stopped`);
  });

  test('on the parent commit the same request answers 200', { timeout: 60_000 }, async () => {
    const worktree = join(dir.path, 'good');
    await git(repo, ['worktree', 'add', '--quiet', '--detach', worktree, repo.goodSha]);
    const system = await startSampleSystem({ repoDir: worktree, logDir: join(dir.path, 'logs-good') });
    try {
      const checkout = await fetch(`${system.urls.gateway}${SAMPLE_REGRESSION.gateway.path}`);
      assert.equal(checkout.status, SAMPLE_REGRESSION.gateway.expectStatus);
      assert.equal(((await checkout.json()) as { sku: string }).sku, 'grinder');
      assert.equal((await fetch(`${system.urls.inventory}${SAMPLE_REGRESSION.inventory.path}`)).status, SAMPLE_REGRESSION.inventory.expectStatus);
    } finally {
      await system.stop();
    }
  });
});
