import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createKafkaBus } from '../../shared/bus/kafka/create-kafka-bus.js';
import { createSqliteStore } from '../../shared/store/index.js';
import { makeAlertEvent } from '../helpers/events.js';
import { kafkaBrokers } from '../helpers/infra.js';
import { randomName, tempDir } from '../helpers/wait.js';

const worker = fileURLToPath(new URL('../fixtures/processes/kafka-idempotent-worker.js', import.meta.url));

/** Runs the worker until it delivered `eventId` (and, without --crash, stop it there). */
async function runWorker(args: string[], eventId: string): Promise<{ deliveries: number; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let deliveries = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line !== `delivered ${eventId}`) continue;
    // Give the runner time to finish and commit, then stop the clean run (once).
    if (++deliveries === 1 && !args.includes('--crash')) setTimeout(() => child.kill('SIGTERM'), 1_000);
  }
  clearTimeout(deadline);
  return { deliveries, signal: await exited };
}

test('a consumer killed after handling but before committing gets the event again; idempotency keeps one effect', { timeout: 150_000 }, async (t) => {
  const brokers = kafkaBrokers(t);
  if (!brokers) return;
  const dir = await tempDir();
  try {
    const topicPrefix = `${randomName('redeliver')}.`;
    const group = randomName('triage');
    const storeFile = join(dir.path, 'state.sqlite');
    const publisher = createKafkaBus({ brokers, topicPrefix, partitions: 1, log: pino({ level: 'silent' }) });
    const event = makeAlertEvent(1);
    await publisher.publish(event);
    await publisher.close();

    const crashed = await runWorker([brokers.join(','), topicPrefix, group, storeFile, '--crash'], event.id);
    assert.equal(crashed.signal, 'SIGKILL');
    assert.equal(crashed.deliveries, 1);

    const restarted = await runWorker([brokers.join(','), topicPrefix, group, storeFile], event.id);
    assert.equal(restarted.deliveries, 1, 'the uncommitted event is delivered again after the crash');

    const store = await createSqliteStore({ file: storeFile, clock: () => new Date() });
    const effects = (await store.listAudit({})).filter((entry) => entry.action === 'effect');
    assert.equal(await store.hasHandled(group, event.id), true);
    await store.close();
    assert.equal(effects.length, 1, 'the second delivery changed nothing');
    assert.deepEqual(effects[0]?.detail, { eventId: event.id });
  } finally {
    await dir.cleanup();
  }
});
