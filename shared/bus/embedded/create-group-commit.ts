import type { NewLogRecord } from './bus-log.js';

interface Pending {
  records: NewLogRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: appends requested within one turn of the event loop are written in one transaction,
 * so concurrent publishers share one fsync. Each caller resolves only after its records are durable.
 */
export function createGroupCommit(write: (records: NewLogRecord[]) => void) {
  let queue: Pending[] = [];
  let scheduled = false;

  function flush(): void {
    const batch = queue;
    queue = [];
    scheduled = false;
    try {
      write(batch.flatMap((pending) => pending.records));
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }

  return (records: NewLogRecord[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({ records, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
