/** One commit of the history graph: committer time (epoch ms) and parents, first parent first. */
export interface GraphCommit {
  time: number;
  parents: string[];
}

/** When a commit reached the deployed branch, and through which merge if it came from a side branch. */
export interface Landing {
  landedAt: number;
  mergeSha?: string;
}

/**
 * When each commit landed on `head`'s first-parent line: its own time for commits made on that line, the
 * merge's time for commits that arrived with a merge. A branch commit written a week ago and merged ten
 * minutes before an error is recent in the sense that matters. Commits outside `graph` are not reported.
 */
export function computeLandingTimes(head: string, graph: ReadonlyMap<string, GraphCommit>): Map<string, Landing> {
  const chain: string[] = [];
  for (let sha: string | undefined = head; sha !== undefined && graph.has(sha); sha = graph.get(sha)!.parents[0]) {
    chain.push(sha);
  }
  const landings = new Map<string, Landing>();
  // Oldest first, so that whatever an earlier merge brought in is already claimed when a later one is walked.
  for (const sha of chain.reverse()) {
    const commit = graph.get(sha)!;
    landings.set(sha, { landedAt: commit.time });
    const pending = commit.parents.slice(1);
    while (pending.length > 0) {
      const next = pending.pop()!;
      const merged = graph.get(next);
      if (!merged || landings.has(next)) continue;
      landings.set(next, { landedAt: commit.time, mergeSha: sha });
      pending.push(...merged.parents);
    }
  }
  return landings;
}
