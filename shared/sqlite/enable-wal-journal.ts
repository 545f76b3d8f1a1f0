import type { Database } from 'better-sqlite3';

/**
 * Switches a SQLite file to WAL. Switching needs an exclusive lock that SQLite's busy handler does not
 * wait for, so two processes creating the same file at once can get SQLITE_BUSY here: the mode is
 * checked first (it persists in the file) and the switch retried briefly.
 */
export function enableWalJournal(db: Database, timeoutMs = 5_000): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 10 + Math.random() * 20);
    }
  }
}
