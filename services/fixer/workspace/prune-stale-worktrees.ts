import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import type { RunGit } from '../../triage/suspects/run-git.js';
import { ATTEMPT_BRANCH_PREFIX } from './create-mirrors.js';

/** Who holds a worktree, written as its git lock reason so a later process can tell a crash from a live owner. */
export interface WorktreeOwner {
  pid: number;
  host: string;
  /** The workspace manager instance, for several managers in one process. */
  manager: string;
}

export function formatOwner(owner: WorktreeOwner): string {
  return `nightshift pid=${owner.pid} host=${owner.host} manager=${owner.manager}`;
}

function parseOwner(reason: string): WorktreeOwner | undefined {
  const match = /^nightshift pid=(\d+) host=(\S+) manager=(\S+)$/.exec(reason.trim());
  return match ? { pid: Number(match[1]), host: match[2] ?? '', manager: match[3] ?? '' } : undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface ListedWorktree {
  path: string;
  branch?: string;
  locked?: string;
}

async function listWorktrees(runGit: RunGit, mirrorDir: string): Promise<ListedWorktree[]> {
  const out = await runGit(['worktree', 'list', '--porcelain', '-z'], mirrorDir);
  const worktrees: ListedWorktree[] = [];
  let current: ListedWorktree | undefined;
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length) };
      worktrees.push(current);
    } else if (current && field.startsWith('branch ')) current.branch = field.slice('branch '.length);
    else if (current && (field === 'locked' || field.startsWith('locked '))) current.locked = field.slice('locked'.length).trim();
  }
  return worktrees;
}

/** Removes one worktree of the mirror, whether or not its directory still exists, and its registration. */
export async function removeWorktree(runGit: RunGit, mirrorDir: string, dir: string): Promise<void> {
  // Twice --force removes a locked worktree with local changes; the fallbacks cover a directory already gone.
  await runGit(['worktree', 'remove', '--force', '--force', dir], mirrorDir).catch(async () => {
    await runGit(['worktree', 'unlock', dir], mirrorDir).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await runGit(['worktree', 'prune'], mirrorDir);
  });
}

export interface PruneStaleWorktreesOptions {
  runGit: RunGit;
  mirrorDir: string;
  worktreesDir: string;
  /** This process's manager; its worktrees are stale unless `live` has them. */
  self: WorktreeOwner;
  /** Worktree directories this manager has open. */
  live: ReadonlySet<string>;
  log: Logger;
}

/**
 * Removes worktrees under `worktreesDir` whose owner crashed (its process is gone on this host, or it is this
 * manager and no open workspace claims it), then deletes attempt branches no worktree holds. Call it under
 * the mirror's lock. Worktrees of other hosts are left alone: we cannot see their processes.
 */
export async function pruneStaleWorktrees({ runGit, mirrorDir, worktreesDir, self, live, log }: PruneStaleWorktreesOptions): Promise<number> {
  await runGit(['worktree', 'prune'], mirrorDir);
  const root = resolve(worktreesDir) + sep;
  let removed = 0;
  const held = new Set<string>();
  for (const worktree of await listWorktrees(runGit, mirrorDir)) {
    const ours = resolve(worktree.path).startsWith(root);
    const owner = worktree.locked === undefined ? undefined : parseOwner(worktree.locked);
    const stale =
      ours &&
      !live.has(resolve(worktree.path)) &&
      (owner === undefined ||
        (owner.host === self.host && owner.pid !== self.pid && !processAlive(owner.pid)) ||
        (owner.host === self.host && owner.pid === self.pid && owner.manager === self.manager));
    if (stale) {
      await removeWorktree(runGit, mirrorDir, worktree.path);
      log.warn({ dir: worktree.path, branch: worktree.branch, owner }, 'removed a worktree left behind by a crashed fix attempt');
      removed += 1;
    } else if (worktree.branch) held.add(worktree.branch);
  }
  const branches = await runGit(['for-each-ref', '--format=%(refname)', `refs/heads/${ATTEMPT_BRANCH_PREFIX}`], mirrorDir);
  for (const ref of branches.split('\n').filter(Boolean)) {
    if (held.has(ref)) continue;
    await runGit(['update-ref', '-d', ref], mirrorDir);
    removed += 1;
  }
  return removed;
}
