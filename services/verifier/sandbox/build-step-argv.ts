import { availableParallelism } from 'node:os';
import type { Command } from '../../../shared/config/verifier-schema.js';

/** A shell command runs under `sh -c`; an argv list runs as given. */
export function commandArgv(command: Command): string[] {
  return typeof command === 'string' ? ['sh', '-c', command] : [...command];
}

/**
 * Resource limits wrapped around a step: no core dumps, optionally the first `cpus` CPUs, and, when
 * the step has no memory cgroup (`perProcessMemory`), RLIMIT_DATA on each process's heap and anonymous
 * memory (unlike RLIMIT_AS it leaves V8's large address-space reservations alone, so node still starts).
 */
export function limitArgv({ memoryMb, cpus, perProcessMemory = true }: { memoryMb: number; cpus?: number; perProcessMemory?: boolean }): string[] {
  const argv = ['prlimit', ...(perProcessMemory ? [`--data=${memoryMb * 1024 * 1024}`] : []), '--core=0', '--'];
  if (cpus !== undefined) {
    const count = Math.min(cpus, availableParallelism());
    argv.push('taskset', '-c', count === 1 ? '0' : `0-${count - 1}`);
  }
  return argv;
}
