// The broker's stop-the-world GC pauses over a run, read from the GC log that scripts/kafka.sh has
// the broker write. Every produce request waits out a pause, so on Kafka the p99 at the fixed rate
// is no better than the longest pauses that fall in the run (as the disk's flushes bound it on the
// embedded bus: see ingest-disk-probe).
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface BrokerPauses {
  count: number;
  maxMs: number;
  over10Ms: number;
}

/**
 * Where the broker scripts/kafka.sh started writes its GC log (NIGHTSHIFT_KAFKA_HOME, else the
 * default home of kafka.sh's KAFKA_VERSION, read from the script so the two cannot drift), while
 * that broker runs: a log left by a stopped one says nothing of a broker elsewhere.
 */
function runningKafkaShGcLog(): string | undefined {
  const script = readFileSync(new URL('../../scripts/kafka.sh', import.meta.url), 'utf8');
  const version = /^KAFKA_VERSION=(\S+)$/m.exec(script)?.[1];
  const home = process.env.NIGHTSHIFT_KAFKA_HOME ?? (version && join(homedir(), '.cache', 'nightshift', `kafka-${version}`));
  if (!home) return undefined;
  try {
    const pid = Number(readFileSync(join(home, 'kafka.pid'), 'utf8').trim());
    // kill(0) would signal this process's own group: an empty or bad pid file is no running broker.
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  return join(home, 'logs', 'gc.log');
}

/** G1's unified-logging pause lines, e.g. `[1744.300s][gc] GC(66) Pause Young (Normal) (G1 Evacuation Pause) 491M->195M(1024M) 23.926ms`. */
const PAUSE = /\bPause\b.* (\d+(?:\.\d+)?)ms$/gm;

export function summarisePauses(text: string): BrokerPauses {
  const pauses = [...text.matchAll(PAUSE)].map(([, ms]) => Number(ms));
  return {
    count: pauses.length,
    maxMs: pauses.length > 0 ? Math.max(...pauses) : 0,
    over10Ms: pauses.filter((ms) => ms > 10).length,
  };
}

/** "2 of 5 over 10 ms, longest 23.9 ms", or "none". */
export function describeBrokerPauses({ count, over10Ms, maxMs }: BrokerPauses): string {
  return count > 0 ? `${over10Ms} of ${count} over 10 ms, longest ${maxMs.toFixed(1)} ms` : 'none';
}

/**
 * Marks the end of the broker's GC log (BENCH_BROKER_GC_LOG, else kafka.sh's); `read` then summarises
 * the pauses logged since. Undefined where there is no such log; `read` gives undefined if the log
 * was rotated in between, when what was logged since cannot be told apart.
 */
export async function markBrokerGcLog(file = process.env.BENCH_BROKER_GC_LOG ?? runningKafkaShGcLog()): Promise<{ read(): Promise<BrokerPauses | undefined> } | undefined> {
  if (!file || !existsSync(file)) return undefined;
  const start = (await stat(file)).size;
  return {
    async read() {
      const end = (await stat(file)).size;
      if (end < start) return undefined;
      const handle = await open(file, 'r');
      try {
        const appended = Buffer.alloc(end - start);
        await handle.read(appended, 0, appended.length, start);
        return summarisePauses(appended.toString('utf8'));
      } finally {
        await handle.close();
      }
    },
  };
}
