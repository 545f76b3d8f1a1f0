import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../tests/helpers/wait.js';
import { quantile, sortedValues } from './ingest-load.js';

/** The disk's flush latencies over a run, in milliseconds. */
export interface DiskFlushes {
  p99Ms: number;
  maxMs: number;
  over25Ms: number;
  count: number;
}

/**
 * The machine's own flush tail: a 4 KiB page rewritten and fdatasync'd every `intervalMs` in a file
 * on the same filesystem as the servers' data directories, until `stop`. A durable acknowledgement
 * waits for an fdatasync, so on the embedded bus the p99 at the fixed rate can be no better than
 * this: a flush that stalls for 250 ms holds up 250 deliveries at 1,000/s. Run it beside a target
 * that writes nothing (bare express) so that it measures the disk, not the load on it.
 */
export async function startDiskFlushProbe(intervalMs = 5): Promise<{ stop(): Promise<DiskFlushes> }> {
  const dir = await tempDir('nightshift-bench-flush-probe-');
  const handle = await open(join(dir.path, 'probe'), 'w');
  const page = Buffer.alloc(4096, 1);
  const latencies: number[] = [];
  let stopped = false;
  const probing = (async () => {
    for (let n = 0; !stopped; n++) {
      // Overwriting 256 pages in turn: the file's size settles, as a reused write-ahead log's does.
      await handle.write(page, 0, page.length, (n % 256) * page.length);
      const started = performance.now();
      await handle.datasync();
      latencies.push(performance.now() - started);
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await probing.finally(async () => {
        await handle.close();
        await dir.cleanup();
      });
      const sorted = sortedValues(latencies);
      return {
        p99Ms: quantile(sorted, 0.99),
        maxMs: sorted.at(-1) ?? Number.NaN,
        over25Ms: sorted.filter((ms) => ms > 25).length,
        count: sorted.length,
      };
    },
  };
}
