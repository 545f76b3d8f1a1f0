import type { LogRecord } from '../log-record.js';

/**
 * Merges streams of record batches, each stream oldest first, into oldest-first batches (k-way over
 * files). It only awaits when a stream's batch runs out, so merging a million records costs a million
 * comparisons, not a million promise hops. Ties keep the order of `streams`; a consumer that stops early
 * closes every stream.
 */
export async function* mergeBatchesByTimestamp(streams: AsyncIterable<LogRecord[]>[], outputSize = 1024): AsyncGenerator<LogRecord[]> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const batches: Array<LogRecord[] | undefined> = [];
  const positions: number[] = [];
  const refill = async (i: number) => {
    for (;;) {
      const next = await iterators[i]!.next();
      if (next.done) return void (batches[i] = undefined);
      if (next.value.length > 0) {
        batches[i] = next.value;
        positions[i] = 0;
        return;
      }
    }
  };
  try {
    await Promise.all(iterators.map((_, i) => refill(i)));
    let out: LogRecord[] = [];
    for (;;) {
      let pick = -1;
      let oldest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < batches.length; i++) {
        const batch = batches[i];
        if (batch !== undefined && batch[positions[i]!]!.timestamp < oldest) {
          oldest = batch[positions[i]!]!.timestamp;
          pick = i;
        }
      }
      if (pick === -1) break;
      out.push(batches[pick]![positions[pick]!++]!);
      if (positions[pick]! >= batches[pick]!.length) {
        if (out.length > 0) {
          yield out;
          out = [];
        }
        await refill(pick);
      } else if (out.length >= outputSize) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
