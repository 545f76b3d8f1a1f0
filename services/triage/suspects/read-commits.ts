import { isObjectId } from './resolve-revision.js';
import { SAFE_GIT_OPTIONS, type RunGit } from './run-git.js';

/** What the report says about a commit. */
export interface CommitInfo {
  sha: string;
  parents: string[];
  /** "Name <email>", after .mailmap. */
  author: string;
  /** Committer time, epoch ms. */
  committedAt: number;
  subject: string;
  /** Every file the commit changed (relative to its first parent); empty for merges. */
  files: string[];
}

const RECORD = '\u001e';
const FIELD = '\u001f';
const FORMAT = `--format=${RECORD}%H${FIELD}%P${FIELD}%aN <%aE>${FIELD}%ct${FIELD}%s`;

/**
 * Non-merge commits in `base..head` that touched any of `paths`, newest first, each with all the files it
 * changed (`--full-diff`), so a commit touching the service and its docs is not mistaken for docs only.
 */
export async function readCommitsTouching(
  runGit: RunGit,
  gitDir: string,
  range: { head: string; base?: string },
  paths: readonly string[],
  maxCommits: number,
): Promise<CommitInfo[]> {
  const args = [...SAFE_GIT_OPTIONS, 'log', '-z', '--no-merges', '--full-diff', '--name-only', FORMAT, `--max-count=${maxCommits}`, range.head];
  if (range.base) args.push(`^${range.base}`);
  args.push('--', ...paths);
  return parseLog(await runGit(args, gitDir));
}

/** The named commits (shas that git itself reported), in one `git log --no-walk`. */
export async function readCommitsBySha(runGit: RunGit, gitDir: string, shas: readonly string[]): Promise<CommitInfo[]> {
  const safe = shas.filter(isObjectId);
  if (safe.length === 0) return [];
  return parseLog(await runGit([...SAFE_GIT_OPTIONS, 'log', '-z', '--no-walk=unsorted', '--name-only', FORMAT, ...safe], gitDir));
}

export function parseLog(output: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of output.split(RECORD)) {
    const end = record.indexOf('\u0000');
    const header = end === -1 ? record : record.slice(0, end);
    const [sha = '', parents = '', author = '', time = '', ...subject] = header.split(FIELD);
    if (!isObjectId(sha)) continue;
    const files = end === -1 ? [] : record.slice(end + 1).split('\u0000').map((file) => file.replace(/^\n/, '')).filter((file) => file !== '');
    commits.push({
      sha,
      parents: parents.split(' ').filter(isObjectId),
      author,
      committedAt: Number(time) * 1000,
      subject: subject.join(FIELD).trim(),
      files,
    });
  }
  return commits;
}
