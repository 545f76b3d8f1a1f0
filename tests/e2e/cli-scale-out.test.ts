import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { freePort, json, startCli } from '../helpers/cli.js';
import { kafkaBrokers, postgresAdminUrl } from '../helpers/infra.js';
import { randomName, tempDir } from '../helpers/wait.js';

test('one role on Kafka and PostgreSQL: ready, then a graceful SIGTERM', { timeout: 90_000 }, async (t) => {
  const brokers = kafkaBrokers(t);
  const adminUrl = postgresAdminUrl(t);
  if (!brokers || !adminUrl) return;
  const database = randomName('nightshift_e2e');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dir = await tempDir();
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    const nightshift = await startCli(['--role', 'triage,console'], {
      cwd: dir.path,
      timeoutMs: 60_000,
      env: {
        NIGHTSHIFT_LOG_LEVEL: 'warn',
        NIGHTSHIFT_PORT: String(await freePort()),
        NIGHTSHIFT_KAFKA_BROKERS: brokers.join(','),
        DATABASE_URL: url.toString(),
      },
    });
    const ready = await fetch(`${nightshift.url}/readyz`);
    const body = await json(ready);
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.deepEqual(body.roles, ['triage', 'console']);
    const incidents = await fetch(`${nightshift.url}/api/incidents`);
    assert.deepEqual(await json(incidents), { incidents: [] });
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name = 'incidents'`);
    await db.end();
    assert.equal(tables.rowCount, 1, 'the store migrated the new database at start');
    nightshift.child.kill('SIGTERM');
    assert.deepEqual(await nightshift.exited, { code: 0, signal: null });
  } finally {
    await dir.cleanup();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
});
