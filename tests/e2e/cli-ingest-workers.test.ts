import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { freePort, json, runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/wait.js';

const clientSecret = 'workers-test-secret';
const body = readFileSync(new URL('../../../tests/fixtures/sentry/issue.created.json', import.meta.url));
const signature = createHmac('sha256', clientSecret).update(body).digest('hex');

function deliver(url: string, requestId: string): Promise<Response> {
  return fetch(`${url}/webhooks/sentry`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'request-id': requestId,
      'sentry-hook-resource': 'issue',
      'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
      'sentry-hook-signature': signature,
    },
  });
}

/** The worker processes of the primary `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

test('--workers 2 with the ingest role: two processes on one port, one ledger, one event per delivery', { timeout: 120_000 }, async () => {
  const dir = await tempDir();
  try {
    const nightshift = await startCli(['--role', 'ingest', '--workers', '2'], {
      cwd: dir.path,
      timeoutMs: 90_000,
      env: { NIGHTSHIFT_LOG_LEVEL: 'warn', NIGHTSHIFT_PORT: String(await freePort()), NIGHTSHIFT_SENTRY_CLIENT_SECRET: clientSecret },
    });
    assert.equal(childrenOf(nightshift.child.pid!).length, 2, 'the primary runs two workers');
    const ids = Array.from({ length: 24 }, () => randomUUID().replaceAll('-', ''));
    // Whichever worker takes a delivery or its redelivery, the ledger answers the first event id.
    const first = await Promise.all(ids.map(async (id) => ({ res: await deliver(nightshift.url, id), id })));
    const eventIds = new Map<string, string>();
    for (const { res, id } of first) {
      const answer = await json(res);
      assert.equal(res.status, 202, JSON.stringify(answer));
      eventIds.set(id, answer.eventId);
    }
    for (const { res, id } of await Promise.all(ids.map(async (id) => ({ res: await deliver(nightshift.url, id), id })))) {
      assert.equal(res.status, 200);
      assert.deepEqual(await json(res), { eventId: eventIds.get(id), duplicate: true });
    }
    nightshift.child.kill('SIGTERM');
    assert.deepEqual(await nightshift.exited, { code: 0, signal: null });

    const bus = new Database(join(dir.path, '.nightshift', 'bus.sqlite'), { readonly: true });
    const stored = bus.prepare<[], { body: string }>("SELECT body FROM bus_log WHERE topic = 'alerts'").all().map((row) => JSON.parse(row.body).id as string);
    bus.close();
    assert.deepEqual(stored.toSorted(), [...eventIds.values()].toSorted(), 'each accepted delivery published once');
  } finally {
    await dir.cleanup();
  }
});

test('--workers is refused without the ingest role alone, and must be a whole number', async () => {
  const dir = await tempDir();
  try {
    const allRoles = await runCli(['start', '--workers', '2'], { cwd: dir.path });
    assert.equal(allRoles.code, 2);
    assert.match(allRoles.stderr, /--workers needs --role ingest alone/);
    const notANumber = await runCli(['start', '--role', 'ingest', '--workers', 'many'], { cwd: dir.path });
    assert.equal(notANumber.code, 2);
    assert.match(notANumber.stderr, /--workers must be a whole number from 1 to 64, got many/);
  } finally {
    await dir.cleanup();
  }
});
