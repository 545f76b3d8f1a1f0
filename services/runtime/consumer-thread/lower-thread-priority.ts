import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's CPU priority (nice 10), so that when it and the HTTP thread both want
 * a core the HTTP thread gets it, and the consumers are slowed, never starved (CFS weights ~10:1).
 * Linux keeps the nice value per thread and `setpriority` takes a thread id; `/proc/thread-self`
 * names it. Returns false where that is not so (other systems): the thread then runs at the
 * process's priority.
 */
export function lowerThreadPriority(nice = 10): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId)) return false;
    setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
