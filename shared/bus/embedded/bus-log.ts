import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createWalSync } from '../../sqlite/create-wal-sync.js';
import { enableWalJournal } from '../../sqlite/enable-wal-journal.js';

export interface LogRecord {
  offset: number;
  topic: string;
  key: string;
  body: string;
}

export interface NewLogRecord {
  topic: string;
  key: string;
  /** UTF-8 text, stored as TEXT (what `read` gives back as a string). */
  body: Uint8Array;
}

/**
 * The embedded bus's storage: an append-only log per topic plus committed offsets per consumer
 * group, in one SQLite file. An append or offset commit is durable once `sync()` after it resolved
 * (WAL, synced off the event loop: see `createWalSync`), which is what lets `publish` acknowledge
 * only stored events.
 */
export function openBusLog(file: string) {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5_000 });
  enableWalJournal(db);
  db.pragma('synchronous = NORMAL');
  const wal = createWalSync(db, file);
  db.exec(`
    CREATE TABLE IF NOT EXISTS bus_log (
      "offset" INTEGER PRIMARY KEY AUTOINCREMENT,
      topic TEXT NOT NULL,
      key TEXT NOT NULL,
      body TEXT NOT NULL,
      appended_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bus_log_topic_offset ON bus_log (topic, "offset");
    CREATE TABLE IF NOT EXISTS bus_offsets (
      consumer_group TEXT NOT NULL,
      topic TEXT NOT NULL,
      next_offset INTEGER NOT NULL,
      PRIMARY KEY (consumer_group, topic)
    );
  `);

  // The body's bytes are bound as a blob and stored as the text they are: no string is made of them.
  const insert = db.prepare('INSERT INTO bus_log (topic, key, body, appended_at) VALUES (?, ?, CAST(? AS TEXT), ?)');
  const appendAll = db.transaction((records: NewLogRecord[], at: string) => {
    for (const record of records) insert.run(record.topic, record.key, Buffer.from(record.body.buffer, record.body.byteOffset, record.body.byteLength), at);
  });
  const readFrom = db.prepare<[string, number, number], LogRecord>(
    'SELECT "offset", topic, key, body FROM bus_log WHERE topic = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?',
  );
  const committed = db.prepare<[string, string], { next_offset: number }>(
    'SELECT next_offset FROM bus_offsets WHERE consumer_group = ? AND topic = ?',
  );
  const upsertOffset = db.prepare(
    `INSERT INTO bus_offsets (consumer_group, topic, next_offset) VALUES (?, ?, ?)
     ON CONFLICT (consumer_group, topic) DO UPDATE SET next_offset = excluded.next_offset`,
  );
  const selectOne = db.prepare('SELECT 1');
  const countFrom = db.prepare<[string, number], { n: number }>('SELECT COUNT(*) AS n FROM bus_log WHERE topic = ? AND "offset" >= ?');
  const allPositions = db.prepare<[], { consumer_group: string; topic: string; next_offset: number }>(
    'SELECT consumer_group, topic, next_offset FROM bus_offsets',
  );

  return {
    append(records: NewLogRecord[], at: string): void {
      appendAll(records, at);
    },
    read(topic: string, fromOffset: number, limit: number): LogRecord[] {
      return readFrom.all(topic, fromOffset, limit);
    },
    /** The next offset the group should read; a new group starts at the beginning of the log. */
    position(group: string, topic: string): number {
      return committed.get(group, topic)?.next_offset ?? 0;
    },
    commit(group: string, topic: string, nextOffset: number): void {
      upsertOffset.run(group, topic, nextOffset);
    },
    /** Records of `topic` at or after `fromOffset`: a group's backlog when that is its position. */
    countFrom(topic: string, fromOffset: number): number {
      return countFrom.get(topic, fromOffset)?.n ?? 0;
    },
    /** Every committed (group, topic) position. */
    positions(): { group: string; topic: string; nextOffset: number }[] {
      return allPositions.all().map((row) => ({ group: row.consumer_group, topic: row.topic, nextOffset: row.next_offset }));
    },
    /** Resolves once every append and commit made so far is on disk. */
    sync(): Promise<void> {
      return wal.sync();
    },
    ping(): void {
      selectOne.get();
    },
    async close(): Promise<void> {
      await wal.close();
      if (db.open) db.close();
    },
  };
}

export type BusLog = ReturnType<typeof openBusLog>;
