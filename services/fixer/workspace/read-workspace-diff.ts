import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { SAFE_GIT_OPTIONS, type RunGit } from '../../triage/suspects/run-git.js';
import type { WorkspaceDiff } from '../fix-candidate.js';

// Prefixes and rename handling are fixed here so a user's diff config cannot change what the policy parses.
const DIFF_OPTIONS = ['--no-renames', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * The worktree's changes against `baseSha`, untracked files included, without touching the worktree's own
 * index: everything is staged into a throwaway copy of it (`GIT_INDEX_FILE`), so a strategy's half-staged
 * state and the real index never disagree with what the policy sees. Binary files come as `--binary` patches.
 */
export async function readWorkspaceDiff(runGit: RunGit, dir: string, baseSha: string): Promise<WorkspaceDiff> {
  const scratch = await mkdtemp(join(tmpdir(), 'nightshift-index-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    // Starting from the real index keeps its stat cache, so `add -A` only rehashes files that changed.
    const realIndex = (await runGit(['rev-parse', '--git-path', 'index'], dir)).trim();
    const copied = await copyFile(isAbsolute(realIndex) ? realIndex : join(dir, realIndex), env.GIT_INDEX_FILE).then(
      () => true,
      () => false,
    );
    if (!copied) await runGit(['read-tree', baseSha], dir, { env });
    await runGit([...SAFE_GIT_OPTIONS, 'add', '--all'], dir, { env });
    const base = [...SAFE_GIT_OPTIONS, 'diff', '--cached', ...DIFF_OPTIONS];
    const [diff, numstat, nameStatus] = await Promise.all([
      runGit([...base, '--binary', '--full-index', baseSha, '--'], dir, { env }),
      runGit([...base, '--numstat', '-z', baseSha, '--'], dir, { env }),
      runGit([...base, '--name-status', '-z', baseSha, '--'], dir, { env }),
    ]);
    return { diff, ...summarise(numstat, nameStatus) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function summarise(numstat: string, nameStatus: string): Omit<WorkspaceDiff, 'diff'> {
  let linesChanged = 0;
  for (const record of numstat.split('\0')) {
    // "added<TAB>deleted<TAB>path"; binary files show "-" for both.
    const [added, deleted] = record.split('\t');
    if (added === undefined || deleted === undefined) continue;
    linesChanged += (Number(added) || 0) + (Number(deleted) || 0);
  }
  const files: string[] = [];
  const added: string[] = [];
  const deleted: string[] = [];
  const fields = nameStatus.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i] ?? '';
    const path = fields[i + 1] ?? '';
    if (!status || !path) continue;
    files.push(path);
    if (status.startsWith('A')) added.push(path);
    if (status.startsWith('D')) deleted.push(path);
  }
  return { files, linesChanged, added, deleted };
}
