import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database } from 'better-sqlite3';
import { startWalCheckpointer, type WalCheckpointer } from './start-wal-checkpointer.js';

/** Makes commits to a WAL-mode SQLite file durable without blocking the event loop. */
export interface WalSync {
  /** Resolves once everything committed to the file before the call is on disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * With `synchronous = FULL`, SQLite fsyncs the write-ahead log inside every commit, and
 * better-sqlite3 runs that on the main thread: the whole process stops for each fsync. Instead the
 * connection runs with `synchronous = NORMAL` (commits only write the log; checkpoints still sync)
 * and callers await `sync()`, an fdatasync of the `-wal` file on libuv's thread pool, before they
 * treat a commit as durable. That is the same sync FULL does, moved off the event loop, and calls
 * that overlap share one fdatasync.
 *
 * The log file is opened once and kept: SQLite reuses it while any connection is open, and removes
 * it only when the last one closes. Its directory is synced once, so the file itself survives.
 * The first sync also moves checkpoints, the other fsyncs of WAL mode, to a worker thread.
 */
export function createWalSync(db: Database, databaseFile: string): WalSync {
  let log: Promise<FileHandle> | undefined;
  let checkpointer: WalCheckpointer | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  async function openLog(): Promise<FileHandle> {
    const handle = await open(`${databaseFile}-wal`, 'r');
    const directory = await open(dirname(databaseFile), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    return handle;
  }

  async function flush(): Promise<void> {
    checkpointer ??= startWalCheckpointer(db, databaseFile);
    log ??= openLog().catch((error) => {
      log = undefined;
      throw error;
    });
    try {
      await (await log).datasync();
    } catch (error) {
      // No log: the last connection checkpointed everything into the (synced) database and removed it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  function sync(): Promise<void> {
    if (!running) {
      running = flush().finally(() => {
        running = undefined;
      });
      return running;
    }
    // The running fdatasync may have started before this caller's commit: it needs the next one.
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return sync();
      });
    return queued;
  }

  return {
    sync,
    async close() {
      await Promise.allSettled([running, queued]);
      await checkpointer?.stop();
      checkpointer = undefined;
      const handle = await log?.catch(() => undefined);
      log = undefined;
      await handle?.close();
    },
  };
}
