import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSqliteStore } from '../../shared/store/index.js';
import { freePort, json, runCli, startCli, type StartedCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/wait.js';

const quiet = { NIGHTSHIFT_LOG_LEVEL: 'warn' };

describe('nightshift start (all roles, embedded defaults)', { timeout: 60_000 }, () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nightshift: StartedCli;

  before(async () => {
    dir = await tempDir();
    // An incident already in the store, as triage will write them.
    const store = await createSqliteStore({ file: join(dir.path, '.nightshift', 'nightshift.sqlite'), clock: () => new Date('2026-11-21T03:00:00Z') });
    await store.createIncident({ id: 'inc-1', key: 'orders:TypeError', title: 'TypeError in orders', severity: 'error', services: ['orders'], sources: ['sentry'] });
    await store.insertAlert({
      id: '6f1c0b1e-8a51-4c0e-9d1e-6a3e2b9d0c11', source: 'sentry', deliveryId: 'req-1', incidentId: 'inc-1', fingerprint: 'orders:TypeError',
      kind: 'event_alert.triggered', title: 'TypeError', service: 'orders', severity: 'error', receivedAt: '2026-11-21T03:00:00.000Z', payload: { n: 1 },
    });
    await store.close();
    const started = Date.now();
    nightshift = await startCli([], { cwd: dir.path, env: { ...quiet, NIGHTSHIFT_PORT: String(await freePort()) } });
    assert.ok(Date.now() - started < 15_000, 'started within seconds');
  });

  after(async () => {
    nightshift?.child.kill('SIGKILL');
    await dir?.cleanup();
  });

  test('answers /healthz and /readyz with the bus and store connected', async () => {
    const health = await fetch(`${nightshift.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${nightshift.url}/readyz`);
    assert.equal(ready.status, 200);
    const body = await json(ready);
    assert.deepEqual(body.checks, { bus: 'ok', store: 'ok', subscriptions: 'ok' });
    assert.deepEqual(body.roles, ['ingest', 'triage', 'fixer', 'verifier', 'console']);
  });

  test('GET /api/incidents lists incidents in the fixed shape', async () => {
    const res = await fetch(`${nightshift.url}/api/incidents`);
    assert.equal(res.status, 200);
    const { incidents } = await json(res);
    assert.equal(incidents.length, 1);
    assert.deepEqual(Object.keys(incidents[0]).sort(), ['alertCount', 'createdAt', 'id', 'services', 'severity', 'sources', 'status', 'title', 'updatedAt']);
    assert.equal(incidents[0].id, 'inc-1');
    assert.deepEqual(incidents[0].services, ['orders']);
  });

  test('GET /api/incidents/:id returns the whole incident; unknown ids and bad queries get problem documents', async () => {
    const res = await fetch(`${nightshift.url}/api/incidents/inc-1`);
    assert.equal(res.status, 200);
    const { incident } = await json(res);
    for (const key of ['alerts', 'triageReport', 'decision', 'fixAttempts', 'pullRequests', 'verifications', 'timeline']) {
      assert.ok(key in incident, `incident has ${key}`);
    }
    assert.equal(incident.alerts[0].deliveryId, 'req-1');

    const missing = await fetch(`${nightshift.url}/api/incidents/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.match((await json(missing)).detail, /no incident with id nope/);

    const bad = await fetch(`${nightshift.url}/api/incidents?status=on-fire`);
    assert.equal(bad.status, 400);
    assert.match((await json(bad)).detail, /unknown status on-fire/);
  });

  test('SIGTERM stops gracefully with exit code 0', async () => {
    nightshift.child.kill('SIGTERM');
    const { code, signal } = await nightshift.exited;
    assert.equal(signal, null);
    assert.equal(code, 0, nightshift.stderr());
  });
});

describe('nightshift command-line errors', { timeout: 60_000 }, () => {
  test('a config value of the wrong type names file, line and key; exit 2 and no stack trace', async () => {
    const dir = await tempDir();
    try {
      await writeFile(join(dir.path, 'nightshift.yaml'), 'server:\n  host: 127.0.0.1\n  port: "eighty"\n');
      const run = await runCli(['start'], { cwd: dir.path });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /nightshift\.yaml:3:\d+: server\.port/);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await dir.cleanup();
    }
  });

  test('a bad environment value names the variable; exit 2', async () => {
    const dir = await tempDir();
    try {
      const run = await runCli(['start'], { cwd: dir.path, env: { NIGHTSHIFT_PORT: 'abc' } });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /NIGHTSHIFT_PORT/);
    } finally {
      await dir.cleanup();
    }
  });

  test('an unknown role is a usage error; exit 2', async () => {
    const dir = await tempDir();
    try {
      const run = await runCli(['start', '--role', 'janitor'], { cwd: dir.path });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /unknown role janitor: choose from ingest, triage, fixer, verifier, console/);
    } finally {
      await dir.cleanup();
    }
  });
});
