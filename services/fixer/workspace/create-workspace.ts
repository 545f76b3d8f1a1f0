import type { Logger } from 'pino';
import { GitCommandError, SAFE_GIT_OPTIONS, type RunGit } from '../../triage/suspects/run-git.js';
import type { Workspace } from './workspace.js';
import { readWorkspaceDiff } from './read-workspace-diff.js';
import { WorkspaceError } from './workspace-error.js';

export interface CreateWorkspaceOptions {
  repository: string;
  dir: string;
  baseSha: string;
  branch: string;
  /** The attempt's own branch in the mirror (`nightshift-attempt/<attemptId>`), checked out in `dir`. */
  localBranch: string;
  author: { name: string; email: string };
  runGit: RunGit;
  log: Logger;
  /** Removes the worktree and the local branch; called once however often `dispose()` is. */
  remove: () => Promise<void>;
}

/** A Workspace that also names the local branch, for the forge that pushes it to `branch`. */
export interface AttemptWorkspace extends Workspace {
  localBranch: string;
}

/** The Workspace over one checked-out worktree. */
export function createWorkspace(options: CreateWorkspaceOptions): AttemptWorkspace {
  const { dir, baseSha, runGit, author, log } = options;
  let disposing: Promise<void> | undefined;

  const live = (what: string): void => {
    if (disposing) throw new WorkspaceError('WORKSPACE_DISPOSED', `cannot ${what}: the workspace at ${dir} was disposed`);
  };

  return {
    repository: options.repository,
    dir,
    baseSha,
    branch: options.branch,
    localBranch: options.localBranch,

    async diff() {
      live('read the diff');
      return readWorkspaceDiff(runGit, dir, baseSha);
    },

    async reset() {
      live('reset');
      // A revert or cherry-pick a strategy left half-done keeps sequencer state that reset alone does not clear.
      for (const command of ['revert', 'cherry-pick']) await runGit([command, '--quit'], dir).catch(() => undefined);
      await runGit(['reset', '--hard', '--quiet', baseSha], dir);
      // Ignored files (installed dependencies, build output) stay: they are not part of any diff.
      await runGit(['clean', '-ffdq'], dir);
    },

    async commit(message) {
      live('commit');
      if (!message.trim()) throw new WorkspaceError('WORKSPACE_EMPTY_MESSAGE', 'a fix commit needs a message');
      await runGit([...SAFE_GIT_OPTIONS, 'add', '--all'], dir);
      const staged = await runGit(['diff', '--cached', '--quiet', 'HEAD', '--'], dir).then(
        () => false,
        (error: unknown) => {
          if (error instanceof GitCommandError && error.exitCode === 1) return true;
          throw error;
        },
      );
      if (!staged) throw new WorkspaceError('WORKSPACE_NOTHING_TO_COMMIT', `there is nothing to commit in ${dir}`);
      const identity = {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
      };
      await runGit(
        ['-c', 'commit.gpgSign=false', '-c', 'core.hooksPath=/dev/null', 'commit', '--quiet', '--no-verify', '--cleanup=strip', '-m', message],
        dir,
        { env: identity },
      );
      const sha = (await runGit(['rev-parse', 'HEAD'], dir)).trim();
      log.info({ repository: options.repository, branch: options.branch, sha }, 'fix committed');
      return sha;
    },

    dispose() {
      // Concurrent and repeated calls share one removal; a failed removal may be retried.
      disposing ??= options.remove().catch((error: unknown) => {
        disposing = undefined;
        throw error;
      });
      return disposing;
    },
  };
}
