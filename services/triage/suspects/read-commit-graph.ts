import type { GraphCommit } from './compute-landing-times.js';
import { isObjectId } from './resolve-revision.js';
import { SAFE_GIT_OPTIONS, type RunGit } from './run-git.js';

/** Every commit in `base..head` (all of `head` without a base) with its parents, in one `git rev-list`. */
export async function readCommitGraph(
  runGit: RunGit,
  gitDir: string,
  range: { head: string; base?: string },
  maxCommits: number,
): Promise<Map<string, GraphCommit>> {
  const args = [...SAFE_GIT_OPTIONS, 'rev-list', '--timestamp', '--parents', `--max-count=${maxCommits}`, range.head];
  if (range.base) args.push(`^${range.base}`);
  const graph = new Map<string, GraphCommit>();
  for (const line of (await runGit(args, gitDir)).split('\n')) {
    const [time, sha, ...parents] = line.trim().split(' ');
    if (time && sha && isObjectId(sha)) graph.set(sha, { time: Number(time) * 1000, parents });
  }
  return graph;
}
