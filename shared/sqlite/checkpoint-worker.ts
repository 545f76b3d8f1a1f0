// Runs in a worker thread (see start-wal-checkpointer.ts): checkpoints one WAL-mode SQLite file
// every `intervalMs` on a connection of its own, so the copying and the fsyncs a checkpoint needs
// never stop the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    // PASSIVE never waits for readers or writers: what it cannot copy now, the next round does.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return;
    throw error;
  }
}, intervalMs);

parentPort!.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort!.close();
});
