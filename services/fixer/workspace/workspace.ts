import type { WorkspaceDiff } from '../fix-candidate.js';

/**
 * A git worktree of one repository, checked out at the fix's base, owned by one fix attempt. Strategies
 * edit files in `dir`; the fixer reads the result with `diff()`, commits the chosen candidate, and
 * always disposes the workspace afterwards.
 */
export interface Workspace {
  /** The repository's name in the configuration. */
  repository: string;
  /** Absolute path of the worktree. */
  dir: string;
  /** The commit the worktree started from. */
  baseSha: string;
  /** The branch the fix is committed on: `nightshift/<incident-id>`. */
  branch: string;
  /** The working tree's changes against `baseSha`, untracked files included. */
  diff(): Promise<WorkspaceDiff>;
  /** Throws every change away (between strategies of the ladder). */
  reset(): Promise<void>;
  /** Commits every change on `branch`; returns the new commit's sha. */
  commit(message: string): Promise<string>;
  /** Removes the worktree and its branch from the mirror. Safe to call twice. */
  dispose(): Promise<void>;
}
