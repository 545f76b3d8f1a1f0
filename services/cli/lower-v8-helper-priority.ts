import { readdirSync } from 'node:fs';
import { lowerPriorityOf } from '../runtime/lower-thread-priority.js';

/** How far below the HTTP thread V8's helpers run (as the consumer thread). */
export const V8_HELPER_NICE_STEPS = 10;

/** Node's default for `--v8-pool-size`. */
const DEFAULT_POOL_SIZE = 4;

/** The V8 platform's worker count from `--v8-pool-size` (argv or NODE_OPTIONS), or undefined when it cannot be told. */
function v8PoolSize(): number | undefined {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  let size = DEFAULT_POOL_SIZE;
  flags.forEach((flag, index) => {
    if (flag === '--v8-pool-size') size = Number(flags[index + 1]);
    else if (flag.startsWith('--v8-pool-size=')) size = Number(flag.slice('--v8-pool-size='.length));
  });
  // 0 lets Node pick from the core count; anything unusual: leave every thread as it is.
  return Number.isInteger(size) && size > 0 ? size : undefined;
}

/**
 * Lowers V8's platform threads 10 nice steps (nice 10 in a process at 0): the ones that mark and
 * sweep the heap concurrently, help with young collections and compile optimised code, for the main
 * thread and every worker thread.
 * They are nice 0 like the HTTP thread, and four of them on a two-core machine took the core from it
 * while it held requests. Lowered, they still get a tenth of a contended core and all of an idle one.
 * At 1,000 deliveries/s on Kafka, all roles, one two-core machine: p99 12.7-17.2 ms against 12.4-35.8
 * ms in 4 interleaved pairs of 10 s runs, and far fewer requests over 25 ms in 6 of 7 pairs.
 *
 * Node names none of its threads, so they are found by the order in which Node starts them: after the
 * main thread the platform's delayed-task scheduler, then its workers, then the inspector's signal
 * thread and libuv's pool (file system, zlib), which serve requests and are left alone. Linux only
 * (thread ids in /proc/self/task, `setpriority` per thread); returns the thread ids lowered, none
 * elsewhere or when the order cannot be trusted (thread ids wrapped around).
 */
export function lowerV8HelperPriority(by = V8_HELPER_NICE_STEPS): number[] {
  const poolSize = v8PoolSize();
  if (poolSize === undefined || process.platform !== 'linux') return [];
  let threadIds: number[];
  try {
    threadIds = readdirSync('/proc/self/task').map(Number).filter((id) => id !== process.pid);
  } catch {
    return [];
  }
  if (threadIds.some((id) => !Number.isInteger(id) || id < process.pid)) return [];
  const helpers = threadIds.sort((a, b) => a - b).slice(0, 1 + poolSize);
  try {
    for (const id of helpers) lowerPriorityOf(id, by);
  } catch {
    return [];
  }
  return helpers;
}
