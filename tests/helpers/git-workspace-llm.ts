import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkspaceDiff } from '../../services/fixer/fix-candidate.js';
import type { Workspace } from '../../services/fixer/workspace/workspace.js';
import { createTestGitRepo } from './git-repo.js';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Nightshift',
  GIT_AUTHOR_EMAIL: 'nightshift@localhost',
  GIT_COMMITTER_NAME: 'Nightshift',
  GIT_COMMITTER_EMAIL: 'nightshift@localhost',
};

/**
 * A minimal real-git `Workspace` for strategy tests: a throwaway repository with `files` committed on
 * `main` as the base. Not the fixer's workspace manager (no mirror, no worktree); just enough git to
 * give strategies the diff, reset and commit they rely on.
 */
export async function createLlmTestWorkspace(
  files: Record<string, string>,
  options: { branch?: string; /** Link path → target, committed in the base too. */ symlinks?: Record<string, string> } = {},
): Promise<Workspace & { git(args: string[]): Promise<string> }> {
  const repo = await createTestGitRepo();
  for (const [path, target] of Object.entries(options.symlinks ?? {})) await symlink(target, join(repo.path, path));
  await repo.commit({ message: 'base', files, date: new Date('2024-05-01T00:00:00Z') });
  if (options.symlinks) {
    await repo.git(['add', '--all']);
    await repo.git(['commit', '--quiet', '--amend', '--no-edit'], IDENTITY);
  }
  const baseSha = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const branch = options.branch ?? 'nightshift/test-incident';
  let disposed = false;

  const diff = async (): Promise<WorkspaceDiff> => {
    // Staging everything is how untracked files show up in the diff against the base.
    await repo.git(['add', '--all']);
    const text = await repo.git(['diff', '--cached', '--binary', '--no-renames', baseSha]);
    const numstat = await repo.git(['diff', '--cached', '--numstat', '--no-renames', baseSha]);
    const status = await repo.git(['diff', '--cached', '--name-status', '--no-renames', baseSha]);
    let linesChanged = 0;
    for (const line of numstat.split('\n').filter(Boolean)) {
      const [added, removed] = line.split('\t');
      linesChanged += (Number(added) || 0) + (Number(removed) || 0);
    }
    const entries = status.split('\n').filter(Boolean).map((line) => line.split('\t') as [string, string]);
    return {
      diff: text,
      files: entries.map(([, path]) => path),
      linesChanged,
      added: entries.filter(([s]) => s === 'A').map(([, p]) => p),
      deleted: entries.filter(([s]) => s === 'D').map(([, p]) => p),
    };
  };

  return {
    repository: 'shop',
    dir: repo.path,
    baseSha,
    branch,
    diff,
    git: (args) => repo.git(args),
    async reset() {
      await repo.git(['reset', '--quiet', '--hard', baseSha]);
      await repo.git(['clean', '--quiet', '-fd']);
    },
    async commit(message) {
      await repo.git(['checkout', '--quiet', '-B', branch]);
      await repo.git(['add', '--all']);
      await repo.git(['commit', '--quiet', '--no-verify', '-m', message], IDENTITY);
      return (await repo.git(['rev-parse', 'HEAD'])).trim();
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await repo.cleanup();
    },
  };
}
