import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers one thread of this process `by` nice steps below where it runs (at most nice 19). Linux
 * keeps the nice value per thread and `getpriority`/`setpriority` take a thread id. Relative, so a
 * process started under `nice` keeps its threads' order: an absolute value could even raise one.
 */
export function lowerPriorityOf(threadId: number, by = 10): void {
  setPriority(threadId, Math.min(19, getPriority(threadId) + by));
}

/**
 * Lowers the calling thread's CPU priority (10 steps), so that when it and the HTTP thread both want
 * a core the HTTP thread gets it, and the consumers are slowed, never starved (CFS weights ~10:1).
 * `/proc/thread-self` names the thread. Returns false where that is not so (other systems): the
 * thread then runs at the process's priority.
 */
export function lowerThreadPriority(by = 10): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId)) return false;
    lowerPriorityOf(threadId, by);
    return true;
  } catch {
    return false;
  }
}
