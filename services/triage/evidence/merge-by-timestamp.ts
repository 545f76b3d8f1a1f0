import type { LogRecord } from './log-record.js';

/**
 * Merges streams that are each oldest first into one oldest-first stream (k-way, k small: files or
 * projects). Streams are pulled lazily, so a consumer that stops early stops the reading too; ties keep
 * the order of `streams`.
 */
export async function* mergeByTimestamp(streams: AsyncIterable<LogRecord>[]): AsyncGenerator<LogRecord> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const heads: Array<LogRecord | undefined> = await Promise.all(iterators.map(async (it) => (await it.next()).value as LogRecord | undefined));
  try {
    for (;;) {
      let pick = -1;
      for (let i = 0; i < heads.length; i++) {
        const head = heads[i];
        if (head !== undefined && (pick === -1 || head.timestamp < heads[pick]!.timestamp)) pick = i;
      }
      if (pick === -1) return;
      yield heads[pick]!;
      const next = await iterators[pick]!.next();
      heads[pick] = next.done ? undefined : next.value;
    }
  } finally {
    await Promise.all(iterators.map((it) => it.return?.()));
  }
}
