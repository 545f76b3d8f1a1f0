// Embedded bus publish throughput against raw durable SQLite inserts, measured in the same run.
// Run: npm run build && node dist/bench/bus-publish.js
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createEmbeddedBus } from '../shared/bus/embedded/create-embedded-bus.js';
import { makeAlertEvent } from '../tests/helpers/events.js';
import { tempDir } from '../tests/helpers/wait.js';

const count = Number(process.env.BENCH_EVENTS ?? 2000);
const events = Array.from({ length: count }, (_, i) => makeAlertEvent(i, `key-${i % 16}`));

async function timed(label: string, work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = count / seconds;
  console.log(`${label.padEnd(44)} ${rate.toFixed(0).padStart(9)} events/s`);
  return rate;
}

const dir = await tempDir('nightshift-bench-');
try {
  // Baseline: the same rows inserted straight into SQLite with the bus's durability settings.
  const db = new Database(join(dir.path, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, topic TEXT, key TEXT, body TEXT, at TEXT)');
  const insert = db.prepare('INSERT INTO log (topic, key, body, at) VALUES (?, ?, ?, ?)');
  const baseline = await timed('baseline: raw SQLite insert, one per commit', async () => {
    for (const e of events) insert.run('alerts', e.key, JSON.stringify(e), new Date().toISOString());
  });
  db.close();

  const bus = createEmbeddedBus({ file: join(dir.path, 'bus.sqlite'), log: pino({ level: 'silent' }) });
  await bus.start();
  const single = await timed('embedded bus: publish one event per call', async () => {
    for (const e of events) await bus.publish(e);
  });
  const batched = await timed('embedded bus: publish 100 events per call', async () => {
    for (let i = 0; i < events.length; i += 100) await bus.publish(events.slice(i, i + 100));
  });
  const concurrent = await timed('embedded bus: 50 concurrent publishers', async () => {
    for (let i = 0; i < events.length; i += 50) await Promise.all(events.slice(i, i + 50).map((e) => bus.publish(e)));
  });
  await bus.close();

  console.log(`ratio single/baseline  ${(single / baseline).toFixed(2)} (validation + JSON cost over a bare durable insert)`);
  console.log(`ratio batched/baseline ${(batched / baseline).toFixed(2)} (one fsync per batch)`);
  console.log(`ratio concurrent/baseline ${(concurrent / baseline).toFixed(2)} (group commit: concurrent publishes share an fsync)`);
} finally {
  await dir.cleanup();
}
