import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { freePort, json, nightshiftBin, startCli } from '../helpers/cli.js';
import { kafkaBrokers } from '../helpers/infra.js';
import { randomName, tempDir, waitFor } from '../helpers/wait.js';

async function status(url: string): Promise<number | undefined> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return undefined;
  }
}

test('a role restarted after kill -9 on Kafka answers /healthz at once and /readyz 503 "joining" until its groups rejoin', { timeout: 150_000 }, async (t) => {
  const brokers = kafkaBrokers(t);
  if (!brokers) return;
  const dir = await tempDir();
  const port = await freePort();
  const env = { NIGHTSHIFT_LOG_LEVEL: 'warn', NIGHTSHIFT_HOST: '127.0.0.1', NIGHTSHIFT_PORT: String(port), NIGHTSHIFT_KAFKA_BROKERS: brokers.join(',') };
  await writeFile(join(dir.path, 'nightshift.yaml'), `bus:\n  kafka:\n    topicPrefix: ${randomName('restart')}.\n    partitions: 2\n`);
  const children: ReturnType<typeof spawn>[] = [];
  try {
    // Joined, then killed without leaving: its groups keep a dead member until the session times out.
    const first = await startCli(['--role', 'triage'], { cwd: dir.path, env, timeoutMs: 60_000 });
    children.push(first.child);
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const restartedAt = Date.now();
    const second = spawn(nightshiftBin, ['start', '--role', 'triage'], { cwd: dir.path, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(second);
    let stderr = '';
    second.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => second.on('exit', (code) => resolve(code)));
    const listening = (async () => {
      for await (const line of createInterface({ input: second.stdout! })) if (line.includes('listening on')) return Date.now();
      return undefined;
    })();
    const base = `http://127.0.0.1:${port}`;

    await waitFor(async () => (await status(`${base}/healthz`)) === 200, { timeoutMs: 60_000, intervalMs: 50, what: `/healthz after the restart\n${stderr}` });
    const healthyMs = Date.now() - restartedAt;
    const joining = await fetch(`${base}/readyz`);
    const joiningBody = await json(joining);
    const joiningMs = Date.now() - restartedAt;

    await waitFor(async () => (await status(`${base}/readyz`)) === 200, { timeoutMs: 90_000, intervalMs: 250, what: `/readyz 200 after the groups rejoined\n${stderr}` });
    const readyMs = Date.now() - restartedAt;
    const ready = await json(await fetch(`${base}/readyz`));
    const listeningMs = ((await listening) ?? Number.NaN) - restartedAt;
    process.stdout.write(`\n== restart after kill -9 on Kafka: /healthz 200 after ${healthyMs} ms, /readyz 200 after ${readyMs} ms, "listening on" after ${listeningMs} ms\n`);

    assert.ok(healthyMs < 10_000, `/healthz answered ${healthyMs} ms after the restart`);
    // Only meaningful while the groups still wait for the dead member: the broker holds them ~30 s.
    assert.ok(readyMs - joiningMs > 5_000, `the groups rejoined ${readyMs} ms after the restart: too soon for the dead member to have held them`);
    assert.equal(joining.status, 503, JSON.stringify(joiningBody));
    assert.match(joiningBody.checks.subscriptions, /^joining \(\d of 2 subscribed\)$/);
    assert.equal(joiningBody.checks.bus, 'ok');
    assert.deepEqual(ready.checks, { bus: 'ok', store: 'ok', subscriptions: 'ok' });
    assert.ok(listeningMs >= readyMs - 1_000, 'the CLI reports it started only once every handler is subscribed');

    second.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await dir.cleanup();
  }
});
