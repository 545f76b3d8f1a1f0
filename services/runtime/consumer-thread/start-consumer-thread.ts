import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { NightshiftError } from '../../../shared/errors.js';
import type { MetricsJson } from '../../../shared/telemetry/create-metrics.js';
import type { RoleHandlers } from '../start-role-handlers.js';
import { relayLogLine } from './relay-log-line.js';
import type { ConsumerThreadData, CrossedError, FromConsumerThread, ToConsumerThread } from './consumer-thread-messages.js';

export interface ConsumerThread extends RoleHandlers {
  /** The thread's metrics for a scrape of `GET /metrics`; rejects when the thread does not answer in time. */
  metrics(): Promise<MetricsJson>;
}

const METRICS_TIMEOUT_MS = 2_000;

function uncross({ message, stack, code }: CrossedError): Error {
  const error = code ? new NightshiftError(code, message) : new Error(message);
  if (stack) error.stack = stack;
  return error;
}

/**
 * Runs consuming roles (triage, fixer, verifier) in a worker thread of this process, on a bus client
 * and store connection of their own, at a lower CPU priority. Their decoding, handling and garbage
 * then never stall the HTTP thread. With them on it, at 1,000 deliveries/s on Kafka, ingest's p99 was
 * 17-25 ms against 5 ms for the ingest role alone (bench/ingest, one machine, one session).
 *
 * The thread dies with the process. Its uncaught failure after start is the process's: `onCrash`
 * hears it (by default it is thrown on this thread, as it would have been without the thread).
 */
export function startConsumerThread(
  data: ConsumerThreadData,
  {
    log,
    onCrash = (error) => {
      throw error;
    },
    script = new URL('./consumer-thread.js', import.meta.url),
  }: {
    log: Logger;
    onCrash?: (error: Error) => void;
    /** The thread's module; tests give one that fails on purpose. */
    script?: URL;
  },
): ConsumerThread {
  const worker = new Worker(script, { workerData: data });
  let phase: 'starting' | 'running' | 'stopping' | 'stopped' = 'starting';
  let status = 'starting the consumer thread';
  let nextId = 0;
  const scrapes = new Map<number, (answer: MetricsJson | Error) => void>();
  let settleStart!: (error?: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    settleStart = (error) => (error ? reject(error) : resolve());
  });
  let settleStop: ((error?: Error) => void) | undefined;

  /** The end, said once: 'exit' follows 'error', and the status keeps the error, not the exit code. */
  const markStopped = (reason: string) => {
    phase = 'stopped';
    status = `consumer thread stopped: ${reason}`;
  };

  const ended = (error: Error) => {
    const was = phase;
    if (was === 'stopped') return;
    markStopped(error.message);
    if (was === 'starting') settleStart(error);
    else if (was === 'stopping') settleStop?.(error);
    else if (was === 'running') {
      log.fatal({ err: error }, 'consumer thread failed');
      onCrash(error);
    }
  };

  worker.on('message', (message: FromConsumerThread) => {
    switch (message.type) {
      case 'status':
        status = message.status;
        return;
      case 'log':
        relayLogLine(log, message.line);
        return;
      case 'started':
        phase = 'running';
        settleStart();
        return;
      case 'failed': {
        const error = uncross(message.error);
        markStopped(error.message);
        void worker.terminate();
        settleStart(error);
        return;
      }
      case 'metrics':
        scrapes.get(message.id)?.('error' in message ? uncross(message.error) : message.metrics);
        scrapes.delete(message.id);
        return;
      case 'stopped': {
        const error = message.error && uncross(message.error);
        markStopped(error ? error.message : 'asked to stop');
        // Its handles (the Kafka client's timers) may outlive the close; the thread ends here.
        void worker.terminate().finally(() => settleStop?.(error));
        return;
      }
    }
  });
  // An exception nothing in the thread caught; 'exit' follows, and then finds it stopped.
  worker.on('error', ended);
  worker.on('exit', (code) => ended(new Error(`the consumer thread exited with code ${code}`)));

  const ask = (message: ToConsumerThread) => worker.postMessage(message);
  return {
    status: () => status,
    started,
    metrics() {
      if (phase === 'stopped') return Promise.resolve([]);
      const id = nextId++;
      return new Promise<MetricsJson>((resolve, reject) => {
        const timer = setTimeout(() => {
          scrapes.delete(id);
          reject(new Error(`the consumer thread did not report its metrics within ${METRICS_TIMEOUT_MS} ms`));
        }, METRICS_TIMEOUT_MS);
        scrapes.set(id, (answer) => {
          clearTimeout(timer);
          if (answer instanceof Error) reject(answer);
          else resolve(answer);
        });
        ask({ type: 'metrics', id });
      });
    },
    async stop() {
      if (phase === 'stopped') return;
      if (phase === 'starting') {
        // Still joining its groups: cut off as by a crash (anything handled but uncommitted is delivered again).
        markStopped('asked to stop while starting');
        settleStart(new Error('stopped while the consumer thread was starting'));
        await worker.terminate();
        return;
      }
      phase = 'stopping';
      const stopped = new Promise<void>((resolve, reject) => {
        settleStop = (error) => (error ? reject(error) : resolve());
      });
      ask({ type: 'stop' });
      await stopped;
    },
  };
}
