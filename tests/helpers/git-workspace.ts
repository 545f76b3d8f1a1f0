import type { WorkspaceDiff } from '../../services/fixer/fix-candidate.js';
import type { Workspace } from '../../services/fixer/workspace/workspace.js';
import { createTestGitRepo } from './git-repo.js';

/** A Workspace over a throwaway git repository (real git), for strategy tests; the real one lives in the fixer. */
export interface TestWorkspace extends Workspace {
  cleanup(): Promise<void>;
}

function parseNumstat(numstat: string): number {
  return numstat
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => {
      const [added = '0', removed = '0'] = line.split('\t');
      return sum + (Number(added) || 0) + (Number(removed) || 0);
    }, 0);
}

/** Commits `files` as the base, then hands out a workspace whose `diff()` is `git diff` against that base. */
export async function createTestWorkspace(files: Record<string, string>, repository = 'shop'): Promise<TestWorkspace> {
  const repo = await createTestGitRepo();
  const baseSha = await repo.commit({ message: 'base', files, date: new Date('2025-03-10T12:00:00Z') });
  const branch = 'nightshift/test-incident';
  await repo.git(['checkout', '--quiet', '-b', branch]);

  const diff = async (): Promise<WorkspaceDiff> => {
    await repo.git(['add', '--all']);
    const text = await repo.git(['diff', '--cached', '--binary', baseSha]);
    const status = await repo.git(['diff', '--cached', '--name-status', '-M', baseSha]);
    const rows = status.split('\n').filter(Boolean).map((line) => line.split('\t'));
    return {
      diff: text,
      files: [...new Set(rows.flatMap((row) => row.slice(1)))],
      linesChanged: parseNumstat(await repo.git(['diff', '--cached', '--numstat', baseSha])),
      added: rows.filter((row) => row[0] === 'A').map((row) => row[1] ?? ''),
      deleted: rows.filter((row) => row[0] === 'D').map((row) => row[1] ?? ''),
    };
  };

  return {
    repository,
    dir: repo.path,
    baseSha,
    branch,
    diff,
    reset: async () => {
      await repo.git(['reset', '--quiet', '--hard', baseSha]);
      await repo.git(['clean', '-fdq']);
    },
    commit: async (message) => {
      await repo.git(['add', '--all']);
      await repo.git(['commit', '--quiet', '--no-verify', '-m', message], {
        GIT_AUTHOR_NAME: 'Nightshift', GIT_AUTHOR_EMAIL: 'nightshift@example.test',
        GIT_COMMITTER_NAME: 'Nightshift', GIT_COMMITTER_EMAIL: 'nightshift@example.test',
      });
      return (await repo.git(['rev-parse', 'HEAD'])).trim();
    },
    dispose: async () => {},
    cleanup: repo.cleanup,
  };
}
