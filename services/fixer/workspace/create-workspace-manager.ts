import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { createRunGit, type RunGit } from '../../triage/suspects/run-git.js';
import { createKeyedLock } from './create-keyed-lock.js';
import { ATTEMPT_BRANCH_PREFIX, createMirrors } from './create-mirrors.js';
import { createWorkspace, type AttemptWorkspace } from './create-workspace.js';
import type { RepositorySource } from './git-credentials.js';
import { formatOwner, pruneStaleWorktrees, removeWorktree, type WorktreeOwner } from './prune-stale-worktrees.js';
import { WorkspaceError } from './workspace-error.js';

export type { RepositorySource } from './git-credentials.js';

export interface CreateWorkspaceManagerOptions {
  /** Holds `mirrors/` and `worktrees/`; one manager (one process) per directory. */
  rootDir: string;
  /** Defaults to git with a 10-minute limit per command: a first clone of a large repository is slow. */
  runGit?: RunGit;
  /** Author and committer of fix commits. */
  author: { name: string; email: string };
  log: Logger;
}

export interface OpenWorkspaceRequest {
  /** The repository's name in the configuration; one mirror per name. */
  repository: string;
  /** A local repository path, or a remote URL with an optional token (sent as a header, never stored). */
  source: RepositorySource;
  /** The release's commit (or any revision) when known; otherwise the default branch head after a fetch. */
  baseRef?: string;
  incidentId: string;
  /** Unique per fix attempt: names the worktree directory and its local branch. */
  attemptId: string;
}

export interface WorkspaceManager {
  open(request: OpenWorkspaceRequest): Promise<AttemptWorkspace>;
}

// Ids become a directory name and part of a ref name: keep them to characters both accept.
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Mirrors and worktrees for fix attempts. `open` clones the repository's bare mirror on first use (fetching
 * it otherwise, unless the base is a commit the mirror already has), then adds a worktree at the base on a
 * branch of its own, after removing any worktree a crashed attempt left behind.
 */
export function createWorkspaceManager(options: CreateWorkspaceManagerOptions): WorkspaceManager {
  const rootDir = resolve(options.rootDir);
  const worktreesDir = join(rootDir, 'worktrees');
  const runGit = options.runGit ?? createRunGit({ timeoutMs: 10 * 60_000 });
  const { log, author } = options;
  const lock = createKeyedLock();
  const mirrors = createMirrors({ rootDir, runGit, lock, log });
  const self: WorktreeOwner = { pid: process.pid, host: hostname(), manager: randomBytes(6).toString('hex') };
  const liveDirs = new Set<string>();

  const resolveCommit = async (mirrorDir: string, ref: string): Promise<string | undefined> => {
    const out = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], mirrorDir).catch(() => '');
    return out.trim() || undefined;
  };

  const validate = (request: OpenWorkspaceRequest): void => {
    if (!request.repository.trim()) throw new WorkspaceError('WORKSPACE_BAD_REQUEST', 'the repository name is empty');
    for (const key of ['incidentId', 'attemptId'] as const) {
      if (!SAFE_ID.test(request[key])) {
        throw new WorkspaceError('WORKSPACE_BAD_REQUEST', `${key} "${request[key]}" must be 1-128 letters, digits, "-" or "_", starting with a letter or digit`);
      }
    }
    if (request.baseRef !== undefined && (!request.baseRef.trim() || request.baseRef.startsWith('-'))) {
      throw new WorkspaceError('WORKSPACE_BAD_REQUEST', `baseRef "${request.baseRef}" is not a revision`);
    }
  };

  return {
    async open(request) {
      validate(request);
      const { repository, source, baseRef, incidentId, attemptId } = request;
      const dir = join(worktreesDir, attemptId);
      if (liveDirs.has(dir)) throw new WorkspaceError('WORKSPACE_ATTEMPT_OPEN', `attempt ${attemptId} already has an open workspace at ${dir}`);
      liveDirs.add(dir);
      try {
        const mirror = await mirrors.ensure(repository, source);
        const known = baseRef !== undefined && FULL_SHA.test(baseRef) ? await resolveCommit(mirror.dir, baseRef) : undefined;
        if (!mirror.created && !known) await mirrors.fetch(repository, source);
        const baseSha = known ?? (await resolveCommit(mirror.dir, baseRef ?? 'HEAD'));
        if (!baseSha) {
          throw new WorkspaceError(
            'WORKSPACE_BASE_NOT_FOUND',
            baseRef === undefined
              ? `${repository} has no default branch head to start from (is the repository empty?)`
              : `${repository} has no commit "${baseRef}" even after a fetch; check the release's commit sha or the base ref`,
          );
        }
        const localBranch = `${ATTEMPT_BRANCH_PREFIX}${attemptId}`;
        await lock.run(mirrors.lockKey(repository), async () => {
          await mkdir(worktreesDir, { recursive: true });
          // A directory with this attempt's name is a crashed run of the same attempt (the live check passed).
          if (await stat(dir).then(() => true, () => false)) await removeWorktree(runGit, mirror.dir, dir);
          const live = new Set([...liveDirs].filter((path) => path !== dir));
          await pruneStaleWorktrees({ runGit, mirrorDir: mirror.dir, worktreesDir, self, live, log });
          // -B: a resumed attempt finds its own branch left by the crashed run; it starts again from the base.
          await runGit(['worktree', 'add', '--quiet', '--lock', '--reason', formatOwner(self), '-B', localBranch, dir, baseSha], mirror.dir);
        });
        log.info({ repository, incidentId, attemptId, dir, baseSha }, 'workspace opened');
        return createWorkspace({
          repository,
          dir,
          baseSha,
          branch: `nightshift/${incidentId}`,
          localBranch,
          author,
          runGit,
          log,
          remove: () =>
            lock
              .run(mirrors.lockKey(repository), async () => {
                await removeWorktree(runGit, mirror.dir, dir);
                await runGit(['update-ref', '-d', `refs/heads/${localBranch}`], mirror.dir);
              })
              .finally(() => {
                liveDirs.delete(dir);
                log.info({ repository, attemptId, dir }, 'workspace disposed');
              }),
        });
      } catch (error) {
        liveDirs.delete(dir);
        throw error;
      }
    },
  };
}
