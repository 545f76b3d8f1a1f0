import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { RenewingMap } from '../../../shared/collections/renewing-map.js';
import type { NightshiftConfig } from '../../../shared/config/index.js';
import type { EncodedVerdict } from '../receive-encoded.js';
import type { RawDelivery } from '../receiver.js';
import type { ReceiveReply, ReceiveRequest, ReceiveTask } from './receive-task.js';

/** Receive threads: the CPU work of a delivery (signature, JSON, normalising, encoding) in parallel with HTTP. */
export interface ReceivePool {
  readonly threads: number;
  receive(path: string, delivery: RawDelivery, now: Date): Promise<EncodedVerdict>;
  /** Milliseconds the threads spent receiving, summed over the tasks settled since the last call. */
  takeWorkMs(): number;
  close(): Promise<void>;
}

interface Thread {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  thread: Thread;
  resolve: (verdict: EncodedVerdict) => void;
  reject: (error: Error) => void;
}

/**
 * A fixed set of `threads` worker threads, each task to the one with the fewest in flight. The HTTP
 * thread then only reads requests, stores and answers; a large or slow body no longer stalls every
 * other request, and the parsed payload lives and dies young in the thread that parsed it.
 *
 * Plain worker_threads rather than piscina: per task, piscina cost the HTTP thread 60–90 µs (timing
 * histograms, async resources, a wake-up per post), a bare message round trip 15 µs.
 */
export function createReceivePool(ingest: NightshiftConfig['ingest'], threads: number, log?: Logger): ReceivePool {
  // Not a plain Map: a busy one can keep every task's objects alive into the old generation (see RenewingMap).
  const pending = new RenewingMap<number, Pending>();
  let nextId = 0;
  let workMs = 0;
  let closing = false;

  function settle(reply: ReceiveReply) {
    const task = pending.get(reply.id);
    if (!task) return;
    pending.delete(reply.id);
    task.thread.inFlight -= 1;
    if (task.thread.inFlight === 0) task.thread.worker.unref();
    if ('verdict' in reply) {
      workMs += reply.workMs;
      task.resolve(reply.verdict);
    } else task.reject(new Error(`receive thread failed: ${reply.error}`));
  }

  function start(): Thread {
    const worker = new Worker(new URL('./receive-worker.js', import.meta.url), { workerData: ingest });
    const thread: Thread = { worker, inFlight: 0 };
    worker.on('message', settle);
    // A thread that dies fails its tasks (503s the senders retry) and is replaced.
    const lost = (reason: string) => {
      const index = pool.indexOf(thread);
      if (index === -1) return;
      pool.splice(index, 1);
      for (const [id, task] of pending.entries()) {
        if (task.thread !== thread) continue;
        pending.delete(id);
        task.reject(new Error(`receive thread ${reason}`));
      }
      if (closing) return;
      log?.error({ reason }, 'receive thread lost; starting another');
      pool.push(start());
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`exited with ${code}`));
    // Only a thread with work keeps the process alive.
    worker.unref();
    return thread;
  }

  const pool: Thread[] = Array.from({ length: threads }, start);

  function leastBusy(): Thread {
    let best = pool[0]!;
    for (const thread of pool) if (thread.inFlight < best.inFlight) best = thread;
    return best;
  }

  return {
    threads,
    receive(path, delivery, now) {
      // Copied into a buffer of its own and moved: the request's chunk may be a slice of a larger shared one.
      const body = new Uint8Array(delivery.body.length);
      body.set(delivery.body);
      const task: ReceiveTask = { path, headers: delivery.headers, body, query: delivery.query, params: delivery.params, now: now.getTime() };
      const id = nextId++;
      const thread = leastBusy();
      return new Promise<EncodedVerdict>((resolve, reject) => {
        pending.set(id, { thread, resolve, reject });
        thread.inFlight += 1;
        if (thread.inFlight === 1) thread.worker.ref();
        thread.worker.postMessage({ id, task } satisfies ReceiveRequest, [body.buffer]);
      });
    },
    takeWorkMs() {
      const taken = workMs;
      workMs = 0;
      return taken;
    },
    async close() {
      closing = true;
      await Promise.all(pool.map((thread) => thread.worker.terminate()));
    },
  };
}
