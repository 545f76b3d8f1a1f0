import cluster from 'node:cluster';
import type { Logger } from 'pino';

/**
 * The primary of `nightshift start --role ingest --workers N`: forks N copies of this command that
 * share the HTTP port (node:cluster hands each connection to one of them). Every worker verifies,
 * publishes and records its own deliveries; the SQLite bus and store take writers from several
 * processes, and PostgreSQL and Kafka do anyway. The primary serves nothing: it passes SIGTERM and
 * SIGINT on and exits once every worker has stopped. A worker that dies unexpectedly stops the
 * others and the primary exits 1, so the supervisor restarts the whole set instead of running on
 * with less capacity unnoticed. A worker whose primary is killed exits at once (node:cluster).
 */
export function superviseWorkers({ count, log, graceMs = 25_000 }: { count: number; log: Logger; graceMs?: number }): void {
  let running = 0;
  let stopping = false;
  let exitCode = 0;
  let sent: NodeJS.Signals | undefined;
  const stopAll = (signal: NodeJS.Signals) => {
    sent = signal;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => {
      log.error({ graceMs }, 'workers took too long to stop; exiting');
      process.exit(1);
    }, graceMs).unref();
  };
  cluster.on('exit', (worker, code, signal) => {
    running -= 1;
    if (!stopping) {
      log.error({ pid: worker.process.pid, code, signal }, 'an ingest worker died; stopping the others');
      stopping = true;
      exitCode = 1;
      stopAll('SIGTERM');
    } else if (code !== 0 && signal !== sent) {
      // A worker still starting has no handler yet and dies of the signal it was sent: that is a stop too.
      exitCode = 1;
    }
    if (running === 0) process.exit(exitCode);
  });
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: running }, 'stopping');
    stopAll(signal);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  for (let i = 0; i < count; i++) {
    cluster.fork();
    running += 1;
  }
  log.info({ workers: count }, 'ingest workers started');
}
