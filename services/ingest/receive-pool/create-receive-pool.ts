import { Piscina } from 'piscina';
import type { NightshiftConfig } from '../../../shared/config/index.js';
import type { EncodedVerdict } from '../receive-encoded.js';
import type { RawDelivery } from '../receiver.js';
import type { ReceiveTask } from './receive-task.js';

/** Receive threads: the CPU work of a delivery (signature, JSON, normalising, encoding) in parallel with HTTP. */
export interface ReceivePool {
  readonly threads: number;
  receive(path: string, delivery: RawDelivery, now: Date): Promise<EncodedVerdict>;
  close(): Promise<void>;
}

/**
 * A fixed pool of `threads` worker threads (piscina). The HTTP thread then only reads requests,
 * stores and answers; a large or slow body no longer stalls every other request, and the parsed
 * payload lives and dies young in the thread that parsed it.
 */
export function createReceivePool(ingest: NightshiftConfig['ingest'], threads: number): ReceivePool {
  const pool = new Piscina<ReceiveTask, EncodedVerdict>({
    filename: new URL('./receive-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: ingest,
  });
  return {
    threads,
    receive(path, delivery, now) {
      // Copied into a buffer of its own: the request's chunk may be a slice of a larger shared one.
      const body = new Uint8Array(delivery.body.length);
      body.set(delivery.body);
      const task: ReceiveTask = { path, headers: delivery.headers, body, query: delivery.query, params: delivery.params, now: now.getTime() };
      return pool.run(task, { transferList: [body.buffer] });
    },
    close: () => pool.destroy(),
  };
}
