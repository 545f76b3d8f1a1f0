import { lstat, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

// Never useful to a fix and often huge.
const SKIPPED = new Set(['.git', 'node_modules']);

/** One entry of a walk: repository-relative POSIX path and whether it is a directory. */
export interface WalkEntry {
  path: string;
  directory: boolean;
  size: number;
}

/**
 * Walks the tree under `start` (relative to `root`) breadth-first in name order, without following
 * symlinks, stopping after `limit` entries; `truncated` says whether it stopped early.
 */
export async function walkWorkspace(root: string, start: string, limit: number): Promise<{ entries: WalkEntry[]; truncated: boolean }> {
  const entries: WalkEntry[] = [];
  const queue = [start === '.' ? '' : start];
  while (queue.length > 0) {
    const rel = queue.shift() as string;
    const names = (await readdir(join(root, rel))).sort();
    for (const name of names) {
      if (SKIPPED.has(name)) continue;
      const path = rel === '' ? name : posix.join(rel, name);
      const stat = await lstat(join(root, path));
      if (stat.isSymbolicLink()) continue;
      if (entries.length >= limit) return { entries, truncated: true };
      entries.push({ path, directory: stat.isDirectory(), size: stat.size });
      if (stat.isDirectory()) queue.push(path);
    }
  }
  return { entries, truncated: false };
}
