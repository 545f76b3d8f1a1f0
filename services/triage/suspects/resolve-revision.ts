import { GitCommandError, SAFE_GIT_OPTIONS, type RunGit } from './run-git.js';

// Branch, tag and sha spellings plus `~`/`^` navigation; nothing that starts like an option or a path.
const SAFE_REVISION = /^[A-Za-z0-9_][A-Za-z0-9._/@{}^~+-]*$/;
const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Whether `revision` may be handed to git as a revision (it comes from config or an alert, so it is checked). */
export function isSafeRevision(revision: string): boolean {
  return revision.length <= 256 && SAFE_REVISION.test(revision) && !revision.includes('..') && !revision.includes('@{-');
}

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

/** The commit sha `revision` names, or `undefined` when it is unsafe or unknown to the repository. */
export async function resolveRevision(runGit: RunGit, gitDir: string, revision: string): Promise<string | undefined> {
  if (!isSafeRevision(revision)) return undefined;
  try {
    const sha = (await runGit([...SAFE_GIT_OPTIONS, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], gitDir)).trim();
    return isObjectId(sha) ? sha : undefined;
  } catch (error) {
    // `rev-parse --verify --quiet` exits 1 for "no such revision"; anything else (not a repository) is real.
    if (error instanceof GitCommandError && error.exitCode === 1) return undefined;
    throw error;
  }
}

/** The newest commit on `head`'s first-parent line committed at or before `at`: what was deployed then. */
export async function findRevisionAt(runGit: RunGit, gitDir: string, head: string, at: Date): Promise<string | undefined> {
  const seconds = Math.floor(at.getTime() / 1000);
  const sha = (await runGit([...SAFE_GIT_OPTIONS, 'rev-list', '-1', '--first-parent', `--before=@${seconds}`, '--end-of-options', head], gitDir)).trim();
  return isObjectId(sha) ? sha : undefined;
}
