import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Moves a WAL file's checkpoints off the main thread. SQLite checkpoints inside the commit that
 * crosses `wal_autocheckpoint` pages (about 4 MiB by default), and a checkpoint copies the log into
 * the database and fsyncs both: with better-sqlite3 that stalls the whole process for as long as
 * the disk takes. A worker thread checkpoints every `intervalMs` instead; `db`'s own
 * autocheckpoint stays on, raised to `backstopPages`, in case the worker ever stops.
 */
export function startWalCheckpointer(db: Database, file: string, { intervalMs = 200, backstopPages = 16_384 } = {}): WalCheckpointer {
  db.pragma(`wal_autocheckpoint = ${backstopPages}`);
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { file, intervalMs } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // An error ends the worker: the backstop takes over, which is slower but still correct.
  worker.on('error', () => {});
  worker.unref();
  return {
    async stop() {
      // Referenced again, or a process with nothing else to do would exit before the worker did.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
