export interface GroupCommitOptions<T> {
  /** Most items written by one commit; the rest wait for the next. */
  maxBatch?: number;
  /** With `weigh`: the most weight (bytes, say) one commit takes, though never fewer than one item. */
  maxWeight?: number;
  weigh?: (item: T) => number;
  /**
   * How long the first item after a quiet spell waits for others to join its commit (Kafka's
   * `linger.ms`); 0: only the items of the same event-loop turn join it.
   */
  lingerMs?: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted within one turn of the event loop (or `lingerMs`), or while the
 * previous commit is still being written, are written by one call of `commit` (one transaction, one
 * fsync, one produce request). At most one commit runs at a time. Each submitter resolves with its
 * own result, and only once the commit that wrote its item has finished; a failed commit rejects
 * every item in it.
 *
 * `commit` gets the items in submission order and returns one result per item, in the same order.
 */
export function createGroupCommit<T, R>(
  commit: (items: T[]) => R[] | Promise<R[]>,
  { maxBatch = 1000, maxWeight = Number.POSITIVE_INFINITY, weigh = () => 0, lingerMs = 0 }: GroupCommitOptions<T> = {},
) {
  let queue: Pending<T, R>[] = [];
  let busy = false;

  function takeBatch(): Pending<T, R>[] {
    let count = 0;
    let weight = 0;
    while (count < queue.length && count < maxBatch) {
      weight += weigh(queue[count]!.item);
      if (count > 0 && weight > maxWeight) break;
      count += 1;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    return batch;
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const batch = takeBatch();
        try {
          const results = await commit(batch.map((pending) => pending.item));
          batch.forEach((pending, index) => pending.resolve(results[index] as R));
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      busy = false;
    }
  }

  return (item: T): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (busy) return;
      busy = true;
      // This turn's other submitters (or the linger's) join the batch; a running commit picks up the rest itself.
      if (lingerMs > 0) setTimeout(() => void drain(), lingerMs);
      else setImmediate(() => void drain());
    });
}
