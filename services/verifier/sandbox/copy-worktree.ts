import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SANDBOX_TMP_DIR } from './build-sandbox-env.js';

/** A throwaway copy of a worktree that sandboxed steps may write to. */
export interface WorktreeCopy {
  readonly dir: string;
  dispose(): Promise<void>;
}

/**
 * Copies `source` (without `.git`, whose pointer names host paths the sandbox cannot see) into a fresh
 * directory under `parentDir`, so a step can never change the worktree a pull request is pushed from.
 */
export async function copyWorktree({ source, parentDir = tmpdir() }: { source: string; parentDir?: string }): Promise<WorktreeCopy> {
  await mkdir(parentDir, { recursive: true });
  const dir = await mkdtemp(join(parentDir, 'nightshift-verify-'));
  await cp(source, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (path) => !(basename(path) === '.git' && path === join(source, '.git')),
  });
  await mkdir(join(dir, SANDBOX_TMP_DIR), { recursive: true });
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
